// The one contract every IdentifierMap store keeps — memory, JSON file, SQLite, PostgreSQL and
// Redis — run against each; PostgreSQL and Redis are real servers started for this file.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_ACCOUNT, type IdentifierMap, MemoryIdentifierMap } from '../src/identifier-map.js';
import { JsonFileIdentifierMap } from '../src/json-file-identifier-map.js';
import { PostgresIdentifierMap, postgresSchema } from '../src/postgres-identifier-map.js';
import { RedisIdentifierMap } from '../src/redis-identifier-map.js';
import { SqliteIdentifierMap } from '../src/sqlite-identifier-map.js';
import { SyncState } from '../src/sync-state.js';
import {
  postgresMissing,
  redisMissing,
  type Service,
  serviceAvailable,
  startPostgres,
  startRedis,
} from './support/services.js';

const withPostgres = serviceAvailable('PostgreSQL', postgresMissing());
const withRedis = serviceAvailable('Redis', redisMissing());

let dir: string;
let postgres: Service | undefined;
let redis: Service | undefined;
let pool: pg.Pool | undefined;
let redisClient: Redis | undefined;
const toClose: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sync-contract-'));
  [postgres, redis] = await Promise.all([
    withPostgres ? startPostgres() : undefined,
    withRedis ? startRedis() : undefined,
  ]);
  if (postgres) {
    pool = new pg.Pool({ connectionString: postgres.url, max: 4 });
    // A connection still closing when the server stops reports it; nothing is lost then.
    pool.on('error', () => undefined);
  }
  if (redis) redisClient = new Redis(redis.url);
}, 60_000);

afterAll(async () => {
  for (const map of toClose.splice(0)) await map.close();
  for (const map of jsonMaps.values()) await map.close().catch(() => undefined);
  await pool?.end();
  await redisClient?.quit();
  await Promise.all([postgres?.stop(), redis?.stop()]);
  await rm(dir, { recursive: true, force: true });
}, 60_000);

/** Opens the store named `name` (the same name reopens the same data), scoped to `account` when given. */
type Open = (name: string, account?: string) => Promise<IdentifierMap>;

const memories = new Map<string, MemoryIdentifierMap>();
const jsonMaps = new Map<string, JsonFileIdentifierMap>();
const track = <M extends { close(): Promise<void> }>(map: M): M => {
  toClose.push(map);
  return map;
};

const stores: Array<{ store: string; enabled: boolean; persistent: boolean; open: Open }> = [
  {
    store: 'MemoryIdentifierMap',
    enabled: true,
    persistent: false,
    open: async (name, account) => {
      const map = memories.get(name) ?? new MemoryIdentifierMap();
      memories.set(name, map);
      return account === undefined ? map : map.forAccount(account);
    },
  },
  {
    store: 'JsonFileIdentifierMap',
    enabled: true,
    persistent: true,
    open: async (name, account) => {
      // One writer per file: opening it again closes the map that holds it first, as a restart does.
      await jsonMaps.get(name)?.close();
      const map = await JsonFileIdentifierMap.open(join(dir, `${name}.json`));
      jsonMaps.set(name, map);
      return account === undefined ? map : map.forAccount(account);
    },
  },
  {
    store: 'SqliteIdentifierMap',
    enabled: true,
    persistent: true,
    open: async (name, account) => track(await SqliteIdentifierMap.open(join(dir, `${name}.db`), { account })),
  },
  {
    store: 'PostgresIdentifierMap',
    enabled: withPostgres,
    persistent: true,
    open: async (name, account) =>
      PostgresIdentifierMap.open({ pool: pool as pg.Pool, table: `ids_${name.replaceAll('-', '_')}`, account }),
  },
  {
    store: 'RedisIdentifierMap',
    enabled: withRedis,
    persistent: true,
    open: async (name, account) =>
      RedisIdentifierMap.open({ client: redisClient as Redis, prefix: `test:${name}`, account, buckets: 100 }),
  },
];

