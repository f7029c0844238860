// Aggregate throughput of the fleet with 1, 2 and 4 worker processes, every agency on its own Rentix
// mock with the bulk limit scaled down to 30 calls per 2 s, against the fleet's theoretical ceiling:
// every agency sending its bulk calls exactly as fast as its limit allows. Also counts requests the
// mocks refused for being over an agency's limit (429), which must be 0.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Listing, SyncState } from '@sync/core';
import { serveHandlers } from '@sync/core/msw';
import { RedisIdentifierMap } from '@sync/core/redis';
import type { FleetConfig } from '@sync/queue';
import { SyncFleet } from '@sync/queue';
import { RentixClient, rentixTarget } from '@sync/rentix';
import { createRentixHandlers, RentixMockPortal } from '@sync/rentix/msw';
import { Redis } from 'ioredis';
import { startRedis } from '../../packages/core/test/support/services.ts';

const AGENCIES = 8;
/** Bulk calls per agency per round: 8 windows' worth, so the ceiling is set by the limit, not by what starts and ends a round. */
const CALLS = 240;
const PER_CALL = 10;
const BULK = { limit: 30, windowMs: 2_000 };
const LIMITS = { default: { limit: 1_000, windowMs: 2_000 }, bulk: BULK };
/**
 * Bulk calls in flight per round: with the window scaled down 30×, a window's calls must go out about
 * as fast as under the real limit (30 a minute), or the calls' own latency sets the pace, not the limit.
 */
const BULK_CONCURRENCY = Number(process.env.BENCH_QUEUE_BULK_CONCURRENCY ?? 10);
const WORKERS = process.env.BENCH_QUEUE_WORKERS ? process.env.BENCH_QUEUE_WORKERS.split(',').map(Number) : [1, 2, 4];
/** Rounds per worker process at once, per portal queue. */
const CONCURRENCY = 2;

/** What the bench's processes agree on. */
export interface BenchWorld {
  redisPort: number;
  prefix: string;
  concurrency: number;
  agencies: Array<{ id: string; url: string }>;
}

/**
 * Agencies of the warm-up round, which only brings every worker process to its steady state: a round of
 * the measured size, so the code such a round runs is compiled as in a fleet that has run for
 * a while.
 */
const isWarmUp = (agency: string) => agency.includes('-warm');

function listings(agency: string): Listing[] {
  return Array.from({ length: CALLS * PER_CALL }, (_, i) => ({
    id: `${agency}-${i}`,
    offer: 'rent',
    rentPeriod: 'month',
    price: 300 + (i % 900),
    currency: 'EUR',
    category: 'residential',
    type: 'apartment',
    area: 30 + (i % 120),
    address: { country: 'MD', city: 'Chișinău' },
    title: { en: `Listing ${i}` },
    description: { en: `Listing ${i}: a bright home close to parks, schools and public transport.` },
    photos: [1, 2, 3].map((k) => ({ url: `https://img.example.com/${agency}/${i}/${k}.jpg` })),
    status: 'active',
    updatedAt: '2026-11-01T10:00:00Z',
  }));
}

/** The fleet's shared state: core's RedisIdentifierMap in the bench's Redis. */
const store = (redis: Redis) => RedisIdentifierMap.open({ client: redis, prefix: 'bench-ids' });

/** Connections the bench's configs opened, closed when a run ends. */
const opened: Redis[] = [];

/** The bench's config module: Rentix only, the agency's key looked up by agency id. */
export function benchConfig(world: BenchWorld): FleetConfig {
  const redis = new Redis({ host: '127.0.0.1', port: world.redisPort, maxRetriesPerRequest: null });
  opened.push(redis);
  redis.on('error', () => undefined);
  const urls = new Map(world.agencies.map((a) => [a.id, a.url]));
  return {
    redis: { host: '127.0.0.1', port: world.redisPort },
    prefix: world.prefix,
    store: store(redis),
    listings: async (agency) => listings(agency),
    portals: {
      rentix: {
        limits: LIMITS,
        target(agency, { state, rateLimiter, observe }) {
          const client = new RentixClient({
            apiKey: `key-${agency}`,
            baseUrl: `${urls.get(agency)}/api/v1`,
            allowInsecureHttp: true,
            rateLimiter,
            bulk: { maxOperations: PER_CALL, concurrency: BULK_CONCURRENCY },
          });
          observe(client.http);
          return rentixTarget(client, { state, agent: 'omit' });
        },
      },
    },
  };
}

