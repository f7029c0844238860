// One agency's rounds on a worker in the test process, on a real Redis: a trigger arriving during a
// round makes exactly one more round; a round whose lock is lost stops sending and is run again to
// the same end state; a round facing a long rate-limit wait is delayed instead of holding its worker.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type Service as RedisService,
  redisMissing,
  serviceAvailable,
  startRedis,
} from '../../core/test/support/services.ts';
import { type FleetWorker, SyncFleet } from '../src/index.js';
import { type AgencyMocks, crmListings, fleetConfig, held, startAgency, type World } from './support/world.js';

const run = serviceAvailable('Redis', redisMissing());
let service: RedisService | undefined;
let cleanup: Array<() => Promise<void>> = [];

beforeAll(async () => {
  if (run) service = await startRedis();
}, 30_000);

afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

afterAll(async () => {
  await service?.stop();
});

const LIMITS: World['limits'] = {
  rentix: { default: { limit: 100, windowMs: 1000 }, bulk: { limit: 10, windowMs: 1000 } },
  indomio: { limit: 1000, windowMs: 1000 },
  pfcrm: { limit: 1000, windowMs: 1000 },
};

async function start(name: string, listings: number, limits = LIMITS, maxWaitMs?: number) {
  const mocks = await startAgency(`${name}-agency`, limits);
  const world: World = {
    redisPort: (service as RedisService).port,
    prefix: `t-${name}`,
    listingsPerAgency: listings,
    agencies: [mocks.urls],
    limits,
    maxWaitMs,
  };
  const fleet = new SyncFleet(fleetConfig(world));
  cleanup.push(async () => {
    await fleet.close();
    await mocks.close();
  });
  return { mocks, fleet, agency: mocks.id };
}

function startWorker(fleet: SyncFleet, portals: string[], lockDurationMs = 30_000): FleetWorker {
  const worker = fleet.worker({ portals, concurrency: 2, lockDurationMs, stalledIntervalMs: 300 });
  cleanup.push(() => worker.close());
  return worker;
}

/** Waits (bounded) until `ready` holds. */
async function until(ready: () => Promise<boolean> | boolean, what: string) {
  for (let i = 0; i < 600; i++) {
    if (await ready()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting until ${what}`);
}

const idle = async (fleet: SyncFleet, portal: string) => {
  const { queue } = (await fleet.metrics()).portals[portal] as { queue: Record<string, number> };
  return (queue.waiting ?? 0) + (queue.active ?? 0) + (queue.delayed ?? 0) === 0;
};

function expectOnce(mocks: AgencyMocks, portal: 'rentix' | 'indomio' | 'pfcrm', count: number) {
  const on = held(mocks)[portal];
  for (const l of crmListings(mocks.id, count)) expect(on.get(l.id), `${portal} ${l.id}`).toBe(1);
  expect(on.size).toBe(count);
}

describe.runIf(run)('rounds of one agency', () => {
  it('runs a trigger that arrives during a round once after it, however many arrive', async () => {
    const { mocks, fleet, agency } = await start('dedup', 40);
    mocks.delays.indomio = 15;
    startWorker(fleet, ['indomio']);
    await fleet.enqueue(agency, ['indomio']);
    await until(async () => (await fleet.queue('indomio').getActiveCount()) === 1, 'the round is active');
    for (let i = 0; i < 3; i++) await fleet.enqueue(agency, ['indomio']);
    await until(() => idle(fleet, 'indomio'), 'the queue is idle');
    const rounds = (await fleet.queue('indomio').getCompleted()).map((j) => j.returnvalue);
    expect(rounds).toHaveLength(2);
    // The second round found nothing changed.
    expect(rounds.map((r) => [r?.created, r?.unchanged]).sort()).toEqual([
      [0, 40],
      [40, 0],
    ]);
    expectOnce(mocks, 'indomio', 40);
  });

  it('stops sending when its lock is lost, and the round run again ends as one run would', async () => {
    const { mocks, fleet, agency } = await start('lock', 60);
    mocks.delays.pfcrm = 40;
    startWorker(fleet, ['pfcrm'], 1000);
    await fleet.enqueue(agency, ['pfcrm']);
    await until(() => mocks.writes.pfcrm >= 5, 'the round has written');
    // Another party took the lock away (as when Redis expired it): the next renewal fails.
    const [active] = await fleet.queue('pfcrm').getActive();
    await fleet.redis.del(`t-lock:pfcrm:${active?.id}:lock`);
    await until(async () => (await fleet.metrics()).portals.pfcrm?.counters.rounds.failed === 1, 'the round stopped');
    await until(() => idle(fleet, 'pfcrm'), 'the queue is idle');
    expectOnce(mocks, 'pfcrm', 60);
    expect((await fleet.metrics()).portals.pfcrm?.counters.rounds.completed).toBe(1);
  });

  it('gives its worker back when the next slot is further away than maxWaitMs, and finishes later', async () => {
    const limits = {
      ...LIMITS,
      rentix: { default: { limit: 100, windowMs: 1000 }, bulk: { limit: 1, windowMs: 1500 } },
    };
    const { mocks, fleet, agency } = await start('defer', 150, limits, 100);
    startWorker(fleet, ['rentix']);
    await fleet.enqueue(agency, ['rentix']);
    await until(() => idle(fleet, 'rentix'), 'the queue is idle');
    const { counters } = (await fleet.metrics()).portals.rentix as { counters: { rounds: Record<string, number> } };
    expect(counters.rounds.deferred).toBeGreaterThanOrEqual(1);
    expect(counters.rounds.completed).toBe(1);
    expectOnce(mocks, 'rentix', 150);
    // Not one bulk call beyond the agency's limit.
    expect(mocks.rentix.requests.filter((r) => r.status === 429)).toHaveLength(0);
  });
});
