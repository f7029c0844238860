import {
  type CallOptions,
  type Listing as CrmListing,
  callResource,
  type HttpClient,
  type InputIssue,
  InputValidationError,
  type Page,
  parseInput,
  path,
} from '@sync/core';
import { type BulkLimits, type BulkOptions, type BulkReport, keyOfUnknown, runBulk } from '../bulk.js';
import { type InitialLinkingOptions, type LinkOutcome, planInitialLinks } from '../linking.js';
import { ops } from '../operations.js';
import { PORTAL } from '../portal.js';
import { type ListingOperation, ListingOperationSchema } from '../schemas/bulk.js';
import {
  type AnnouncementStatus,
  type AnnouncementType,
  DOCUMENTED_SECONDARY_TYPES,
  MAX_BODY_BYTES,
  type PropertyType,
  type SecondaryTypeTable,
} from '../schemas/common.js';
import {
  checkSecondaryType,
  type LinkResult,
  LinkResultSchema,
  type Listing,
  type ListingInput,
  ListingInputSchema,
  ListingListSchema,
  ListingSchema,
  type ListingUpsertResult,
  ListingUpsertResultSchema,
  type UnlinkResult,
  UnlinkResultSchema,
} from '../schemas/listing.js';

/**
 * Filters of a listings read. Rentix says listings can be retrieved "with filters"
 * without naming them; the client sends each under the form field's own name and
 * also applies it to what comes back, so the result is right whether or not the
 * portal honours it.
 */
export interface ListingFilters {
  /** Only listings in these statuses (`announcementStatus`). */
  announcementStatus?: AnnouncementStatus | readonly AnnouncementStatus[] | undefined;
  /** Only rents or only sales. */
  announcementType?: AnnouncementType | undefined;
  /** Only this property type. */
  propertyType?: PropertyType | undefined;
  /** `true`: only listings linked to a CRM id; `false`: only those without one (what initial linking needs). */
  linked?: boolean | undefined;
}

/** What {@link ListingsResource.linkExisting} did. */
export interface InitialLinkingReport {
  /** One outcome per CRM listing, in input order. */
  items: LinkOutcome[];
  /** CRM listings linked by this call. */
  linked: number;
  /** Confident matches not linked (`dryRun`). */
  matched: number;
  /** CRM listings a Rentix listing carried already. */
  alreadyLinked: number;
  /** CRM listings with several fits, or whose fit fits another CRM listing too. */
  ambiguous: number;
  /** CRM listings nothing fits. */
  unmatched: number;
  /** Links the portal refused. */
  failed: number;
  /** Rentix listings without a CRM id that no CRM listing fits. */
  unclaimed: string[];
  /** The bulk report of the link operations sent. */
  report: BulkReport<ListingOperation>;
}

/** Options of {@link ListingsResource.list}. */
export interface ListListingsOptions extends CallOptions, ListingFilters {
  /** Listings to ask for (default 100, the documented page size). */
  limit?: number | undefined;
}

/** Options of {@link ListingsResource.page}. */
export interface ListingPageOptions extends CallOptions, ListingFilters {
  /** Listings per page (1–100, default 100). */
  limit?: number | undefined;
  /** Listings to skip (default 0). */
  offset?: number | undefined;
}

/** Options of {@link ListingsResource.iterate}. */
export interface IterateListingsOptions extends CallOptions, ListingFilters {
  /** Listings per request (1–100, default 100). */
  pageSize?: number | undefined;
  /** Most pages to read (default 10,000): a bound, so a portal that never ends a list cannot loop forever. */
  maxPages?: number | undefined;
}

/** Options of {@link ListingsResource.collect}. */
export interface CollectListingsOptions extends IterateListingsOptions {
  /** Most listings to return (default: all). */
  limit?: number | undefined;
}

/** One page of listings. */
export interface ListingPage {
  /** The listings of this page that pass the filters. */
  items: Listing[];
  /** Listings the portal returned, before the filters were applied here. */
  received: number;
  /** The offset asked for. */
  offset: number;
  /** The page size asked for. */
  limit: number;
}

