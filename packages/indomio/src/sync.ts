import {
  fingerprint,
  type IdentifierMap,
  type ItemSyncHandlers,
  type Listing,
  type ListingAgent,
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
import { realtorKey } from './resources/realtors.js';
import type { PartialUpdateInput } from './schemas/partial.js';
import type { Operation, PropertyInput } from './schemas/property.js';
import { toXsDateTime, xsDateTimeToMs } from './schemas/property.js';
import type { RealtorInput, RealtorsUpdateInput } from './schemas/realtor.js';

/**
 * Kind under which a sync keeps each listing's last `date-updated` in the sync state's
 * identifier map, beside core's ids and fingerprints.
 */
export const DATE_UPDATED_KIND = 'listing-date-updated';

/**
 * Kind under which a sync records, per realtor (`realtorKey(agency, externalId)`), the
 * fingerprint of what it last sent with the realtor API: a realtor is created once, and written
 * again only when its details change.
 */
export const REALTOR_SENT_KIND = 'realtor-sent';

/**
 * Kind under which a sync with `partialMedia` records, per listing, fingerprints of what it last
 * sent apart from its media and of each kind of media, to tell a media-only change.
 */
export const MEDIA_SENT_KIND = 'listing-media-sent';

/** The kinds of media a `<partial>` update can replace. */
const MEDIA_KINDS = ['pictures', 'documents', 'blueprints'] as const;

/**
 * What a sync needs of a client: its identifier map, a way to write and delete properties
 * and, to create the realtors listings name, the realtor API. `IndomioClient` is one; the
 * sync takes the client and is never imported by it.
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
    /** Media-only updates (`<partial>`); without it every change is a full write. */
    partial?(update: PartialUpdateInput, options: { signal?: AbortSignal | undefined }): Promise<unknown>;
  };
  /** Creates or updates realtors, as `IndomioClient.realtors` does; without it realtors are never created. */
  readonly realtors?:
    | {
        put(update: RealtorsUpdateInput, options: { signal?: AbortSignal | undefined }): Promise<unknown>;
      }
    | undefined;
}

/** A property given to `properties.sync`: `dateUpdated` may be left out, the sync stamps it. */
export type SyncPropertyInput = Omit<PropertyInput, 'dateUpdated'> & { dateUpdated?: PropertyInput['dateUpdated'] };

/** What Indomio's sync calls take besides core's sync options. */
export interface IndomioSyncClock {
  /** Clock for the `date-updated` stamps, for tests (default `Date.now`). */
  now?: (() => number) | undefined;
  /**
   * What to do with the realtors a listing names (`agent/realtors`), which the portal takes only
   * once the agency has them. `'create'` (default): create or update the ones this sync has not
   * sent yet (or whose details changed) with the realtor API before the listing, and once more if
   * the portal still answers `MISSING_REALTOR`. `'require'`: never create them; a listing naming
   * a realtor the agency lacks is reported failed, the reason naming the realtor.
   */
  realtors?: 'create' | 'require' | undefined;
  /**
   * Send every write of the round with `@operation="force"`, which the portal applies even when
   * its `date-updated` is not newer than the one it holds (e.g. after the listing was edited on
   * the portal with a later date). Default: plain writes, which obey the last-updated rule.
   */
  force?: boolean | undefined;
  /**
   * Send a change that touches only a listing's pictures, documents or floor plans as `<partial>`
   * updates of those media (one per kind changed) instead of a full write: the rest of the listing
   * and its `date-updated` stay as they are on the portal. A kind emptied, or any other change,
   * still goes as a full write. Default `false`.
   */
  partialMedia?: boolean | undefined;
}

/**
 * Options of {@link syncListings}: core's sync options, the mapping of `fromListing`, the
 * clock, what to do with realtors and which statuses keep a listing on the portal.
 */
