// A test fleet in motion: each agency's three mocks over real HTTP, worker processes started (and
// killed) by the test, the test's own handle on the queues, and the checks every fleet test makes
// of what the portals hold at the end.
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { SyncFleet } from '../../src/index.js';
import { type AgencyMocks, contents, crmListings, fleetConfig, held, startAgency, type World } from './world.js';

export const PORTALS = ['rentix', 'indomio', 'pfcrm'] as const;
const hooks = fileURLToPath(new URL('./source-hooks.ts', import.meta.url));
const workerScript = fileURLToPath(new URL('./worker.ts', import.meta.url));

/** What a test fleet is made of. */
export interface FleetOptions {
  /** Names the fleet's Redis keys and its world file; agencies are `agency-1`… in every fleet, so runs compare. */
  name: string;
  agencies: number;
  listings: number;
  redisPort: number;
  /** Where the world file goes. */
  dir: string;
  limits: World['limits'];
  postgresUrl?: string | undefined;
}

/** Starts the agencies' mocks and the test's handle on the fleet; workers come with `spawnWorker`. */
export async function startFleet(options: FleetOptions) {
  const mocks: AgencyMocks[] = await Promise.all(
    Array.from({ length: options.agencies }, (_, i) => startAgency(`agency-${i + 1}`, options.limits)),
  );
  const world: World = {
    redisPort: options.redisPort,
    prefix: `t-${options.name}`,
    listingsPerAgency: options.listings,
    agencies: mocks.map((m) => (m as AgencyMocks & { urls: World['agencies'][number] }).urls),
    limits: options.limits,
    postgresUrl: options.postgresUrl,
  };
  const file = join(options.dir, `${options.name}.json`);
  await writeFile(file, JSON.stringify(world));
  const config = fleetConfig(world);
  const fleet = new SyncFleet(config);
  const children = new Set<ChildProcess>();
  const spawnWorker = async (extra: string[] = []) => {
    const child = spawn(
      process.execPath,
      ['--experimental-transform-types', '--no-warnings', '--import', hooks, workerScript, file, ...extra],
      // stdin is a pipe only so that the worker sees the test process go away (its end closes).
      { stdio: ['pipe', 'pipe', 'inherit'] },
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
    for (let i = 0; i < 1500; i++) {
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
    await ((await config.store) as unknown as { close(): Promise<void> }).close();
    await Promise.all(mocks.map((m) => m.close()));
  };
  const enqueueAll = () => Promise.all(mocks.map((m) => fleet.enqueue(m.id)));
  const totalWrites = () => mocks.reduce((sum, m) => sum + m.writes.rentix + m.writes.indomio + m.writes.pfcrm, 0);
  return { mocks, world, fleet, spawnWorker, settle, stop, enqueueAll, totalWrites };
}

/** Every CRM listing is on every portal exactly once, and nothing else is. */
export function expectAllOnceEverywhere(mocks: readonly AgencyMocks[], listings: number) {
  let duplicates = 0;
  let lost = 0;
  let extra = 0;
  for (const agency of mocks) {
    const crm = crmListings(agency.id, listings).map((l) => l.id);
    const on = held(agency);
    for (const portal of PORTALS) {
      for (const id of crm) {
        const n = on[portal].get(id) ?? 0;
        if (n === 0) lost++;
        if (n > 1) duplicates += n - 1;
      }
      extra += on[portal].size - crm.filter((id) => on[portal].has(id)).length;
    }
  }
  expect({ duplicates, lost, extra }).toEqual({ duplicates: 0, lost: 0, extra: 0 });
}

/** What the portals of each agency hold, by agency, portal and CRM id (see {@link contents}). */
export function snapshot(mocks: readonly AgencyMocks[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const agency of mocks) {
    const held = contents(agency);
    for (const portal of PORTALS) for (const [id, c] of held[portal]) out.set(`${agency.id}/${portal}/${id}`, c);
  }
  return out;
}

/** The keys whose contents differ between two snapshots (missing on either side included), at most `max`. */
export function differences(a: Map<string, string>, b: Map<string, string>, max = 5): string[] {
  const out: string[] = [];
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    if (a.get(key) !== b.get(key)) out.push(key);
    if (out.length >= max) break;
  }
  return out;
}