function filterQuery(filters: ListingFilters): Record<string, string> {
  const query: Record<string, string> = {};
  const status = filters.announcementStatus;
  if (status !== undefined) query.announcementStatus = typeof status === 'string' ? status : status.join(',');
  if (filters.announcementType !== undefined) query.announcementType = filters.announcementType;
  if (filters.propertyType !== undefined) query.propertyType = filters.propertyType;
  if (filters.linked !== undefined) query.linked = String(filters.linked);
  return query;
}

function matches(listing: Listing, filters: ListingFilters): boolean {
  const data = listing.formData;
  const status = filters.announcementStatus;
  if (status !== undefined) {
    const wanted: readonly string[] = typeof status === 'string' ? [status] : status;
    if (!wanted.includes(String(data.announcementStatus))) return false;
  }
  if (filters.announcementType !== undefined && data.announcementType !== filters.announcementType) return false;
  if (filters.propertyType !== undefined && data.propertyType !== filters.propertyType) return false;
  if (filters.linked !== undefined && (listing.externalId !== null) !== filters.linked) return false;
  return true;
}

function pageSize(value: number | undefined, operation: string): number {
  const size = value ?? 100;
  if (!Number.isInteger(size) || size < 1 || size > 100) {
    throw new InputValidationError(
      [{ path: 'limit', message: `a page holds 1 to 100 listings, not ${size}`, code: 'too_big' }],
      { portal: PORTAL, operation },
    );
  }
  return size;
}

/** Listings: single upserts and reads, external-id links, and the bulk endpoint. */
export class ListingsResource {
  readonly #http: HttpClient;
  readonly #limits: BulkLimits;
  readonly #secondaryTypes: () => SecondaryTypeTable;

  /** @internal */
  constructor(
    http: HttpClient,
    limits: BulkLimits,
    secondaryTypes: () => SecondaryTypeTable = () => DOCUMENTED_SECONDARY_TYPES,
  ) {
    this.#http = http;
    this.#limits = limits;
    this.#secondaryTypes = secondaryTypes;
  }

  /** The announcement × property × secondary type check, for upserts and validations. */
  #checkTypes = (op: object): InputIssue[] => {
    const kind = (op as { op?: unknown }).op;
    return kind === undefined || kind === 'upsert' || kind === 'validate'
      ? checkSecondaryType(op, this.#secondaryTypes())
      : [];
  };

  /**
   * Creates or updates one listing (`PUT /listings`), keyed by `externalId` or `id`.
   * Omitted fields keep their value. Publishing (`announcementStatus: 'active'`)
   * answers `pending_active` with a `jobId` to wait for. The input is checked first:
   * a bad field, or a secondary type the announcement type does not allow (see
   * `reference.secondaryTypes`), throws `InputValidationError` naming it, before any request.
   */
  async upsert(listing: ListingInput, options: CallOptions = {}): Promise<ListingUpsertResult> {
    const itemId = keyOfUnknown(listing);
    const context = { portal: PORTAL, operation: 'listings.upsert', itemId };
    parseInput(ListingInputSchema, listing, context);
    const typeIssues = this.#checkTypes(listing);
    if (typeIssues.length > 0) throw new InputValidationError(typeIssues, context);
    const bytes = Buffer.byteLength(JSON.stringify(listing));
    if (bytes > MAX_BODY_BYTES) {
      throw new InputValidationError(
        [
          {
            path: '',
            message: `the listing is ${bytes} bytes; Rentix takes at most ${MAX_BODY_BYTES}`,
            code: 'too_big',
          },
        ],
        context,
      );
    }
    return (
      await callResource(
        this.#http,
        {
          schema: ListingUpsertResultSchema,
          method: 'PUT',
          path: '/listings',
          json: listing,
          operation: 'listings.upsert',
          itemId,
        },
        options,
      )
    ).data;
  }

  /** A listing by its Rentix id. */
  async get(id: string, options: CallOptions = {}): Promise<Listing> {
    return (
      await callResource(
        this.#http,
        {
          schema: ListingSchema,
          method: 'GET',
          path: path`/listings/${id}`,
          operation: 'listings.get',
          itemId: id,
        },
        options,
      )
    ).data;
  }

