import {
  type CallOptions,
  callResource,
  collect,
  type HttpClient,
  InputValidationError,
  type Page,
  parseInput,
  path,
} from '@sync/core';
import { type BulkLimits, type BulkOptions, type BulkReport, keyOfUnknown, runBulk } from '../bulk.js';
import { ops } from '../operations.js';
import { PORTAL } from '../portal.js';
import { type ListingOperation, ListingOperationSchema } from '../schemas/bulk.js';
import { MAX_BODY_BYTES } from '../schemas/common.js';
import {
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

/** Options of {@link ListingsResource.list}. */
export interface ListListingsOptions extends CallOptions {
  /** Listings to ask for (default 100, the documented page size). */
  limit?: number | undefined;
}

/** Listings: single upserts and reads, external-id links, and the bulk endpoint. */
export class ListingsResource {
  readonly #http: HttpClient;
  readonly #limits: BulkLimits;

  /** @internal */
  constructor(http: HttpClient, limits: BulkLimits) {
    this.#http = http;
    this.#limits = limits;
  }

  /**
   * Creates or updates one listing (`PUT /listings`), keyed by `externalId` or `id`.
   * Omitted fields keep their value. Publishing (`announcementStatus: 'active'`)
   * answers `pending_active` with a `jobId` to wait for. The input is checked first:
   * a bad field throws `InputValidationError` naming it, before any request.
   */
  async upsert(listing: ListingInput, options: CallOptions = {}): Promise<ListingUpsertResult> {
    const itemId = keyOfUnknown(listing);
    const context = { portal: PORTAL, operation: 'listings.upsert', itemId };
    parseInput(ListingInputSchema, listing, context);
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
   * The agency's listings (`GET /listings`), as one page. Rentix documents only a
   * `limit` (default 100), no cursor or offset, so this page is the only one.
   */
  async list(options: ListListingsOptions = {}): Promise<Page<Listing>> {
    const limit = options.limit ?? 100;
    const { data } = await callResource(
      this.#http,
      { schema: ListingListSchema, method: 'GET', path: '/listings', query: { limit }, operation: 'listings.list' },
      options,
    );
    return { items: data.items, count: undefined, page: 1, perPage: limit };
  }

  /** The agency's listings one at a time: `for await (const l of rentix.listings.iterate())`. */
  async *iterate(options: ListListingsOptions = {}): AsyncGenerator<Listing, void, undefined> {
    yield* (await this.list(options)).items;
  }

  /** The agency's listings as an array, at most `limit` of them (default 100). */
  async collect(options: ListListingsOptions = {}): Promise<Listing[]> {
    return collect(this.iterate(options), options);
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
      },
      operations,
      this.#limits,
      options,
    );
  }

  /** `bulk` of one `upsert` per listing: the everyday call of a sync. */
  async upsertMany(
    listings: readonly ListingInput[],
    options: BulkOptions = {},
  ): Promise<BulkReport<ListingOperation>> {
    return this.bulk(listings.map(ops.upsert), options);
  }
}
