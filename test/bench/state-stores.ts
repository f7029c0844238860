// Sync state stores side by side at 10k, 100k and 1M entries: the JSON file (the baseline), SQLite,
// and PostgreSQL and Redis on loopback (real servers, durable PostgreSQL). Each store is filled in
// one fresh process and measured in another, so every peak RSS is that store's alone.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Service, startPostgres, startRedis } from '../../packages/core/test/support/services.ts';

const SIZES = [10_000, 100_000, 1_000_000];
/** The JSON file rewrites itself whole on every change: at 1M entries one open takes seconds and most of a GB. */
const JSON_SIZES = [10_000, 100_000];
const TARGETS = { sqliteChangeMs: 2, sqliteOpenMs1M: 50, sqliteRssMb1M: 150, serverChangeMs: 2, serverBatchMs: 10 };

type Store = 'json' | 'sqlite' | 'sqlite-normal' | 'postgres' | 'redis';
interface ChildArgs {
  phase: 'fill' | 'measure';
  store: Store;
  size: number;
  target: string;
}
interface Measured {
  openMs: number;
  changeMs: number;
  batchMs: number;
  listMs: number;
  listed: number;
  /** Peak RSS of the process through open, changes and batches: what the store holds. */
  peakRssMb: number;
  /** Peak RSS once a round's fingerprints are listed too (the caller's map of them included). */
  listRssMb: number;
}

/**
 * Runs in the child (plain JavaScript once node strips the types; no TypeScript loader adds
 * to its memory). `size` entries: size/2 listings, each with a portal id and a fingerprint.
 */
async function child(args: ChildArgs): Promise<unknown> {
  const { readFileSync } = await import('node:fs');
  const core = await import('@sync/core');
  // The drivers are loaded before anything is timed: `open` measures connecting, not loading modules.
  const postgresModule = args.store === 'postgres' ? await import('@sync/core/postgres') : undefined;
  const redisModule = args.store === 'redis' ? await import('@sync/core/redis') : undefined;
  if (postgresModule) await import('pg');
  if (redisModule) await import('ioredis');
  const name = `bench_${args.size}`;
  const open = async () => {
    if (args.store === 'json') return core.JsonFileIdentifierMap.open(args.target);
    if (args.store === 'sqlite') return core.SqliteIdentifierMap.open(args.target);
    if (args.store === 'sqlite-normal') return core.SqliteIdentifierMap.open(args.target, { synchronous: 'normal' });
    if (postgresModule) {
      const table = name;
      return postgresModule.PostgresIdentifierMap.open({ connectionString: args.target, table, maxConnections: 1 });
    }
    const buckets = Math.max(1024, args.size / 100);
    return (redisModule as typeof import('@sync/core/redis')).RedisIdentifierMap.open({
      url: args.target,
      prefix: name,
      buckets,
    });
  };
  const close = async (map: unknown) => {
    const m = map as { close?: () => Promise<void>; flush?: () => Promise<void> };
    await m.flush?.();
    await m.close?.();
  };
  const listings = args.size / 2;
  const hash = (i: number, round: number) => `${round}`.padStart(8, '0') + `${i}`.padStart(56, 'f');
  if (args.phase === 'fill') {
    const map = await open();
    const state = new core.SyncState(map, 'acme');
    const chunk = 10_000;
    for (let from = 0; from < listings; from += chunk) {
      const records = [];
      for (let i = from; i < Math.min(listings, from + chunk); i++) {
        records.push({ externalId: `crm-${i}`, fingerprint: hash(i, 0), portalId: `${1_000_000 + i}` });
      }
      await state.recordMany(records, { version: 1 });
    }
    await close(map);
    return { filled: listings };
  }
  const hwm = () => {
    try {
      return Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]) / 1024;
    } catch {
      return process.memoryUsage.rss() / 1024 / 1024;
    }
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  let started = performance.now();
  const map = await open();
  const openMs = performance.now() - started;
  const state = new core.SyncState(map, 'acme');
  // One recorded change: a listing's new fingerprint and its id, committed (the JSON file: saved).
  const changes = args.store === 'json' ? 15 : 200;
  const changeTimes: number[] = [];
  for (let k = 0; k < changes; k++) {
    const i = (k * 7919) % listings;
    started = performance.now();
    await state.record(`crm-${i}`, hash(i, k + 1), `${1_000_000 + i}`, { version: 2 + k });
    changeTimes.push(performance.now() - started);
  }
  // One bulk chunk's results: 100 listings, ids and fingerprints, in one batch.
  const batches = args.store === 'json' ? 5 : 30;
  const batchTimes: number[] = [];
  for (let k = 0; k < batches; k++) {
    const records = [];
    for (let j = 0; j < 100; j++) {
      const i = (k * 100 + j) % listings;
      records.push({ externalId: `crm-${i}`, fingerprint: hash(i, 1000 + k), portalId: `${1_000_000 + i}` });
    }
    started = performance.now();
    await state.recordMany(records, { version: 1000 + k });
    batchTimes.push(performance.now() - started);
  }
  const peakRssMb = hwm();
  // What a sync round reads first: every fingerprint of the portal.
  const listTimes: number[] = [];
  let listed = 0;
  for (let k = 0; k < 3; k++) {
    started = performance.now();
    listed = (await state.fingerprints()).size;
    listTimes.push(performance.now() - started);
  }
  await close(map);
  return {
    openMs,
    changeMs: median(changeTimes),
    batchMs: median(batchTimes),
    listMs: median(listTimes),
    listed,
    peakRssMb,
    listRssMb: hwm(),
  } satisfies Measured;
}

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

