import {
  type RateLimit,
  type RateLimitWait,
  type ServerRateLimitState,
  type SharedRateLimiter,
  sleep,
} from '@sync/core';
import type { Redis } from 'ioredis';

/**
 * Takes one slot in every bucket of KEYS, or none: a sliding log per bucket (a sorted set
 * of start times, Redis's own clock) plus the window the server last described, if any.
 * ARGV: member, then per bucket limit and window (ms). Answers 0 when the slots were
 * taken, else the milliseconds until the slowest bucket frees one.
 */
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local member = ARGV[1]
local wait = 0
for i, key in ipairs(KEYS) do
  local limit = tonumber(ARGV[2 * i])
  local window = tonumber(ARGV[2 * i + 1])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local used = redis.call('ZCARD', key)
  if used >= limit then
    local oldest = redis.call('ZRANGE', key, used - limit, used - limit, 'WITHSCORES')
    local w = tonumber(oldest[2]) + window - now
    if w > wait then wait = w end
  end
  local server = redis.call('HMGET', key .. ':server', 'available', 'resetAt')
  if server[1] and tonumber(server[2]) > now and tonumber(server[1]) <= 0 then
    local w = tonumber(server[2]) - now
    if w > wait then wait = w end
  end
end
if wait > 0 then return wait end
for i, key in ipairs(KEYS) do
  local window = tonumber(ARGV[2 * i + 1])
  redis.call('ZADD', key, now, member)
  redis.call('PEXPIRE', key, window)
  if redis.call('EXISTS', key .. ':server') == 1 then redis.call('HINCRBY', key .. ':server', 'available', -1) end
end
return 0
`;

/**
 * Records what a server said about a bucket (KEYS[1]): ARGV remaining, reset in ms, the
 * reset's granularity in ms (0 when exact), the bucket's window in ms. The server's window
 * then holds slots until its reset, for every worker. Answers about the same window (resets
 * within 250 ms) only lower what remains, since they arrive out of order; an answer about an
 * older window than the one known says nothing of the current one and is dropped.
 *
 * A reset in whole seconds is rounded up by the server, so its window may end up to a second
 * sooner. The first answer of each window is noted on Redis's clock (the request that opened
 * the window arrived before any answer of it came back), and when that time plus the window
 * falls inside the header's last second, the window ends there instead: never before the
 * server's, and without a pause of most of a second after every window.
 */
const SYNC = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local key = KEYS[1] .. ':server'
local remaining = tonumber(ARGV[1])
local reported = now + tonumber(ARGV[2])
local granularity = tonumber(ARGV[3])
local window = tonumber(ARGV[4])
local known = redis.call('HMGET', key, 'available', 'reported', 'firstSeenAt')
local firstSeenAt = now
if known[2] then
  local knownReported = tonumber(known[2])
  if math.abs(knownReported - reported) < 250 then
    remaining = math.min(remaining, tonumber(known[1]))
    reported = math.max(reported, knownReported)
    firstSeenAt = tonumber(known[3])
  elseif reported < knownReported then
    return 0
  end
end
local resetAt = reported
local estimate = firstSeenAt + window
if granularity > 0 and estimate < reported and estimate > reported - granularity then resetAt = estimate end
redis.call('HSET', key, 'available', remaining, 'resetAt', resetAt, 'reported', reported, 'firstSeenAt', firstSeenAt)
-- Kept past the reset for a window, so late answers of this window are known as such.
redis.call('PEXPIRE', key, math.max(1, reported - now) + window)
return 1
`;

/** Raised (as the round's abort reason) when a slot is further away than a round should hold its worker. */
export class RoundDeferral extends Error {
  override readonly name = 'RoundDeferral';
  /** Epoch milliseconds at which the round should run again. */
  readonly retryAt: number;
  constructor(bucket: string, waitMs: number) {
    super(`rate limit "${bucket}" has no slot for ${Math.ceil(waitMs)} ms: the round gives its worker back`);
    this.retryAt = Date.now() + waitMs;
  }
}

/** Options of {@link RedisRateLimiter}. */
export interface RedisRateLimiterOptions {
  /** The connection every worker shares. */
  redis: Redis;
  /** Key prefix of the account's buckets, e.g. `sync:rl:rentix:agency-42`. */
  key: string;
  /** The account's limits, by bucket name (the names the portal client's calls use). */
  limits: Record<string, RateLimit>;
  /**
   * A wait longer than this does not hold the worker: `onDefer` is called (the round aborts
   * and is delayed) and the call rejects with the {@link RoundDeferral}. Default: never.
   */
  maxWaitMs?: number | undefined;
  /** Called once with the deferral when a wait exceeds `maxWaitMs`. */
  onDefer?: ((deferral: RoundDeferral) => void) | undefined;
  /** Called with each wait, for metrics. */
  onWait?: ((wait: RateLimitWait) => void) | undefined;
}

