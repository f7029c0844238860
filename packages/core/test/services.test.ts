import { afterEach, describe, expect, it, vi } from 'vitest';
import { serviceAvailable } from './support/services.js';

const ci = process.env.CI;
afterEach(() => {
  if (ci === undefined) delete process.env.CI;
  else process.env.CI = ci;
  vi.restoreAllMocks();
});

describe('test servers', () => {
  it('skip their tests with the reason when a server is missing, except under CI=true, where that fails', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    delete process.env.CI;
    expect(serviceAvailable('Redis', undefined)).toBe(true);
    expect(serviceAvailable('Redis', 'redis-server is not installed')).toBe(false);
    expect(warn).toHaveBeenCalledWith('skipping the Redis tests: redis-server is not installed');
    process.env.CI = 'true';
    expect(() => serviceAvailable('Redis', 'redis-server is not installed')).toThrow(
      /Redis tests cannot run under CI: redis-server is not installed/,
    );
  });
});
