import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type IdentifierWrite,
  type IdentifierWriteResult,
  JsonFileIdentifierMap,
  MemoryIdentifierMap,
  nextVersion,
  REMOVED,
  SqliteIdentifierMap,
  SyncState,
} from '../src/index.js';

/** A memory map that logs every batch write it is given. */
class RecordingMap extends MemoryIdentifierMap {
  readonly batches: IdentifierWrite[][] = [];
  override async setMany(writes: readonly IdentifierWrite[]): Promise<IdentifierWriteResult[]> {
    this.batches.push([...writes]);
    return super.setMany(writes);
  }
}

const items = [
  { id: 'a', price: 1 },
  { id: 'b', price: 2 },
  { id: 'c', price: 3 },
];

describe('SyncState', () => {
  it('plans everything as new on the first run', async () => {
    const state = new SyncState(new MemoryIdentifierMap(), 'p');
    const plan = await state.plan(items, (i) => i.id);
    expect(plan.changed.map((c) => [c.key, c.isNew])).toEqual([
      ['a', true],
      ['b', true],
      ['c', true],
    ]);
    expect(plan.unchanged).toEqual([]);
    expect(plan.removed).toEqual([]);
  });

  it('sends only what changed, and reports what disappeared once', async () => {
    const state = new SyncState(new MemoryIdentifierMap(), 'p');
    for (const c of (await state.plan(items, (i) => i.id)).changed)
      await state.record(c.key, c.fingerprint, `P-${c.key}`);
    const next = [
      { id: 'a', price: 1 },
      { id: 'b', price: 20 },
      { id: 'd', price: 4 },
    ];
    const plan = await state.plan(next, (i) => i.id);
    expect(plan.changed.map((c) => [c.key, c.isNew])).toEqual([
      ['b', false],
      ['d', true],
    ]);
    expect(plan.unchanged.map((u) => u.key)).toEqual(['a']);
    expect(plan.removed).toEqual(['c']);
    expect(await state.portalId('c')).toBe('P-c');
    await state.recordRemoved('c');
    expect(await state.fingerprintOf('c')).toBe(REMOVED);
    expect((await state.plan(next, (i) => i.id)).removed).toEqual([]);
  });

  it('fingerprints only the content it is told to, and keys of other portals stay apart', async () => {
    const map = new MemoryIdentifierMap();
    const one = new SyncState(map, 'one');
    const two = new SyncState(map, 'two');
    const first = await one.plan(
      items,
      (i) => i.id,
      (i) => ({ price: i.price }),
    );
    for (const c of first.changed) await one.record(c.key, c.fingerprint);
    const renamed = items.map((i) => ({ ...i, note: 'ignored' }));
    expect(
      (
        await one.plan(
          renamed,
          (i) => i.id,
          (i) => ({ price: i.price }),
        )
      ).changed,
    ).toEqual([]);
    expect((await two.plan(items, (i) => i.id)).changed).toHaveLength(3);
  });

  it('survives a restart in a JSON-file map', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sync-state-'));
    try {
      const file = join(dir, 'state.json');
      const map = await JsonFileIdentifierMap.open(file);
      const state = new SyncState(map, 'p');
      for (const c of (await state.plan(items, (i) => i.id)).changed) await state.record(c.key, c.fingerprint, c.key);
      await map.close();
      const reopenedMap = await JsonFileIdentifierMap.open(file);
      const reopened = new SyncState(reopenedMap, 'p');
      expect((await reopened.plan(items, (i) => i.id)).changed).toEqual([]);
      await reopened.forget('a');
      expect((await reopened.plan(items, (i) => i.id)).changed.map((c) => c.key)).toEqual(['a']);
      await reopenedMap.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('records the portal id before the fingerprint, both in one batch write, and a chunk in one batch', async () => {
    const map = new RecordingMap();
    const state = new SyncState(map, 'p');
    await state.record('a', 'print-a', 'P-a');
    expect(map.batches).toEqual([
      [
        { portal: 'p', kind: 'listing', externalId: 'a', portalId: 'P-a', version: undefined, ifAbsent: undefined },
        { portal: 'p', kind: 'listing-fingerprint', externalId: 'a', portalId: 'print-a', version: undefined },
      ],
    ]);
    map.batches.length = 0;
    const chunk = Array.from({ length: 100 }, (_, i) => ({
      externalId: `L-${i}`,
      fingerprint: `h${i}`,
      portalId: `${i}`,
    }));
    await state.recordMany([...chunk, { externalId: 'gone', fingerprint: REMOVED }], { version: 7 });
    expect(map.batches).toHaveLength(1);
    expect(map.batches[0]).toHaveLength(201);
    expect(map.batches[0]?.every((w) => w.version === 7)).toBe(true);
    expect(await state.fingerprintOf('gone')).toBe(REMOVED);
    expect(await state.portalId('L-99')).toBe('99');
  });

  it('keeps the record of a newer plan when a record from an older plan arrives late', async () => {
    const state = new SyncState(new MemoryIdentifierMap(), 'p');
    const older = await state.plan(items, (i) => i.id);
    const newer = await state.plan([{ id: 'a', price: 100 }], (i) => i.id);
    expect(newer.version).toBeGreaterThan(older.version);
    const [fresh] = newer.changed;
    await state.record('a', fresh?.fingerprint ?? '', 'P-new', { version: newer.version });
    const late = await state.record('a', older.changed[0]?.fingerprint ?? '', 'P-old', { version: older.version });
    expect(late).toEqual({ externalId: 'a', stored: false, portalId: 'P-new', discardedPortalId: undefined });
    expect(await state.fingerprintOf('a')).toBe(fresh?.fingerprint);
    expect(await state.portalId('a')).toBe('P-new');
  });

  it('records a create only if no id is recorded yet: the id of the first writer wins', async () => {
    const state = new SyncState(new MemoryIdentifierMap(), 'pf');
    const version = nextVersion();
    const [first] = await state.recordMany([{ externalId: 'a', fingerprint: 'h', portalId: '101', created: true }], {
      version,
    });
    const [second] = await state.recordMany([{ externalId: 'a', fingerprint: 'h', portalId: '202', created: true }], {
      version: version + 1,
    });
    expect(first).toMatchObject({ stored: true, portalId: '101', discardedPortalId: undefined });
    expect(second).toMatchObject({ portalId: '101', discardedPortalId: '202' });
    expect(await state.portalId('a')).toBe('101');
  });

  it('reads many portal ids in one pass over the store, a few one by one, with the same answers', async () => {
    class CountingMap extends MemoryIdentifierMap {
      gets = 0;
      passes = 0;
      override get(portal: string, kind: string, externalId: string) {
        this.gets++;
        return super.get(portal, kind, externalId);
      }
      override iterate(portal: string, kind?: string) {
        this.passes++;
        return super.iterate(portal, kind);
      }
    }
    const map = new CountingMap();
    const state = new SyncState(map, 'p');
    const keys = Array.from({ length: 200 }, (_, i) => `k${i}`);
    // Ids of every other key, one of them without a fingerprint (a create recorded before its content).
    await state.recordMany(
      keys.filter((_, i) => i % 2 === 0).map((k) => ({ externalId: k, fingerprint: 'f', portalId: `id-${k}` })),
    );
    await map.set('p', 'listing', 'k1', 'id-k1');
    const expected = new Map(keys.map((k, i) => [k, i % 2 === 0 || k === 'k1' ? `id-${k}` : undefined]));

    const many = await state.portalIds(keys, 100);
    expect(new Map([...many].filter(([, v]) => v !== undefined))).toEqual(
      new Map([...expected].filter(([, v]) => v !== undefined)),
    );
    expect([map.passes, map.gets]).toEqual([1, 0]);

    const few = await state.portalIds(['k0', 'k1', 'k3'], 100);
    expect([...few]).toEqual([
      ['k0', 'id-k0'],
      ['k1', 'id-k1'],
      ['k3', undefined],
    ]);
    expect([map.passes, map.gets]).toEqual([1, 3]);
  });

  it('gives every plan a strictly higher version than the one before', async () => {
    const state = new SyncState(new MemoryIdentifierMap(), 'p');
    const versions: number[] = [];
    for (let i = 0; i < 50; i++) versions.push((await state.plan([], (x: string) => x)).version);
    expect(versions.every((v, i) => i === 0 || v > (versions[i - 1] as number))).toBe(true);
  });

  it('survives a restart in an SQLite map, each agency apart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sync-state-'));
    try {
      const file = join(dir, 'state.db');
      const map = await SqliteIdentifierMap.open(file);
      const state = new SyncState(map.forAccount('agency-1'), 'p');
      const plan = await state.plan(items, (i) => i.id);
      await state.recordMany(
        plan.changed.map((c) => ({ externalId: c.key, fingerprint: c.fingerprint, portalId: c.key })),
        { version: plan.version },
      );
      await map.close();
      const reopened = await SqliteIdentifierMap.open(file);
      expect((await new SyncState(reopened.forAccount('agency-1'), 'p').plan(items, (i) => i.id)).changed).toEqual([]);
      expect((await new SyncState(reopened.forAccount('agency-2'), 'p').plan(items, (i) => i.id)).changed).toHaveLength(
        3,
      );
      await reopened.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
