import type { BatchProgress } from './batch.js';
import type { Listing } from './listing.js';
import { failureReason, type SyncOptions, type SyncReport } from './sync.js';

/** What {@link syncPortals} passes to each target's round. */
export interface SyncRunOptions {
  /** Stops the round. */
  signal?: AbortSignal | undefined;
  /** Called after each write (or bulk request) of the round. */
  onProgress?: ((progress: BatchProgress) => void) | undefined;
}

/**
 * One portal, ready to be brought in line with a CRM's listings: its client, its
 * mapping tables and its own `SyncState`, bound together by the target function each
 * portal package exports beside its `syncListings` (or by {@link syncTarget}).
 */
export interface SyncTarget<T extends { id: string } = Listing> {
  /** The portal, as its state names it. */
  readonly portal: string;
  /** Runs one round of the package's sync call over the CRM's complete current set. */
  sync(items: readonly T[], options: SyncRunOptions): Promise<SyncReport<T>>;
}

/** Progress of one portal within {@link syncPortals}. */
export interface SyncPortalsProgress extends BatchProgress {
  /** The portal the progress is about. */
  portal: string;
}

/** Options of {@link syncPortals}. */
export interface SyncPortalsOptions {
  /** Stops every round: writes not started are reported skipped and not recorded. */
  signal?: AbortSignal | undefined;
  /** One callback for every portal, after each of their writes (or bulk requests). */
  onProgress?: ((progress: SyncPortalsProgress) => void) | undefined;
}

/**
 * Makes a {@link SyncTarget} out of a package's sync call and its options: what a
 * round of {@link syncPortals} passes (signal, progress) is combined with the options'
 * own. Portal packages build their `…Target` functions on it.
 *
 * @example
 * export const acmeTarget = (client: AcmeClient, options: AcmeSyncOptions) =>
 *   syncTarget(options, (listings, o) => syncListings(client, listings, o));
 */
export function syncTarget<O extends SyncOptions, T extends { id: string } = Listing>(
  options: O,
  run: (items: readonly T[], options: O) => Promise<SyncReport<T>>,
): SyncTarget<T> {
  return {
    portal: options.state.portal,
    sync(items, round) {
      const signals = [options.signal, round.signal].filter((s): s is AbortSignal => s !== undefined);
      const own = options.onProgress;
      const theirs = round.onProgress;
      return run(items, {
        ...options,
        signal: signals.length > 1 ? AbortSignal.any(signals) : signals[0],
        onProgress:
          own && theirs
            ? (p: BatchProgress) => {
                own(p);
                theirs(p);
              }
            : (own ?? theirs),
      });
    },
  };
}

/**
 * Brings several portals in line with one CRM's complete current set of listings, all
 * at once: each target runs its package's sync call (change-only, with its own state)
 * concurrently, under one progress callback. Resolves with one report per target, in
 * the targets' order. A target whose round throws (its state cannot be read, say) does
 * not stop the others: its report has every listing failed with that error.
 *
 * @example
 * const [onAcme, onOther] = await syncPortals(crmListings, [
 *   acmeTarget(acmeClient, { state: new SyncState(map, 'acme'), types: acmeTypes }),
 *   otherTarget(otherClient, { state: new SyncState(map, 'other'), currency: 'EUR' }),
 * ], { onProgress: (p) => console.info(`${p.portal} ${p.done}/${p.total}`) });
 * for (const o of onAcme?.items ?? []) if (o.action === 'failed') console.error(o.key, o.reason);
 */
export async function syncPortals<T extends { id: string } = Listing>(
  items: readonly T[],
  targets: ReadonlyArray<SyncTarget<T>>,
  options: SyncPortalsOptions = {},
): Promise<Array<SyncReport<T>>> {
  return Promise.all(
    targets.map(async (target) => {
      const onProgress = options.onProgress;
      try {
        return await target.sync(items, {
          signal: options.signal,
          onProgress: onProgress && ((p) => onProgress({ ...p, portal: target.portal })),
        });
      } catch (error) {
        const err = error instanceof Error ? error : new Error(String(error));
        const reason = failureReason(err);
        return {
          portal: target.portal,
          total: items.length,
          created: 0,
          updated: 0,
          unchanged: 0,
          removed: 0,
          failed: items.length,
          skipped: 0,
          items: items.map((item) => ({
            key: item.id,
            action: 'failed' as const,
            portalId: undefined,
            reason,
            error: err,
            item,
          })),
        };
      }
    }),
  );
}
