import { afterEach, describe, expect, it } from 'vitest';
import {
  HttpClient,
  type HttpClientOptions,
  InputValidationError,
  MemoryIdentifierMap,
  ServerError,
  SyncError,
  SyncState,
  syncItems,
} from '../src/index.js';
import { json, startServer, type TestServer } from './support/server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Runs `body` with `Object.prototype[key] = value`, and always restores the prototype. */
async function withPollutedPrototype<T>(key: string, value: unknown, body: () => T | Promise<T>): Promise<T> {
  const proto = Object.prototype as Record<string, unknown>;
  proto[key] = value;
  try {
    return await body();
  } finally {
    delete proto[key];
  }
}

const base = { portal: 'p', baseUrl: 'http://127.0.0.1:1', userAgent: 'x' };

describe('allowInsecureHttp means exactly true', () => {
  it.each([
    ['the string "false"', 'false', 'the string "false"'],
    ['the string "true"', 'true', 'the string "true"'],
    ['1', 1, 'the number 1'],
    ['0', 0, 'the number 0'],
    ['null', null, 'null'],
    ['an object', {}, 'a value of type object'],
  ])('refuses %s with an InputValidationError naming the option', (_case, value, shown) => {
    const options = { ...base, allowInsecureHttp: value } as unknown as HttpClientOptions;
    const error = (() => {
      try {
        new HttpClient(options);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InputValidationError);
    expect((error as InputValidationError).issues).toEqual([
      { path: 'allowInsecureHttp', message: `must be true or false, not ${shown}`, code: 'invalid_option' },
    ]);
    expect((error as Error).message).toContain('allowInsecureHttp');
    // An https client is refused the same way: the option is wrong whatever the URL.
    expect(() => new HttpClient({ ...options, baseUrl: 'https://example.com' })).toThrow(InputValidationError);
  });

  it('allows http with true only; false and unset refuse it', () => {
    expect(() => new HttpClient({ ...base, allowInsecureHttp: true })).not.toThrow();
    for (const allowInsecureHttp of [false, undefined]) {
      expect(() => new HttpClient({ ...base, allowInsecureHttp })).toThrow(SyncError);
      expect(() => new HttpClient({ ...base, allowInsecureHttp })).toThrow(/https/);
    }
  });

  it('ignores an allowInsecureHttp inherited from a polluted Object.prototype', async () => {
    await withPollutedPrototype('allowInsecureHttp', true, () => {
      expect(() => new HttpClient(base)).toThrow(/https/);
    });
  });
});

describe('options read as own properties only', () => {
  it('an idempotent inherited from Object.prototype does not make a POST repeatable', async () => {
    server = await startServer((_req, res) => json(res, 503, { message: 'busy' }));
    const http = new HttpClient({
      portal: 'p',
      baseUrl: server.url,
      allowInsecureHttp: true,
      userAgent: 'x',
      retry: { baseDelayMs: 1, maxDelayMs: 2 },
    });
    const error = await withPollutedPrototype('idempotent', true, () =>
      http.request({ method: 'POST', path: '/listings', json: {}, operation: 'listings.create' }).catch((e) => e),
    );
    expect(error).toBeInstanceOf(ServerError);
    expect(server.requests).toHaveLength(1);
  });

  it('a removeMissing inherited from Object.prototype does not change what a sync removes', async () => {
    const state = new SyncState(new MemoryIdentifierMap(), 'p', 'item');
    await state.record('gone', 'fingerprint', 'portal-1');
    const removed: string[] = [];
    const report = await withPollutedPrototype('removeMissing', false, () =>
      syncItems<{ id: string }>(
        [],
        {
          key: (item) => item.id,
          upsert: async () => 'x',
          remove: async (key) => {
            removed.push(key);
          },
        },
        { state },
      ),
    );
    expect(removed).toEqual(['gone']);
    expect(report.removed).toBe(1);
  });
});