  /** A listing by the CRM's id. */
  async getByExternalId(externalId: string, options: CallOptions = {}): Promise<Listing> {
    return (
      await callResource(
        this.#http,
        {
          schema: ListingSchema,
          method: 'GET',
          path: path`/listings/external/${externalId}`,
          operation: 'listings.getByExternalId',
          itemId: externalId,
        },
        options,
      )
    ).data;
  }

  /**
   * The agency's listings (`GET /listings`), as one page of at most `limit` (default
   * 100) that pass the filters; {@link ListingsResource.iterate} reads the pages after it.
   */
  async list(options: ListListingsOptions = {}): Promise<Page<Listing>> {
    const limit = options.limit ?? 100;
    const { data } = await callResource(
      this.#http,
      {
        schema: ListingListSchema,
        method: 'GET',
        path: '/listings',
        query: { limit, ...filterQuery(options) },
        operation: 'listings.list',
      },
      options,
    );
    return { items: data.items.filter((l) => matches(l, options)), count: undefined, page: 1, perPage: limit };
  }

  /**
   * One page of listings (`GET /listings?limit=&offset=` and the filters). Rentix
   * documents `limit` only; `offset` is sent for the pages after the first, and
   * {@link ListingsResource.iterate} notices a portal that ignores it.
   */
  async page(options: ListingPageOptions = {}): Promise<ListingPage> {
    const { page } = await this.#page(options, 'listings.page');
    return page;
  }

