import {
  fingerprint,
  type IdentifierMap,
  type Listing,
  MemoryIdentifierMap,
  type SyncOptions,
  type SyncReport,
  SyncState,
  type SyncTarget,
  syncItems,
  syncItemsOptions,
  syncTarget,
  type WorkerOutcome,
} from '@sync/core';
import { fromListing, type RentixFromListingOptions } from './from-listing.js';
import { ops } from './operations.js';
import type { NormalizePhoneOptions } from './phone.js';
import { PORTAL } from './portal.js';
import type { AgencyResource } from './resources/agency.js';
import type { ListingsResource } from './resources/listings.js';
import type { ReferenceResource } from './resources/reference.js';
import type { CrmAgent, LinkByPhoneReport, UsersResource } from './resources/users.js';
import type { Agency } from './schemas/account.js';
import type { ListingOperation } from './schemas/bulk.js';
import type { ListingInput } from './schemas/listing.js';
import { type StatusGuidance, statusGuidance } from './status.js';

/**
 * What a sync needs of a client: its resources. `RentixClient` is one; the sync takes the
 * client and is never imported by it.
 */
export interface RentixSyncClient {
  /** The agency, checked before a first sync. */
  readonly agency: AgencyResource;
  /** Agents, linked by phone before a first sync. */
  readonly users: UsersResource;
  /** Listings, written by bulk calls. */
  readonly listings: ListingsResource;
  /** Reference data: the secondary types listings are mapped with. */
  readonly reference: ReferenceResource;
}

/**
 * Core's `SyncState` under the portal name `rentix`, kept in an `IdentifierMap` (memory by
 * default; `SqliteIdentifierMap` to survive restarts, PostgreSQL or Redis to share it between
 * workers): kind `listing` maps a CRM id to the Rentix id, kind `listing-fingerprint` to the
 * hash of the listing input last sent.
 *
 * @example
 * const state = new RentixSyncState(await JsonFileIdentifierMap.open('./sync-state.json'));
 * const report = await syncListings(rentix, crmListings, { state, agent: 'omit' });
 */
export class RentixSyncState extends SyncState {
  constructor(map: IdentifierMap = new MemoryIdentifierMap(), portal: string = PORTAL) {
    super(map, portal, 'listing');
  }

  /** The Rentix id last seen for a CRM listing. */
  listingId(externalId: string): Promise<string | undefined> {
    return this.portalId(externalId);
  }

  /** Records that `listing` is on the portal as sent, as {@link syncListings} does. */
  async remember(listing: ListingInput, portalId?: string): Promise<void> {
    if (listing.externalId === undefined) return;
    await this.record(listing.externalId, fingerprint(listing), portalId);
  }

  /** Records that a CRM listing was hidden on the portal. */
  rememberHidden(externalId: string): Promise<void> {
    return this.recordRemoved(externalId);
  }
}

/** A listing whose status, as Rentix answered the sync, asks for a person to act. */
export interface ListingAttention {
  /** The CRM id. */
  key: string;
  /** The status Rentix reported. */
  status: string;
  /** What to do about it. */
  guidance: StatusGuidance;
}

/** Core's `SyncReport`, with the listings whose status needs someone to act (`publish_failed`, `blocked`). */
export interface RentixSyncReport extends SyncReport<Listing> {
  /** Listings Rentix reported in a status that needs attention, with what to do. */
  attention: ListingAttention[];
}

/** Options of {@link syncListings}: core's sync options and the mapping of `fromListing`. */
export interface RentixSyncOptions extends SyncOptions, RentixFromListingOptions {}

/** Rentix hides what the CRM no longer has: the listing keeps its history and can come back. */
const hide = (externalId: string): ListingOperation => ({ op: 'upsert', externalId, announcementStatus: 'hidden' });

/**
 * Brings Rentix in line with a CRM's complete current set of listings: maps each with
 * `fromListing` (a listing that cannot be mapped is reported failed, naming the field),
 * sends the ones whose listing input changed since `state` last saw it in bulk requests
 * (at most 100 operations and 512 KB each, under the bulk rate limit; `concurrency` is
 * the number of requests in flight, by default the client's `bulk.concurrency` or 2),
 * hides (`announcementStatus: 'hidden'`) the listings gone from the CRM, and records
 * what Rentix acknowledged. Every listing ends in the report; a hidden one is `removed`.
 *
 * @example
 * const state = new RentixSyncState(await JsonFileIdentifierMap.open('./sync-state.json'));
 * const report = await syncListings(rentix, crmListings, { state, agent: 'omit' });
 * for (const o of report.items) if (o.action === 'failed') console.error(o.key, o.reason);
 */
