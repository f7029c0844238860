import {
  type IdentifierMap,
  type ItemSyncHandlers,
  type Listing,
  type SyncOptions,
  type SyncReport,
  type SyncState,
  type SyncTarget,
  syncItems,
  syncItemsOptions,
  syncTarget,
} from '@sync/core';
import { ErrorCode } from './error-codes.js';
import { IndomioError } from './errors.js';
import { fromListing, INDOMIO_OPERATIONS, type IndomioFromListingOptions } from './from-listing.js';
import { LISTING_KIND, PORTAL } from './portal.js';
import { type PropertyInput, toXsDateTime, xsDateTimeToMs } from './schemas/property.js';

/**
 * Kind under which a sync keeps each listing's last `date-updated` in the sync state's
 * identifier map, beside core's ids and fingerprints.
 */
export const DATE_UPDATED_KIND = 'listing-date-updated';

/**
 * What a sync needs of a client: its identifier map and a way to write and delete
 * properties. `IndomioClient` is one; the sync takes the client and is never imported by it.
 */
export interface IndomioSyncClient {
  /** Where `unique-id → idListing` is remembered. */
  readonly idMap: IdentifierMap;
  /** Writes and deletes, as `IndomioClient.properties` does them. */
  readonly properties: {
    put(
      property: PropertyInput,
      options: { signal?: AbortSignal | undefined },
    ): Promise<{ idListing: number | undefined }>;
    delete(
      target: string | { idListing: number | string },
      options: { signal?: AbortSignal | undefined },
    ): Promise<unknown>;
  };
}

/** A property given to `properties.sync`: `dateUpdated` may be left out, the sync stamps it. */
export type SyncPropertyInput = Omit<PropertyInput, 'dateUpdated'> & { dateUpdated?: PropertyInput['dateUpdated'] };

/** What Indomio's sync calls take besides core's sync options. */
export interface IndomioSyncClock {
  /** Clock for the `date-updated` stamps, for tests (default `Date.now`). */
  now?: (() => number) | undefined;
}

/** Options of {@link syncListings}: core's sync options, the mapping of `fromListing`, and the clock. */
export interface IndomioSyncOptions extends SyncOptions, IndomioFromListingOptions, IndomioSyncClock {}

/** Options of `properties.sync`, which takes Indomio properties instead of canonical listings. */
export interface PropertiesSyncOptions extends SyncOptions, IndomioSyncClock {}

/**
 * How Indomio takes writes, one by one: a changed property goes with a `date-updated`
 * strictly newer than the last one sent (the portal ignores any other), and a delete
 * answered NOT_FOUND is done — the listing is already gone.
 */
function propertyWrites(
  client: IndomioSyncClient,
  state: SyncState,
  now: () => number,
): Pick<ItemSyncHandlers<unknown, SyncPropertyInput>, 'content' | 'upsert' | 'remove'> {
  return {
    content: (property) => ({ ...property, dateUpdated: undefined }),
    async upsert(property, { key, signal }) {
      const last = await state.map.get(state.portal, DATE_UPDATED_KIND, key);
      let stamp = Math.floor(now() / 1000) * 1000;
      if (last !== undefined) stamp = Math.max(stamp, xsDateTimeToMs(last) + 1000);
      if (property.dateUpdated !== undefined) {
        const given =
          property.dateUpdated instanceof Date ? property.dateUpdated.getTime() : xsDateTimeToMs(property.dateUpdated);
        if (Number.isFinite(given)) stamp = Math.max(stamp, Math.ceil(given / 1000) * 1000);
      }
      const dateUpdated = toXsDateTime(new Date(stamp));
      const result = await client.properties.put({ ...property, dateUpdated } as PropertyInput, { signal });
      await state.map.set(state.portal, DATE_UPDATED_KIND, key, dateUpdated);
      return result.idListing === undefined ? undefined : String(result.idListing);
    },
    async remove(key, { portalId, signal }) {
      try {
        // Without a recorded portal id, `delete` resolves the unique-id through the client's map.
        if (portalId === undefined) await client.properties.delete(key, { signal });
        else await client.properties.delete({ idListing: portalId }, { signal });
      } catch (error) {
        if (!(error instanceof IndomioError && error.code === ErrorCode.NOT_FOUND)) throw error;
        await client.idMap.delete(PORTAL, LISTING_KIND, key);
      }
      await state.map.delete(state.portal, DATE_UPDATED_KIND, key);
    },
  };
}

