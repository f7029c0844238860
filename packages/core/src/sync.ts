import { z } from 'zod';
import { type BatchProgress, runBatches, type WorkerOutcome } from './batch.js';
import { InputValidationError } from './errors.js';
import { checkOptions, ownOption, PositiveIntegerSchema } from './options.js';
import { REMOVED, type SyncRecord, type SyncRecordResult, type SyncState } from './sync-state.js';

/** Items recorded in one batch write of the state: a bulk request's worth (100 operations). */
const RECORD_BATCH = 100;
/** Record batches in flight at once at the end of a round. */
const RECORD_CONCURRENCY = 4;

/** What a sync did with one item. */
export type SyncAction = 'created' | 'updated' | 'unchanged' | 'removed' | 'failed' | 'skipped';

/** What happened to one item (or one removed key) of a sync. */
export interface SyncOutcome<T = unknown> {
  /** The CRM id. */
  key: string;
  /** What was done. */
  action: SyncAction;
  /**
   * The portal's id of what was written or removed (also of a failed write, when the
   * state knew it); not looked up for unchanged and skipped items.
   */
  portalId: string | undefined;
  /**
   * Why: for `failed` the error's message (an `InputValidationError` as `field: message`
   * per field), for `skipped` why it was not sent, for `unchanged` {@link UNCHANGED}; for a
   * removal, why the item left the portal when it is still in the input.
   */
  reason: string | undefined;
  /** The error, for `failed`. */
  error: Error | undefined;
  /** The input item; `undefined` for a key removed because the input no longer has it. */
  item: T | undefined;
  /**
   * Set when this create lost to another writer's (set-if-absent on the portal id): the id the
   * portal gave this one — now a duplicate there of {@link SyncOutcome.portalId}, to remove.
   */
  discardedPortalId?: string | undefined;
}

/**
 * The report of one sync round on one portal: one outcome per input item, in input
 * order, then one per key removed because the input no longer has it. Nothing is left
 * out: every item is created, updated, unchanged, removed, failed or skipped.
 */
export interface SyncReport<T = unknown> {
  /** The portal, as its state names it. */
  portal: string;
  /** Outcomes in all. */
  total: number;
  /** Items sent for the first time. */
  created: number;
  /** Items sent again because they changed. */
  updated: number;
  /** Items not sent because nothing changed since the last round. */
  unchanged: number;
  /** Items removed from (or hidden on) the portal. */
  removed: number;
  /** Items that failed, with the reason; the next round tries them again. */
  failed: number;
  /** Items not sent, with the reason (no place on the portal, or the run was aborted). */
  skipped: number;
  /** One outcome per input item in input order, then the removed keys. */
  items: SyncOutcome<T>[];
}

/** The options every sync call takes, in core and in each portal package. */
export interface SyncOptions {
  /** What earlier rounds sent (portal ids and fingerprints); updated as items go through. */
  state: SyncState;
  /** Writes in flight at once (default 4; for a bulk portal, bulk requests in flight). */
  concurrency?: number | undefined;
  /** Remove items the state knows but the input no longer has (default `true`). */
  removeMissing?: boolean | undefined;
  /** Stops the run: writes not started are reported skipped and not recorded. */
  signal?: AbortSignal | undefined;
  /** Called after each write (or bulk request), with totals over every item of the round. */
  onProgress?: ((progress: BatchProgress) => void) | undefined;
}

const SyncItemsOptionsSchema = z.looseObject({
  state: z.custom<SyncState>((value) => value !== null && typeof value === 'object', 'expected a SyncState'),
  concurrency: PositiveIntegerSchema.optional(),
  operation: z.string().min(1).optional(),
});

/** Options of {@link syncItems}. */
export interface SyncItemsOptions extends SyncOptions {
  /** Named in the errors of the run (default `sync`); the portal named is the state's. */
  operation?: string | undefined;
}

/**
 * The options of {@link syncItems} out of a portal's sync call, whose options also carry
 * its mapping: the core sync options by name (`removeMissing` read as an own property
 * only, so a polluted prototype cannot switch it) and the operation the run is named by.
 */
