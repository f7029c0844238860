// The fleet on a real Redis started by the test, against each agency's three mocks over real HTTP
// (per-agency rate limits on): worker processes sync every listing once, with no duplicate and
// nothing lost, also when workers are killed mid-round and right after a Property Finder create,
// ending with what the portals hold equal to the fault-free run's; a round with no CRM change sends
// no write; a partial CRM read trips the mass-removal guard.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Service as RedisService,
  redisMissing,
  serviceAvailable,
  startRedis,
} from '../../core/test/support/services.ts';
import {
  differences,
  expectAllOnceEverywhere,
  type FleetOptions,
  PORTALS,
  snapshot,
  startFleet,
} from './support/harness.js';
import { type AgencyMocks, held, partialKey, type World } from './support/world.js';

/** The fleet at full size: agencies × listings × 3 portals, on this many worker processes. */
const AGENCIES = 50;
const LISTINGS = 200;
const WORKERS = 4;
/** Agencies of the run with killed workers, compared with the same agencies of the fault-free run: all of them. */
const CRASH_AGENCIES = AGENCIES;

/**
 * Per-agency limits, with windows scaled down from the portals' minutes to a second or two so the
 * limiters have work to do and a round of 200 listings takes seconds: PF's 400 requests a round are
 * 3 windows, Indomio's 200 are 2, Rentix's 2 bulk calls fit its bulk limit.
 */
const LIMITS: World['limits'] = {
  rentix: { default: { limit: 60, windowMs: 1000 }, bulk: { limit: 3, windowMs: 1000 } },
  indomio: { limit: 100, windowMs: 1000 },
  pfcrm: { limit: 150, windowMs: 1000 },
};
/** A 429 only where the clocks and the arrival order of the workers' requests differ: at most this share. */
const MAX_429_SHARE = 0.02;

const run = serviceAvailable('Redis', redisMissing());
let redis: RedisService | undefined;
let dir = '';
/** What the portals held at the end of the fault-free run. */
let faultFree: Map<string, string> | undefined;

beforeAll(async () => {
  if (!run) return;
  redis = await startRedis();
  dir = await mkdtemp(join(tmpdir(), 'sync-queue-test-'));
}, 30_000);

afterAll(async () => {
  await redis?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const fleetOf = (name: string, agencies: number, listings: number, extra: Partial<FleetOptions> = {}) =>
  startFleet({
    name,
    agencies,
    listings,
    redisPort: (redis as RedisService).port,
    dir,
    limits: LIMITS,
    ...extra,
  });

describe.runIf(run)('a fleet of agencies on BullMQ workers over Redis', () => {
  it(`${WORKERS} worker processes sync ${AGENCIES} agencies × ${LISTINGS} listings × 3 portals once each; a second round writes nothing`, async () => {
    const f = await fleetOf('fleet', AGENCIES, LISTINGS);
    try {
      await Promise.all(Array.from({ length: WORKERS }, () => f.spawnWorker()));
      await f.enqueueAll();
      const first = await f.settle();
      expectAllOnceEverywhere(f.mocks, LISTINGS);
      faultFree = snapshot(f.mocks);
      for (const portal of PORTALS) {
        const { counters, queue } = first.portals[portal] as (typeof first.portals)[string];
        expect(counters.rounds.completed, `${portal} rounds`).toBe(AGENCIES);
        expect(queue.failed, `${portal} failed rounds`).toBe(0);
        expect(counters.rateLimited, `${portal} 429s`).toBeLessThanOrEqual(
          Math.ceil(counters.requests * MAX_429_SHARE),
        );
        expect(Object.keys(first.lagSeconds[portal] ?? {})).toHaveLength(AGENCIES);
      }
      const written = f.totalWrites();
      expect(written, 'writes the portals took').toBe(AGENCIES * LISTINGS * 3);

      await f.enqueueAll();
      const second = await f.settle();
      expect(f.totalWrites() - written, 'writes of a round with no CRM change').toBe(0);
      for (const portal of PORTALS)
        expect(second.portals[portal]?.counters.rounds.completed, `${portal} rounds`).toBe(2 * AGENCIES);
      expect(await f.fleet.prometheus()).toContain(
        `sync_rounds_total{portal="rentix",status="completed"} ${2 * AGENCIES}`,
      );
    } finally {
      await f.stop();
    }
  }, 240_000);

  it('ends as the fault-free run did when one worker is killed mid-round and another right after a PF create', async () => {
    const f = await fleetOf('crash', CRASH_AGENCIES, LISTINGS);
    try {
      const [victim, crasher] = await Promise.all([
        f.spawnWorker(),
        f.spawnWorker(['crash-after-pf-create=25']),
        f.spawnWorker(),
        f.spawnWorker(),
      ]);
      await f.enqueueAll();
      // Kill the first worker once rounds are under way and some writes have landed.
      for (let i = 0; i < 1500 && f.totalWrites() < 1000; i++) await new Promise((r) => setTimeout(r, 20));
      victim?.kill('SIGKILL');
      // As a supervisor would, a new worker takes its place.
      await f.spawnWorker();
      const metrics = await f.settle();
      expect(victim?.signalCode).toBe('SIGKILL');
      expect(crasher?.signalCode, 'the worker killed itself right after a PF create').toBe('SIGKILL');
      expectAllOnceEverywhere(f.mocks, LISTINGS);
      for (const portal of PORTALS) expect(metrics.portals[portal]?.queue.failed, portal).toBe(0);
      // What the portals hold is what the fault-free run left, agency by agency (same ids, same CRM).
      const crashed = snapshot(f.mocks);
      const expected = new Map(
        [...(faultFree ?? new Map<string, string>())].filter(([key]) =>
          f.mocks.some((m) => key.startsWith(`${m.id}/`)),
        ),
      );
      expect(expected.size, 'the fault-free run ran first').toBe(CRASH_AGENCIES * LISTINGS * 3);
      expect(differences(crashed, expected)).toEqual([]);
    } finally {
      await f.stop();
    }
  }, 240_000);

  it('stops a round that would remove more than the allowed share of listings, and reports it', async () => {
    const f = await fleetOf('guard', 1, 40);
    try {
      await f.spawnWorker();
      const agency = f.mocks[0] as AgencyMocks;
      // The first round comes from the agency's schedule: its first tick enqueues it at once.
      await f.fleet.schedule(agency.id, 3_600_000);
      for (let i = 0; i < 500; i++) {
        const { portals } = await f.fleet.metrics();
        if (PORTALS.every((p) => portals[p]?.counters.rounds.completed === 1)) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      await f.fleet.unschedule(agency.id);
      await f.settle();
      expectAllOnceEverywhere(f.mocks, 40);
      const before = f.totalWrites();
      // The CRM read comes back with half the listings.
      const client = new Redis({ host: '127.0.0.1', port: f.world.redisPort });
      await client.set(partialKey(f.world, agency.id), '20');
      await client.quit();
      await f.enqueueAll();
      const metrics = await f.settle();
      for (const portal of PORTALS) expect(metrics.portals[portal]?.counters.rounds.guarded, portal).toBe(1);
      const job = (await f.fleet.queue('rentix').getCompleted(0, 0))[0];
      expect(job?.returnvalue).toMatchObject({ status: 'guarded', listings: 20, wouldRemove: 20 });
      expect(f.totalWrites()).toBe(before);
      expect(held(agency).pfcrm.size).toBe(40);
    } finally {
      await f.stop();
    }
  }, 60_000);
});
