import { type BatchProgress, type BatchReport, refuseRepeatedKeys, runBatches, type WorkerOutcome } from './batch.js';
import { InputValidationError } from './errors.js';
import type { SyncState } from './sync-state.js';

/** How {@link syncItems} talks to one portal. */
export interface SyncHandlers<T> {
  /** The CRM id of an item. */
  key(item: T): string;
  /** What the fingerprint covers (default: the whole item). */
  content?(item: T): unknown;
  /**
   * Creates or updates one item on the portal and returns its portal id (or
   * `undefined` to keep the one known). `portalId` is the id last recorded for it.
   */
  upsert(
    item: T,
    context: { key: string; portalId: string | undefined; signal: AbortSignal | undefined },
  ): Promise<string | undefined>;
  /** Removes (or hides) an item the CRM no longer has. */
  remove(key: string, context: { portalId: string | undefined; signal: AbortSignal | undefined }): Promise<void>;
}

/** Options of {@link syncItems}. */
export interface SyncItemsOptions {
  /** What earlier runs sent; updated as items go through. */
  state: SyncState;
  /** Items in flight at once (default 4). */
  concurrency?: number | undefined;
  /** Remove items the state knows but the input no longer has (default `true`). */
  removeMissing?: boolean | undefined;
  /** Stops the run; what was not started is reported skipped. */
  signal?: AbortSignal | undefined;
  /** Called after each item. */
  onProgress?: ((progress: BatchProgress) => void) | undefined;
  /** Named in the errors of the run (default `sync`); the portal named is the state's. */
  operation?: string | undefined;
}

/** One unit of work of a sync: an item to send, one that did not change, or a key to remove. */
export type SyncTask<T> =
  | { kind: 'upsert'; key: string; item: T; fingerprint: string; isNew: boolean }
  | { kind: 'unchanged'; key: string; item: T }
  | { kind: 'remove'; key: string };

/** What happened to one task that went through. */
export interface SyncDone {
  /** The CRM id. */
  key: string;
  /** What was done. */
  action: 'created' | 'updated' | 'removed';
  /** The portal id, when known: for a create another writer recorded first, the id it recorded. */
  portalId: string | undefined;
  /**
   * Set when this create lost to another writer's (set-if-absent on the portal id): the id the
   * portal gave this one, now a duplicate of {@link SyncDone.portalId} there, to remove.
   */
  discardedPortalId?: string | undefined;
}

/** The report of {@link syncItems}: one outcome per task, items in input order, then removals. */
export interface SyncReport<T> extends BatchReport<SyncTask<T>, SyncDone> {
  /** Items sent for the first time. */
  created: number;
  /** Items sent again because they changed. */
  updated: number;
  /** Items removed from the portal. */
  removed: number;
  /** Items not sent because nothing changed. */
  unchanged: number;
}

/** Reason given for items whose content did not change. */
export const UNCHANGED = 'unchanged since the last sync';

/**
 * One round of continuous sync against a portal that takes items one by one: sends
 * what is new or changed (by fingerprint), removes what disappeared, records what went
 * through in `state`, and reports every item. A failed item is not recorded, so the
 * next round sends it again. An item key given twice is reported failed the second time.
 *
 * Each item's portal id and fingerprint are recorded in one batch with the plan's version
 * (record-if-newer), and a create's id set-if-absent: workers sharing the state cannot
 * overwrite a newer round's record, and the first id recorded for an item wins.
 */
export async function syncItems<T>(
  items: readonly T[],
  handlers: SyncHandlers<T>,
  options: SyncItemsOptions,
): Promise<SyncReport<T>> {
  const { state } = options;
  const content = handlers.content ? (item: T) => handlers.content?.(item) : (item: T) => item;
  const plan = await state.plan(items, (item) => handlers.key(item), content);
  const changed = new Map(plan.changed.map((c) => [c.item, c]));
  const tasks: SyncTask<T>[] = items.map((item): SyncTask<T> => {
    const c = changed.get(item);
    const key = handlers.key(item);
    return c
      ? { kind: 'upsert', key, item, fingerprint: c.fingerprint, isNew: c.isNew }
      : { kind: 'unchanged', key, item };
  });
  if (options.removeMissing ?? true) for (const key of plan.removed) tasks.push({ kind: 'remove', key });

  const report = await runBatches(
    tasks,
    {
      size: 1,
      concurrency: options.concurrency ?? 4,
      signal: options.signal,
      onProgress: options.onProgress,
      validate: refuseRepeatedKeys(
        tasks,
        (task) => task.key,
        (task) =>
          new InputValidationError([{ path: 'id', message: 'given twice in one sync', code: 'duplicate' }], {
            portal: state.portal,
            operation: options.operation ?? 'sync',
            itemId: task.key,
          }),
      ),
    },
    async ([task], { signal }): Promise<Array<WorkerOutcome<SyncDone>>> => {
      if (!task) return [];
      if (task.kind === 'unchanged') return [{ status: 'skipped', reason: UNCHANGED }];
      const portalId = await state.portalId(task.key);
      if (task.kind === 'remove') {
        await handlers.remove(task.key, { portalId, signal });
        await state.recordRemoved(task.key, { version: plan.version });
        return [{ status: 'succeeded', value: { key: task.key, action: 'removed', portalId } }];
      }
      const id = (await handlers.upsert(task.item, { key: task.key, portalId, signal })) ?? portalId;
      const action = task.isNew && portalId === undefined ? 'created' : 'updated';
      // A create records its id only if no other writer recorded one first; the first id wins.
      const [recorded] = await state.recordMany(
        [{ externalId: task.key, fingerprint: task.fingerprint, portalId: id, created: action === 'created' }],
        { version: plan.version },
      );
      const value: SyncDone = { key: task.key, action, portalId: recorded?.portalId ?? id };
      if (recorded?.discardedPortalId !== undefined) value.discardedPortalId = recorded.discardedPortalId;
      return [{ status: 'succeeded', value }];
    },
  );

  const count = (action: SyncDone['action']) =>
    report.items.filter((o) => o.status === 'succeeded' && o.value.action === action).length;
  return {
    ...report,
    created: count('created'),
    updated: count('updated'),
    removed: count('removed'),
    unchanged: report.items.filter((o) => o.status === 'skipped' && o.reason === UNCHANGED).length,
  };
}
