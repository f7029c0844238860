// A small IdentifierMap in Redis for the tests' worker processes, scoped per account:
// one hash per (account, portal, kind) from CRM id to portal id.
import type { IdentifierEntry, IdentifierMap } from '@sync/core';
import type { Redis } from 'ioredis';
import type { AccountStore } from '../../src/index.js';

class RedisTestMap implements IdentifierMap {
  readonly redis: Redis;
  readonly account: string;
  constructor(redis: Redis, account: string) {
    this.redis = redis;
    this.account = account;
  }
  #key(portal: string, kind: string) {
    return `test-map:${this.account}:${portal}:${kind}`;
  }
  async get(portal: string, kind: string, externalId: string) {
    return (await this.redis.hget(this.#key(portal, kind), externalId)) ?? undefined;
  }
  async set(portal: string, kind: string, externalId: string, portalId: string) {
    await this.redis
      .multi()
      .hset(this.#key(portal, kind), externalId, portalId)
      .sadd(`test-map:${this.account}:${portal}`, kind)
      .exec();
  }
  async delete(portal: string, kind: string, externalId: string) {
    return (await this.redis.hdel(this.#key(portal, kind), externalId)) > 0;
  }
  async list(portal: string, kind?: string): Promise<IdentifierEntry[]> {
    const kinds = kind === undefined ? await this.redis.smembers(`test-map:${this.account}:${portal}`) : [kind];
    const out: IdentifierEntry[] = [];
    for (const k of kinds) {
      for (const [externalId, portalId] of Object.entries(await this.redis.hgetall(this.#key(portal, k))))
        out.push({ portal, kind: k, externalId, portalId });
    }
    return out;
  }
  async findExternalId(portal: string, kind: string, portalId: string) {
    return (await this.list(portal, kind)).find((e) => e.portalId === portalId)?.externalId;
  }
}

/** The shared state of the test fleet, in the test's Redis. */
export function redisTestStore(redis: Redis): AccountStore {
  return { forAccount: (account) => new RedisTestMap(redis, account) };
}