export interface IndomioSyncOptions extends SyncOptions, IndomioFromListingOptions, IndomioSyncClock {
  /**
   * Keep inactive listings on the portal as archived (`@operation="archive"`: off the search,
   * kept with their `idListing`, published again when active) instead of deleting them.
   */
  archiveInactive?: boolean | undefined;
  /** Send draft listings as `@operation="secret"` (seen by the agency only) instead of leaving them off. */
  secretDrafts?: boolean | undefined;
}

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
  options: IndomioSyncClock,
  details: ReadonlyMap<string, readonly RealtorInput[]> = new Map(),
): Pick<ItemSyncHandlers<unknown, SyncPropertyInput>, 'content' | 'upsert' | 'remove'> {
  const now = options.now ?? Date.now;
  const realtors = realtorWrites(client, state, options.realtors ?? 'create');
  const media = mediaWrites(client, state);
  return {
    content: (property) => ({ ...property, dateUpdated: undefined }),
    async upsert(given, { key, signal }) {
      const property = options.force ? { ...given, operation: 'force' as const } : given;
      const named = details.get(key) ?? property.agent?.realtors ?? [];
      const agencyEmail = property.agent?.email;
      const prints = options.partialMedia ? mediaPrints(property) : undefined;
      if (prints && (await media.sendChanged(property, key, prints, signal))) return undefined;
      if (agencyEmail !== undefined) await realtors.ensure(agencyEmail, named, signal);
      const last = await state.map.get(state.portal, DATE_UPDATED_KIND, key);
      let stamp = Math.floor(now() / 1000) * 1000;
      if (last !== undefined) stamp = Math.max(stamp, xsDateTimeToMs(last) + 1000);
      if (property.dateUpdated !== undefined) {
        const given =
          property.dateUpdated instanceof Date ? property.dateUpdated.getTime() : xsDateTimeToMs(property.dateUpdated);
        if (Number.isFinite(given)) stamp = Math.max(stamp, Math.ceil(given / 1000) * 1000);
      }
      const dateUpdated = toXsDateTime(new Date(stamp));
      const write = { ...property, dateUpdated } as PropertyInput;
      let result: { idListing: number | undefined };
      try {
        result = await client.properties.put(write, { signal });
      } catch (error) {
        if (!(error instanceof IndomioError && error.code === ErrorCode.MISSING_REALTOR)) throw error;
        // The portal lacks a realtor this sync thought it had (removed in the panel?): create it again, once.
        if (agencyEmail === undefined || !(await realtors.recreate(agencyEmail, named, signal))) {
          throw missingRealtor(error, key, agencyEmail, named);
        }
        try {
          result = await client.properties.put(write, { signal });
        } catch (again) {
          if (again instanceof IndomioError && again.code === ErrorCode.MISSING_REALTOR) {
            throw missingRealtor(again, key, agencyEmail, named);
          }
          throw again;
        }
      }
      await state.map.set(state.portal, DATE_UPDATED_KIND, key, dateUpdated);
      if (prints) await state.map.set(state.portal, MEDIA_SENT_KIND, key, JSON.stringify(prints));
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
      await state.map.delete(state.portal, MEDIA_SENT_KIND, key);
    },
  };
}

/** Fingerprints of a property apart from its media, and of each kind of media. */
type MediaPrints = Record<'body' | (typeof MEDIA_KINDS)[number], string>;

function mediaPrints(property: SyncPropertyInput): MediaPrints {
  const { pictures, documents, blueprints, dateUpdated: _date, ...body } = property;
  return {
    body: fingerprint(body),
    pictures: fingerprint(pictures ?? null),
    documents: fingerprint(documents ?? null),
    blueprints: fingerprint(blueprints ?? null),
  };
}

