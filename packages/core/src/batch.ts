import pLimit from 'p-limit';
import { z } from 'zod';
import { InputValidationError } from './errors.js';
import { checkOptions, PositiveIntegerSchema } from './options.js';

/**
 * Splits `items` into consecutive chunks of at most `size` items, in order. A `size` that is
 * not a whole number of at least 1 is refused with an `InputValidationError` naming `size`.
 */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) {
    throw new InputValidationError([
      { path: 'size', message: 'expected a whole number of at least 1', code: 'too_small' },
    ]);
  }
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The item went through. */
export interface Succeeded<T, R> {
  status: 'succeeded';
  /** Position of the item in the input. */
  index: number;
  item: T;
  /** What the worker returned for it. */
  value: R;
}
/** The item was attempted and failed. */
export interface Failed<T> {
  status: 'failed';
  /** Position of the item in the input. */
  index: number;
  item: T;
  /** Why it failed. */
  error: Error;
}
/** The item was not attempted. */
export interface Skipped<T> {
  status: 'skipped';
  /** Position of the item in the input. */
  index: number;
  item: T;
  /** Why it was not attempted. */
  reason: string;
}
/** What happened to one input item. */
export type ItemOutcome<T, R> = Succeeded<T, R> | Failed<T> | Skipped<T>;

/** What a worker says about one item of its batch. */
export type WorkerOutcome<R> =
  | { status: 'succeeded'; value: R }
  | { status: 'failed'; error: Error }
  | { status: 'skipped'; reason: string };

/** One outcome per input item, in input order, and the totals. */
export interface BatchReport<T, R> {
  /** Items in the input. */
  total: number;
  /** Items that went through. */
  succeeded: number;
  /** Items that failed. */
  failed: number;
  /** Items not attempted. */
  skipped: number;
  /** One outcome per input item, in input order. */
  items: ItemOutcome<T, R>[];
}

/** Progress after each finished batch. */
export interface BatchProgress {
  /** Items with an outcome so far. */
  done: number;
  /** Items in the input. */
  total: number;
  succeeded: number;
  failed: number;
  skipped: number;
  /** Batches finished so far. */
  batchesDone: number;
  /** Batches in all. */
  batches: number;
}

/** What the worker gets besides its items. */
export interface BatchContext {
  /** Number of the batch, from 0. */
  batch: number;
  /** Input position of the batch's first item. */
  offset: number;
  /** Aborts with the run. */
  signal: AbortSignal | undefined;
}

/** Options of {@link runBatches}. */
export interface BatchOptions<T> {
  /** Most items per batch (default 100). */
  size?: number | undefined;
  /** Splits the items into batches instead of `size`, e.g. to bound each request's bytes. */
  split?: ((items: readonly T[]) => T[][]) | undefined;
  /** Batches in flight at once (default 1). */
  concurrency?: number | undefined;
  /** Stops the run: batches not started are reported skipped. */
  signal?: AbortSignal | undefined;
  /** Called after each batch. */
  onProgress?: ((progress: BatchProgress) => void) | undefined;
  /**
   * Checks each item before it is batched; an item with an error is reported failed
   * and never reaches the worker.
   */
  validate?: ((item: T, index: number) => Error | undefined) | undefined;
}

/**
 * The worker: sends one batch and returns one outcome per item, in the batch's order. If it throws, every item of that batch is
 * reported failed with the error, and the run goes on.
 */
export type BatchWorker<T, R> = (items: T[], context: BatchContext) => Promise<ReadonlyArray<WorkerOutcome<R>>>;

/**
 * A {@link BatchOptions.validate} that refuses every item whose key an earlier item of the
 * run already has: the first one goes through, each repeat is reported with `refuse(item)`.
 * Items whose key is `undefined` are never refused.
 */
export function refuseRepeatedKeys<T>(
  items: readonly T[],
  keyOf: (item: T) => string | undefined,
  refuse: (item: T) => Error,
): (item: T, index: number) => Error | undefined {
  const first = new Map<string, number>();
  items.forEach((item, index) => {
    const key = keyOf(item);
    if (key !== undefined && !first.has(key)) first.set(key, index);
  });
  return (item, index) => {
    const key = keyOf(item);
    return key === undefined || first.get(key) === index ? undefined : refuse(item);
  };
}

function reasonOf(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? `aborted: ${reason.message}` : 'aborted';
}

const BatchOptionsSchema = z.looseObject({
  size: PositiveIntegerSchema.optional(),
  concurrency: PositiveIntegerSchema.optional(),
});

/**
 * Runs `worker` over `items` in batches with bounded concurrency and reports an
 * outcome for every input item, in input order — none is lost, whatever fails. A `size`
 * or `concurrency` that is not a whole number of at least 1 is refused up front with an
 * `InputValidationError` naming the option.
 */
export async function runBatches<T, R>(
  items: readonly T[],
  options: BatchOptions<T>,
  worker: BatchWorker<T, R>,
): Promise<BatchReport<T, R>> {
  checkOptions(BatchOptionsSchema, options);
  const outcomes = new Array<ItemOutcome<T, R>>(items.length);
  const counts = { succeeded: 0, failed: 0, skipped: 0 };
  const record = (outcome: ItemOutcome<T, R>) => {
    outcomes[outcome.index] = outcome;
    counts[outcome.status]++;
  };

  // Indices of the items that pass validation, batched in input order.
  const accepted: number[] = [];
  items.forEach((item, index) => {
    const problem = options.validate?.(item, index);
    if (problem) record({ status: 'failed', index, item, error: problem });
    else accepted.push(index);
  });
  const acceptedItems = accepted.map((i) => items[i] as T);
  const groups = options.split ? options.split(acceptedItems) : chunk(acceptedItems, options.size ?? 100);

  // Map each batch back to input positions; `split` must keep order and lose nothing.
  const batches: number[][] = [];
  let cursor = 0;
  for (const group of groups) {
    batches.push(accepted.slice(cursor, cursor + group.length));
    cursor += group.length;
  }
  if (cursor !== accepted.length) throw new RangeError(`split returned ${cursor} items for ${accepted.length}`);

  let batchesDone = 0;
  const progress = () => {
    options.onProgress?.({
      done: counts.succeeded + counts.failed + counts.skipped,
      total: items.length,
      ...counts,
      batchesDone,
      batches: batches.length,
    });
  };

  const limit = pLimit(options.concurrency ?? 1);
  const signal = options.signal;
  await Promise.all(
    batches.map((indices, batch) =>
      limit(async () => {
        const batchItems = indices.map((i) => items[i] as T);
        if (signal?.aborted) {
          const reason = reasonOf(signal);
          for (const index of indices) record({ status: 'skipped', index, item: items[index] as T, reason });
        } else {
          try {
            const results = await worker(batchItems, { batch, offset: indices[0] ?? 0, signal });
            indices.forEach((index, k) => {
              const item = items[index] as T;
              const result = results[k];
              if (!result) {
                record({
                  status: 'failed',
                  index,
                  item,
                  error: new Error(`the batch returned ${results.length} outcomes for ${indices.length} items`),
                });
              } else if (result.status === 'succeeded')
                record({ status: 'succeeded', index, item, value: result.value });
              else if (result.status === 'failed') record({ status: 'failed', index, item, error: result.error });
              else record({ status: 'skipped', index, item, reason: result.reason });
            });
          } catch (error) {
            const err = error instanceof Error ? error : new Error(String(error));
            for (const index of indices) record({ status: 'failed', index, item: items[index] as T, error: err });
          }
        }
        batchesDone++;
        progress();
      }),
    ),
  );
  return { total: items.length, ...counts, items: outcomes };
}