/** The shortest time in which an agency can send `calls` bulk calls under its limit: the start of the last one. */
const ceilingMs = (calls: number) => Math.floor((calls - 1) / BULK.limit) * BULK.windowMs;

/**
 * Where an agency's time went, from the mock's own arrival times: the start (enqueue to its first
 * bulk call), the pauses between its server windows beyond the window itself (each window opens
 * with the bulk call that finds the previous one over), and the end (last bulk call to the round's
 * completion). Means over the agencies, in ms.
 */
function profile(mocks: RentixMockPortal[], world: BenchWorld, startedAt: number, finished: Map<string, number>) {
  let start = 0;
  let pause = 0;
  let pauses = 0;
  let end = 0;
  let sending = 0;
  mocks.forEach((mock, i) => {
    const at = mock.requests.filter((r) => r.path === '/listings/bulk' && r.status !== 429).map((r) => r.at);
    if (at.length === 0) return;
    start += (at[0] as number) - startedAt;
    for (let k = BULK.limit; k < at.length; k += BULK.limit) {
      pause += (at[k] as number) - (at[k - BULK.limit] as number) - BULK.windowMs;
      pauses++;
    }
    end += (finished.get(world.agencies[i]?.id ?? '') ?? 0) - (at.at(-1) as number);
    sending += (at.at(-1) as number) - (at[0] as number);
  });
  const n = mocks.length;
  // The agency's calls from its first to its last, against the shortest span its limit allows.
  const sendingRatio = (n * ceilingMs(CALLS)) / sending;
  return { startMs: start / n, pauseMs: pauses ? pause / pauses : 0, endMs: end / n, sendingRatio };
}

/** Waits (bounded) until the fleet's Rentix queue has nothing waiting, running or delayed. */
async function drained(fleet: SyncFleet) {
  for (let i = 0; i < 3000; i++) {
    const { rentix } = (await fleet.metrics()).portals;
    if (rentix && rentix.queue.waiting + rentix.queue.active + rentix.queue.delayed === 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the fleet did not drain');
}

async function runWith(workers: number, redisPort: number, dir: string) {
  // The measured agencies, then one small warm-up agency per round a worker process runs at once.
  const ids = [
    ...Array.from({ length: AGENCIES }, (_, i) => `w${workers}-a${i}`),
    ...Array.from({ length: workers * CONCURRENCY }, (_, i) => `w${workers}-warm${i}`),
  ];
  const allMocks = ids.map((id) => new RentixMockPortal({ apiKeys: [`key-${id}`], rateLimits: LIMITS }));
  const mocks = allMocks.slice(0, AGENCIES);
  const servers = await Promise.all(
    allMocks.map((portal) => serveHandlers((url) => createRentixHandlers({ portal, baseUrl: `${url}/api/v1` }))),
  );
  const world: BenchWorld = {
    redisPort,
    prefix: `bench-${workers}`,
    concurrency: CONCURRENCY,
    agencies: servers.map((s, i) => ({ id: ids[i] as string, url: s.url })),
  };
  const measured = world.agencies.slice(0, AGENCIES);
  const file = join(dir, `world-${workers}.json`);
  await writeFile(file, JSON.stringify(world));
  const script = fileURLToPath(new URL('./queue-worker.ts', import.meta.url));
  const children: ChildProcess[] = [];
  const fleet = new SyncFleet(benchConfig(world));
  try {
    await Promise.all(
      Array.from({ length: workers }, async () => {
        const child = spawn(process.execPath, [script, file], { stdio: ['ignore', 'pipe', 'inherit'] });
        children.push(child);
        await new Promise<void>((resolve, reject) => {
          child.stdout?.on('data', (chunk: Buffer) => {
            if (chunk.toString('utf8').includes('ready')) resolve();
          });
          child.once('exit', (code) => reject(new Error(`a bench worker exited (${code})`)));
        });
      }),
    );
    // A process's first round pays for loading and compiling code a running fleet has long paid for.
    await Promise.all(world.agencies.slice(AGENCIES).map((a) => fleet.enqueue(a.id)));
    await drained(fleet);
    const started = performance.now();
    const startedAt = Date.now();
    await Promise.all(measured.map((a) => fleet.enqueue(a.id)));
    await drained(fleet);
    const polledMs = performance.now() - started;
    const bulkCalls = mocks.reduce((n, m) => n + m.requests.filter((r) => r.path === '/listings/bulk').length, 0);
    const rejected = allMocks.reduce((n, m) => n + m.requests.filter((r) => r.status === 429).length, 0);
    // Every listing made it: the state of every agency holds them all.
    let recorded = 0;
    const redis = new Redis({ host: '127.0.0.1', port: redisPort });
    for (const a of measured)
      recorded += (await new SyncState((await store(redis)).forAccount(a.id), 'rentix').fingerprints()).size;
    await redis.quit();
    const rounds = (await fleet.queue('rentix').getCompleted()).filter((j) => !isWarmUp(j.data.agency));
    const roundMs = rounds.map((j) => (j.returnvalue as { durationMs: number } | undefined)?.durationMs ?? 0);
    const finished = new Map(rounds.map((j) => [(j.data as { agency: string }).agency, j.finishedOn ?? 0]));
    // The fleet's work ends when its last round does (BullMQ's own finishing time), not at the next
    // look of the wait above, which polls.
    const lastFinished = Math.max(...finished.values());
    const elapsedMs = finished.size === AGENCIES && lastFinished > startedAt ? lastFinished - startedAt : polledMs;
    return {
      workers,
      elapsedMs,
      bulkCalls,
      rejected,
      recorded,
      slowestRoundMs: Math.max(...roundMs),
      profile: profile(mocks, world, startedAt, finished),
    };
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))));
    await fleet.close();
    await Promise.all(opened.splice(0).map((r) => r.quit()));
    await Promise.all(servers.map((s) => s.close()));
  }
}

