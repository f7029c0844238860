import { z } from 'zod';
import { type BatchProgress, runBatches, type WorkerOutcome } from './batch.js';
import { InputValidationError } from './errors.js';
import { checkOptions, ownOption, PositiveIntegerSchema } from './options.js';
import {
  compareContent,
  liveKeysMissing,
  PORTAL_ID_PASS_MIN,
  REMOVED,
  type SyncRecord,
  type SyncRecordResult,
  type SyncState,
} from './sync-state.js';

/** Items recorded in one batch write of the state: a bulk request's worth (100 operations). */
const RECORD_BATCH = 100;
/** Record batches in flight at once for a part of a round. */
const RECORD_CONCURRENCY = 4;
/**
 * Items in a round's first part: few, so its first requests leave soon (a bulk request's
 * worth: 100 operations); the later parts are larger, each prepared while the one before is sent.
 */
const FIRST_PART = 100;
/** Items in each later part of a round. */
const PART = 500;
/** Items prepared between two turns of the event loop, so that requests under way progress meanwhile. */
const PREPARE_BETWEEN_TURNS = 32;
/** One turn of the event loop: timers, sockets and the state's answers get theirs. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

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
   * Sends the writes of one part of the round and answers one outcome per write, in order
   * (the value of an upsert is its {@link SyncWritten}). Called once per part, one call at a
   * time. `onProgress` takes the totals over this call's writes after each request.
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

/** A write of the round before its portal id is read. */
type PendingWrite<P> = { kind: 'upsert'; key: string; item: P; isNew: boolean } | { kind: 'remove'; key: string };

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

/** A write task before its portal id is read. */
type PendingTask<T, P> = Omit<WriteTask<T, P>, 'write'> & { write: PendingWrite<P> };

