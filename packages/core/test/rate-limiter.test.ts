import { afterEach, describe, expect, it } from 'vitest';
import { RateLimitError } from '../src/errors.js';
import { HttpClient } from '../src/http-client.js';
import { RateLimitBucket, RateLimiter, readRateLimitHeaders } from '../src/rate-limiter.js';
import { json, startServer, type TestServer } from './support/server.js';

describe('RateLimitBucket', () => {
  it('never lets more than `limit` requests into any window', () => {
    const bucket = new RateLimitBucket('b', { limit: 3, windowMs: 1000 });
    const starts: number[] = [];
    let now = 0;
    while (starts.length < 12) {
      const wait = bucket.waitTime(now);
      now += wait;
      bucket.take(now);
      starts.push(now);
    }
    for (let i = 3; i < starts.length; i++) {
      expect((starts[i] as number) - (starts[i - 3] as number)).toBeGreaterThanOrEqual(1000);
    }
    // At the ceiling: 12 requests at 3 per second take just over 3 seconds.
    expect(starts.at(-1)).toBe(3000);
  });

  it('adopts the limit announced by the server, never above the configured one', () => {
    const bucket = new RateLimitBucket('b', { limit: 100, windowMs: 1000 });
    bucket.sync({ limit: 20 }, 0);
    expect(bucket.limit).toBe(20);
    for (let i = 0; i < 20; i++) bucket.take(0);
    expect(bucket.waitTime(0)).toBe(1000);
    bucket.sync({ limit: 500 }, 0);
    expect(bucket.limit).toBe(100);
  });

  it('waits for the reset when the server says nothing remains, then starts a fresh window', () => {
    const bucket = new RateLimitBucket('b', { limit: 100, windowMs: 60_000 });
    bucket.take(1000);
    bucket.sync({ remaining: 0, resetInMs: 4000 }, 1000);
    bucket.release();
    // 50 ms of slack after the reset, for clock granularity.
    expect(bucket.waitTime(1000)).toBe(4050);
    expect(bucket.waitTime(5000)).toBe(50);
    expect(bucket.waitTime(5050)).toBe(0);
  });

  it('spends what the server says remains, less the requests still in flight', () => {
    const bucket = new RateLimitBucket('b', { limit: 10, windowMs: 10_000 });
    bucket.take(0);
    bucket.take(0);
    bucket.take(0);
    // The first answer: 3 left, but two other requests in flight may not be counted yet: 1 left.
    bucket.sync({ remaining: 3, resetInMs: 3000 }, 100);
    bucket.release();
    expect(bucket.waitTime(100)).toBe(0);
    bucket.take(100);
    expect(bucket.waitTime(100)).toBe(3050);
    // After the reset a fresh window opens, less what is still in flight.
    for (let i = 0; i < 7; i++) {
      expect(bucket.waitTime(3200)).toBe(0);
      bucket.take(3200);
    }
    expect(bucket.waitTime(3200)).toBeGreaterThan(0);
  });

  it('follows a reset up to one window and a second away, and cuts a further one to that', () => {
    const bucket = new RateLimitBucket('b', { limit: 100, windowMs: 60_000 });
    bucket.take(0);
    bucket.sync({ remaining: 0, resetInMs: 61_000 }, 10);
    bucket.release();
    // 50 ms of slack after the reset.
    expect(bucket.waitTime(20)).toBe(61_000 + 10 + 50 - 20);
    bucket.take(0);
    bucket.sync({ remaining: 0, resetInMs: 30 * 60_000 }, 10);
    bucket.release();
    expect(bucket.waitTime(20)).toBe(61_000 + 10 + 50 - 20);
  });

  it('reads X-RateLimit headers', () => {
    expect(
      readRateLimitHeaders(
        new Headers({ 'x-ratelimit-limit': '30', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '12' }),
      ),
    ).toEqual({ limit: 30, remaining: 0, resetInMs: 12_000, resetGranularityMs: 1000 });
    expect(readRateLimitHeaders(new Headers({ 'x-ratelimit-reset': '1.25' }))).toEqual({
      limit: undefined,
      remaining: undefined,
      resetInMs: 1250,
    });
    expect(readRateLimitHeaders(new Headers())).toBeUndefined();
  });
});

