import { describe, expect, it } from 'vitest';
import { backoffCeiling, fullJitterDelay, RetryBudget, resetToDelayMs, retryAfterMs } from '../src/retry.js';

describe('backoff', () => {
  const policy = { baseDelayMs: 100, maxDelayMs: 1000 };
  it('doubles from the base and stops at the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffCeiling(n, policy))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });
  it('full jitter stays between 0 and the ceiling', () => {
    expect(fullJitterDelay(3, policy, () => 0)).toBe(0);
    expect(fullJitterDelay(3, policy, () => 0.5)).toBe(200);
    expect(fullJitterDelay(3, policy, () => 0.999999)).toBeLessThan(400);
    for (let i = 0; i < 200; i++) {
      const d = fullJitterDelay(10, policy);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(1000);
    }
  });
});

describe('retryAfterMs', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('reads Retry-After in seconds', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': '3' }), now)).toBe(3000);
  });
  it('reads Retry-After as an HTTP date', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }), now)).toBe(5000);
  });
  it('falls back to X-RateLimit-Reset as seconds from now or as a Unix time', () => {
    expect(retryAfterMs(new Headers({ 'x-ratelimit-reset': '12' }), now)).toBe(12_000);
    expect(retryAfterMs(new Headers({ 'x-ratelimit-reset': String(now / 1000 + 7) }), now)).toBe(7000);
    expect(resetToDelayMs(now / 1000 - 5, now)).toBe(0);
  });
  it('ignores what it cannot read', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(retryAfterMs(new Headers(), now)).toBeUndefined();
  });
});

describe('RetryBudget', () => {
  it('pays retries until empty and refills with successes', () => {
    const budget = new RetryBudget({ capacity: 10, retryCost: 5, timeoutCost: 10, successRefund: 1 });
    expect(budget.tryAcquire()).toBe(true);
    expect(budget.tryAcquire('timeout')).toBe(false);
    expect(budget.tryAcquire()).toBe(true);
    expect(budget.tryAcquire()).toBe(false);
    for (let i = 0; i < 5; i++) budget.recordSuccess();
    expect(budget.tryAcquire()).toBe(true);
    for (let i = 0; i < 50; i++) budget.recordSuccess();
    expect(budget.available).toBe(10);
  });
});
