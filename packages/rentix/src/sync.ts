import {
  chunk,
  fingerprint,
  type IdentifierMap,
  MemoryIdentifierMap,
  nextVersion,
  REMOVED,
  type SyncRecord,
  type SyncRecordOptions,
  SyncState,
  UNCHANGED,
} from '@sync/core';
import type { BulkOptions, BulkReport, BulkResult } from './bulk.js';
import type { RentixClient } from './client.js';
import { ops } from './operations.js';
import type { NormalizePhoneOptions } from './phone.js';
import type { CrmAgent, LinkByPhoneReport } from './resources/users.js';
import type { Agency } from './schemas/account.js';
import type { ListingOperation } from './schemas/bulk.js';
import { MAX_BULK_OPERATIONS } from './schemas/common.js';
import type { ListingInput } from './schemas/listing.js';
import { PORTAL } from './transport.js';

/**
 * What continuous sync remembers between runs, kept in an `IdentifierMap` (memory by
 * default; `SqliteIdentifierMap` to survive restarts, PostgreSQL or Redis to share it between
 * workers): kind `listing` maps a CRM id to the Rentix id, kind `listing-fingerprint` to the
 * hash of the content last sent.
 */
export class RentixSyncState extends SyncState {
  constructor(map: IdentifierMap = new MemoryIdentifierMap(), portal: string = PORTAL) {
    super(map, portal, 'listing');
  }

  /** The Rentix id last seen for a CRM listing. */
  listingId(externalId: string): Promise<string | undefined> {
    return this.portalId(externalId);
  }

  /** Records that `listing` is on the portal as sent. */
  async remember(listing: ListingInput, portalId?: string, options: SyncRecordOptions = {}): Promise<void> {
    if (listing.externalId === undefined) return;
    await this.record(listing.externalId, fingerprint(listing), portalId, options);
  }

  /** Records several listings as sent — a bulk chunk's results — in one batch write. */
  async rememberMany(
    sent: ReadonlyArray<{ listing: ListingInput; portalId: string | undefined }>,
    options: SyncRecordOptions = {},
  ): Promise<void> {
    const records: SyncRecord[] = [];
    for (const { listing, portalId } of sent) {
      if (listing.externalId !== undefined) {
        records.push({ externalId: listing.externalId, fingerprint: fingerprint(listing), portalId });
      }
    }
    if (records.length > 0) await this.recordMany(records, options);
  }

  /** Records that a CRM listing was hidden on the portal. */
  rememberHidden(externalId: string): Promise<void> {
    return this.recordRemoved(externalId);
  }
}

/** Options of {@link initialSync}. */
export interface InitialSyncOptions extends BulkOptions, NormalizePhoneOptions {
  /** CRM agents to link to Rentix users by phone before the listings go up. */
  agents?: readonly CrmAgent[] | undefined;
  /** Records what was sent, so a later {@link continuousSync} sends only changes. */
  state?: RentixSyncState | undefined;
}

/** The outcome of {@link initialSync}. */
export interface InitialSyncReport {
  /** The agency, read to verify the connection. */
  agency: Agency;
  /** Agent linking, when agents were given. */
  agents: LinkByPhoneReport | undefined;
  /** One result per listing, in input order. */
  report: BulkReport<ListingOperation>;
  /** Duration of the whole sync in milliseconds. */
  elapsedMs: number;
}

/**
 * The first upload of a CRM's listings: verifies the connection (throws on a bad key,
 * a suspended agency or a disabled CRM), links agents by phone if given, then upserts
 * every listing in bulk. Photos go by URL; the portal downloads them and publishes.
 */
export async function initialSync(
  client: RentixClient,
  listings: readonly ListingInput[],
  options: InitialSyncOptions = {},
): Promise<InitialSyncReport> {
  const started = performance.now();
  const version = nextVersion();
  const agency = await client.agency.get({ signal: options.signal });
  const agents = options.agents
    ? await client.users.linkByPhone(options.agents, {
        signal: options.signal,
        countryCode: options.countryCode,
        nationalLength: options.nationalLength,
      })
    : undefined;
  const report = await client.listings.upsertMany(listings, options);
  if (options.state) {
    const sent = report.results.flatMap((r) =>
      r.success ? [{ listing: listings[r.index] as ListingInput, portalId: r.id }] : [],
    );
    for (const part of chunk(sent, MAX_BULK_OPERATIONS)) await options.state.rememberMany(part, { version });
  }
  return { agency, agents, report, elapsedMs: performance.now() - started };
}