describe('a reset in whole seconds, rounded up by the server', () => {
  /** Three requests answered at 1010, 1020 and 1030 ms of a window the server opened at 1005 ms (true end 3005 ms). */
  function spent(windowMs: number, reportedReset: number) {
    const bucket = new RateLimitBucket('b', { limit: 3, windowMs });
    [1010, 1020, 1030].forEach((at, i) => {
      bucket.take(at - 5);
      bucket.sync({ limit: 3, remaining: 2 - i, resetInMs: reportedReset - at, resetGranularityMs: 1000 }, at);
      bucket.release();
    });
    return bucket;
  }

  it("starts the next window where the server's really ends, not at the rounded second", () => {
    // The header says 4 s; the window began by 1010 ms, so it ends by 3010 ms.
    const bucket = spent(2000, 4000);
    expect(bucket.waitTime(1040)).toBe(3010 + 20 - 1040);
    // Never before the server's true end (3005 ms).
    expect(1040 + bucket.waitTime(1040)).toBeGreaterThanOrEqual(3005);
  });

  it("keeps the header's reset when its own window would end outside the announced second", () => {
    // Configured shorter than the server's: the estimate (1010 + 1980) is not within the second before 4 s.
    expect(spent(1980, 4000).waitTime(1040)).toBeCloseTo(4000 + 19.8 - 1040);
  });

  it('notices a new window when the remaining count jumps back, under the same rounded reset', () => {
    const bucket = new RateLimitBucket('b', { limit: 3, windowMs: 400 });
    bucket.take(0);
    bucket.sync({ remaining: 0, resetInMs: 1000, resetGranularityMs: 1000 }, 10);
    bucket.release();
    // A fresh window opened at 420 ms: the same whole second is announced, but 2 remain again.
    bucket.take(420);
    bucket.sync({ remaining: 0, resetInMs: 1000 - 425, resetGranularityMs: 1000 }, 425);
    bucket.release();
    bucket.take(430);
    bucket.sync({ remaining: 2, resetInMs: 1000 - 435, resetGranularityMs: 1000 }, 435);
    bucket.release();
    bucket.take(436);
    bucket.sync({ remaining: 0, resetInMs: 1000 - 440, resetGranularityMs: 1000 }, 440);
    bucket.release();
    // The window seen at 435 ms ends by 835 ms, not at 410 ms from the first.
    expect(440 + bucket.waitTime(440)).toBe(835 + 4);
  });
});