/** The `<partial>` updates of a round: a listing whose media alone changed gets one per kind changed. */
function mediaWrites(client: IndomioSyncClient, state: SyncState) {
  return {
    /** Sends the media-only updates of `property`; `false` when it needs a full write instead. */
    async sendChanged(
      property: SyncPropertyInput,
      key: string,
      prints: MediaPrints,
      signal: AbortSignal | undefined,
    ): Promise<boolean> {
      const sent = await state.map.get(state.portal, MEDIA_SENT_KIND, key);
      const properties = client.properties;
      if (!properties.partial || sent === undefined || property.operation === 'force') return false;
      let last: Partial<MediaPrints>;
      try {
        last = JSON.parse(sent) as Partial<MediaPrints>;
      } catch {
        return false;
      }
      if (last.body !== prints.body) return false;
      const changed = MEDIA_KINDS.filter((kind) => last[kind] !== prints[kind]);
      // An emptied kind cannot be a `<partial>` (it needs one medium at least): a full write removes it.
      if (changed.length === 0 || changed.some((kind) => !property[kind]?.length)) return false;
      const agencyUsername = property.agent?.email ?? property.user?.email;
      try {
        for (const kind of changed) {
          await properties.partial(
            { identifiers: { listingExternalId: key, agencyUsername }, [kind]: property[kind] },
            { signal },
          );
          last = { ...last, [kind]: prints[kind] };
          await state.map.set(state.portal, MEDIA_SENT_KIND, key, JSON.stringify(last));
        }
      } catch (error) {
        // The listing is gone from the portal: write it whole.
        if (error instanceof IndomioError && error.code === ErrorCode.NOT_FOUND) return false;
        throw error;
      }
      return true;
    },
  };
}

/**
 * The realtor API calls of one round: each realtor a listing names is created (or updated,
 * when its details changed) once, before the first listing that names it, and recorded in the
 * sync state; listings naming the same realtor at the same time wait for the same call.
 */
function realtorWrites(client: IndomioSyncClient, state: SyncState, mode: 'create' | 'require') {
  const inFlight = new Map<string, Promise<void>>();
  const api = mode === 'create' ? client.realtors : undefined;

  const send = (agencyEmail: string, realtor: RealtorInput & { externalId: string }, signal?: AbortSignal) => {
    const key = realtorKey(agencyEmail, realtor.externalId);
    let call = inFlight.get(key);
    if (!call) {
      const print = fingerprint(realtor);
      call = (async () => {
        if ((await state.map.get(state.portal, REALTOR_SENT_KIND, key)) === print) return;
        // biome-ignore lint/style/noNonNullAssertion: only called when the API is there.
        await api!.put({ agencyEmail, realtors: [realtor] }, { signal });
        await state.map.set(state.portal, REALTOR_SENT_KIND, key, print);
      })();
      inFlight.set(key, call);
      // A failed call is not kept: the next listing naming the realtor tries again.
      call.catch(() => inFlight.delete(key));
    }
    return call;
  };
  const withId = (list: readonly RealtorInput[]) =>
    list.filter((r): r is RealtorInput & { externalId: string } => typeof r.externalId === 'string');

  return {
    /** Creates the realtors not sent yet (nothing in `'require'` mode). */
    async ensure(agencyEmail: string, list: readonly RealtorInput[], signal?: AbortSignal): Promise<void> {
      if (!api) return;
      await Promise.all(withId(list).map((r) => send(agencyEmail, r, signal)));
    },
    /** Forgets and creates again the realtors of a listing the portal refused; `false` when it cannot. */
    async recreate(agencyEmail: string, list: readonly RealtorInput[], signal?: AbortSignal): Promise<boolean> {
      const named = withId(list);
      if (!api || named.length === 0) return false;
      for (const r of named) {
        const key = realtorKey(agencyEmail, r.externalId);
        inFlight.delete(key);
        await state.map.delete(state.portal, REALTOR_SENT_KIND, key);
      }
      await Promise.all(named.map((r) => send(agencyEmail, r, signal)));
      return true;
    },
  };
}

