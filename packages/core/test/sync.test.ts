import { describe, expect, it } from 'vitest';
import {
  type BatchProgress,
  type BulkSyncHandlers,
  InputValidationError,
  MemoryIdentifierMap,
  REMOVED,
  type SyncHandlers,
  type SyncRecord,
  type SyncRecordOptions,
  type SyncRecordResult,
  SyncState,
  type SyncWrite,
  syncItems,
  syncPortals,
  syncTarget,
  UNCHANGED,
} from '../src/index.js';

interface Item {
  id: string;
  price: number;
}

/** A map in memory whose methods `replace` gives are replaced (each given the map underneath). */
function watchedMap(replace: (target: MemoryIdentifierMap) => Partial<Record<keyof MemoryIdentifierMap, unknown>>) {
  const inner = new MemoryIdentifierMap();
  const replaced = replace(inner);
  return new Proxy(inner, {
    get(target, name) {
      if (Object.hasOwn(replaced, name)) return replaced[name as keyof MemoryIdentifierMap];
      const value = Reflect.get(target, name, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
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
    expect(first).toMatchObject({ portal: 'demo', total: 3, created: 3, updated: 0, removed: 0, unchanged: 0 });
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
    expect(second.items.map((o) => `${o.key} ${o.action}`)).toEqual([
      'a unchanged',
      'b updated',
      'd created',
      'c removed',
    ]);
    expect(second.items[0]).toMatchObject({ reason: UNCHANGED, item: { id: 'a', price: 1 } });
    expect(second.items[3]).toMatchObject({ key: 'c', portalId: 'P3', item: undefined });
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
    expect(first.items.map((o) => o.action)).toEqual(['created', 'failed']);
    expect(first.items[1]).toMatchObject({ key: 'b', reason: 'refused b', error: { message: 'refused b' } });
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
    expect(report.items.map((o) => o.action)).toEqual(['created', 'failed']);
    expect(report.items[1]).toMatchObject({
      reason: 'id: given twice in one sync',
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
    expect(report).toMatchObject({ created: 4, skipped: 6 });
    expect(report.items[9]).toMatchObject({ action: 'skipped', reason: expect.stringMatching(/^aborted/) });
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
      key: 'a',
      action: 'created',
      portalId: 'P-other',
      discardedPortalId: 'P-mine',
    });
    expect(await state.portalId('a')).toBe('P-other');
    expect((await state.plan([{ id: 'a', price: 1 }], (i) => i.id)).unchanged).toHaveLength(1);
  });
});

interface Row {
  id: string;
  price: number;
  status: 'active' | 'draft';
}

describe('syncItems: preparing, excluding, bulk writes', () => {
  /** Refuses a negative price as a mapping would, naming the field. */
  const prepare = (row: Row) => {
    if (row.price < 0) {
      throw new InputValidationError([{ path: 'price', message: 'must not be negative', code: 'too_small' }], {
        itemId: row.id,
      });
    }
    return { ref: row.id, amount: row.price };
  };

  it('reports an item that cannot be prepared failed with its field, sends nothing and removes nothing for it', async () => {
    const p = portal();
    const state = new SyncState(new MemoryIdentifierMap(), 'demo');
    const handlers: SyncHandlers<Row, { ref: string; amount: number }> = {
      key: (r) => r.id,
      prepare,
      upsert: (item, context) => p.handlers.upsert({ id: item.ref, price: item.amount }, context),
      remove: p.handlers.remove,
    };
    await syncItems([{ id: 'a', price: 1, status: 'active' }], handlers, { state });
    p.calls.length = 0;
    const report = await syncItems(
      [
        { id: 'a', price: -1, status: 'active' },
        { id: 'b', price: -2, status: 'active' },
      ],
      handlers,
      { state },
    );
    expect(report.items.map((o) => [o.key, o.action, o.reason])).toEqual([
      ['a', 'failed', 'price: must not be negative'],
      ['b', 'failed', 'price: must not be negative'],
    ]);
    expect(report.items[0]?.error).toBeInstanceOf(InputValidationError);
    expect(p.calls).toEqual([]);
    expect(p.records.size).toBe(1);
  });

  it('skips an item that has no place on the portal, and removes it if an earlier round sent it', async () => {
    const p = portal();
    const state = new SyncState(new MemoryIdentifierMap(), 'demo');
    const handlers: SyncHandlers<Row> = {
      key: (r) => r.id,
      exclude: (r) => (r.status === 'draft' ? 'drafts are not published' : undefined),
      content: (r) => r.price,
      upsert: (row, context) => p.handlers.upsert(row, context),
      remove: p.handlers.remove,
    };
    const first = await syncItems(
      [
        { id: 'a', price: 1, status: 'active' },
        { id: 'b', price: 2, status: 'draft' },
      ],
      handlers,
      { state },
    );
    expect(first.items.map((o) => [o.key, o.action, o.reason])).toEqual([
      ['a', 'created', undefined],
      ['b', 'skipped', 'drafts are not published'],
    ]);
    const second = await syncItems(
      [
        { id: 'a', price: 1, status: 'draft' },
        { id: 'b', price: 2, status: 'draft' },
      ],
      handlers,
      { state, removeMissing: false },
    );
    expect(second.items.map((o) => [o.key, o.action, o.reason])).toEqual([
      ['a', 'removed', 'drafts are not published'],
      ['b', 'skipped', 'drafts are not published'],
    ]);
    expect(p.records.size).toBe(0);
    expect(await state.fingerprintOf('a')).toBe(REMOVED);
  });

  it('records a bulk round in batches, and one by one when a batch fails: only what the store refuses fails', async () => {
    const batchSizes: number[] = [];
    const map = watchedMap((target) => ({
      setMany: async (writes: Parameters<MemoryIdentifierMap['setMany']>[0]) => {
        batchSizes.push(writes.length);
        if (writes.length > 2) throw new Error('the store dropped the batch');
        if (writes.some((w) => w.externalId === 'b')) throw new Error('the store refused b');
        return target.setMany(writes);
      },
    }));
    const state = new SyncState(map, 'bulk');
    const handlers: BulkSyncHandlers<Item> = {
      key: (i) => i.id,
      async write(writes) {
        return writes.map((w) => ({ status: 'succeeded' as const, value: `R-${w.key}` }));
      },
    };
    const items = ['a', 'b', 'c'].map((id) => ({ id, price: 1 }));
    const report = await syncItems(items, handlers, { state });
    // One batch of three records (id and fingerprint each), then each record alone.
    expect(batchSizes).toEqual([6, 2, 2, 2]);
    expect(report.items.map((o) => `${o.key} ${o.action}`)).toEqual(['a created', 'b failed', 'c created']);
    expect(report.items[1]?.reason).toMatch(/refused b/);
    expect(await state.portalId('a')).toBe('R-a');
    expect(await state.fingerprintOf('b')).toBeUndefined();
  });

  it('hands a bulk portal every write of the round at once and records what it acknowledged', async () => {
    const state = new SyncState(new MemoryIdentifierMap(), 'bulk');
    const batches: Array<ReadonlyArray<SyncWrite<Item>>> = [];
    const progress: BatchProgress[] = [];
    const handlers: BulkSyncHandlers<Item> = {
      key: (i) => i.id,
      async write(writes, { onProgress }) {
        batches.push(writes);
        onProgress({
          done: writes.length,
          total: writes.length,
          succeeded: writes.length,
          failed: 0,
          skipped: 0,
          batchesDone: 1,
          batches: 1,
        });
        return writes.map((w) =>
          w.key === 'bad'
            ? { status: 'failed' as const, error: new Error('the portal refused it') }
            : { status: 'succeeded' as const, value: w.kind === 'upsert' ? `R-${w.key}` : undefined },
        );
      },
    };
    await syncItems(
      [
        { id: 'a', price: 1 },
        { id: 'gone', price: 1 },
      ],
      handlers,
      { state },
    );
    batches.length = 0;
    const report = await syncItems(
      [
        { id: 'a', price: 1 },
        { id: 'b', price: 2 },
        { id: 'bad', price: 3 },
      ],
      handlers,
      { state, onProgress: (p) => progress.push(p) },
    );
    expect(batches).toHaveLength(1);
    expect(batches[0]?.map((w) => `${w.kind} ${w.key} ${w.portalId}`)).toEqual([
      'upsert b undefined',
      'upsert bad undefined',
      'remove gone R-gone',
    ]);
    expect(report.items.map((o) => `${o.key} ${o.action} ${o.portalId}`)).toEqual([
      'a unchanged undefined',
      'b created R-b',
      'bad failed undefined',
      'gone removed R-gone',
    ]);
    expect(progress.map((p) => `${p.done}/${p.total}`)).toEqual(['1/4', '4/4']);
    expect(await state.portalId('b')).toBe('R-b');
    expect(await state.fingerprintOf('bad')).toBeUndefined();
  });

  it('records each acknowledged write through SyncState.recordMany, portal id and fingerprint together', async () => {
    class Watched extends SyncState {
      readonly recorded: Array<[string, string, string | undefined]> = [];
      override async recordMany(
        records: readonly SyncRecord[],
        options?: SyncRecordOptions,
      ): Promise<SyncRecordResult[]> {
        for (const r of records) this.recorded.push([r.externalId, r.fingerprint, r.portalId]);
        return super.recordMany(records, options);
      }
    }
    const state = new Watched(new MemoryIdentifierMap(), 'demo');
    const p = portal();
    await syncItems([{ id: 'a', price: 1 }], p.handlers, { state });
    expect(state.recorded).toEqual([['a', expect.any(String), 'P1']]);
  });

  it('takes what an upsert says it did: found on the portal and updated is not a creation', async () => {
    const state = new SyncState(new MemoryIdentifierMap(), 'demo');
    const report = await syncItems(
      [{ id: 'a', price: 1 }],
      {
        key: (i) => i.id,
        upsert: async () => ({ portalId: '42', action: 'updated' as const }),
        remove: async () => undefined,
      },
      { state },
    );
    expect(report).toMatchObject({ created: 0, updated: 1, items: [{ key: 'a', action: 'updated', portalId: '42' }] });
  });
});

describe('syncPortals', () => {
  const rows = [
    { id: 'a', price: 1 },
    { id: 'b', price: 2 },
  ];

  it('runs one set against several portals at once, with one progress callback and one report per portal', async () => {
    const one = portal();
    const two = portal();
    const seen: string[] = [];
    const reports = await syncPortals(
      rows,
      [
        syncTarget({ state: new SyncState(new MemoryIdentifierMap(), 'one') }, (items, o) =>
          syncItems(items, one.handlers, o),
        ),
        syncTarget({ state: new SyncState(new MemoryIdentifierMap(), 'two'), concurrency: 1 }, (items, o) =>
          syncItems(items, two.handlers, o),
        ),
      ],
      { onProgress: (p) => seen.push(`${p.portal} ${p.done}/${p.total}`) },
    );
    expect(reports.map((r) => [r.portal, r.created])).toEqual([
      ['one', 2],
      ['two', 2],
    ]);
    expect(seen.filter((s) => s.startsWith('one')).at(-1)).toBe('one 2/2');
    expect(seen.filter((s) => s.startsWith('two')).at(-1)).toBe('two 2/2');
    expect(one.records.size + two.records.size).toBe(4);
  });

  it('reports every item failed on a portal whose round throws, and finishes the others', async () => {
    const ok = portal();
    const broken = new SyncState(new MemoryIdentifierMap(), 'broken');
    broken.fingerprints = async () => {
      throw new Error('the state store is down');
    };
    const [first, second] = await syncPortals(rows, [
      syncTarget({ state: broken }, (items, o) => syncItems(items, ok.handlers, o)),
      syncTarget({ state: new SyncState(new MemoryIdentifierMap(), 'ok') }, (items, o) =>
        syncItems(items, ok.handlers, o),
      ),
    ]);
    expect(first).toMatchObject({ portal: 'broken', failed: 2, total: 2 });
    expect(first?.items.map((o) => [o.key, o.reason])).toEqual([
      ['a', 'the state store is down'],
      ['b', 'the state store is down'],
    ]);
    expect(second).toMatchObject({ portal: 'ok', created: 2 });
  });

  it("stops a target on either its own signal or the call's", async () => {
    const p = portal();
    const own = new AbortController();
    own.abort();
    const [report] = await syncPortals(
      rows,
      [
        syncTarget({ state: new SyncState(new MemoryIdentifierMap(), 'x'), signal: own.signal }, (items, o) =>
          syncItems(items, p.handlers, o),
        ),
      ],
      { signal: new AbortController().signal },
    );
    expect(report).toMatchObject({ skipped: 2, created: 0 });
    expect(p.calls).toEqual([]);
  });
});

describe('syncItems: a large round goes part by part', () => {
  const many = (n: number, price = 1) => Array.from({ length: n }, (_, i) => ({ id: `i${i}`, price }));

  it('sends its first writes before the rest of the items are prepared, in input order, once each', async () => {
    const state = new SyncState(new MemoryIdentifierMap(), 'bulk');
    let prepared = 0;
    const preparedAtCall: number[] = [];
    const sent: string[] = [];
    let inFlight = 0;
    let mostInFlight = 0;
    const handlers: BulkSyncHandlers<Item> = {
      key: (i) => i.id,
      prepare: (i) => {
        prepared++;
        return i;
      },
      async write(writes) {
        inFlight++;
        mostInFlight = Math.max(mostInFlight, inFlight);
        preparedAtCall.push(prepared);
        await new Promise((r) => setTimeout(r, 1));
        for (const w of writes) sent.push(w.key);
        inFlight--;
        return writes.map((w) => ({ status: 'succeeded' as const, value: `R-${w.key}` }));
      },
    };
    const items = many(1_600);
    const report = await syncItems(items, handlers, { state });
    expect(report.created).toBe(1_600);
    // The first call came when only its part was prepared; the portal saw each item once, in order.
    expect(preparedAtCall[0]).toBeLessThan(1_600);
    expect(preparedAtCall.length).toBeGreaterThan(1);
    expect(sent).toEqual(items.map((i) => i.id));
    // One call at a time: a bulk portal's own concurrency holds across the round.
    expect(mostInFlight).toBe(1);
    expect((await state.fingerprints()).size).toBe(1_600);
  });

  it('has recorded the parts the portal acknowledged when the round is stopped part-way', async () => {
    const state = new SyncState(new MemoryIdentifierMap(), 'bulk');
    const controller = new AbortController();
    const handlers: BulkSyncHandlers<Item> = {
      key: (i) => i.id,
      async write(writes) {
        // The portal acknowledges the first part, and the round is then stopped.
        controller.abort(new Error('lock lost'));
        return writes.map((w) => ({ status: 'succeeded' as const, value: `R-${w.key}` }));
      },
    };
    const report = await syncItems(many(1_200), handlers, { state, signal: controller.signal });
    const created = report.items.filter((o) => o.action === 'created');
    const skipped = report.items.filter((o) => o.action === 'skipped');
    expect(created.length).toBeGreaterThan(0);
    expect(skipped.length).toBeGreaterThan(0);
    expect(created.length + skipped.length).toBe(1_200);
    expect(skipped.every((o) => o.reason === 'aborted')).toBe(true);
    // What was acknowledged is recorded; what was not sent is not, so the next round sends it.
    const prints = await state.fingerprints();
    expect(prints.size).toBe(created.length);
    for (const o of skipped) expect(prints.has(o.key)).toBe(false);
  });

  it('reads the portal ids of a round that rewrites most of what it knows in one pass over the state', async () => {
    let passes = 0;
    let reads = 0;
    const map = watchedMap((target) => ({
      iterate: (portal: string, kind: string) => {
        if (kind === 'listing') passes++;
        return target.iterate(portal, kind);
      },
      get: (...args: Parameters<MemoryIdentifierMap['get']>) => {
        reads++;
        return target.get(...args);
      },
    }));
    const state = new SyncState(map, 'bulk');
    const handlers: BulkSyncHandlers<Item> = {
      key: (i) => i.id,
      async write(writes) {
        return writes.map((w) => ({ status: 'succeeded' as const, value: w.portalId ?? `R-${w.key}` }));
      },
    };
    await syncItems(many(1_600), handlers, { state });
    passes = 0;
    reads = 0;
    // Every price changes: every write needs its id, read once for the whole round.
    const report = await syncItems(many(1_600, 2), handlers, { state });
    expect(report.updated).toBe(1_600);
    expect(report.items.every((o) => o.portalId === `R-${o.key}`)).toBe(true);
    expect(passes).toBe(1);
    expect(reads).toBe(0);
    // A round changing a few items reads just their ids.
    passes = 0;
    const few = many(1_600, 2).map((i, k) => (k % 400 === 0 ? { ...i, price: 3 } : i));
    const small = await syncItems(few, handlers, { state });
    expect(small.updated).toBe(4);
    expect(passes).toBe(0);
    expect(reads).toBe(4);
  });

  it('reports progress over the whole round: done never goes back and ends at the total', async () => {
    const state = new SyncState(new MemoryIdentifierMap(), 'bulk');
    const handlers: BulkSyncHandlers<Item> = {
      key: (i) => i.id,
      async write(writes, { onProgress }) {
        for (let at = 100; at <= writes.length; at += 100) {
          onProgress({
            done: at,
            total: writes.length,
            succeeded: at,
            failed: 0,
            skipped: 0,
            batchesDone: at / 100,
            batches: writes.length / 100,
          });
        }
        return writes.map((w) => ({ status: 'succeeded' as const, value: `R-${w.key}` }));
      },
    };
    await syncItems(many(1_100), handlers, { state });
    const seen: BatchProgress[] = [];
    // Half unchanged, 100 removed: every outcome counted once.
    const next = many(1_000).map((i, k) => (k % 2 ? { ...i, price: 5 } : i));
    await syncItems(next, handlers, { state, onProgress: (p) => seen.push(p) });
    expect(seen.every((p) => p.total === 1_100)).toBe(true);
    for (let k = 1; k < seen.length; k++) expect(seen[k]?.done).toBeGreaterThanOrEqual(seen[k - 1]?.done as number);
    expect(seen.at(-1)).toMatchObject({ done: 1_100, succeeded: 600, skipped: 500, failed: 0 });
  });
});