let serial = 0;
/** A fresh store for one test, and a way to open it again. */
async function fresh(open: Open) {
  const name = `s${++serial}`;
  return { map: await open(name), reopen: (account?: string) => open(name, account) };
}

describe.each(stores)('$store keeps the IdentifierMap contract', ({ store, enabled, persistent, open }) => {
  describe.skipIf(!enabled)(store, () => {
    it('gets, sets, deletes and lists by portal, kind and external id', async () => {
      const { map } = await fresh(open);
      await map.set('rentix', 'listing', 'L-1', '101');
      await map.set('rentix', 'listing', 'L-2', '102');
      await map.set('rentix', 'user', 'L-1', 'u-9');
      await map.set('indomio', 'listing', 'L-1', 'X1');
      expect(await map.get('rentix', 'listing', 'L-1')).toBe('101');
      expect(await map.get('rentix', 'user', 'L-1')).toBe('u-9');
      expect(await map.get('pfcrm', 'listing', 'L-1')).toBeUndefined();
      expect((await map.list('rentix')).length).toBe(3);
      expect((await map.list('rentix', 'listing')).map((e) => e.externalId).sort()).toEqual(['L-1', 'L-2']);
      expect(await map.delete('rentix', 'listing', 'L-2')).toBe(true);
      expect(await map.delete('rentix', 'listing', 'L-2')).toBe(false);
      expect(await map.get('rentix', 'listing', 'L-2')).toBeUndefined();
      expect(await map.list('pfcrm')).toEqual([]);
    });

    it('finds the external id of a portal id, and forgets the old one on re-mapping', async () => {
      const { map } = await fresh(open);
      await map.set('rentix', 'listing', 'L-1', '101');
      expect(await map.findExternalId('rentix', 'listing', '101')).toBe('L-1');
      await map.set('rentix', 'listing', 'L-1', '202');
      expect(await map.findExternalId('rentix', 'listing', '101')).toBeUndefined();
      expect(await map.findExternalId('rentix', 'listing', '202')).toBe('L-1');
      await map.delete('rentix', 'listing', 'L-1');
      expect(await map.findExternalId('rentix', 'listing', '202')).toBeUndefined();
    });

    it('lists entries with their account and version; an unconditional set is version 0', async () => {
      const { map } = await fresh(open);
      await map.set('p', 'listing', 'a', '1');
      await map.setIfNewer('p', 'listing', 'b', '2', 1_700_000_000_123);
      const entries = (await map.list('p', 'listing')).sort((x, y) => x.externalId.localeCompare(y.externalId));
      expect(map.account).toBe(DEFAULT_ACCOUNT);
      expect(entries).toEqual([
        { account: DEFAULT_ACCOUNT, portal: 'p', kind: 'listing', externalId: 'a', portalId: '1', version: 0 },
        {
          account: DEFAULT_ACCOUNT,
          portal: 'p',
          kind: 'listing',
          externalId: 'b',
          portalId: '2',
          version: 1_700_000_000_123,
        },
      ]);
    });

    it('set-if-absent: the first writer wins and a later one learns its id', async () => {
      const { map } = await fresh(open);
      expect(await map.setIfAbsent('pf', 'listing', 'L-1', 'first')).toEqual({ stored: true, portalId: 'first' });
      expect(await map.setIfAbsent('pf', 'listing', 'L-1', 'second')).toEqual({ stored: false, portalId: 'first' });
      expect(await map.get('pf', 'listing', 'L-1')).toBe('first');
      expect(await map.findExternalId('pf', 'listing', 'second')).toBeUndefined();
      // Concurrent claims of one fresh key: exactly one is stored, all learn the same id.
      const claims = await Promise.all(
        Array.from({ length: 12 }, (_, i) => map.setIfAbsent('pf', 'listing', 'L-2', `c${i}`)),
      );
      expect(claims.filter((c) => c.stored)).toHaveLength(1);
      const winner = claims.find((c) => c.stored)?.portalId;
      expect(new Set(claims.map((c) => c.portalId))).toEqual(new Set([winner]));
      expect(await map.get('pf', 'listing', 'L-2')).toBe(winner);
    });

    it('record-if-newer: a write of an older or equal version never replaces a newer one', async () => {
      const { map } = await fresh(open);
      expect(await map.setIfNewer('p', 'fp', 'L-1', 'v10', 10)).toEqual({ stored: true, portalId: 'v10' });
      expect(await map.setIfNewer('p', 'fp', 'L-1', 'v5', 5)).toEqual({ stored: false, portalId: 'v10' });
      expect(await map.setIfNewer('p', 'fp', 'L-1', 'v10b', 10)).toEqual({ stored: false, portalId: 'v10' });
      expect(await map.setIfNewer('p', 'fp', 'L-1', 'v11', 11)).toEqual({ stored: true, portalId: 'v11' });
      expect(await map.get('p', 'fp', 'L-1')).toBe('v11');
      // Concurrent writes of many versions: the highest one is what stays.
      const versions = [7, 3, 19, 12, 1, 18, 4];
      await Promise.all(versions.map((v) => map.setIfNewer('p', 'fp', 'L-2', `v${v}`, v)));
      expect(await map.get('p', 'fp', 'L-2')).toBe('v19');
      // An unconditional set makes the entry unversioned again.
      await map.set('p', 'fp', 'L-1', 'manual');
      expect(await map.setIfNewer('p', 'fp', 'L-1', 'v1', 1)).toEqual({ stored: true, portalId: 'v1' });
    });

    it('applies a batch in order with one result per write, modes mixed and a key repeated', async () => {
      const { map } = await fresh(open);
      await map.set('p', 'listing', 'taken', 'old');
      const results = await map.setMany([
        { portal: 'p', kind: 'listing', externalId: 'a', portalId: 'A1' },
        { portal: 'p', kind: 'listing', externalId: 'taken', portalId: 'new', ifAbsent: true },
        { portal: 'p', kind: 'fp', externalId: 'a', portalId: 'h2', version: 2 },
        { portal: 'p', kind: 'fp', externalId: 'a', portalId: 'h1', version: 1 },
        { portal: 'p', kind: 'fp', externalId: 'a', portalId: 'h3', version: 3 },
        { portal: 'p', kind: 'listing', externalId: 'a', portalId: 'A2' },
      ]);
      expect(results).toEqual([
        { stored: true, portalId: 'A1' },
        { stored: false, portalId: 'old' },
        { stored: true, portalId: 'h2' },
        { stored: false, portalId: 'h2' },
        { stored: true, portalId: 'h3' },
        { stored: true, portalId: 'A2' },
      ]);
      expect(await map.get('p', 'listing', 'a')).toBe('A2');
      expect(await map.findExternalId('p', 'listing', 'A1')).toBeUndefined();
      expect(await map.get('p', 'fp', 'a')).toBe('h3');
      expect(await map.setMany([])).toEqual([]);
    });

    it('applies a batch of distinct keys against existing entries, each write by its own mode', async () => {
      const { map } = await fresh(open);
      await map.setMany([
        { portal: 'p', kind: 'listing', externalId: 'claimed', portalId: 'first' },
        { portal: 'p', kind: 'fp', externalId: 'newer', portalId: 'h5', version: 5 },
        { portal: 'p', kind: 'fp', externalId: 'older', portalId: 'h5', version: 5 },
      ]);
      const results = await map.setMany([
        { portal: 'p', kind: 'listing', externalId: 'claimed', portalId: 'second', ifAbsent: true },
        { portal: 'p', kind: 'listing', externalId: 'fresh', portalId: 'f1', ifAbsent: true },
        { portal: 'p', kind: 'fp', externalId: 'newer', portalId: 'h9', version: 9 },
        { portal: 'p', kind: 'fp', externalId: 'older', portalId: 'h2', version: 2 },
        { portal: 'p', kind: 'fp', externalId: 'plain', portalId: 'hp' },
      ]);
      expect(results).toEqual([
        { stored: false, portalId: 'first' },
        { stored: true, portalId: 'f1' },
        { stored: true, portalId: 'h9' },
        { stored: false, portalId: 'h5' },
        { stored: true, portalId: 'hp' },
      ]);
      expect(await map.get('p', 'fp', 'older')).toBe('h5');
      expect(await map.findExternalId('p', 'listing', 'second')).toBeUndefined();
    });

    it('completes concurrent batches over the same keys in opposite orders, keeping the newest version of each', async () => {
      const { map } = await fresh(open);
      const keys = Array.from({ length: 40 }, (_, i) => `L-${i}`);
      const batch = (order: string[], version: number) =>
        map.setMany(order.map((k) => ({ portal: 'p', kind: 'fp', externalId: k, portalId: `v${version}`, version })));
      await Promise.all([batch(keys, 1), batch([...keys].reverse(), 2), batch(keys, 3), batch([...keys].reverse(), 4)]);
      for (const k of keys) expect(await map.get('p', 'fp', k)).toBe('v4');
    });

    it('refuses a batch with an invalid write before applying any of it', async () => {
      const { map } = await fresh(open);
      const writes = [
        { portal: 'p', kind: 'listing', externalId: 'a', portalId: '1' },
        { portal: 'p', kind: 'listing', externalId: 'b', portalId: '2', version: -1 },
      ];
      await expect(map.setMany(writes)).rejects.toThrow(/writes\[1\]\.version must be a non-negative safe integer/);
      await expect(map.setIfNewer('p', 'listing', 'c', '3', 1.5)).rejects.toThrow(RangeError);
      expect(await map.list('p')).toEqual([]);
    });

    it('keeps accounts apart in one store, each view with the same methods', async () => {
      const { map, reopen } = await fresh(open);
      const a = map.forAccount('agency-a');
      const b = map.forAccount('agency-b');
      expect([a.account, b.account]).toEqual(['agency-a', 'agency-b']);
      await a.set('rentix', 'listing', 'L-1', 'ra');
      await b.set('rentix', 'listing', 'L-1', 'rb');
      await map.set('rentix', 'listing', 'L-1', 'rd');
      expect(await a.get('rentix', 'listing', 'L-1')).toBe('ra');
      expect(await b.get('rentix', 'listing', 'L-1')).toBe('rb');
      expect(await map.get('rentix', 'listing', 'L-1')).toBe('rd');
      expect(await a.findExternalId('rentix', 'listing', 'rb')).toBeUndefined();
      expect((await b.list('rentix')).map((e) => [e.account, e.portalId])).toEqual([['agency-b', 'rb']]);
      expect((await b.setIfAbsent('rentix', 'listing', 'L-2', 'x')).stored).toBe(true);
      expect(await a.get('rentix', 'listing', 'L-2')).toBeUndefined();
      expect(await a.delete('rentix', 'listing', 'L-1')).toBe(true);
      expect(await b.get('rentix', 'listing', 'L-1')).toBe('rb');
      // A view of a view is scoped to the account it names; an account opened directly sees the same entries.
      expect(await a.forAccount('agency-b').get('rentix', 'listing', 'L-1')).toBe('rb');
      expect(await (await reopen('agency-b')).get('rentix', 'listing', 'L-2')).toBe('x');
      expect(() => map.forAccount('')).toThrow(TypeError);
    });

    it('round-trips ids with separators and unicode, without collisions', async () => {
      const { map } = await fresh(open);
      const odd = ['a:b', 'a', 'b:c', '{tag}', '50% off', 'ключ 🏠', 'x\ty', ' '];
      for (const [i, id] of odd.entries()) await map.set('p:q', 'k', id, `id:${i}`);
      await map.set('p', 'q:k', 'a:b', 'other');
      for (const [i, id] of odd.entries()) {
        expect(await map.get('p:q', 'k', id)).toBe(`id:${i}`);
        expect(await map.findExternalId('p:q', 'k', `id:${i}`)).toBe(id);
      }
      expect(await map.get('p', 'q:k', 'a:b')).toBe('other');
      expect((await map.list('p:q')).length).toBe(odd.length);
      expect((await map.list('p')).map((e) => [e.kind, e.externalId])).toEqual([['q:k', 'a:b']]);
    });

    it('lists and iterates thousands of entries, written in batches, page by page', async () => {
      const { map } = await fresh(open);
      const writes = Array.from({ length: 12_000 }, (_, i) => ({
        portal: 'p',
        kind: i % 3 === 0 ? 'listing' : 'listing-fingerprint',
        externalId: `L-${i}`,
        portalId: `P-${i}`,
        version: i,
      }));
      for (let i = 0; i < writes.length; i += 2000) await map.setMany(writes.slice(i, i + 2000));
      await map.set('other', 'listing-fingerprint', 'L-1', 'elsewhere');
      const fingerprints = await map.list('p', 'listing-fingerprint');
      expect(fingerprints).toHaveLength(8000);
      expect(new Set(fingerprints.map((e) => e.externalId)).size).toBe(8000);
      expect((await map.list('p')).length).toBe(12_000);
      expect(fingerprints.find((e) => e.externalId === 'L-1000')).toMatchObject({ portalId: 'P-1000', version: 1000 });
      const iterated = [];
      for await (const entry of map.iterate('p', 'listing-fingerprint')) iterated.push(entry);
      const byId = (a: { externalId: string }, b: { externalId: string }) => a.externalId.localeCompare(b.externalId);
      expect(iterated.sort(byId)).toEqual(fingerprints.sort(byId));
      let all = 0;
      const kinds = new Set<string>();
      for await (const entry of map.iterate('p')) {
        all++;
        kinds.add(entry.kind);
      }
      expect([all, [...kinds].sort()]).toEqual([12_000, ['listing', 'listing-fingerprint']]);
    });

    it.skipIf(!persistent)('reopens with everything written, in every account', async () => {
      const { map, reopen } = await fresh(open);
      await map.set('p', 'listing', 'a', '1');
      await map.forAccount('agency-7').setIfNewer('p', 'listing', 'a', '7', 42);
      await map.setMany([{ portal: 'p', kind: 'fp', externalId: 'a', portalId: 'h', version: 3 }]);
      if (map instanceof JsonFileIdentifierMap) await map.flush();
      const again = await reopen();
      expect(await again.get('p', 'listing', 'a')).toBe('1');
      expect(await again.forAccount('agency-7').get('p', 'listing', 'a')).toBe('7');
      expect((await again.setIfNewer('p', 'fp', 'a', 'older', 2)).stored).toBe(false);
      expect(await again.findExternalId('p', 'listing', '1')).toBe('a');
    });

    it('holds a SyncState: portal id and fingerprint recorded together, one batch per chunk', async () => {
      const { map } = await fresh(open);
      const state = new SyncState(map.forAccount('agency-1'), 'rentix');
      const items = [
        { id: 'a', price: 1 },
        { id: 'b', price: 2 },
      ];
      const plan = await state.plan(items, (i) => i.id);
      const results = await state.recordMany(
        plan.changed.map((c) => ({ externalId: c.key, fingerprint: c.fingerprint, portalId: `R-${c.key}` })),
        { version: plan.version },
      );
      expect(results.map((r) => [r.externalId, r.stored, r.portalId])).toEqual([
        ['a', true, 'R-a'],
        ['b', true, 'R-b'],
      ]);
      expect(await state.portalId('b')).toBe('R-b');
      expect((await state.plan(items, (i) => i.id)).changed).toEqual([]);
      // A stale worker's record (an older plan) does not replace what a newer one recorded.
      const stale = await state.record('a', 'stale-print', 'R-stale', { version: plan.version - 1 });
      expect(stale).toMatchObject({ stored: false, portalId: 'R-a' });
      expect(await state.fingerprintOf('a')).toBe(plan.changed[0]?.fingerprint);
      expect(await new SyncState(map, 'rentix').portalId('a')).toBeUndefined();
    });
  });
});