/** The portal's `MISSING_REALTOR` for a listing, reworded to name the realtor and what to do. */
function missingRealtor(
  error: IndomioError,
  key: string,
  agencyEmail: string | undefined,
  named: readonly RealtorInput[],
): IndomioError {
  const realtor =
    error.response.realtorExternalId ??
    (error.response.realtorId !== undefined ? String(error.response.realtorId) : undefined) ??
    named.map((r) => r.externalId ?? String(r.id)).join(', ');
  return new IndomioError(
    `listing "${key}" names realtor "${realtor}", which agency ${agencyEmail ?? '(unknown)'} does not have on the portal: create it with realtors.put, or sync with realtors: 'create'`,
    {
      portal: PORTAL,
      operation: error.operation,
      itemId: key,
      status: error.status,
      response: error.response,
      retryable: false,
      cause: error,
    },
  );
}

/** The realtor to create for a CRM agent: the CRM id, the name split at the first space, e-mail and phone. */
export function realtorFromAgent(agent: ListingAgent): RealtorInput & { externalId: string } {
  const name = agent.name.trim();
  const space = name.indexOf(' ');
  const connections: NonNullable<RealtorInput['connections']> = [];
  if (agent.email !== undefined) connections.push({ type: 'email', value: agent.email });
  if (agent.phone !== undefined) connections.push({ type: 'phone', value: agent.phone });
  return {
    externalId: agent.id,
    ...(space < 0 ? { firstName: name } : { firstName: name.slice(0, space), surname: name.slice(space + 1).trim() }),
    role: 'agent',
    ...(connections.length > 0 && { connections }),
  };
}

/** The operation a CRM status is sent with under the sync's options, or `undefined` when it is not sent. */
function operationOf(status: Listing['status'], options: IndomioSyncOptions): Operation | undefined {
  if (status === 'inactive' && options.archiveInactive) return 'archive';
  if (status === 'draft' && options.secretDrafts) return 'secret';
  return INDOMIO_OPERATIONS[status];
}

/** Why a listing has no place on Indomio: only the statuses {@link INDOMIO_OPERATIONS} writes are published. */
function unpublished(listing: Listing, options: IndomioSyncOptions): string | undefined {
  const status = (listing as { status?: unknown } | null | undefined)?.status;
  if (typeof status !== 'string' || !Object.hasOwn(INDOMIO_OPERATIONS, status)) return undefined;
  if (operationOf(status as Listing['status'], options) !== undefined) return undefined;
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
 * });
 * console.info(`${report.created} created, ${report.removed} removed, ${report.skipped} not published`);
 */
export function syncListings(
  client: IndomioSyncClient,
  listings: readonly Listing[],
  options: IndomioSyncOptions,
): Promise<SyncReport<Listing>> {
  const {
    state,
    concurrency,
    signal,
    onProgress,
    now,
    realtors,
    force,
    partialMedia,
    archiveInactive,
    secretDrafts,
    ...mapping
  } = options;
  const details = new Map<string, RealtorInput[]>();
  return syncItems(
    listings,
    {
      key: (listing) => listing.id,
      exclude: (listing) => unpublished(listing, options),
      prepare: (listing): SyncPropertyInput => {
        const operation = operationOf(listing.status, options);
        const property =
          operation === 'write' || operation === undefined
            ? fromListing(listing, mapping)
            : { ...fromListing({ ...listing, status: 'active' }, mapping), operation };
        if (listing.agent && mapping.agent !== 'omit') details.set(listing.id, [realtorFromAgent(listing.agent)]);
        return property;
      },
      ...propertyWrites(client, state, options, details),
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
 *   indomioTarget(indomio, { state: new SyncState(map, 'indomio'), agency }),
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
  return syncItems(
    Array.from(properties),
    {
      key: (property) => (typeof property?.uniqueId === 'string' ? property.uniqueId : ''),
      ...propertyWrites(client, options.state, options),
    },
    syncItemsOptions(options, 'properties.sync'),
  );
}
