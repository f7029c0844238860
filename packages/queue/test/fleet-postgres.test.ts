// The fleet with its ids and fingerprints in PostgreSQL (core's PostgresIdentifierMap) instead of
// Redis, both servers real and started by the test: worker processes, one of them killed mid-round,
// sync every listing once, with no duplicate and nothing lost; the state is in PostgreSQL and not in
// Redis; a round with no CRM change sends no write; a partial CRM read trips the mass-removal guard.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  postgresMissing,
  redisMissing,
  type Service,
  serviceAvailable,
  startPostgres,
  startRedis,
} from '../../core/test/support/services.ts';
import { expectAllOnceEverywhere, PORTALS, startFleet } from './support/harness.js';
import { type AgencyMocks, held, partialKey, type World } from './support/world.js';

const AGENCIES = 10;
const LISTINGS = 50;
const WORKERS = 3;

/** Per-agency limits with windows scaled down to a second, as in the Redis fleet's test. */
const LIMITS: World['limits'] = {
  rentix: { default: { limit: 60, windowMs: 1000 }, bulk: { limit: 3, windowMs: 1000 } },
  indomio: { limit: 30, windowMs: 1000 },
  pfcrm: { limit: 50, windowMs: 1000 },
};

// Both checks run, so each missing server is named.
const withRedis = serviceAvailable('Redis', redisMissing());
const withPostgres = serviceAvailable('PostgreSQL', postgresMissing());
const run = withRedis && withPostgres;
let redis: Service | undefined;
let postgres: Service | undefined;
let dir = '';

beforeAll(async () => {
  if (!run) return;
  [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
  dir = await mkdtemp(join(tmpdir(), 'sync-queue-pg-test-'));
}, 60_000);

afterAll(async () => {
  await Promise.all([redis?.stop(), postgres?.stop()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.runIf(run)('a fleet of agencies with its state in PostgreSQL', () => {
  it(`${WORKERS} worker processes, one killed mid-round, sync ${AGENCIES} agencies × ${LISTINGS} listings × 3 portals once each`, async () => {
    const f = await startFleet({
      name: 'pg',
      agencies: AGENCIES,
      listings: LISTINGS,
      redisPort: (redis as Service).port,
      dir,
      limits: LIMITS,
      postgresUrl: (postgres as Service).url,
    });
    const db = new pg.Client({ connectionString: (postgres as Service).url });
    const client = new Redis({ host: '127.0.0.1', port: f.world.redisPort });
    try {
      await db.connect();
      const [victim] = await Promise.all(Array.from({ length: WORKERS }, () => f.spawnWorker()));
      await f.enqueueAll();
      // Kill a worker once rounds are under way and some writes have landed; another takes its place.
      for (let i = 0; i < 1500 && f.totalWrites() < 200; i++) await new Promise((r) => setTimeout(r, 20));
      victim?.kill('SIGKILL');
      await f.spawnWorker();
      const first = await f.settle();
      expect(victim?.signalCode).toBe('SIGKILL');
      expectAllOnceEverywhere(f.mocks, LISTINGS);
      for (const portal of PORTALS) {
        expect(first.portals[portal]?.queue.failed, `${portal} failed rounds`).toBe(0);
        expect(first.portals[portal]?.counters.rounds.completed, `${portal} rounds`).toBe(AGENCIES);
      }

      // Every agency's fingerprints are rows of PostgreSQL's table, and Redis holds none.
      const { rows } = await db.query<{ portal: string; accounts: number; listings: number }>(
        `SELECT portal, count(DISTINCT account)::int AS accounts, count(*)::int AS listings
           FROM sync_identifiers WHERE kind LIKE '%-fingerprint' GROUP BY portal ORDER BY portal`,
      );
      expect(rows).toEqual(
        [...PORTALS].sort().map((portal) => ({ portal, accounts: AGENCIES, listings: AGENCIES * LISTINGS })),
      );
      expect(await client.keys(`${f.world.prefix}:ids*`)).toEqual([]);

      const written = f.totalWrites();
      await f.enqueueAll();
      await f.settle();
      expect(f.totalWrites() - written, 'writes of a round with no CRM change').toBe(0);

      // One agency's CRM read comes back with 20 of its listings: that round is stopped on every portal.
      const agency = f.mocks[0] as AgencyMocks;
      await client.set(partialKey(f.world, agency.id), '20');
      await f.fleet.enqueue(agency.id);
      const guarded = await f.settle();
      for (const portal of PORTALS) expect(guarded.portals[portal]?.counters.rounds.guarded, portal).toBe(1);
      expect(f.totalWrites()).toBe(written);
      expect(held(agency).pfcrm.size).toBe(LISTINGS);
    } finally {
      await client.quit();
      await db.end();
      await f.stop();
    }
  }, 120_000);
});
