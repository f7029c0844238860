// The fleet on a real Redis started by the test, against each agency's three mocks over real HTTP
// (per-agency rate limits on): worker processes sync every listing once, with no duplicate and
// nothing lost, also when workers are killed mid-round and right after a Property Finder create; a
// round with no CRM change sends no write; a partial CRM read trips the mass-removal guard.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Service as RedisService,
  redisMissing,
  serviceAvailable,
  startRedis,
} from '../../core/test/support/services.ts';
import { SyncFleet } from '../src/index.js';
import {
  type AgencyMocks,
  crmListings,
  fleetConfig,
  held,
  partialKey,
  startAgency,
  type World,
} from './support/world.js';

const PORTALS = ['rentix', 'indomio', 'pfcrm'] as const;
const hooks = fileURLToPath(new URL('./support/source-hooks.ts', import.meta.url));
const workerScript = fileURLToPath(new URL('./support/worker.ts', import.meta.url));

/** Scaled to run in well under two minutes on two shared cores: agencies × listings × 3 portals. */
const AGENCIES = 25;
const LISTINGS = 100;
const WORKERS = 4;

/** Per-agency limits, scaled down so the limiters have work to do. */
const LIMITS: World['limits'] = {
  rentix: { default: { limit: 60, windowMs: 2000 }, bulk: { limit: 6, windowMs: 2000 } },
  indomio: { limit: 100, windowMs: 1000 },
  pfcrm: { limit: 150, windowMs: 1000 },
};

const run = serviceAvailable('Redis', redisMissing());
let redis: RedisService | undefined;
let dir = '';

beforeAll(async () => {
  if (!run) return;
  redis = await startRedis();
  dir = await mkdtemp(join(tmpdir(), 'sync-queue-test-'));
}, 30_000);

afterAll(async () => {
  await redis?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A fleet of agencies with their mocks, workers in child processes, and the test's own handle on the queues. */
async function startFleet(name: string, agencies: number, listings: number) {
  const mocks: AgencyMocks[] = [];
  const urls: World['agencies'] = [];
  for (let i = 0; i < agencies; i++) {
    const agency = await startAgency(`${name}-agency-${i + 1}`, LIMITS);
    mocks.push(agency);
    urls.push(agency.urls);
  }
  const world: World = {
    redisPort: (redis as RedisService).port,
    prefix: `t-${name}`,
    listingsPerAgency: listings,
    agencies: urls,
    limits: LIMITS,
  };
  const file = join(dir, `${name}.json`);
  await writeFile(file, JSON.stringify(world));
  const fleet = new SyncFleet(fleetConfig(world));
  const children = new Set<ChildProcess>();
  const spawnWorker = async (extra: string[] = []) => {
    const child = spawn(
      process.execPath,
      ['--experimental-transform-types', '--no-warnings', '--import', hooks, workerScript, file, ...extra],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    children.add(child);
    child.once('exit', () => children.delete(child));
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        if (out.includes('ready')) resolve();
      });
      child.once('exit', (code, signal) => reject(new Error(`worker exited (${code ?? signal}) before it was ready`)));
    });
    return child;
  };
  /** Waits (bounded) until every queue is empty and idle. */
  const settle = async () => {
    for (let i = 0; i < 900; i++) {
      const metrics = await fleet.metrics();
      const busy = Object.values(metrics.portals).some(
        ({ queue }) => queue.waiting + queue.active + queue.delayed + queue.prioritized > 0,
      );
      if (!busy) return metrics;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('the fleet did not settle');
  };
  const stop = async () => {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(
      [...children].map(
        (c) => new Promise((resolve) => (c.exitCode !== null ? resolve(null) : c.once('exit', resolve))),
      ),
    );
    await fleet.close();
    await Promise.all(mocks.map((m) => m.close()));
  };
  const enqueueAll = () => Promise.all(mocks.map((m) => fleet.enqueue(m.id)));
  const totalWrites = () => mocks.reduce((sum, m) => sum + m.writes.rentix + m.writes.indomio + m.writes.pfcrm, 0);
  return { mocks, world, fleet, spawnWorker, settle, stop, enqueueAll, totalWrites };
}

/** Every CRM listing is on every portal exactly once, and nothing else is. */
function expectAllOnceEverywhere(mocks: readonly AgencyMocks[], listings: number) {
  let duplicates = 0;
  let lost = 0;
  for (const agency of mocks) {
    const crm = crmListings(agency.id, listings).map((l) => l.id);
    const on = held(agency);
    for (const portal of PORTALS) {
      for (const id of crm) {
        const n = on[portal].get(id) ?? 0;
        if (n === 0) lost++;
        if (n > 1) duplicates += n - 1;
      }
      expect(on[portal].size, `${agency.id} on ${portal}`).toBe(crm.length);
    }
  }
  expect({ duplicates, lost }).toEqual({ duplicates: 0, lost: 0 });
}

describe.runIf(run)('a fleet of agencies on BullMQ workers over Redis', () => {
  it(`${WORKERS} worker processes sync ${AGENCIES} agencies × ${LISTINGS} listings × 3 portals once each; a second round writes nothing`, async () => {
    const f = await startFleet('fleet', AGENCIES, LISTINGS);
    try {
      await Promise.all(Array.from({ length: WORKERS }, () => f.spawnWorker()));
      await f.enqueueAll();
      const first = await f.settle();
      expectAllOnceEverywhere(f.mocks, LISTINGS);
      for (const portal of PORTALS) {
        const { counters, queue } = first.portals[portal] as (typeof first.portals)[string];
        expect(counters.rounds.completed, `${portal} rounds`).toBe(AGENCIES);
        expect(queue.failed, `${portal} failed rounds`).toBe(0);
        // The limiters keep every agency under its limits: a 429 only where clocks and arrival order differ.
        expect(counters.rateLimited, `${portal} 429s`).toBeLessThanOrEqual(Math.ceil(counters.requests * 0.02));
        expect(Object.keys(first.lagSeconds[portal] ?? {})).toHaveLength(AGENCIES);
      }
      const written = f.totalWrites();
      expect(written).toBe(AGENCIES * LISTINGS * 3);

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
  }, 120_000);

  it('ends as a fault-free run would when one worker is killed mid-round and another right after a PF create', async () => {
    const f = await startFleet('crash', 6, LISTINGS);
    try {
      const victim = await f.spawnWorker();
      const crasher = await f.spawnWorker(['crash-after-pf-create=5']);
      await f.spawnWorker();
      await f.enqueueAll();
      // Kill the first worker once rounds are under way and some writes have landed.
      for (let i = 0; i < 500 && f.totalWrites() < 100; i++) await new Promise((r) => setTimeout(r, 20));
      victim.kill('SIGKILL');
      await f.spawnWorker();
      const metrics = await f.settle();
      expect(victim.signalCode).toBe('SIGKILL');
      expect(crasher.signalCode, 'the worker killed itself right after a PF create').toBe('SIGKILL');
      expectAllOnceEverywhere(f.mocks, LISTINGS);
      for (const portal of PORTALS) expect(metrics.portals[portal]?.queue.failed, portal).toBe(0);
    } finally {
      await f.stop();
    }
  }, 120_000);

  it('stops a round that would remove more than the allowed share of listings, and reports it', async () => {
    const f = await startFleet('guard', 1, 40);
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
      const { Redis } = await import('ioredis');
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
