// The sync-queue command on a real Redis: enqueue and schedule rounds from the vendor's config
// module, then read them back in the status table, as JSON and as Prometheus text.
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
import { parseDuration, runCommand, SyncFleet } from '../src/index.js';
import { fleetConfig, type World } from './support/world.js';

const run = serviceAvailable('Redis', redisMissing());
let service: RedisService | undefined;
let dir = '';
const config = fileURLToPath(new URL('./support/cli-config.ts', import.meta.url));

beforeAll(async () => {
  if (!run) return;
  service = await startRedis();
  dir = await mkdtemp(join(tmpdir(), 'sync-queue-cli-'));
}, 30_000);

afterAll(async () => {
  await service?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function command(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCommand(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('parseDuration', () => {
  it('reads the units a schedule is written in', () => {
    expect([parseDuration('250ms'), parseDuration('30s'), parseDuration('5m'), parseDuration('1h')]).toEqual([
      250, 30_000, 300_000, 3_600_000,
    ]);
    expect(() => parseDuration('soon')).toThrow(/not a duration/);
  });
});

describe.runIf(run)('sync-queue', () => {
  it('enqueues deduplicated rounds, schedules agencies and reports the queues', async () => {
    const url = 'http://127.0.0.1:9';
    const world: World = {
      redisPort: (service as RedisService).port,
      prefix: 't-cli',
      listingsPerAgency: 1,
      agencies: ['a1', 'a2', 'a3'].map((id) => ({ id, rentix: url, indomio: url, pfcrm: url })),
      limits: {
        rentix: { default: { limit: 1, windowMs: 1000 }, bulk: { limit: 1, windowMs: 1000 } },
        indomio: { limit: 1, windowMs: 1000 },
        pfcrm: { limit: 1, windowMs: 1000 },
      },
    };
    const file = join(dir, 'world.json');
    await writeFile(file, JSON.stringify(world));
    process.env.SYNC_QUEUE_TEST_WORLD = file;

    expect(await command('enqueue', 'a1', '--config', config)).toMatchObject({ code: 0 });
    // Asked again before a worker took it: the waiting round absorbs the trigger.
    expect(await command('enqueue', 'a1', '--config', config, '--portals', 'rentix')).toMatchObject({ code: 0 });
    expect(await command('enqueue', '--all', '--config', config, '--portals', 'pfcrm')).toMatchObject({ code: 0 });
    const status = await command('status', '--config', config);
    expect(status.code).toBe(0);
    const rows = Object.fromEntries(
      status.out
        .split('\n')
        .slice(1)
        .map((line) => line.trim().split(/\s+/))
        .map(([portal, waiting]) => [portal, Number(waiting)]),
    );
    expect(rows).toEqual({ rentix: 1, indomio: 1, pfcrm: 3 });

    expect(await command('schedule', '--all', '--every', '5m', '--config', config)).toMatchObject({ code: 0 });
    const fleet = new SyncFleet(fleetConfig(world));
    try {
      const schedulers = await fleet.queue('indomio').getJobSchedulers();
      expect(schedulers.map((s) => [s.key, s.every]).sort()).toEqual([
        ['a1', 300_000],
        ['a2', 300_000],
        ['a3', 300_000],
      ]);
    } finally {
      await fleet.close();
    }
    // Each schedule's first tick waits beside the rounds.
    const prometheus = await command('status', '--prometheus', '--config', config);
    expect(prometheus.out).toContain('sync_queue_jobs{portal="pfcrm",state="waiting"} 6');
    expect(JSON.parse((await command('status', '--json', '--config', config)).out).portals.rentix.queue.waiting).toBe(
      4,
    );
  });

  it('says what is wrong with a command line', async () => {
    expect(await command('launch', '--config', config)).toMatchObject({
      code: 2,
      err: expect.stringContaining('unknown command'),
    });
    expect(await command('status')).toMatchObject({ code: 2, err: expect.stringContaining('--config') });
    expect(await command('schedule', 'a1', '--config', config)).toMatchObject({
      code: 1,
      err: expect.stringContaining('--every'),
    });
  });
});
