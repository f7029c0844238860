import { describe, expect, it } from 'vitest';
import {
  DEFAULT_INJECTED_RETRY_AFTER_MS,
  DEFAULT_PLANNED_RETRY_AFTER_MS,
  type InjectedFault,
  injected429Headers,
  type MockFault,
  MockPortalBase,
  MockRateWindow,
  rateLimitHeaders,
} from '../src/msw/index.js';

/** The smallest mock on the kit: it only draws faults. */
class Probe extends MockPortalBase<string, string> {
  failNext(count: number, status: number, options: { retryAfterMs?: number; detail?: string } = {}): void {
    this.injectFailures(count, status, options);
  }
  next(): InjectedFault<string> | undefined {
    return this.nextFault();
  }
  reset(): void {
    this.resetMock();
  }
}

describe('MockPortalBase', () => {
  it('asks the plan once per request, and applies a drop, then an armed failure, then the planned fault', () => {
    const probe = new Probe();
    const decisions: Array<MockFault | undefined> = [{ status: 503 }, { status: 500 }, { status: 429 }, undefined];
    let asked = 0;
    probe.faultPlan = {
      next: () => {
        asked++;
        return decisions.shift();
      },
    };
    probe.dropNext(1);
    probe.failNext(1, 418, { detail: 'teapot' });
    expect(probe.next()).toEqual({ drop: true });
    expect(probe.next()).toEqual({
      status: 418,
      retryAfterMs: DEFAULT_INJECTED_RETRY_AFTER_MS,
      detail: 'teapot',
      source: 'queued',
    });
    expect(probe.next()).toEqual({
      status: 429,
      retryAfterMs: DEFAULT_PLANNED_RETRY_AFTER_MS,
      detail: undefined,
      source: 'plan',
    });
    expect(probe.next()).toBeUndefined();
    expect(asked).toBe(4);
  });

  it('keeps the wait chosen for an injected 429, refuses nonsense counts and waits, and resets everything', () => {
    const probe = new Probe();
    probe.failNext(2, 429, { retryAfterMs: 250 });
    expect(probe.pendingFailures).toBe(2);
    expect(probe.next()).toMatchObject({ status: 429, retryAfterMs: 250 });
    expect(() => probe.failNext(-1, 500)).toThrow(RangeError);
    expect(() => probe.failNext(1, 429, { retryAfterMs: Number.NaN })).toThrow(RangeError);
    expect(() => probe.dropNext(1.5)).toThrow(RangeError);
    probe.requests.push('GET /');
    probe.latencyMs = 20;
    probe.dropNext(3);
    probe.faultPlan = { next: () => ({ drop: true }) };
    probe.reset();
    expect([probe.requests, probe.latencyMs, probe.faultPlan, probe.pendingFailures]).toEqual([[], 0, undefined, 0]);
    expect(probe.next()).toBeUndefined();
  });
});

describe('MockRateWindow', () => {
  it('counts requests in fixed windows aligned to the clock, refusing those past the limit until the next one', () => {
    let now = 60_500;
    const window = new MockRateWindow({ limit: 2, windowMs: 1000 }, { now: () => now, align: 'clock' });
    expect(window.take()).toMatchObject({ limited: false, remaining: 1, resetAt: 61_000 });
    expect(window.take()).toMatchObject({ limited: false, remaining: 0 });
    expect(window.take()).toMatchObject({ limited: true, remaining: 0 });
    expect(window.peek()).toMatchObject({ limited: true });
    now = 61_000;
    expect(window.take()).toMatchObject({ limited: false, remaining: 1, resetAt: 62_000 });
  });

  it('starts a window with the first request after the last one ended, reading a limit that may change', () => {
    let now = 5_000;
    const limit = { limit: 1, windowMs: 10_000 };
    const window = new MockRateWindow(() => limit, { now: () => now });
    expect(window.take()).toMatchObject({ limited: false, resetAt: 15_000 });
    expect(window.take().limited).toBe(true);
    limit.limit = 3;
    expect(window.take()).toMatchObject({ limited: false, remaining: 1 });
    now = 15_000;
    expect(window.take()).toMatchObject({ resetAt: 25_000, remaining: 2 });
    window.reset();
    expect(window.peek()).toMatchObject({ remaining: 3, limited: false });
  });
});

describe('rate-limit headers', () => {
  const state = { limit: 10, remaining: 0, resetAt: 1_700_000_002_500, now: 1_700_000_000_000, limited: true };

  it('writes the reset as Unix seconds or seconds from now, and Retry-After on a refusal when asked', () => {
    expect(rateLimitHeaders(state, { reset: 'unix-seconds' })).toEqual({
      'x-ratelimit-limit': '10',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': '1700000002.5',
    });
    expect(rateLimitHeaders(state, { reset: 'seconds', retryAfterWhenLimited: true })).toEqual({
      'x-ratelimit-limit': '10',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': '3',
      'retry-after': '3',
    });
    const open = { ...state, remaining: 4, limited: false };
    expect(rateLimitHeaders(open, { reset: 'seconds', resetWhenExhausted: true })).toEqual({
      'x-ratelimit-limit': '10',
      'x-ratelimit-remaining': '4',
    });
  });

  it('makes an injected 429 announce the chosen wait, in Retry-After and a reset that agrees', () => {
    expect(
      injected429Headers(300, state.now, { ...state, remaining: 7, limited: false }, { reset: 'seconds' }),
    ).toEqual({
      'retry-after': '0.3',
      'x-ratelimit-limit': '10',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': '0.3',
    });
    expect(injected429Headers(2000, state.now, state, { reset: 'unix-seconds' })['x-ratelimit-reset']).toBe(
      '1700000002',
    );
    expect(injected429Headers(1000, state.now, undefined, { reset: 'seconds' })).toEqual({ 'retry-after': '1' });
  });
});