describe.skipIf(!withPostgres)('PostgresIdentifierMap on a real server', () => {
  it('records a batch of 100 results (200 writes) in one query', async () => {
    const seen: string[] = [];
    const counting = {
      query: (q: { text: string; values?: unknown[]; name?: string }) => {
        seen.push(q.text);
        return (pool as pg.Pool).query(q);
      },
    };
    const map = await PostgresIdentifierMap.open({ pool: counting, table: 'ids_counted' });
    seen.length = 0;
    const state = new SyncState(map, 'pf');
    await state.recordMany(
      Array.from({ length: 100 }, (_, i) => ({ externalId: `L-${i}`, fingerprint: `h${i}`, portalId: `P-${i}` })),
      { version: 5 },
    );
    expect(seen).toHaveLength(1);
    expect((await map.list('pf')).length).toBe(200);
  });

  it('rolls a batch back whole when the server refuses one of its writes', async () => {
    const map = await PostgresIdentifierMap.open({ pool: pool as pg.Pool, table: 'ids_rollback' });
    await expect(
      map.setMany([
        { portal: 'p', kind: 'listing', externalId: 'a', portalId: '1' },
        { portal: 'p', kind: 'listing', externalId: 'b', portalId: 'nul\u0000byte' },
      ]),
    ).rejects.toThrow();
    expect(await map.list('p')).toEqual([]);
  });

  it('opens its own pool from a connection string, creating the table once however many open at once', async () => {
    const url = (postgres as Service).url;
    const maps = await Promise.all(
      Array.from({ length: 4 }, () => PostgresIdentifierMap.open({ connectionString: url, table: 'ids_own' })),
    );
    await maps[0]?.set('p', 'listing', 'a', '1');
    expect(await maps[3]?.get('p', 'listing', 'a')).toBe('1');
    for (const map of maps) await map.close();
    await maps[0]?.close();
  });

  it('opens on a schema created beforehand without creating it, and says so when it is missing', async () => {
    await expect(
      PostgresIdentifierMap.open({ pool: pool as pg.Pool, table: 'ids_not_there', createSchema: false }),
    ).rejects.toThrow(/cannot find the identifier table ids_not_there/);
    await (pool as pg.Pool).query(postgresSchema('ids_made_by_dba'));
    const map = await PostgresIdentifierMap.open({
      pool: pool as pg.Pool,
      table: 'ids_made_by_dba',
      createSchema: false,
    });
    expect(await map.setIfAbsent('p', 'listing', 'a', '1')).toEqual({ stored: true, portalId: '1' });
  });

  it('refuses a table name that is not a plain SQL name', async () => {
    await expect(PostgresIdentifierMap.open({ pool: pool as pg.Pool, table: 'x; DROP TABLE y' })).rejects.toThrow(
      /table: must be a lower-case SQL name/,
    );
  });
});