/**
 * One round of continuous sync, the mechanism under every portal package's sync call:
 * prepares each item (an item that cannot be prepared is reported failed), sends only
 * what is new or changed since `state` last saw it (by fingerprint), removes what
 * disappeared from the input or has no place on the portal, records every write the
 * portal acknowledged — through `state.recordMany`, so its portal id and fingerprint go
 * together — and reports every item. A failed item is not recorded, so the next round
 * sends it again; an item key given twice is reported failed the second time.
 *
 * The items go through in parts, in input order: a part's writes are sent (and, once
 * acknowledged, recorded) while the next part is prepared, so a large round's first requests
 * leave as soon as its first items are ready, and a round stopped part-way has recorded what
 * the portal acknowledged so far. A bulk `write` is called once a part, one call at a time.
 *
 * Records carry the round's version (record-if-newer) and a create's id is set-if-absent:
 * workers sharing the state cannot overwrite a newer round's record, and the first id
 * recorded for an item wins.
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
  const { state, signal } = options;
  const operation = options.operation ?? 'sync';
  const prepare = handlers.prepare
    ? (item: T) => (handlers.prepare as (item: T) => P)(item)
    : (item: T) => item as unknown as P;
  const content = handlers.content
    ? (prepared: P) => (handlers.content as (prepared: P) => unknown)(prepared)
    : (prepared: P) => prepared;

  const { version, fingerprints: known } = await state.planBasis();
  const outcomes: SyncOutcome<T>[] = [];
  const fail = (position: number, key: string, item: T | undefined, error: Error) => {
    outcomes[position] = { key, action: 'failed', portalId: undefined, reason: failureReason(error), error, item };
  };
  const skip = (position: number, key: string, item: T, action: 'skipped' | 'unchanged', reason: string) => {
    outcomes[position] = { key, action, portalId: undefined, reason, error: undefined, item };
  };

  // First the keys, the duplicates and the exclusions, which are cheap: they settle what is
  // removed, and so the round's total, before anything is prepared or sent.
  const keys: Array<string | undefined> = [];
  const exclusions = new Map<number, string>();
  const seen = new Set<string>();
  items.forEach((item, position) => {
    const key = handlers.key(item);
    if (seen.has(key)) {
      const duplicate = new InputValidationError(
        [{ path: 'id', message: 'given twice in one sync', code: 'duplicate' }],
        { portal: state.portal, operation, itemId: key },
      );
      fail(position, key, item, duplicate);
      return;
    }
    seen.add(key);
    keys[position] = key;
    const exclusion = handlers.exclude?.(item);
    if (exclusion !== undefined) exclusions.set(position, exclusion);
  });
  const missing = (ownOption(options, 'removeMissing') ?? true) ? liveKeysMissing(known, seen) : [];
  const total = items.length + missing.length;

  // Progress covers every outcome of the round: those settled without a write as they are
  // known, then the writes, part after part.
  const settledAside = { done: 0, failed: 0, skipped: 0 };
  const sentBefore = { done: 0, succeeded: 0, failed: 0, skipped: 0, batchesDone: 0, batches: 0 };
  let sending: BatchProgress | undefined;
  const progress = () =>
    options.onProgress?.({
      done: settledAside.done + sentBefore.done + (sending?.done ?? 0),
      total,
      succeeded: sentBefore.succeeded + (sending?.succeeded ?? 0),
      failed: settledAside.failed + sentBefore.failed + (sending?.failed ?? 0),
      skipped: settledAside.skipped + sentBefore.skipped + (sending?.skipped ?? 0),
      batchesDone: sentBefore.batchesDone + (sending?.batchesDone ?? 0),
      batches: sentBefore.batches + (sending?.batches ?? 0),
    });
  const countAside = (from: number, to: number) => {
    let counted = 0;
    for (let k = from; k < to; k++) {
      const o = outcomes[k];
      if (!o) continue;
      counted++;
      settledAside.done++;
      if (o.action === 'failed') settledAside.failed++;
      else settledAside.skipped++;
    }
    return counted;
  };

  // Portal ids are read for each part's writes; once a round turns out to write a good share of
  // what the state knows, every id is read in one pass instead, and kept for the rest of the round.
  let everyId: Map<string, string> | undefined;
  let classified = 0;
  let written = 0;
  const portalIdsOf = async (writeKeys: string[]): Promise<ReadonlyMap<string, string | undefined>> => {
    if (everyId) return everyId;
    const expected = classified > 0 ? (written / classified) * items.length + missing.length : writeKeys.length;
    if (expected >= PORTAL_ID_PASS_MIN && expected * 4 >= known.size) {
      everyId = await state.everyPortalId();
      return everyId;
    }
    return state.portalIds(writeKeys, known.size);
  };
  const withPortalIds = async (writes: PendingTask<T, P>[]): Promise<WriteTask<T, P>[]> => {
    if (writes.length === 0) return [];
    const ids = await portalIdsOf(writes.map((w) => w.write.key));
    return writes.map((w) => ({ ...w, write: { ...w.write, portalId: ids.get(w.write.key) } as SyncWrite<P> }));
  };

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
    const options = { version };
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

  /** Records of acknowledged writes under way; awaited before the round reports. */
  const recording: Promise<void>[] = [];
  /** Sends one part's writes and settles each one's outcome; never rejects. */
  const sendPart = async (tasks: WriteTask<T, P>[]): Promise<void> => {
    if (tasks.length === 0) return;
    const finish = (answers: ReadonlyArray<{ status: WorkerOutcome<unknown>['status'] }>) => {
      sentBefore.done += answers.length;
      for (const a of answers) sentBefore[a.status]++;
      sentBefore.batchesDone += sending?.batchesDone ?? 0;
      sentBefore.batches += sending?.batches ?? 0;
      sending = undefined;
    };
    const onProgress = (p: BatchProgress) => {
      sending = p;
      progress();
    };
    if (handlers.write) {
      let answers: ReadonlyArray<WorkerOutcome<SyncWritten>>;
      if (signal?.aborted) answers = tasks.map(() => ({ status: 'skipped', reason: 'aborted' }));
      else {
        try {
          answers = await handlers.write(
            tasks.map((t) => t.write),
            { signal, onProgress },
          );
        } catch (error) {
          const err = asError(error);
          answers = tasks.map(() => ({ status: 'failed', error: err }));
        }
      }
      const done: Array<{ task: WriteTask<T, P>; written: SyncWritten }> = [];
      const said = tasks.map((task, k): WorkerOutcome<SyncWritten> => {
        const answer: WorkerOutcome<SyncWritten> = answers[k] ?? {
          status: 'failed',
          error: new Error(`the portal answered ${answers.length} outcomes for ${tasks.length} writes`),
        };
        if (answer.status === 'succeeded') done.push({ task, written: answer.value });
        else outcomes[task.position] = unsettled(task, answer);
        return answer;
      });
      finish(said);
      // Recorded while the next part is sent: the state's round trips are not the portal's.
      recording.push(
        settle(done).then(
          (settled) => {
            done.forEach(({ task }, k) => {
              outcomes[task.position] = settled[k] as SyncOutcome<T>;
            });
          },
          (error: unknown) => {
            const err = asError(error);
            for (const { task } of done) outcomes[task.position] = unsettled(task, { status: 'failed', error: err });
          },
        ),
      );
      return;
    }
    const { upsert, remove } = handlers;
    const report = await runBatches(
      tasks,
      { size: 1, concurrency: options.concurrency ?? 4, signal, onProgress },
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
    finish(report.items);
  };
  // One part is sent at a time, in order, while the next is prepared.
  let sent: Promise<void> = Promise.resolve();
  const send = (tasks: WriteTask<T, P>[]) => {
    sent = sent.then(() => sendPart(tasks));
  };

  /** The removals of keys the input no longer has: they come last, in the round's last part. */
  const missingRemovals = (): PendingTask<T, P>[] =>
    missing.map((key, k) => ({
      position: items.length + k,
      write: { kind: 'remove', key },
      item: undefined,
      fingerprint: undefined,
      reason: undefined,
    }));

  // Then the items part by part: prepared, fingerprinted and compared, each part's writes handed
  // to the portal before the next part is prepared.
  try {
    for (let from = 0, size = FIRST_PART; from < items.length; from += size, size = PART) {
      const to = Math.min(items.length, from + size);
      const writes: PendingTask<T, P>[] = [];
      for (let position = from; position < to; position++) {
        // The parts sent before wait on sockets and the state: let them go on while this one is prepared.
        if (position > 0 && position % PREPARE_BETWEEN_TURNS === 0) await turn();
        const key = keys[position];
        if (key === undefined) continue;
        const item = items[position] as T;
        const exclusion = exclusions.get(position);
        if (exclusion !== undefined) {
          const print = known.get(key);
          if (print !== undefined && print !== REMOVED) {
            writes.push({ position, write: { kind: 'remove', key }, item, fingerprint: undefined, reason: exclusion });
          } else skip(position, key, item, 'skipped', exclusion);
          continue;
        }
        let value: P;
        let change: ReturnType<typeof compareContent>;
        try {
          value = prepare(item);
          change = compareContent(known, key, content(value));
        } catch (error) {
          // What the portal has stays as it is: the key is in the input, so it is not removed.
          fail(position, key, item, asError(error));
          continue;
        }
        if (!change) skip(position, key, item, 'unchanged', UNCHANGED);
        else {
          writes.push({
            position,
            write: { kind: 'upsert', key, item: value, isNew: change.isNew },
            item,
            fingerprint: change.fingerprint,
            reason: undefined,
          });
        }
      }
      classified += to - from;
      written += writes.length;
      if (to === items.length) writes.push(...missingRemovals());
      if (countAside(from, to) > 0) progress();
      send(await withPortalIds(writes));
    }
    if (items.length === 0) send(await withPortalIds(missingRemovals()));
  } catch (error) {
    // The state could not be read: what is under way ends before the round fails.
    await sent.catch(() => undefined);
    await Promise.allSettled(recording);
    throw error;
  }
  await sent;
  await Promise.all(recording);

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