export function syncItemsOptions(options: SyncOptions, operation: string): SyncItemsOptions {
  return {
    state: options.state,
    concurrency: options.concurrency,
    removeMissing: ownOption(options, 'removeMissing'),
    signal: options.signal,
    onProgress: options.onProgress,
    operation,
  };
}

/** One write a sync asks of a portal. */
export type SyncWrite<P> =
  | {
      kind: 'upsert';
      /** The CRM id. */
      key: string;
      /** What to send. */
      item: P;
      /** The portal id last recorded for it. */
      portalId: string | undefined;
      /** Whether the state has no live record of it (never sent, or removed since). */
      isNew: boolean;
    }
  | {
      kind: 'remove';
      /** The CRM id. */
      key: string;
      /** The portal id last recorded for it. */
      portalId: string | undefined;
    };

/**
 * What an upsert answers: the portal id (`undefined` keeps the one known), or the id
 * with what was done, when the portal tells (an item found on the portal and updated
 * although the state had no id for it is `updated`).
 */
export type SyncWritten = string | undefined | { portalId: string | undefined; action: 'created' | 'updated' };

/** What every kind of {@link SyncHandlers} has. */
export interface SyncItemRules<T, P> {
  /** The CRM id of an item. */
  key(item: T): string;
  /**
   * Why an item has no place on the portal, or `undefined` when it has. Such an item is
   * reported `skipped` with the reason — or removed, with the reason, if an earlier round sent it.
   */
  exclude?(item: T): string | undefined;
  /**
   * Turns an item into what the portal takes (default: the item itself). An error it
   * throws reports the item `failed` with the error's reason; nothing is sent, and what
   * the portal has is left as it is.
   */
  prepare?(item: T): P;
  /** What the fingerprint covers (default: the whole prepared item). */
  content?(prepared: P): unknown;
}

/** Handlers of a portal that takes items one request at a time. */
export interface ItemSyncHandlers<T, P = T> extends SyncItemRules<T, P> {
  /** Creates or updates one item on the portal and says its portal id. */
  upsert(
    item: P,
    context: { key: string; portalId: string | undefined; isNew: boolean; signal: AbortSignal | undefined },
  ): Promise<SyncWritten>;
  /** Removes (or hides) one item. */
  remove(key: string, context: { portalId: string | undefined; signal: AbortSignal | undefined }): Promise<void>;
  write?: undefined;
}

/** Handlers of a portal that takes many writes per request (it chunks them itself). */
export interface BulkSyncHandlers<T, P = T> extends SyncItemRules<T, P> {
  /**
   * Sends every write of the round and answers one outcome per write, in order (the
   * value of an upsert is its {@link SyncWritten}). `onProgress` takes the totals over
   * the writes after each request.
   */
  write(
    writes: ReadonlyArray<SyncWrite<P>>,
    context: { signal: AbortSignal | undefined; onProgress: (progress: BatchProgress) => void },
  ): Promise<ReadonlyArray<WorkerOutcome<SyncWritten>>>;
  upsert?: undefined;
  remove?: undefined;
}

/** How {@link syncItems} talks to one portal: one item per request, or in bulk. */
export type SyncHandlers<T, P = T> = ItemSyncHandlers<T, P> | BulkSyncHandlers<T, P>;

/** Reason given for items whose content did not change. */
export const UNCHANGED = 'unchanged since the last sync';

/** The reason a report gives for an error: each field at fault for an `InputValidationError`, else the message. */
export function failureReason(error: Error): string {
  if (error instanceof InputValidationError && error.issues.length > 0) {
    return error.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
  }
  return error.message;
}

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/** A write of the round, with what the report says about it. */
interface WriteTask<T, P> {
  /** Position in the report. */
  position: number;
  write: SyncWrite<P>;
  item: T | undefined;
  fingerprint: string | undefined;
  /** Why it is removed while still in the input. */
  reason: string | undefined;
}

