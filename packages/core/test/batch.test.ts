import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunk, refuseRepeatedKeys, runBatches, type WorkerOutcome } from '../src/batch.js';
import { InputValidationError } from '../src/errors.js';

const ok = <R>(value: R): WorkerOutcome<R> => ({ status: 'succeeded', value });

describe('chunk', () => {
  it('never loses, duplicates or reorders items, and respects the size', () => {
    fc.assert(
      fc.property(fc.array(fc.anything()), fc.integer({ min: 1, max: 50 }), (items, size) => {
        const chunks = chunk(items, size);
        expect(chunks.flat()).toEqual(items);
        expect(chunks.every((c) => c.length >= 1 && c.length <= size)).toBe(true);
        expect(chunks.slice(0, -1).every((c) => c.length === size)).toBe(true);
      }),
    );
  });
  it('refuses a size that is not a positive integer with an InputValidationError naming it', () => {
    for (const size of [0, 1.5, -1, Number.NaN]) {
      expect(() => chunk([1], size)).toThrow(InputValidationError);
      expect(() => chunk([1], size)).toThrow(/size/);
    }
  });
});

describe('runBatches', () => {
  it('reports every item once, in input order, whatever the concurrency and timing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer(), { maxLength: 60 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 4 }),
        async (items, size, concurrency) => {
          const report = await runBatches(items, { size, concurrency }, async (batch) => {
            await new Promise((r) => setTimeout(r, Math.random() * 3));
            return batch.map((n) => ok(n * 2));
          });
          expect(report.total).toBe(items.length);
          expect(report.succeeded).toBe(items.length);
          expect(report.items.map((o) => o.index)).toEqual(items.map((_, i) => i));
          expect(report.items.map((o) => (o.status === 'succeeded' ? o.value : null))).toEqual(items.map((n) => n * 2));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('a thrown batch fails only its own items and the run goes on', async () => {
    const items = Array.from({ length: 10 }, (_, i) => i);
    const report = await runBatches(items, { size: 3, concurrency: 2 }, async (batch, ctx) => {
      if (ctx.batch === 1) throw new Error('portal down');
      return batch.map(ok);
    });
    expect(report).toMatchObject({ total: 10, succeeded: 7, failed: 3, skipped: 0 });
    expect(report.items.filter((o) => o.status === 'failed').map((o) => o.index)).toEqual([3, 4, 5]);
    const failed = report.items[4];
    expect(failed?.status === 'failed' && failed.error.message).toBe('portal down');
  });

  it('keeps per-item outcomes a worker reports', async () => {
    const report = await runBatches(['a', 'b', 'c'], {}, async () => [
      ok(1),
      { status: 'failed', error: new Error('bad b') },
      { status: 'skipped', reason: 'unchanged' },
    ]);
    expect(report.items.map((o) => o.status)).toEqual(['succeeded', 'failed', 'skipped']);
    expect(report.items[2]).toMatchObject({ status: 'skipped', reason: 'unchanged', item: 'c' });
  });

  it('fails the items a worker forgot to report', async () => {
    const report = await runBatches([1, 2, 3], {}, async () => [ok(1)]);
    expect(report.items.map((o) => o.status)).toEqual(['succeeded', 'failed', 'failed']);
  });

  it('reports invalid items failed without sending them', async () => {
    const sent: number[] = [];
    const report = await runBatches(
      [1, -2, 3, -4, 5],
      { size: 2, validate: (n) => (n < 0 ? new Error(`negative: ${n}`) : undefined) },
      async (batch) => {
        sent.push(...batch);
        return batch.map(ok);
      },
    );
    expect(sent).toEqual([1, 3, 5]);
    expect(report.items.map((o) => o.status)).toEqual(['succeeded', 'failed', 'succeeded', 'failed', 'succeeded']);
  });

  it('splits with a custom splitter, e.g. by bytes', async () => {
    const sizes: number[] = [];
    const items = ['aaaa', 'bb', 'cccccc', 'd', 'ee'];
    const report = await runBatches(
      items,
      {
        split: (list) => {
          const out: string[][] = [];
          let current: string[] = [];
          let bytes = 0;
          for (const s of list) {
            if (current.length && bytes + s.length > 6) {
              out.push(current);
              current = [];
              bytes = 0;
            }
            current.push(s);
            bytes += s.length;
          }
          if (current.length) out.push(current);
          return out;
        },
      },
      async (batch) => {
        sizes.push(batch.join('').length);
        return batch.map(ok);
      },
    );
    expect(sizes.every((n) => n <= 6)).toBe(true);
    expect(report.items.map((o) => o.item)).toEqual(items);
  });

  it('reports the rest as skipped after an abort and calls onProgress after each batch', async () => {
    const controller = new AbortController();
    const progress: number[] = [];
    const report = await runBatches(
      Array.from({ length: 10 }, (_, i) => i),
      { size: 2, signal: controller.signal, onProgress: (p) => progress.push(p.done) },
      async (batch, ctx) => {
        if (ctx.batch === 1) controller.abort(new Error('user stopped'));
        return batch.map(ok);
      },
    );
    expect(report).toMatchObject({ succeeded: 4, skipped: 6, failed: 0 });
    expect(report.items[9]).toMatchObject({ status: 'skipped', reason: 'aborted: user stopped' });
    expect(progress).toEqual([2, 4, 6, 8, 10]);
  });
});

describe('refuseRepeatedKeys', () => {
  it('lets the first item of each key through and refuses every later one, never an item without a key', async () => {
    const items = [{ id: 'a' }, { id: 'b' }, { id: 'a' }, { id: undefined }, { id: undefined }, { id: 'a' }];
    const report = await runBatches(
      items,
      {
        size: 2,
        validate: refuseRepeatedKeys(
          items,
          (i) => i.id,
          (i) => new Error(`${i.id} twice`),
        ),
      },
      async (batch) => batch.map((i) => ({ status: 'succeeded' as const, value: i.id })),
    );
    expect(report.items.map((o) => (o.status === 'failed' ? o.error.message : o.status))).toEqual([
      'succeeded',
      'succeeded',
      'a twice',
      'succeeded',
      'succeeded',
      'a twice',
    ]);
  });
});