describe.skipIf(!withRedis)('RedisIdentifierMap on a real server', () => {
  it('records a batch of 100 results (200 writes) in one script call', async () => {
    const client = redisClient as Redis;
    const map = await RedisIdentifierMap.open({ client, prefix: 'test:counted' });
    const calls: string[] = [];
    const counting = {
      call: (command: string, ...args: Array<string | number>) => {
        calls.push(command);
        return client.call(command, ...args);
      },
      pipeline: () => client.pipeline(),
    };
    const counted = await RedisIdentifierMap.open({ client: counting, prefix: 'test:counted' });
    calls.length = 0;
    await new SyncState(counted, 'pf').recordMany(
      Array.from({ length: 100 }, (_, i) => ({ externalId: `L-${i}`, fingerprint: `h${i}`, portalId: `P-${i}` })),
      { version: 5 },
    );
    // EVALSHA, plus EVAL once if the server did not have the script yet.
    expect(calls.filter((c) => c !== 'EVAL')).toEqual(['EVALSHA']);
    expect((await map.list('pf')).length).toBe(200);
  });

  it('keeps a namespace in small hashes: one key per bucket, not one per entry', async () => {
    const client = redisClient as Redis;
    const map = await RedisIdentifierMap.open({ client, prefix: 'test:layout', buckets: 16 });
    await map.setMany(
      Array.from({ length: 1000 }, (_, i) => ({
        portal: 'p',
        kind: 'listing',
        externalId: `L-${i}`,
        portalId: `${i}`,
      })),
    );
    const keys = (await client.keys('test:layout:*')).sort();
    // 16 entry hashes, 16 reverse hashes, the bucket set, the kind set and the meta hash.
    expect(keys).toHaveLength(16 + 16 + 3);
    expect(keys).toContain('test:layout:{default}:p:listing:e:0');
    expect(await client.hlen('test:layout:{default}:p:listing:e:0')).toBeGreaterThan(20);
    // The bucket count is fixed by the first opener; a later one asking for another gets it.
    expect((await RedisIdentifierMap.open({ client, prefix: 'test:layout', buckets: 64 })).buckets).toBe(16);
  });

  it('connects its own client from a URL and quits it on close', async () => {
    const map = await RedisIdentifierMap.open({ url: (redis as Service).url, prefix: 'test:own' });
    await map.set('p', 'listing', 'a', '1');
    expect(await map.get('p', 'listing', 'a')).toBe('1');
    await map.close();
    await map.close();
  });
});

