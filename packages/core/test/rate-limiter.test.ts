import { afterEach, describe, expect, it } from 'vitest';
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

  it('adopts a lower limit announced by the server', () => {
    const bucket = new RateLimitBucket('b', { limit: 100, windowMs: 1000 });
    bucket.sync({ limit: 2 }, 0);
    expect(bucket.limit).toBe(2);
    bucket.take(0);
    bucket.take(0);
    expect(bucket.waitTime(0)).toBe(1000);
    bucket.sync({ limit: 500 }, 0);
    expect(bucket.limit).toBe(2);
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

  it('follows a server whose window is wider than the configured one', () => {
    const bucket = new RateLimitBucket('b', { limit: 100, windowMs: 1000 });
    bucket.take(0);
    bucket.sync({ remaining: 0, resetInMs: 30_000 }, 10);
    bucket.release();
    expect(bucket.waitTime(20)).toBe(30_000 + 10 + 10 - 20);
  });

  it('reads X-RateLimit headers', () => {
    expect(
      readRateLimitHeaders(
        new Headers({ 'x-ratelimit-limit': '30', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '12' }),
      ),
    ).toEqual({ limit: 30, remaining: 0, resetInMs: 12_000 });
    expect(readRateLimitHeaders(new Headers())).toBeUndefined();
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
      rateLimits: { default: { limit: 1000, windowMs: 500 } },
    });
    for (let i = 0; i < 40; i++) await http.request({ method: 'GET', path: '/', operation: 'x' });
    expect(http.rateLimiter.bucket('default')?.limit).toBe(10);
    expect(rejected()).toBe(0);
  });
});