/** Why a listing has no place on Indomio: only the statuses {@link INDOMIO_OPERATIONS} writes are published. */
function unpublished(listing: Listing): string | undefined {
  const status = (listing as { status?: unknown } | null | undefined)?.status;
  if (typeof status !== 'string' || !Object.hasOwn(INDOMIO_OPERATIONS, status)) return undefined;
  return INDOMIO_OPERATIONS[status as Listing['status']] === undefined
    ? `Indomio does not publish ${status} listings`
    : undefined;
}

/**
 * Brings Indomio in line with a CRM's complete current set of listings: only the
 * listings Indomio publishes go there (active ones; the others are reported skipped
 * with the reason, and removed if an earlier round sent them); each is mapped with
 * `fromListing` (one that cannot be mapped is reported failed, naming the field); the
 * ones whose property changed since `state` last saw it are written one by one with a
 * strictly newer `date-updated`; the listings gone from the CRM are deleted (one already
 * gone from the portal counts as deleted); and every acknowledged write is recorded.
 *
 * @example
 * const state = new SyncState(await JsonFileIdentifierMap.open('./sync-state.json'), 'indomio');
 * const report = await syncListings(indomio, crmListings, {
 *   state,
 *   agency: { email: 'agency@example.com' },
 *   typologies: { ...INDOMIO_DOCUMENTED_TYPOLOGIES, villa: 23 },
 * });
 * console.info(`${report.created} created, ${report.removed} removed, ${report.skipped} not published`);
 */
export function syncListings(
  client: IndomioSyncClient,
  listings: readonly Listing[],
  options: IndomioSyncOptions,
): Promise<SyncReport<Listing>> {
  const { state, concurrency, signal, onProgress, now, ...mapping } = options;
  return syncItems(
    listings,
    {
      key: (listing) => listing.id,
      exclude: unpublished,
      prepare: (listing): SyncPropertyInput => fromListing(listing, mapping),
      ...propertyWrites(client, state, now ?? Date.now),
    },
    syncItemsOptions(options, 'syncListings'),
  );
}

/**
 * An Indomio target for core's `syncPortals`: this client, its mapping options and its
 * own state, synced by {@link syncListings}.
 *
 * @example
 * const [report] = await syncPortals(crmListings, [
 *   indomioTarget(indomio, { state: new SyncState(map, 'indomio'), agency, typologies }),
 * ]);
 */
export function indomioTarget(client: IndomioSyncClient, options: IndomioSyncOptions): SyncTarget {
  return syncTarget(options, (listings, o) => syncListings(client, listings, o));
}

/**
 * The sync of Indomio properties already in the portal's model (what `properties.sync`
 * runs): the same writes and removals as {@link syncListings}, keyed by `uniqueId`.
 *
 * @example Properties built by hand, removed from the portal when they leave the set
 * ```ts
 * const state = new SyncState(await SqliteIdentifierMap.open('indomio.db'), 'indomio');
 * const report = await syncProperties(indomio, properties, { state, removeMissing: true });
 * ```
 */
export function syncProperties(
  client: IndomioSyncClient,
  properties: Iterable<SyncPropertyInput>,
  options: PropertiesSyncOptions,
): Promise<SyncReport<SyncPropertyInput>> {
  const { state, now } = options;
  return syncItems(
    Array.from(properties),
    {
      key: (property) => (typeof property?.uniqueId === 'string' ? property.uniqueId : ''),
      ...propertyWrites(client, state, now ?? Date.now),
    },
    syncItemsOptions(options, 'properties.sync'),
  );
}