export async function syncListings(
  client: RentixSyncClient,
  listings: readonly Listing[],
  options: RentixSyncOptions,
): Promise<RentixSyncReport> {
  const { state, concurrency, signal, onProgress, ...mapping } = options;
  const attention: ListingAttention[] = [];
  const report = await syncItems(
    listings,
    {
      key: (listing) => listing.id,
      prepare: (listing) => fromListing(listing, { secondaryTypes: client.reference.secondaryTypes, ...mapping }),
      async write(writes, context) {
        const operations = writes.map((w) => (w.kind === 'upsert' ? ops.upsert(w.item) : hide(w.key)));
        const report = await client.listings.bulk(operations, {
          signal: context.signal,
          onProgress: context.onProgress,
          concurrency,
        });
        report.results.forEach((r, k) => {
          const status = r.response?.status;
          const guidance = typeof status === 'string' ? statusGuidance(status) : undefined;
          const key = writes[k]?.key;
          if (guidance?.needsAttention && key !== undefined) attention.push({ key, status: String(status), guidance });
        });
        return report.results.map((r): WorkerOutcome<string | undefined> => {
          if (r.status === 'succeeded') return { status: 'succeeded', value: r.id };
          if (r.status === 'failed') return { status: 'failed', error: r.error ?? new Error(r.message ?? 'failed') };
          return { status: 'skipped', reason: r.message ?? 'not sent' };
        });
      },
    },
    // The bulk calls take the concurrency: the writes go in one `write` call.
    { ...syncItemsOptions(options, 'syncListings'), concurrency: undefined },
  );
  return { ...report, attention };
}

/**
 * A Rentix target for core's `syncPortals`: this client, its mapping options and its
 * own state, synced by {@link syncListings}.
 *
 * @example
 * const [report] = await syncPortals(crmListings, [rentixTarget(rentix, { state: new RentixSyncState(map) })]);
 */
export function rentixTarget(client: RentixSyncClient, options: RentixSyncOptions): SyncTarget {
  return syncTarget(options, (listings, o) => syncListings(client, listings, o));
}

/** Options of {@link initialSync}: those of {@link syncListings}, with a state of its own by default. */
export interface InitialSyncOptions extends Omit<RentixSyncOptions, 'state'>, NormalizePhoneOptions {
  /** CRM agents to link to Rentix users by phone before the listings go up. */
  agents?: readonly CrmAgent[] | undefined;
  /** Records what was sent, so later rounds of {@link syncListings} send only changes (default: a new one in memory). */
  state?: SyncState | undefined;
}

/** The outcome of {@link initialSync}. */
export interface InitialSyncReport {
  /** The agency, read to verify the connection. */
  agency: Agency;
  /** Agent linking, when agents were given. */
  agents: LinkByPhoneReport | undefined;
  /** One outcome per listing, in input order, as {@link syncListings} reports them. */
  report: RentixSyncReport;
  /** Duration of the whole sync in milliseconds. */
  elapsedMs: number;
}

/**
 * The first upload of a CRM's listings: verifies the connection (throws on a bad key,
 * a suspended agency or a disabled CRM), links agents by phone if given, then runs
 * {@link syncListings}. Photos go by URL; the portal downloads them and publishes.
 *
 * @example
 * const { agency, report } = await initialSync(rentix, crmListings, { agents, state });
 * console.info(`${agency.name}: ${report.created} listings created`);
 */
export async function initialSync(
  client: RentixSyncClient,
  listings: readonly Listing[],
  options: InitialSyncOptions = {},
): Promise<InitialSyncReport> {
  const started = performance.now();
  const { agents: crmAgents, countryCode, nationalLength, state, ...rest } = options;
  const agency = await client.agency.get({ signal: options.signal });
  const agents = crmAgents
    ? await client.users.linkByPhone(crmAgents, { signal: options.signal, countryCode, nationalLength })
    : undefined;
  const report = await syncListings(client, listings, { ...rest, state: state ?? new RentixSyncState() });
  return { agency, agents, report, elapsedMs: performance.now() - started };
}

/**
 * One round of continuous sync, as the client's `continuousSync` method: the same call
 * as {@link syncListings}, with the same listings, options and report.
 *
 * @example Every five minutes, only what changed
 * ```ts
 * const state = new RentixSyncState(await SqliteIdentifierMap.open('rentix.db'));
 * setInterval(async () => {
 *   const report = await continuousSync(rentix, await loadCrmListings(), { state, removeMissing: true });
 *   if (report.failed > 0) alertOps(report.items.filter((item) => item.action === 'failed'));
 * }, 5 * 60_000);
 * ```
 */
export function continuousSync(
  client: RentixSyncClient,
  listings: readonly Listing[],
  options: RentixSyncOptions,
): Promise<RentixSyncReport> {
  return syncListings(client, listings, options);
}
