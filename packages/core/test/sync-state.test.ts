import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JsonFileIdentifierMap, MemoryIdentifierMap, REMOVED, SyncState } from '../src/index.js';

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
});
