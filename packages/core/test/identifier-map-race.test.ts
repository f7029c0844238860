// Two real processes race on the same listings in one shared store (SQLite file, PostgreSQL,
// Redis): set-if-absent records exactly one id, record-if-newer never lets an older version
// replace a newer one, and no acknowledged write is lost.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdentifierMap, IdentifierWriteResult } from '../src/identifier-map.js';
import { PostgresIdentifierMap } from '../src/postgres-identifier-map.js';
import { RedisIdentifierMap } from '../src/redis-identifier-map.js';
import { SqliteIdentifierMap } from '../src/sqlite-identifier-map.js';
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
const ROUNDS = 150;
const worker = fileURLToPath(new URL('./fixtures/race-worker.ts', import.meta.url));
const hooks = fileURLToPath(new URL('./support/source-hooks.ts', import.meta.url));

let dir: string;
let postgres: Service | undefined;
let redis: Service | undefined;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sync-race-'));
  [postgres, redis] = await Promise.all([
    withPostgres ? startPostgres() : undefined,
    withRedis ? startRedis() : undefined,
  ]);
}, 60_000);
afterAll(async () => {
  await Promise.all([postgres?.stop(), redis?.stop()]);
  await rm(dir, { recursive: true, force: true });
}, 60_000);

type Line =
  | ({ op: 'claim'; i: number } & IdentifierWriteResult)
  | ({ op: 'newer'; version: number } & IdentifierWriteResult)
  | { op: 'batch'; i: number; version: number; results: IdentifierWriteResult[] };

interface Worker {
  /** Resolves when the worker waits for the next round (or has exited). */
  ready(): Promise<void>;
  go(): void;
  done: Promise<Line[]>;
}

function startWorker(args: string[]): Worker {
  const child = spawn(process.execPath, ['--import', hooks, worker, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: Line[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  let waiting = 0;
  let wake: (() => void) | undefined;
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line !== 'ready') lines.push(JSON.parse(line) as Line);
    else {
      waiting++;
      wake?.();
    }
  });
  const done = new Promise<Line[]>((resolve, reject) => {
    child.on('exit', (code) => {
      wake?.();
      if (code === 0) resolve(lines);
      else reject(new Error(`worker exited with ${code}:\n${stderr}`));
    });
  });
  done.catch(() => undefined);
  let exited = false;
  done.finally(() => {
    exited = true;
  });
  return {
    ready: async () => {
      while (waiting === 0 && !exited) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    },
    go: () => {
      if (waiting > 0 && !exited) {
        waiting--;
        child.stdin.write('go\n');
      }
    },
    done,
  };
}

/** Runs workers a and b against one store, starting every round in both at once. */
async function race(store: string, target: string, name: string): Promise<{ a: Line[]; b: Line[] }> {
  const a = startWorker([store, target, name, 'a', String(ROUNDS)]);
  const b = startWorker([store, target, name, 'b', String(ROUNDS)]);
  for (let round = 0; round < ROUNDS; round++) {
    await Promise.all([a.ready(), b.ready()]);
    a.go();
    b.go();
  }
  const [la, lb] = await Promise.all([a.done, b.done]);
  return { a: la, b: lb };
}

async function check(map: IdentifierMap, { a, b }: { a: Line[]; b: Line[] }): Promise<void> {
  const all = [...a, ...b];
  // Set-if-absent: for each listing exactly one claim was stored, both learned that id, and it is the one recorded.
  for (let i = 0; i < ROUNDS; i++) {
    const claims = all.filter((l): l is Extract<Line, { op: 'claim' }> => l.op === 'claim' && l.i === i);
    expect(claims).toHaveLength(2);
    expect(claims.filter((c) => c.stored)).toHaveLength(1);
    const winner = claims.find((c) => c.stored)?.portalId;
    expect(claims.map((c) => c.portalId)).toEqual([winner, winner]);
    expect(await map.get('pf', 'listing', `L-${i}`)).toBe(winner);
  }
  // Record-if-newer: a refused write was refused because a newer version was stored…
  const versionOf = (portalId: string) => Number(portalId.replace(/^[ab]-v/, ''));
  const newer = all.filter((l): l is Extract<Line, { op: 'newer' }> => l.op === 'newer');
  expect(newer).toHaveLength(2 * ROUNDS);
  for (const n of newer) {
    if (n.stored) expect(n.portalId).toBe(`${n.version % 2 ? 'b' : 'a'}-v${n.version}`);
    else expect(versionOf(n.portalId)).toBeGreaterThanOrEqual(n.version);
  }
  // …and what stays is the highest version acknowledged (the highest written, so it was stored).
  const highest = Math.max(...newer.filter((n) => n.stored).map((n) => n.version));
  expect(highest).toBe(2 * ROUNDS - 1);
  expect(await map.get('pf', 'listing-fingerprint', 'shared')).toBe(`b-v${highest}`);
  // Batches: every acknowledged entry is there, and each shared key holds b's (newer) version.
  for (let i = 0; i < ROUNDS; i++) {
    expect(await map.get('pf', 'own', `a-${i}`)).toBe(`own-a-${i}`);
    expect(await map.get('pf', 'own', `b-${i}`)).toBe(`own-b-${i}`);
    expect(await map.get('pf', 'listing-fingerprint', `S-${i}`)).toBe(`b-v${2 * i + 1}`);
  }
  expect((await map.list('pf', 'own')).length).toBe(2 * ROUNDS);
}

describe('two processes racing on the same listings', () => {
  it('SQLite file: one id per listing, never an older version over a newer one', async () => {
    const file = join(dir, 'race.db');
    const lines = await race('sqlite', file, 'race');
    const map = await SqliteIdentifierMap.open(file, { account: 'agency-race' });
    try {
      await check(map, lines);
    } finally {
      await map.close();
    }
  }, 120_000);

  it.skipIf(!withPostgres)(
    'PostgreSQL: one id per listing, never an older version over a newer one',
    async () => {
      const url = (postgres as Service).url;
      const lines = await race('postgres', url, 'race_ids');
      const map = await PostgresIdentifierMap.open({
        connectionString: url,
        table: 'race_ids',
        account: 'agency-race',
      });
      try {
        await check(map, lines);
      } finally {
        await map.close();
      }
    },
    120_000,
  );

  it.skipIf(!withRedis)(
    'Redis: one id per listing, never an older version over a newer one',
    async () => {
      const url = (redis as Service).url;
      const lines = await race('redis', url, 'race');
      const map = await RedisIdentifierMap.open({ url, prefix: 'race', account: 'agency-race' });
      try {
        await check(map, lines);
      } finally {
        await map.close();
      }
    },
    120_000,
  );
});