  async #page(options: ListingPageOptions, operation: string): Promise<{ page: ListingPage; all: Listing[] }> {
    const limit = pageSize(options.limit, operation);
    const offset = options.offset ?? 0;
    const { data: answer } = await callResource(
      this.#http,
      {
        schema: ListingListSchema,
        method: 'GET',
        path: '/listings',
        query: { limit, ...(offset > 0 ? { offset } : {}), ...filterQuery(options) },
        operation,
      },
      options,
    );
    const items = answer.items.filter((l) => matches(l, options));
    return { page: { items, received: answer.items.length, offset, limit }, all: answer.items };
  }

  /**
   * Every listing that passes the filters, page after page:
   * `for await (const l of rentix.listings.iterate({ linked: false }))`. It stops at a
   * short page, after `maxPages`, or when a page brings only listings already seen —
   * a portal that ignores `offset` then yields its first page once, never a duplicate.
   */
  async *iterate(options: IterateListingsOptions = {}): AsyncGenerator<Listing, void, undefined> {
    const limit = pageSize(options.pageSize, 'listings.iterate');
    const maxPages = options.maxPages ?? 10_000;
    const seen = new Set<string>();
    let offset = 0;
    for (let n = 0; n < maxPages; n++) {
      const { page, all } = await this.#page({ ...options, limit, offset }, 'listings.iterate');
      // Nothing new: the portal ignores offset, and this page was read already.
      if (all.length > 0 && all.every((l) => seen.has(l.id))) return;
      const fresh = page.items.filter((l) => !seen.has(l.id));
      for (const listing of all) seen.add(listing.id);
      // A listing that moved between pages while they were read is yielded once.
      for (const listing of fresh) yield listing;
      if (all.length < limit) return;
      offset += all.length;
    }
  }

  /** {@link ListingsResource.iterate} into an array of at most `limit` listings (default: all). */
  async collect(options: CollectListingsOptions = {}): Promise<Listing[]> {
    const out: Listing[] = [];
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    if (limit <= 0) return out;
    for await (const listing of this.iterate(options)) {
      out.push(listing);
      if (out.length >= limit) break;
    }
    return out;
  }

  /** Attaches the CRM id `externalId` to the Rentix listing `id`. */
  async link(id: string, externalId: string, options: CallOptions = {}): Promise<LinkResult> {
    parseInput(ListingOperationSchema, ops.link(id, externalId), {
      portal: PORTAL,
      operation: 'listings.link',
      itemId: externalId,
    });
    return (
      await callResource(
        this.#http,
        {
          schema: LinkResultSchema,
          method: 'POST',
          path: path`/listings/${id}/link`,
          json: { externalId },
          idempotent: true,
          operation: 'listings.link',
          itemId: externalId,
        },
        options,
      )
    ).data;
  }

  /** Removes the CRM id of the Rentix listing `id`. */
  async unlink(id: string, options: CallOptions = {}): Promise<UnlinkResult> {
    return (
      await callResource(
        this.#http,
        {
          schema: UnlinkResultSchema,
          method: 'DELETE',
          path: path`/listings/${id}/link`,
          operation: 'listings.unlink',
          itemId: id,
        },
        options,
      )
    ).data;
  }

  /**
   * Sends any number of bulk operations (build them with `ops`): invalid ones are
   * reported failed with the field and never sent; the rest go in requests of at most
   * 100 operations and 512 KB, under the 30/min bulk limit, retried on 429 and 500.
   * Resolves with one report — a result per operation, in input order — even when
   * the portal refused every operation (422); `onProgress` runs after each request.
   *
   * @example
   * const report = await rentix.listings.bulk(crmListings.map((l) => ops.upsert(fromListing(l))), {
   *   onProgress: (p) => console.info(`${p.batchesDone}/${p.batches} requests`),
   * });
   * for (const r of report.results) if (r.status === 'failed') console.warn(r.externalId, r.message);
   */
  async bulk(
    operations: readonly ListingOperation[],
    options: BulkOptions = {},
  ): Promise<BulkReport<ListingOperation>> {
    return runBulk(
      this.#http,
      {
        path: '/listings/bulk',
        operation: 'listings.bulk',
        schema: ListingOperationSchema,
        // Repeating a delete could report a listing deleted by the first attempt as missing.
        idempotent: (op) => op.op !== 'delete',
        check: this.#checkTypes,
      },
      operations,
      this.#limits,
      options,
    );
  }

  /**
   * Initial linking, as Rentix's guide describes it: reads every listing of the agency,
   * matches those without a CRM id to `crmListings` by place, price, offer and kind
   * ({@link planInitialLinks}), links the confident matches in bulk (`ops.link`), and
   * reports every CRM listing — linked, already linked, ambiguous (with the
   * candidates), unmatched or failed — with the reason. Run it before the first
   * `syncListings` of an agency whose listings were made in the web interface, so
   * they are updated instead of duplicated.
   *
   * @example
   * const linking = await rentix.listings.linkExisting(crmListings);
   * for (const o of linking.items) if (o.outcome !== 'linked') console.info(o.crmId, o.outcome, o.reason);
   */
  async linkExisting(
    crmListings: readonly CrmListing[],
    options: InitialLinkingOptions & BulkOptions = {},
  ): Promise<InitialLinkingReport> {
    const { types, maxDistanceM, dryRun, ...bulkOptions } = options;
    const rentixListings = await this.collect({ signal: options.signal });
    const plan = planInitialLinks(crmListings, rentixListings, { types, maxDistanceM });
    const report = await this.bulk(dryRun ? [] : plan.links.map((l) => ops.link(l.rentixId, l.crmId)), bulkOptions);
    const results = new Map(report.results.map((r) => [(r.operation as { externalId?: string }).externalId, r]));
    for (const o of plan.outcomes) {
      if (o.outcome !== 'matched' || dryRun) continue;
      const result = results.get(o.crmId);
      if (result?.success) o.outcome = 'linked';
      else {
        o.outcome = 'failed';
        o.reason = result?.message ?? 'the link was not sent';
      }
    }
    const count = (outcome: LinkOutcome['outcome']) => plan.outcomes.filter((o) => o.outcome === outcome).length;
    return {
      items: plan.outcomes,
      linked: count('linked'),
      matched: count('matched'),
      alreadyLinked: count('alreadyLinked'),
      ambiguous: count('ambiguous'),
      unmatched: count('unmatched'),
      failed: count('failed'),
      unclaimed: plan.unclaimed,
      report,
    };
  }

  /** `bulk` of one `upsert` per listing: the everyday call of a sync. */
  async upsertMany(
    listings: readonly ListingInput[],
    options: BulkOptions = {},
  ): Promise<BulkReport<ListingOperation>> {
    return this.bulk(listings.map(ops.upsert), options);
  }
}