describe('what a server says is clamped to sane bounds', () => {
  const NOW = Date.UTC(2026, 5, 1);
  const year2100 = String(Date.UTC(2100, 0, 1) / 1000);

  /** A bucket of 300 a minute after one answer carrying `headers`, read at `NOW`. */
  function poisoned(headers: Record<string, string>, limit = { limit: 300, windowMs: 60_000 }) {
    const bucket = new RateLimitBucket('b', limit);
    bucket.take(NOW);
    const state = readRateLimitHeaders(new Headers(headers), NOW);
    if (state) bucket.sync(state, NOW);
    bucket.release();
    return bucket;
  }

  it.each([
    ['a Unix time in the year 2100', year2100],
    ['31 years as seconds from now', '999999999'],
  ])('a reset at %s holds calls for one window and a second at most', (_case, reset) => {
    const bucket = poisoned({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset });
    expect(bucket.waitTime(NOW)).toBe(61_000 + 50);
    expect(bucket.waitTime(NOW + 61_050)).toBe(0);
    // A window shorter than a second may be overrun by one more window.
    const short = poisoned({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }, { limit: 10, windowMs: 200 });
    expect(short.waitTime(NOW)).toBe(400 + 2);
  });

  it.each([
    ['1', 30],
    ['0.001', 30],
    ['0', 30],
    ['29.9', 30],
    ['120.7', 120],
  ])(
    'X-RateLimit-Limit: %s makes a limit of %i, a whole number no lower than a tenth of the configured one',
    (limit, expected) => {
      const bucket = poisoned({ 'x-ratelimit-limit': limit });
      expect(bucket.limit).toBe(expected);
      let now = NOW;
      let started = 1;
      while (bucket.waitTime(now) === 0 && started < 1000) {
        bucket.take(now);
        started++;
      }
      expect(started).toBe(expected);
      now += 1;
      // A healthy answer brings the configured limit back.
      bucket.sync({ limit: 300 }, now);
      expect(bucket.limit).toBe(300);
    },
  );

  it('keeps what remains between 0 and the limit', () => {
    const bucket = poisoned(
      { 'x-ratelimit-remaining': '1000000', 'x-ratelimit-reset': '60' },
      { limit: 5, windowMs: 60_000 },
    );
    let started = 0;
    while (bucket.waitTime(NOW) === 0 && started < 100) {
      bucket.take(NOW);
      started++;
    }
    expect(started).toBe(5);
  });

  it.each([
    ['negative', { 'x-ratelimit-limit': '-1', 'x-ratelimit-remaining': '-5', 'x-ratelimit-reset': '-60' }],
    ['NaN', { 'x-ratelimit-limit': 'NaN', 'x-ratelimit-remaining': 'lots', 'x-ratelimit-reset': 'soon' }],
    [
      'infinite',
      { 'x-ratelimit-limit': 'Infinity', 'x-ratelimit-remaining': 'Infinity', 'x-ratelimit-reset': '1e999' },
    ],
  ])('ignores %s values', (_case, headers) => {
    const bucket = poisoned(headers);
    expect(bucket.limit).toBe(300);
    expect(bucket.waitTime(NOW)).toBe(0);
  });

  it('ignores values fed to sync directly that no header could carry', () => {
    const bucket = new RateLimitBucket('b', { limit: 300, windowMs: 60_000 });
    bucket.sync({ limit: Number.NaN, remaining: -1, resetInMs: Number.POSITIVE_INFINITY }, NOW);
    expect(bucket.limit).toBe(300);
    expect(bucket.waitTime(NOW)).toBe(0);
    bucket.sync({ remaining: 0, resetInMs: Number.NaN }, NOW);
    // An unusable reset counts as one window.
    expect(bucket.waitTime(NOW)).toBe(60_000 + 50);
  });

  it('a bucket with an infinite limit holds calls only while the server says nothing remains', () => {
    const bucket = new RateLimitBucket('b', { limit: Number.POSITIVE_INFINITY, windowMs: 60_000 });
    for (let i = 0; i < 10_000; i++) bucket.take(NOW);
    expect(bucket.waitTime(NOW)).toBe(0);
    bucket.sync({ limit: 1, remaining: 2, resetInMs: 5_000 }, NOW);
    expect(bucket.limit).toBe(Number.POSITIVE_INFINITY);
    bucket.take(NOW);
    bucket.take(NOW);
    expect(bucket.waitTime(NOW)).toBe(5_050);
    expect(bucket.waitTime(NOW + 5_050)).toBe(0);
  });
});

