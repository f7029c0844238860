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
});
