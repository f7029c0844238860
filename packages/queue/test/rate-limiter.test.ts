// The Redis rate limiter on a real Redis: several limiters (as several workers would hold) share
// one account's window; what the server says holds back every one of them; a wait longer than a
// round should hold its worker defers the round instead.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Service as RedisService,
  redisMissing,
  serviceAvailable,
  startRedis,
} from '../../core/test/support/services.ts';
import { RedisRateLimiter, RoundDeferral } from '../src/index.js';

const run = serviceAvailable('Redis', redisMissing());
let service: RedisService | undefined;
const connections: Redis[] = [];
const connect = () => {
  const redis = new Redis({ host: '127.0.0.1', port: (service as RedisService).port });
  connections.push(redis);
  return redis;
};

beforeAll(async () => {
  if (run) service = await startRedis();
}, 30_000);

afterAll(async () => {
  await Promise.all(connections.map((c) => c.quit()));
  await service?.stop();
});

describe.runIf(run)('RedisRateLimiter', () => {
  it('never lets more than the limit into any window, however many limiters share the account', async () => {
    const limits = { default: { limit: 5, windowMs: 400 } };
    const limiters = [1, 2, 3].map(() => new RedisRateLimiter({ redis: connect(), key: 'rl:a', limits }));
    await Promise.all(
      Array.from({ length: 18 }, (_, i) => (limiters[i % 3] as RedisRateLimiter).acquire(['default', 'unknown'])),
    );
    // The log holds the start times on Redis's clock: check every window of 400 ms in it.
    const redis = connect();
    const starts: number[] = [];
    const raw = await redis.zrange('rl:a:default', '0', '-1', 'WITHSCORES');
    for (let i = 1; i < raw.length; i += 2) starts.push(Number(raw[i]));
    // Only the last window's starts remain in the log; each must have at most 5 within 400 ms.
    starts.sort((a, b) => a - b);
    for (let i = 0; i < starts.length; i++) {
      const inWindow = starts.filter((s) => s >= (starts[i] as number) && s < (starts[i] as number) + 400).length;
      expect(inWindow).toBeLessThanOrEqual(5);
    }
  });

  it('holds back every limiter of the account once the server says nothing remains', async () => {
    const limits = { default: { limit: 100, windowMs: 60_000 } };
    const a = new RedisRateLimiter({ redis: connect(), key: 'rl:b', limits, maxWaitMs: 1000 });
    const b = new RedisRateLimiter({ redis: connect(), key: 'rl:b', limits, maxWaitMs: 1000 });
    await a.acquire(['default']);
    a.sync('default', { remaining: 0, resetInMs: 30_000 });
    // The state is written asynchronously: wait until Redis has it (bounded).
    const redis = connect();
    for (let i = 0; i < 100 && (await redis.exists('rl:b:default:server')) === 0; i++)
      await new Promise((r) => setTimeout(r, 10));
    const deferred: RoundDeferral[] = [];
    const c = new RedisRateLimiter({
      redis: connect(),
      key: 'rl:b',
      limits,
      maxWaitMs: 1000,
      onDefer: (d) => deferred.push(d),
    });
    await expect(b.acquire(['default'])).rejects.toBeInstanceOf(RoundDeferral);
    await expect(c.acquire(['default'])).rejects.toBeInstanceOf(RoundDeferral);
    expect(deferred).toHaveLength(1);
    expect(deferred[0]?.retryAt).toBeGreaterThan(Date.now() + 20_000);
  });

  it('keeps accounts apart', async () => {
    const limits = { default: { limit: 1, windowMs: 60_000 } };
    const one = new RedisRateLimiter({ redis: connect(), key: 'rl:c1', limits, maxWaitMs: 100 });
    const two = new RedisRateLimiter({ redis: connect(), key: 'rl:c2', limits, maxWaitMs: 100 });
    await one.acquire(['default']);
    await expect(two.acquire(['default'])).resolves.toBeUndefined();
    await expect(one.acquire(['default'])).rejects.toBeInstanceOf(RoundDeferral);
  });

  it('ends a window whose reset came in whole seconds where it began plus the window, not at the rounded-up second', async () => {
    const limits = { bulk: { limit: 30, windowMs: 1500 } };
    const redis = connect();
    const limiter = new RedisRateLimiter({ redis, key: 'rl:d', limits });
    /** The server state once every sync sent so far ran (one connection keeps commands in order). */
    const server = async () => {
      await redis.ping();
      const fields = await redis.hmget('rl:d:bulk:server', 'available', 'resetAt', 'reported', 'firstSeenAt');
      const [available, resetAt, reported, firstSeenAt] = fields.map(Number) as [number, number, number, number];
      return { available, resetAt, reported, firstSeenAt };
    };
    // The first answer of the window: its reset (rounded up by the server) is 1.9 s away.
    limiter.sync('bulk', { remaining: 29, resetInMs: 1900, resetGranularityMs: 1000 });
    const first = await server();
    expect(first.available).toBe(29);
    expect(first.resetAt).toBe(first.firstSeenAt + 1500);
    expect(first.resetAt).toBeLessThan(first.reported);
    // Later answers of the same window lower what remains, never raise it, and keep where it began.
    limiter.sync('bulk', { remaining: 0, resetInMs: 1850, resetGranularityMs: 1000 });
    limiter.sync('bulk', { remaining: 12, resetInMs: 1840, resetGranularityMs: 1000 });
    const later = await server();
    expect(later).toMatchObject({ available: 0, firstSeenAt: first.firstSeenAt, resetAt: first.resetAt });
    // An answer of an older window, arriving late, changes nothing.
    limiter.sync('bulk', { remaining: 29, resetInMs: 300, resetGranularityMs: 1000 });
    expect(await server()).toEqual(later);
    // Without a coarse reset, the server's reset is taken as it is.
    const exact = new RedisRateLimiter({ redis, key: 'rl:e', limits });
    exact.sync('bulk', { remaining: 0, resetInMs: 1900 });
    await redis.ping();
    const [resetAt, reported] = (await redis.hmget('rl:e:bulk:server', 'resetAt', 'reported')).map(Number);
    expect(resetAt).toBe(reported);
  });
});