async function inChild(args: ChildArgs): Promise<unknown> {
  const script = `const child = ${child.toString()};\nprocess.stdout.write(JSON.stringify(await child(${JSON.stringify(args)})));`;
  const proc = spawn(process.execPath, ['--input-type=module', '-e', script], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout.setEncoding('utf8').on('data', (t: string) => {
    out += t;
  });
  proc.stderr.setEncoding('utf8').on('data', (t: string) => {
    err += t;
  });
  const code = await new Promise<number | null>((resolve) => proc.on('exit', resolve));
  if (code !== 0) throw new Error(`${args.store} ${args.phase} ${args.size} failed (${code}):\n${err}`);
  return JSON.parse(out);
}

const fmt = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(0));
const label = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`);

export async function benchStateStores() {
  const dir = await mkdtemp(join(tmpdir(), 'sync-bench-state-'));
  let postgres: Service | undefined;
  let redis: Service | undefined;
  try {
    [postgres, redis] = await Promise.all([startPostgres({ durable: true }), startRedis()]);
    const targetOf = (store: Store, size: number) =>
      store === 'json'
        ? join(dir, `state-${size}.json`)
        : store === 'sqlite' || store === 'sqlite-normal'
          ? join(dir, `state-${size}.db`)
          : ((store === 'postgres' ? postgres : redis) as Service).url;
    const rows: Array<{ store: Store; size: number; m: Measured }> = [];
    for (const size of SIZES) {
      for (const store of ['json', 'sqlite', 'sqlite-normal', 'postgres', 'redis'] as const) {
        if (store === 'json' && !JSON_SIZES.includes(size)) continue;
        const target = targetOf(store, size);
        // sqlite-normal reads the file sqlite filled (and changed): only the flushing differs.
        if (store !== 'sqlite-normal') await inChild({ phase: 'fill', store, size, target });
        // The fill's writes reach the disk before anything is measured, so no store pays for the one before.
        try {
          execFileSync('sync');
        } catch {}
        rows.push({ store, size, m: (await inChild({ phase: 'measure', store, size, target })) as Measured });
      }
    }

    const missed: string[] = [];
    const at = (store: Store, size: number) => rows.find((r) => r.store === store && r.size === size)?.m;
    for (const r of rows) {
      const where = `${r.store} at ${label(r.size)}`;
      if (r.store === 'sqlite' && r.m.changeMs > TARGETS.sqliteChangeMs) missed.push(`${where}: change`);
      if ((r.store === 'postgres' || r.store === 'redis') && r.m.changeMs > TARGETS.serverChangeMs)
        missed.push(`${where}: change`);
      if ((r.store === 'postgres' || r.store === 'redis') && r.m.batchMs > TARGETS.serverBatchMs)
        missed.push(`${where}: batch`);
      if (r.m.listed !== r.size / 2) missed.push(`${where}: listed ${r.m.listed} of ${r.size / 2}`);
    }
    const sqlite1M = at('sqlite', 1_000_000);
    if (sqlite1M && sqlite1M.openMs > TARGETS.sqliteOpenMs1M) missed.push('sqlite at 1M: open');
    if (sqlite1M && sqlite1M.peakRssMb > TARGETS.sqliteRssMb1M) missed.push('sqlite at 1M: RSS');

    const line = (cells: string[]) =>
      cells.map((c, i) => (i === 0 ? c.padEnd(7) : i === 1 ? c.padEnd(13) : c.padStart(11))).join(' ');
    const table = [
      line(['entries', 'store', 'open ms', 'change ms', 'batch100 ms', 'list ms', 'RSS MB', 'list RSS MB']),
      ...rows.map((r) =>
        line([
          label(r.size),
          r.store,
          fmt(r.m.openMs),
          fmt(r.m.changeMs),
          fmt(r.m.batchMs),
          fmt(r.m.listMs),
          r.m.peakRssMb.toFixed(0),
          r.m.listRssMb.toFixed(0),
        ]),
      ),
    ];
    const notes = [
      `entries: half listing ids, half fingerprints; change = one listing's id and fingerprint committed (medians);`,
      `batch100 = one bulk chunk's 100 results (200 writes) in one batch; list = every fingerprint of the portal;`,
      `RSS = peak RSS through open, changes and batches; list RSS = the peak once the fingerprints are listed`,
      `into the caller's Map (at 1M: 500k strings, plus V8's young generation, which --max-semi-space-size bounds).`,
      `JSON at 1M left out: it reads and rewrites the whole file (seconds, most of a GB). SQLite is the default`,
      `(synchronous=FULL: each commit flushed to disk); sqlite-normal the same file with synchronous: 'normal'.`,
      `PostgreSQL runs with fsync and synchronous commit on; its and Redis' RSS is the client process only;`,
      `open includes connecting (drivers already loaded). Redis buckets: max(1024, entries/100).`,
      `targets: SQLite change <= ${TARGETS.sqliteChangeMs} ms, open at 1M <= ${TARGETS.sqliteOpenMs1M} ms, RSS at 1M <= ${TARGETS.sqliteRssMb1M} MB;`,
      `PostgreSQL and Redis change <= ${TARGETS.serverChangeMs} ms, batch <= ${TARGETS.serverBatchMs} ms — ${missed.length ? `MISSED: ${missed.join(', ')}` : 'all met'}`,
    ];
    const baseline = at('json', 100_000)?.changeMs ?? Number.NaN;
    const measured = at('sqlite', 100_000)?.changeMs ?? Number.NaN;
    return {
      name: 'state stores: one recorded change at 100k entries, SQLite against the JSON file',
      baselineMs: baseline,
      measuredMs: measured,
      ratio: measured / baseline,
      target: 0.1,
      extra: [...table, ...notes].join('\n  '),
      failed: missed.length > 0,
    };
  } finally {
    await Promise.all([postgres?.stop(), redis?.stop()]);
    await rm(dir, { recursive: true, force: true });
  }
}