describe('RateLimiter', () => {
  it('makes a request wait for every bucket it names, and ignores unknown names', async () => {
    const limiter = new RateLimiter({ default: { limit: 100, windowMs: 1000 }, bulk: { limit: 1, windowMs: 150 } });
    expect(await limiter.acquire(['default', 'bulk', 'nope'])).toBeUndefined();
    const waited = await limiter.acquire(['default', 'bulk']);
    expect(waited?.bucket).toBe('bulk');
    expect(waited?.waitedMs).toBeGreaterThanOrEqual(100);
    expect(await limiter.acquire(['default'])).toBeUndefined();
  });

  it('stops waiting when the signal aborts', async () => {
    const limiter = new RateLimiter({ b: { limit: 1, windowMs: 60_000 } });
    await limiter.acquire(['b']);
    const started = performance.now();
    await expect(limiter.acquire(['b'], AbortSignal.timeout(50))).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('rate limits against a server that enforces them', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  /** A server with fixed windows of `windowMs` that answers 429 above `limit`. */
  async function limitedServer(limit: number, windowMs: number) {
    let windowStart = Date.now();
    let count = 0;
    let rejected = 0;
    server = await startServer((_req, res) => {
      const now = Date.now();
      if (now - windowStart >= windowMs) {
        windowStart = now;
        count = 0;
      }
      count++;
      const headers = {
        'x-ratelimit-limit': String(limit),
        'x-ratelimit-remaining': String(Math.max(0, limit - count)),
        'x-ratelimit-reset': String(Math.max(0, (windowStart + windowMs - now) / 1000)),
      };
      if (count > limit) {
        rejected++;
        json(res, 429, { message: 'Too Many Requests' }, headers);
      } else json(res, 200, { ok: true }, headers);
    });
    return { url: server.url, rejected: () => rejected };
  }

  it('runs at the ceiling without provoking a 429', async () => {
    const { url, rejected } = await limitedServer(20, 500);
    const http = new HttpClient({
      portal: 't',
      baseUrl: url,
      allowInsecureHttp: true,
      userAgent: 't',
      rateLimits: { default: { limit: 20, windowMs: 500 } },
    });
    const started = performance.now();
    await Promise.all(Array.from({ length: 80 }, () => http.request({ method: 'GET', path: '/', operation: 'x' })));
    const elapsed = performance.now() - started;
    expect(rejected()).toBe(0);
    // 80 requests at 20 per 500 ms need at least three full windows.
    expect(elapsed).toBeGreaterThanOrEqual(1450);
    expect(elapsed).toBeLessThan(4000);
  });

  it('falls in step with a server whose limit is lower than configured', async () => {
    const { url, rejected } = await limitedServer(10, 500);
    const http = new HttpClient({
      portal: 't',
      baseUrl: url,
      allowInsecureHttp: true,
      userAgent: 't',
      concurrency: 1,
      rateLimits: { default: { limit: 50, windowMs: 500 } },
    });
    for (let i = 0; i < 40; i++) await http.request({ method: 'GET', path: '/', operation: 'x' });
    expect(http.rateLimiter.bucket('default')?.limit).toBe(10);
    expect(rejected()).toBe(0);
  });
});

describe('a client recovers from one poisoned rate-limit answer', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const year2100 = String(Date.UTC(2100, 0, 1) / 1000);
  const healthy = { 'x-ratelimit-limit': '300', 'x-ratelimit-remaining': '299', 'x-ratelimit-reset': '1' };

  // The window is short where the poison is a reset (the client waits it out), and a
  // minute where it is a limit (a client that believed it would wait a minute per call).
  it.each([
    ['a reset in the year 2100 as a Unix time', 200, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': year2100 }],
    ['a reset 31 years away as seconds', 200, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '999999999' }],
    ['X-RateLimit-Limit: 1', 60_000, { 'x-ratelimit-limit': '1' }],
    ['X-RateLimit-Limit: 0.001', 60_000, { 'x-ratelimit-limit': '0.001' }],
    [
      'negative values',
      60_000,
      { 'x-ratelimit-limit': '-1', 'x-ratelimit-remaining': '-1', 'x-ratelimit-reset': '-100' },
    ],
    ['NaN strings', 60_000, { 'x-ratelimit-limit': 'NaN', 'x-ratelimit-remaining': 'NaN', 'x-ratelimit-reset': 'NaN' }],
  ])('after %s, the next calls succeed well within their deadline', async (_case, windowMs, poison) => {
    server = await startServer((_req, res, n) => json(res, 200, { n }, n === 1 ? poison : healthy));
    const http = new HttpClient({
      portal: 't',
      baseUrl: server.url,
      allowInsecureHttp: true,
      userAgent: 't',
      // Ten times the longest wait the clamp allows here (400 ms), so no machine is too slow for it.
      deadlineMs: 4_000,
      rateLimits: { default: { limit: 300, windowMs } },
    });
    await http.request({ method: 'GET', path: '/', operation: 'x' });
    for (let i = 0; i < 5; i++) await http.request({ method: 'GET', path: '/', operation: 'x' });
    const burst = await Promise.all(
      Array.from({ length: 50 }, () => http.request({ method: 'GET', path: '/', operation: 'x' })),
    );
    expect(burst.every((r) => r.status === 200)).toBe(true);
    expect(server.requests).toHaveLength(56);
  });

  it.each([
    ['Retry-After in seconds', { 'retry-after': year2100 }],
    ['Retry-After as a date', { 'retry-after': 'Fri, 01 Jan 2100 00:00:00 GMT' }],
    ['X-RateLimit-Reset', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': year2100 }],
  ])('a 429 with %s in the year 2100 is retried after maxRetryAfterMs, and so reported', async (_case, poison) => {
    // `/refused` is always refused; `/` only the first time.
    server = await startServer((req, res, n) =>
      n === 1 || req.url === '/refused'
        ? json(res, 429, { message: 'slow down' }, poison)
        : json(res, 200, { n }, healthy),
    );
    const options = {
      portal: 't',
      baseUrl: server.url,
      allowInsecureHttp: true,
      userAgent: 't',
      deadlineMs: 4_000,
      rateLimits: { default: { limit: 300, windowMs: 200 } },
    };
    const http = new HttpClient({ ...options, retry: { maxRetryAfterMs: 100 } });
    const retries: number[] = [];
    const limited: number[] = [];
    http.on('retry', (e) => retries.push(e.delayMs));
    http.on('rateLimited', (e) => {
      if (e.source === 'server') limited.push(e.waitMs);
    });
    const res = await http.request({ method: 'GET', path: '/', operation: 'x' });
    expect(res.attempts).toBe(2);
    expect(retries).toEqual([100]);
    expect(limited).toEqual([100]);
    await http.request({ method: 'GET', path: '/', operation: 'x' });

    // Without retries, the error says how long to wait, cut the same way.
    const once = new HttpClient({ ...options, retry: { maxAttempts: 1, maxRetryAfterMs: 100 } });
    const error = await once.request({ method: 'GET', path: '/refused', operation: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(100);
  });
});

describe('a client with an injected rate limiter', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('waits on the injected limiter for the buckets a call names, releases each slot and feeds it the server state', async () => {
    server = await startServer((_req, res) => {
      res.setHeader('x-ratelimit-limit', '30');
      res.setHeader('x-ratelimit-remaining', '7');
      json(res, 200, {});
    });
    const calls: string[] = [];
    const synced: Array<{ name: string; remaining: number | undefined }> = [];
    const shared = {
      async acquire(names: readonly string[]) {
        calls.push(`acquire ${names.join(',')}`);
        return undefined;
      },
      release(names: readonly string[]) {
        calls.push(`release ${names.join(',')}`);
      },
      sync(name: string, state: { remaining?: number | undefined }) {
        synced.push({ name, remaining: state.remaining });
      },
    };
    const http = new HttpClient({
      portal: 't',
      baseUrl: server.url,
      allowInsecureHttp: true,
      userAgent: 't',
      // The client's own buckets are not used once a limiter is injected.
      rateLimits: { default: { limit: 1, windowMs: 60_000 } },
      rateLimiter: shared,
    });
    await http.request({ method: 'GET', path: '/', operation: 'x' });
    await http.request({ method: 'GET', path: '/', operation: 'x', buckets: ['default', 'bulk'] });
    expect(calls).toEqual(['acquire default', 'release default', 'acquire default,bulk', 'release default,bulk']);
    expect(synced).toEqual([
      { name: 'default', remaining: 7 },
      { name: 'bulk', remaining: 7 },
    ]);
  });
});
