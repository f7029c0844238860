import { describe, expect, it } from 'vitest';
import { MemoryIdentifierMap, type SyncHandlers, SyncState, syncItems, UNCHANGED } from '../src/index.js';

interface Item {
  id: string;
  price: number;
}

/** A portal in memory that assigns ids and can be told to refuse some items. */
function portal() {
  const records = new Map<string, { key: string; price: number }>();
  const calls: string[] = [];
  const refuse = new Set<string>();
  let next = 1;
  const handlers: SyncHandlers<Item> = {
    key: (i) => i.id,
    async upsert(item, { portalId }) {
      calls.push(`upsert ${item.id}`);
      if (refuse.has(item.id)) throw new Error(`refused ${item.id}`);
      const id = portalId ?? `P${next++}`;
      records.set(id, { key: item.id, price: item.price });
      return id;
    },
    async remove(key, { portalId }) {
      calls.push(`remove ${key}`);
      if (portalId) records.delete(portalId);
    },
  };
  return { records, calls, refuse, handlers };
}

describe('syncItems', () => {
  it('creates everything on the first run, then sends only changes and removes what disappeared', async () => {
    const p = portal();
    const state = new SyncState(new MemoryIdentifierMap(), 'demo');
    const first = await syncItems(
      [
        { id: 'a', price: 1 },
        { id: 'b', price: 2 },
        { id: 'c', price: 3 },
      ],
      p.handlers,
      { state },
    );
    expect(first).toMatchObject({ total: 3, succeeded: 3, created: 3, updated: 0, removed: 0, unchanged: 0 });
    expect(p.records.size).toBe(3);

    p.calls.length = 0;
    const second = await syncItems(
      [
        { id: 'a', price: 1 },
        { id: 'b', price: 20 },
        { id: 'd', price: 4 },
      ],
      p.handlers,
      { state },
    );
    expect(second).toMatchObject({ created: 1, updated: 1, removed: 1, unchanged: 1, failed: 0 });
    expect(p.calls.sort()).toEqual(['remove c', 'upsert b', 'upsert d']);
    expect(second.items.map((o) => o.item.key)).toEqual(['a', 'b', 'd', 'c']);
    expect(second.items[0]).toMatchObject({ status: 'skipped', reason: UNCHANGED });
    expect([...p.records.values()].map((r) => `${r.key}=${r.price}`).sort()).toEqual(['a=1', 'b=20', 'd=4']);
  });

  it('reports a refused item failed, does not record it, and sends it again next time', async () => {
    const p = portal();
    const state = new SyncState(new MemoryIdentifierMap(), 'demo');
    p.refuse.add('b');
    const items = [
      { id: 'a', price: 1 },
      { id: 'b', price: 2 },
    ];
    const first = await syncItems(items, p.handlers, { state });
    expect(first.items.map((o) => o.status)).toEqual(['succeeded', 'failed']);
    const failed = first.items[1];
    expect(failed?.status === 'failed' && failed.error.message).toBe('refused b');
    p.refuse.clear();
    p.calls.length = 0;
    const second = await syncItems(items, p.handlers, { state });
    expect(p.calls).toEqual(['upsert b']);
    expect(second).toMatchObject({ created: 1, unchanged: 1 });
  });

  it('refuses a key given twice and keeps removals off when asked', async () => {
    const p = portal();
    const state = new SyncState(new MemoryIdentifierMap(), 'demo');
    await syncItems([{ id: 'x', price: 1 }], p.handlers, { state });
    const report = await syncItems(
      [
        { id: 'a', price: 1 },
        { id: 'a', price: 2 },
      ],
      p.handlers,
      { state, removeMissing: false, operation: 'listings.sync' },
    );
    expect(report.items.map((o) => o.status)).toEqual(['succeeded', 'failed']);
    expect(report.items[1]).toMatchObject({
      status: 'failed',
      error: { portal: 'demo', operation: 'listings.sync', itemId: 'a' },
    });
    expect(report.removed).toBe(0);
    expect(p.records.size).toBe(2);
  });

  it('reports progress for every item and skips the rest after an abort', async () => {
    const p = portal();
    const state = new SyncState(new MemoryIdentifierMap(), 'demo');
    const controller = new AbortController();
    const seen: number[] = [];
    const items = Array.from({ length: 10 }, (_, i) => ({ id: `i${i}`, price: i }));
    const report = await syncItems(items, p.handlers, {
      state,
      concurrency: 1,
      signal: controller.signal,
      onProgress: (progress) => {
        seen.push(progress.done);
        if (progress.done === 4) controller.abort();
      },
    });
    expect(report).toMatchObject({ succeeded: 4, skipped: 6 });
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // The skipped items were not recorded: the next run sends them.
    const again = await syncItems(items, p.handlers, { state });
    expect(again).toMatchObject({ created: 6, unchanged: 4 });
  });

  it('keeps the first id when another worker recorded the same create first, and reports the duplicate', async () => {
    const map = new MemoryIdentifierMap();
    const state = new SyncState(map, 'pf');
    const handlers: SyncHandlers<Item> = {
      key: (i) => i.id,
      async upsert(item) {
        // Meanwhile another worker created the same item and recorded its id.
        await map.setIfAbsent('pf', 'listing', item.id, 'P-other');
        return 'P-mine';
      },
      async remove() {},
    };
    const report = await syncItems([{ id: 'a', price: 1 }], handlers, { state });
    expect(report.items[0]).toMatchObject({
      status: 'succeeded',
      value: { key: 'a', action: 'created', portalId: 'P-other', discardedPortalId: 'P-mine' },
    });
    expect(await state.portalId('a')).toBe('P-other');
    expect((await state.plan([{ id: 'a', price: 1 }], (i) => i.id)).unchanged).toHaveLength(1);
  });
});
