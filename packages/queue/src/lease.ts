import { randomUUID } from 'node:crypto';
import { sleep } from '@sync/core';
import type { Redis } from 'ioredis';

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/** Options of {@link createLeases}. */
export interface LeaseOptions {
  /** The connection every worker shares. */
  redis: Redis;
  /** Key prefix of the leases, e.g. `sync:lease:pfcrm:agency-42`. */
  key: string;
  /** How long a lease holds when its holder dies without releasing it (default 60 s). */
  ttlMs?: number | undefined;
  /** How often a lease held by another worker is tried again (default 100 ms). */
  pollMs?: number | undefined;
  /** Stops waiting for a lease. */
  signal?: AbortSignal | undefined;
}

/** Per-listing leases held for one round: {@link Leases.guard} takes one, {@link Leases.releaseAll} ends them. */
export interface Leases {
  /** Runs `create` while holding the lease of `key`, and keeps holding it until {@link releaseAll}. */
  guard<T>(key: string, create: () => Promise<T>): Promise<T>;
  /** Releases every lease this round still holds (once its writes are recorded). */
  releaseAll(): Promise<void>;
}

/**
 * Per-listing leases in Redis (`SET NX PX` with a token of the holder, released only by
 * it): around a portal's lookup-by-reference → create → record, so two workers running
 * the same agency never both find nothing and both create. A lease outlives a killed
 * holder by at most `ttlMs`; the next holder's lookup then finds what was created.
 */
export function createLeases(options: LeaseOptions): Leases {
  const ttl = options.ttlMs ?? 60_000;
  const poll = options.pollMs ?? 100;
  const token = randomUUID();
  const held = new Set<string>();
  const keyOf = (key: string) => `${options.key}:${key}`;
  return {
    async guard(key, create) {
      const redisKey = keyOf(key);
      if (!held.has(redisKey)) {
        // Bounded: a holder that died frees the lease within its ttl.
        const giveUpAt = Date.now() + ttl + poll * 10;
        for (;;) {
          const taken = await options.redis.set(redisKey, token, 'PX', ttl, 'NX');
          if (taken === 'OK') break;
          if (Date.now() > giveUpAt) throw new Error(`the create lease of ${key} stayed held by another worker`);
          await sleep(poll, options.signal);
        }
        held.add(redisKey);
      }
      return create();
    },
    async releaseAll() {
      const keys = [...held];
      held.clear();
      await Promise.all(keys.map((k) => options.redis.eval(RELEASE, 1, k, token)));
    },
  };
}