describe('SqliteIdentifierMap specifics', () => {
  it('shares one file between two maps opened on it, as two processes would', async () => {
    const file = join(dir, 'shared.db');
    const one = track(await SqliteIdentifierMap.open(file));
    const two = track(await SqliteIdentifierMap.open(file));
    expect((await one.setIfAbsent('p', 'listing', 'a', 'one')).stored).toBe(true);
    expect(await two.setIfAbsent('p', 'listing', 'a', 'two')).toEqual({ stored: false, portalId: 'one' });
  });

  it('is loaded when a map is opened, never on importing @sync/core (no ExperimentalWarning on import)', () => {
    const hooks = new URL('./support/source-hooks.ts', import.meta.url);
    const index = new URL('../src/index.ts', import.meta.url);
    const script = `
      const core = await import(${JSON.stringify(index.href)});
      const loaded = () => process.moduleLoadList.some((m) => m.includes('sqlite'));
      const before = loaded();
      const map = await core.SqliteIdentifierMap.open(':memory:');
      await map.close();
      console.log(JSON.stringify({ before, after: loaded() }));`;
    const out = execFileSync(process.execPath, ['--import', hooks.href, '--input-type=module', '-e', script], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(JSON.parse(out)).toEqual({ before: false, after: true });
  });

  it('says which Node.js it needs when node:sqlite is not there', async () => {
    const spy = vi.spyOn(process, 'getBuiltinModule').mockReturnValue(undefined);
    try {
      await expect(SqliteIdentifierMap.open(join(dir, 'never.db'))).rejects.toThrow(
        /needs the node:sqlite module of Node\.js 22\.13 or later \(on 22\.5 to 22\.12, start Node with --experimental-sqlite\)/,
      );
    } finally {
      spy.mockRestore();
    }
  });

  it('refuses a file that is not an SQLite database, naming it', async () => {
    const file = join(dir, 'not-a-db.db');
    await import('node:fs/promises').then((fs) => fs.writeFile(file, 'x'.repeat(4096)));
    await expect(SqliteIdentifierMap.open(file)).rejects.toThrow(
      /cannot open .*not-a-db\.db as an SQLite identifier map/,
    );
  });
});
