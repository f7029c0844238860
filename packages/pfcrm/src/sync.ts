import {
  type Listing,
  NotFoundError,
  type SyncOptions,
  type SyncReport,
  type SyncTarget,
  type SyncWritten,
  syncItems,
  syncItemsOptions,
  syncTarget,
} from '@sync/core';
import type { PfCrmClient } from './client.js';
import { fromListing, type PfFromListingOptions } from './from-listing.js';
import {
  checkPhotos,
  type PfPhotoOptions,
  PfPhotoUploader,
  photoFailure,
  photoPlaceholder,
  withPhotoTokens,
} from './photos.js';
import type { PropertyCreateInput } from './schemas/property.js';

/** Options of {@link syncListings}: core's sync options and the mapping of `fromListing` (without `id`). */
export interface PfCrmSyncOptions extends SyncOptions, Omit<PfFromListingOptions, 'id' | 'images'> {
  /**
   * The photos: as in `fromListing` (a table or resolver of uploaded images, or `'omit'`),
   * or `'upload'`: each photo is downloaded from its URL and uploaded, its token cached in
   * `state` (see {@link PfPhotoUploader}); a photo that cannot be fetched or uploaded
   * makes its listing `failed`, naming `photos.N.url`.
   */
  images?: PfFromListingOptions['images'] | 'upload' | undefined;
  /** Limits and clock of `images: 'upload'`. */
  photos?: PfPhotoOptions | undefined;
  /**
   * Runs each lookup by reference → create inside it (default: runs it as it is). Workers
   * sharing the state pass a lease held per listing until the round has recorded the new id
   * (`@sync/queue` does), so two rounds of the same agency never both find nothing and create.
   */
  guardCreate?: (<T>(key: string, create: () => Promise<T>) => Promise<T>) | undefined;
}

/** `true` when the portal answered that the property is not there (404). */
const isGone = (error: unknown) => error instanceof NotFoundError;

/**
 * Brings Property Finder in line with a CRM's complete current set of listings: maps
 * each with `fromListing` (a listing that cannot be mapped is reported failed, naming
 * the field), sends the ones whose property changed since `state` last saw it — an
 * update when the state has the property's id; otherwise the property is first looked
 * up by its `reference` (the CRM id), so a create whose answer was lost, or whose id was
 * never recorded, is updated instead of created twice — deletes the listings gone from
 * the CRM (a 404 means already done), and records every acknowledged change.
 *
 * @example
 * const state = new SyncState(await JsonFileIdentifierMap.open('./sync-state.json'), 'pfcrm');
 * const report = await syncListings(pf, crmListings, {
 *   state,
 *   currency: 'AED',
 *   sizeUnit: 'sqft',
 *   types: { 'residential.apartment': 1, 'residential.villa': 2 },
 *   locations: { Dubai: 'are.3', 'Dubai/Dubai Marina': 'are.3.15' },
 *   images: 'omit',
 * });
 * console.info(`${report.created} created, ${report.updated} updated, ${report.removed} deleted`);
 */
export async function syncListings(
  client: PfCrmClient,
  listings: readonly Listing[],
  options: PfCrmSyncOptions,
): Promise<SyncReport<Listing>> {
  const { state, concurrency, signal, onProgress, guardCreate, photos, images, ...rest } = options;
  const guarded = guardCreate ?? (<T>(_key: string, create: () => Promise<T>) => create());
  const mapping: Omit<PfFromListingOptions, 'id'> = images === 'upload' ? rest : { ...rest, images };
  // Photos by URL: checked (and new content uploaded) before the plan, so a listing's
  // fingerprint follows its photos' content; tokens are put in only when it is written.
  const uploader = images === 'upload' ? new PfPhotoUploader(client, state, photos) : undefined;
  const checked = uploader ? await checkPhotos(uploader, listings, signal) : undefined;
  const prepare = (listing: Listing): PropertyCreateInput => {
    if (!checked) return fromListing(listing, mapping);
    const own = Array.isArray(listing?.photos) ? listing.photos : [];
    own.forEach((photo, i) => {
      const found = checked.get(photo?.url);
      if (found && 'error' in found) throw photoFailure(i, found.error, listing.id);
    });
    return fromListing(listing, {
      ...mapping,
      images: (photo) => {
        const found = checked.get(photo.url);
        return found && 'hash' in found ? { token: photoPlaceholder(found.hash, photo.url) } : undefined;
      },
    });
  };

  /** The id of the property whose reference is the CRM id, if the portal has one. */
  const lookUp = async (reference: string, signal: AbortSignal | undefined): Promise<number | undefined> => {
    const page = await client.properties.list({ filters: { reference }, perPage: 1 }, { signal });
    return page.items[0]?.id;
  };
  /** The property as sent to property `id` (or to a new one): photo placeholders become image ids or tokens. */
  const photosFor = async (prepared: PropertyCreateInput, key: string, id: number | undefined, signal?: AbortSignal) =>
    uploader ? withPhotoTokens(prepared, uploader, key, id, signal) : { property: prepared, fresh: [] };
  const update = async (prepared: PropertyCreateInput, key: string, id: number, signal: AbortSignal | undefined) => {
    const { property, fresh } = await photosFor(prepared, key, id, signal);
    await client.properties.update({ ...property, id }, { signal });
    await uploader?.learnImages(id, fresh, signal);
    return String(id);
  };

  return syncItems(
    listings,
    {
      key: (listing) => listing.id,
      prepare,
      async upsert(prepared, { key, portalId, signal }): Promise<SyncWritten> {
        if (portalId !== undefined) {
          try {
            return { portalId: await update(prepared, key, Number(portalId), signal), action: 'updated' };
          } catch (error) {
            // Deleted on the portal since (or removed by an earlier round): find it or create it again.
            if (!isGone(error)) throw error;
          }
        }
        return guarded(key, async (): Promise<SyncWritten> => {
          const found = await lookUp(key, signal);
          if (found !== undefined) return { portalId: await update(prepared, key, found, signal), action: 'updated' };
          const { property, fresh } = await photosFor(prepared, key, undefined, signal);
          const created = await client.properties.create(property, { signal });
          await uploader?.learnImages(created.id, fresh, signal);
          return { portalId: String(created.id), action: 'created' };
        });
      },
      async remove(key, { portalId, signal }) {
        const id = portalId === undefined ? await lookUp(key, signal) : Number(portalId);
        if (id === undefined) return;
        await client.properties.delete(id, { signal }).catch((error: unknown) => {
          if (!isGone(error)) throw error;
        });
      },
    },
    syncItemsOptions(options, 'syncListings'),
  );
}

/**
 * A Property Finder target for core's `syncPortals`: this client, its mapping options
 * and its own state, synced by {@link syncListings}.
 *
 * @example
 * const [report] = await syncPortals(crmListings, [
 *   pfCrmTarget(pf, { state: new SyncState(map, 'pfcrm'), currency: 'AED', sizeUnit: 'sqft', types, locations }),
 * ]);
 */
export function pfCrmTarget(client: PfCrmClient, options: PfCrmSyncOptions): SyncTarget {
  return syncTarget(options, (listings, o) => syncListings(client, listings, o));
}