export async function benchQueueFleet() {
  const redis = await startRedis();
  const dir = await mkdtemp(join(tmpdir(), 'sync-queue-bench-'));
  try {
    const ideal = ceilingMs(CALLS);
    const rows: Array<Awaited<ReturnType<typeof runWith>>> = [];
    for (const workers of WORKERS) rows.push(await runWith(workers, redis.port, dir));
    const ceilingPerSecond = (AGENCIES * CALLS * 1000) / ideal;
    const table = rows
      .map(
        (r) =>
          `${r.workers} worker(s): ${(r.elapsedMs / 1000).toFixed(1)} s, ${((r.bulkCalls * 1000) / r.elapsedMs).toFixed(1)} bulk calls/s = ${((r.bulkCalls * 1000) / r.elapsedMs / ceilingPerSecond).toFixed(2)} × ceiling (while sending ${r.profile.sendingRatio.toFixed(2)} ×), 429s ${r.rejected}, listings recorded ${r.recorded}/${AGENCIES * CALLS * PER_CALL}, slowest round ${(r.slowestRoundMs / 1000).toFixed(1)} s; per agency: start ${r.profile.startMs.toFixed(0)} ms, pause beyond each window ${r.profile.pauseMs.toFixed(0)} ms, end ${r.profile.endMs.toFixed(0)} ms`,
      )
      .join('\n  ');
    const best = rows.at(-1) as (typeof rows)[number];
    const complete = rows.every((r) => r.recorded === AGENCIES * CALLS * PER_CALL && r.rejected === 0);
    return {
      name: `fleet: ${AGENCIES} agencies × ${CALLS} Rentix bulk calls (${BULK.limit} per ${BULK.windowMs / 1000} s each), 1/2/4 worker processes × ${CONCURRENCY} rounds`,
      baselineMs: ideal,
      measuredMs: best.elapsedMs,
      ratio: best.elapsedMs / ideal,
      // ≥ 0.9 × the ceiling's throughput with the most workers.
      target: 1 / 0.9,
      extra: `ceiling ${ceilingPerSecond.toFixed(1)} bulk calls/s (${(ideal / 1000).toFixed(1)} s per round at the limit)\n  ${table}`,
      failed: !complete,
    };
  } finally {
    await redis.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