/**
 * One round of continuous sync, the mechanism under every portal package's sync call:
 * prepares each item (an item that cannot be prepared is reported failed), sends only
 * what is new or changed since `state` last saw it (by fingerprint), removes what
 * disappeared from the input or has no place on the portal, records every write the
 * portal acknowledged — through `state.recordMany`, so its portal id and fingerprint go
 * together — and reports every item. A failed item is not recorded, so the next round
 * sends it again; an item key given twice is reported failed the second time.
 *
 * Records carry the plan's version (record-if-newer) and a create's id is set-if-absent:
 * workers sharing the state cannot overwrite a newer round's record, and the first id
 * recorded for an item wins. A bulk `write` records all its acknowledged writes in one batch.
 *
 * @example
 * const report = await syncItems(rows, {
 *   key: (row) => row.id,
 *   upsert: async (row, { portalId }) => (await portal.save(row, portalId)).id,
 *   remove: async (key, { portalId }) => portal.delete(portalId ?? key),
 * }, { state: new SyncState(map, 'acme') });
 * console.info(`${report.created} created, ${report.updated} updated, ${report.removed} removed`);
 */
export async function syncItems<T, P = T>(
  items: readonly T[],
  handlers: SyncHandlers<T, P>,
  options: SyncItemsOptions,
): Promise<SyncReport<T>> {
  checkOptions(SyncItemsOptionsSchema, options, {
    portal: options?.state?.portal,
    operation: options?.operation ?? 'sync',
  });
  const { state } = options;
  const operation = options.operation ?? 'sync';
  const prepare = handlers.prepare
    ? (item: T) => (handlers.prepare as (item: T) => P)(item)
    : (item: T) => item as unknown as P;
  const content = handlers.content
    ? (prepared: P) => (handlers.content as (prepared: P) => unknown)(prepared)
    : (prepared: P) => prepared;

  const outcomes: SyncOutcome<T>[] = [];
  const prepared: Array<{ position: number; key: string; item: T; value: P }> = [];
  const excluded = new Map<string, { position: number; item: T; reason: string }>();
  const seen = new Set<string>();

  const fail = (position: number, key: string, item: T | undefined, error: Error) => {
    outcomes[position] = { key, action: 'failed', portalId: undefined, reason: failureReason(error), error, item };
  };
  items.forEach((item, position) => {
    const key = handlers.key(item);
    if (seen.has(key)) {
      const duplicate = new InputValidationError(
        [{ path: 'id', message: 'given twice in one sync', code: 'duplicate' }],
        {
          portal: state.portal,
          operation,
          itemId: key,
        },
      );
      fail(position, key, item, duplicate);
      return;
    }
    seen.add(key);
    const exclusion = handlers.exclude?.(item);
    if (exclusion !== undefined) {
      excluded.set(key, { position, item, reason: exclusion });
      return;
    }
    try {
      prepared.push({ position, key, item, value: prepare(item) });
    } catch (error) {
      // What the portal has stays as it is: the key is in the input, so it is not removed.
      fail(position, key, item, asError(error));
    }
  });

  const plan = await state.plan(
    prepared,
    (p) => p.key,
    (p) => content(p.value),
  );
  const byKey = new Map(prepared.map((p) => [p.key, p]));
  const writes: Array<
    Omit<WriteTask<T, P>, 'write'> & {
      write: { kind: 'upsert'; key: string; item: P; isNew: boolean } | { kind: 'remove'; key: string };
    }
  > = [];
  for (const change of plan.changed) {
    const p = byKey.get(change.key);
    if (!p) continue;
    writes.push({
      position: p.position,
      write: { kind: 'upsert', key: p.key, item: p.value, isNew: change.isNew },
      item: p.item,
      fingerprint: change.fingerprint,
      reason: undefined,
    });
  }
  for (const { key } of plan.unchanged) {
    const p = byKey.get(key);
    if (p)
      outcomes[p.position] = {
        key,
        action: 'unchanged',
        portalId: undefined,
        reason: UNCHANGED,
        error: undefined,
        item: p.item,
      };
  }
  const live = new Set(plan.removed);
  for (const [key, e] of excluded) {
    if (live.has(key)) {
      writes.push({
        position: e.position,
        write: { kind: 'remove', key },
        item: e.item,
        fingerprint: undefined,
        reason: e.reason,
      });
    } else {
      outcomes[e.position] = {
        key,
        action: 'skipped',
        portalId: undefined,
        reason: e.reason,
        error: undefined,
        item: e.item,
      };
    }
  }
  let position = items.length;
  if (ownOption(options, 'removeMissing') ?? true) {
    for (const key of plan.removed) {
      if (seen.has(key)) continue;
      writes.push({
        position: position++,
        write: { kind: 'remove', key },
        item: undefined,
        fingerprint: undefined,
        reason: undefined,
      });
    }
  }
  writes.sort((a, b) => a.position - b.position);
  const portalIds = await state.portalIds(
    writes.map((w) => w.write.key),
    plan.known,
  );
  const tasks: WriteTask<T, P>[] = writes.map((w) => ({
    ...w,
    write: { ...w.write, portalId: portalIds.get(w.write.key) } as SyncWrite<P>,
  }));

  // Progress covers every outcome of the round: the ones known already, then the writes.
  const total = position;
  const known = { done: 0, failed: 0, skipped: 0 };
  for (const o of outcomes) {
    if (!o) continue;
    known.done++;
    if (o.action === 'failed') known.failed++;
    else known.skipped++;
  }
  const progress = (p: BatchProgress | undefined) =>
    options.onProgress?.({
      done: known.done + (p?.done ?? 0),
      total,
      succeeded: p?.succeeded ?? 0,
      failed: known.failed + (p?.failed ?? 0),
      skipped: known.skipped + (p?.skipped ?? 0),
      batchesDone: p?.batchesDone ?? 0,
      batches: p?.batches ?? 0,
    });
  if (known.done > 0) progress(undefined);

  /** What the report shows for a write the portal acknowledged, and what the state records for it. */
  const acknowledged = (
    task: WriteTask<T, P>,
    written: SyncWritten,
  ): { outcome: SyncOutcome<T>; record: SyncRecord } => {
    const { write } = task;
    if (write.kind === 'remove') {
      return {
        outcome: {
          key: write.key,
          action: 'removed',
          portalId: write.portalId,
          reason: task.reason,
          error: undefined,
          item: task.item,
        },
        record: { externalId: write.key, fingerprint: REMOVED },
      };
    }
    const said = typeof written === 'object' ? written : { portalId: written, action: undefined };
    const portalId = said.portalId ?? write.portalId;
    const action = said.action ?? (write.isNew && write.portalId === undefined ? 'created' : 'updated');
    return {
      outcome: { key: write.key, action, portalId, reason: undefined, error: undefined, item: task.item },
      record: {
        externalId: write.key,
        fingerprint: task.fingerprint as string,
        portalId,
        created: action === 'created',
      },
    };
  };
  /**
   * Records acknowledged writes, {@link RECORD_BATCH} to a batch (one transaction or round
   * trip of the store), and says what the report shows for each. When a batch cannot be
   * recorded its writes are recorded one by one, so only those the store refuses are
   * reported failed (not recorded: the next round sends them again).
   */
  const settle = async (
    done: ReadonlyArray<{ task: WriteTask<T, P>; written: SyncWritten }>,
  ): Promise<SyncOutcome<T>[]> => {
    const entries = done.map(({ task, written }) => acknowledged(task, written));
    const options = { version: plan.version };
    const recordBatch = async (batch: SyncRecord[]): Promise<Array<SyncRecordResult | Error>> => {
      try {
        return await state.recordMany(batch, options);
      } catch (error) {
        if (batch.length === 1) return [asError(error)];
        const one: Array<SyncRecordResult | Error> = [];
        for (const record of batch) {
          one.push(await state.recordMany([record], options).then(([r]) => r as SyncRecordResult, asError));
        }
        return one;
      }
    };
    // Batches of different keys are independent: a few go to the store at once.
    const batches: SyncRecord[][] = [];
    for (let at = 0; at < entries.length; at += RECORD_BATCH) {
      batches.push(entries.slice(at, at + RECORD_BATCH).map((e) => e.record));
    }
    const results: Array<Array<SyncRecordResult | Error>> = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(RECORD_CONCURRENCY, batches.length) }, async () => {
        for (let b = next++; b < batches.length; b = next++) results[b] = await recordBatch(batches[b] as SyncRecord[]);
      }),
    );
    const recorded = results.flat();
    return entries.map(({ outcome }, k): SyncOutcome<T> => {
      const r = recorded[k];
      const task = done[k]?.task as WriteTask<T, P>;
      if (r instanceof Error) return unsettled(task, { status: 'failed', error: r });
      if (outcome.action === 'removed' || !r) return outcome;
      const settled: SyncOutcome<T> = { ...outcome, portalId: r.portalId ?? outcome.portalId };
      if (r.discardedPortalId !== undefined) settled.discardedPortalId = r.discardedPortalId;
      return settled;
    });
  };
  const unsettled = (task: WriteTask<T, P>, outcome: WorkerOutcome<unknown>): SyncOutcome<T> => {
    const base = { key: task.write.key, portalId: task.write.portalId, item: task.item };
    if (outcome.status === 'failed')
      return { ...base, action: 'failed', reason: failureReason(outcome.error), error: outcome.error };
    return {
      ...base,
      action: 'skipped',
      reason: outcome.status === 'skipped' ? outcome.reason : undefined,
      error: undefined,
    };
  };

  if (handlers.write) {
    let answers: ReadonlyArray<WorkerOutcome<SyncWritten>>;
    if (tasks.length === 0) answers = [];
    else if (options.signal?.aborted) answers = tasks.map(() => ({ status: 'skipped', reason: 'aborted' }));
    else {
      try {
        answers = await handlers.write(
          tasks.map((t) => t.write),
          { signal: options.signal, onProgress: progress },
        );
      } catch (error) {
        const err = asError(error);
        answers = tasks.map(() => ({ status: 'failed', error: err }));
      }
    }
    const done: Array<{ task: WriteTask<T, P>; written: SyncWritten }> = [];
    tasks.forEach((task, k) => {
      const answer: WorkerOutcome<SyncWritten> = answers[k] ?? {
        status: 'failed',
        error: new Error(`the portal answered ${answers.length} outcomes for ${tasks.length} writes`),
      };
      if (answer.status === 'succeeded') done.push({ task, written: answer.value });
      else outcomes[task.position] = unsettled(task, answer);
    });
    try {
      const settled = await settle(done);
      done.forEach(({ task }, k) => {
        outcomes[task.position] = settled[k] as SyncOutcome<T>;
      });
    } catch (error) {
      const err = asError(error);
      for (const { task } of done) outcomes[task.position] = unsettled(task, { status: 'failed', error: err });
    }
  } else {
    const { upsert, remove } = handlers;
    const report = await runBatches(
      tasks,
      { size: 1, concurrency: options.concurrency ?? 4, signal: options.signal, onProgress: progress },
      async ([task], { signal }): Promise<Array<WorkerOutcome<SyncOutcome<T>>>> => {
        if (!task) return [];
        const { write } = task;
        const written =
          write.kind === 'remove'
            ? await remove(write.key, { portalId: write.portalId, signal }).then(() => undefined)
            : await upsert(write.item, { key: write.key, portalId: write.portalId, isNew: write.isNew, signal });
        const [settled] = await settle([{ task, written }]);
        return [{ status: 'succeeded', value: settled as SyncOutcome<T> }];
      },
    );
    for (const outcome of report.items) {
      outcomes[outcome.item.position] =
        outcome.status === 'succeeded' ? outcome.value : unsettled(outcome.item, outcome);
    }
  }

  const count = (action: SyncAction) => outcomes.filter((o) => o.action === action).length;
  return {
    portal: state.portal,
    total: outcomes.length,
    created: count('created'),
    updated: count('updated'),
    unchanged: count('unchanged'),
    removed: count('removed'),
    failed: count('failed'),
    skipped: count('skipped'),
    items: outcomes,
  };
}