/** The Lua scripts the limiter defines on a connection. */
interface LimiterCommands {
  syncAcquire(...args: Array<string | number>): Promise<number>;
  syncServerState(
    key: string,
    remaining: number,
    resetMs: number,
    granularityMs: number,
    windowMs: number,
  ): Promise<number>;
}

function commands(redis: Redis): LimiterCommands {
  const r = redis as Redis & Partial<LimiterCommands>;
  if (typeof r.syncAcquire !== 'function') {
    redis.defineCommand('syncAcquire', { lua: ACQUIRE });
    redis.defineCommand('syncServerState', { numberOfKeys: 1, lua: SYNC });
  }
  return r as Redis & LimiterCommands;
}

let sequence = 0;

/**
 * A rate limiter kept in Redis, with the interface of core's `RateLimiter`, so that an
 * account's limits hold across every worker process: each bucket is a sliding log of
 * request start times on Redis's clock, checked and taken for all the buckets of a call
 * in one Lua script (no window of the bucket's length ever holds more than its limit,
 * however many workers send). What the portal says (`X-RateLimit-Remaining`/`Reset`,
 * also on a 429) is written beside it, so every worker holds back until the server's reset.
 *
 * @example
 * const limiter = new RedisRateLimiter({ redis, key: `sync:rl:rentix:${agency}`, limits: RENTIX_LIMITS });
 * const rentix = new RentixClient({ apiKey, rateLimiter: limiter });
 */
export class RedisRateLimiter implements SharedRateLimiter {
  readonly #options: RedisRateLimiterOptions;
  readonly #commands: LimiterCommands;
  #deferred: RoundDeferral | undefined;

  constructor(options: RedisRateLimiterOptions) {
    this.#options = options;
    this.#commands = commands(options.redis);
  }

  #key(bucket: string): string {
    return `${this.#options.key}:${bucket}`;
  }

  /** Takes a slot in each named bucket the account has a limit for, waiting (in Redis's time) while none is free. */
  async acquire(names: readonly string[], signal?: AbortSignal, deadline?: number): Promise<RateLimitWait | undefined> {
    const known = names.filter((name) => this.#options.limits[name] !== undefined);
    if (known.length === 0) return undefined;
    const args: Array<string | number> = [known.length, ...known.map((name) => this.#key(name))];
    args.push(`${process.pid}:${Date.now()}:${++sequence}:${Math.random().toString(36).slice(2, 8)}`);
    for (const name of known) {
      const limit = this.#options.limits[name] as RateLimit;
      args.push(limit.limit, limit.windowMs);
    }
    const start = Date.now();
    const bucket = known.at(-1) as string;
    let waited = false;
    for (;;) {
      if (signal?.aborted) throw signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
      if (this.#deferred) throw this.#deferred;
      const wait = Number(await this.#commands.syncAcquire(...args));
      if (wait <= 0) {
        if (!waited) return undefined;
        const result = { bucket, waitedMs: Date.now() - start };
        this.#options.onWait?.(result);
        return result;
      }
      const maxWait = this.#options.maxWaitMs;
      if (maxWait !== undefined && wait > maxWait) {
        this.#deferred = new RoundDeferral(bucket, wait);
        this.#options.onDefer?.(this.#deferred);
        throw this.#deferred;
      }
      const now = Date.now();
      if (deadline !== undefined && now + wait > deadline) {
        if (now >= deadline)
          throw new DOMException('The deadline passed while waiting for a rate-limit slot', 'TimeoutError');
        waited = true;
        await sleep(deadline - now, signal);
        continue;
      }
      // A little jitter, so workers woken together do not all ask at the same millisecond.
      waited = true;
      await sleep(wait + Math.floor(Math.random() * 5), signal);
    }
  }

  /** Nothing to give back: the log counts starts, not requests in flight. */
  release(_names: readonly string[]): void {}

  /** Shares what the server said with every worker: no slot is handed out until its reset when nothing remains. */
  sync(name: string, state: ServerRateLimitState): void {
    const limit = this.#options.limits[name];
    if (!limit || state.remaining === undefined || !Number.isFinite(state.remaining)) return;
    const maxResetMs = limit.windowMs + 1000;
    const resetMs = Math.min(Math.max(state.resetInMs ?? limit.windowMs, 0), maxResetMs);
    const remaining = Math.min(limit.limit, Math.max(0, Math.floor(state.remaining)));
    // A reset cut to the longest allowed says nothing about when the window began.
    const exact = state.resetInMs === undefined || state.resetInMs > maxResetMs || !(state.resetGranularityMs ?? 0);
    const granularity = exact ? 0 : (state.resetGranularityMs as number);
    void this.#commands
      .syncServerState(this.#key(name), remaining, Math.ceil(resetMs), Math.ceil(granularity), limit.windowMs)
      .catch(() => undefined);
  }
}