/** Options of {@link continuousSync}. */
export interface ContinuousSyncOptions extends BulkOptions {
  /** What the previous runs sent. */
  state: RentixSyncState;
  /** Hide listings the state knows but the CRM no longer has (default `true`). */
  hideMissing?: boolean | undefined;
}

/** The outcome of {@link continuousSync}: a bulk report over the CRM listings, then the hidden ones. */
export interface ContinuousSyncReport extends BulkReport<ListingOperation> {
  /** Listings not sent because their content did not change. */
  unchanged: number;
  /** Hide operations that went through. */
  hidden: number;
}

/**
 * One round of continuous sync: sends the listings whose content changed since the
 * state last saw them (new ones included), hides (`announcementStatus: 'hidden'`) the
 * ones gone from the CRM, and records what went through. `listings` is the CRM's
 * complete current set. The report has one result per listing in input order —
 * unchanged ones `skipped` — followed by one per hide.
 */
export async function continuousSync(
  client: RentixClient,
  listings: readonly ListingInput[],
  options: ContinuousSyncOptions,
): Promise<ContinuousSyncReport> {
  const { state } = options;
  const version = nextVersion();
  const known = await state.fingerprints();
  const seen = new Set<string>();
  const toSend: ListingOperation[] = [];
  const sentFrom: Array<{ listing: ListingInput | undefined; externalId: string | undefined; position: number }> = [];
  const results: Array<BulkResult<ListingOperation> | undefined> = [];

  listings.forEach((listing, position) => {
    const externalId = listing.externalId;
    if (externalId !== undefined) seen.add(externalId);
    if (externalId !== undefined && known.get(externalId) === fingerprint(listing)) {
      results[position] = {
        index: position,
        operation: ops.upsert(listing),
        status: 'skipped',
        success: false,
        externalId,
        id: undefined,
        message: UNCHANGED,
        error: undefined,
        response: undefined,
      };
      return;
    }
    toSend.push(ops.upsert(listing));
    sentFrom.push({ listing, externalId, position });
  });
  if (options.hideMissing ?? true) {
    let position = listings.length;
    for (const [externalId, print] of known) {
      if (seen.has(externalId) || print === REMOVED) continue;
      toSend.push({ op: 'upsert', externalId, announcementStatus: 'hidden' });
      sentFrom.push({ listing: undefined, externalId, position: position++ });
    }
  }

  const report = await client.listings.bulk(toSend, options);
  let hidden = 0;
  const acknowledged: SyncRecord[] = [];
  for (const result of report.results) {
    const from = sentFrom[result.index];
    if (!from) continue;
    results[from.position] = { ...result, index: from.position };
    if (!result.success || from.externalId === undefined) continue;
    if (from.listing) {
      acknowledged.push({ externalId: from.externalId, fingerprint: fingerprint(from.listing), portalId: result.id });
    } else {
      acknowledged.push({ externalId: from.externalId, fingerprint: REMOVED });
      hidden++;
    }
  }
  // What the portal acknowledged, a bulk chunk's worth per batch write.
  for (const part of chunk(acknowledged, MAX_BULK_OPERATIONS)) await state.recordMany(part, { version });
  const all = results.filter((r): r is BulkResult<ListingOperation> => r !== undefined);
  all.forEach((r, i) => {
    r.index = i;
  });
  const unchanged = all.filter((r) => r.message === UNCHANGED && r.status === 'skipped').length;
  return {
    total: all.length,
    succeeded: report.succeeded,
    failed: report.failed,
    skipped: report.skipped + unchanged,
    requests: report.requests,
    results: all,
    unchanged,
    hidden,
  };
}
