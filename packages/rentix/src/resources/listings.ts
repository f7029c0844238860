import { type InputIssue, InputValidationError, parseInput, path } from '@sync/core';
import { type BulkLimits, type BulkOptions, type BulkReport, keyOfUnknown, runBulk } from '../bulk.js';
import { ops } from '../operations.js';
import { type ListingOperation, listingOperationSchema } from '../schemas/bulk.js';
import { DOCUMENTED_SECONDARY_TYPES, MAX_BODY_BYTES, type SecondaryTypeTable } from '../schemas/common.js';
import {
  checkSecondaryType,
  type LinkResult,
  type Listing,
  type ListingInput,
  type ListingUpsertResult,
  linkResultSchema,
  listingInputSchema,
  listingListSchema,
  listingSchema,
  listingUpsertResultSchema,
  type UnlinkResult,
  unlinkResultSchema,
} from '../schemas/listing.js';
import { PORTAL, type Transport } from '../transport.js';
import type { CallOptions } from './shared.js';

/** Options of {@link ListingsResource.list}. */
export interface ListListingsOptions extends CallOptions {
  /** Listings to ask for (default 100, the documented page size). */
  limit?: number | undefined;
}

/** Listings: single upserts and reads, external-id links, and the bulk endpoint. */
export class ListingsResource {
  readonly #transport: Transport;
  readonly #limits: BulkLimits;
  readonly #secondaryTypes: () => SecondaryTypeTable;

  /** @internal */
  constructor(
    transport: Transport,
    limits: BulkLimits,
    secondaryTypes: () => SecondaryTypeTable = () => DOCUMENTED_SECONDARY_TYPES,
  ) {
    this.#transport = transport;
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
    parseInput(listingInputSchema, listing, context);
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
    return this.#transport.call(listingUpsertResultSchema, {
      method: 'PUT',
      path: '/listings',
      json: listing,
      operation: 'listings.upsert',
      itemId,
      signal: options.signal,
    });
  }

  /** A listing by its Rentix id. */
  async get(id: string, options: CallOptions = {}): Promise<Listing> {
    return this.#transport.call(listingSchema, {
      method: 'GET',
      path: path`/listings/${id}`,
      operation: 'listings.get',
      itemId: id,
      signal: options.signal,
    });
  }

  /** A listing by the CRM's id. */
  async getByExternalId(externalId: string, options: CallOptions = {}): Promise<Listing> {
    return this.#transport.call(listingSchema, {
      method: 'GET',
      path: path`/listings/external/${externalId}`,
      operation: 'listings.getByExternalId',
      itemId: externalId,
      signal: options.signal,
    });
  }

  /**
   * The agency's listings, as an async iterable: `for await (const l of rentix.listings.list())`.
   * Rentix documents only a `limit` (no cursor or offset), so this yields at most
   * `limit` listings.
   */
  async *list(options: ListListingsOptions = {}): AsyncGenerator<Listing, void, undefined> {
    const page = await this.#transport.call(listingListSchema, {
      method: 'GET',
      path: '/listings',
      query: { limit: options.limit ?? 100 },
      operation: 'listings.list',
      signal: options.signal,
    });
    yield* page.items;
  }

  /** Attaches the CRM id `externalId` to the Rentix listing `id`. */
  async link(id: string, externalId: string, options: CallOptions = {}): Promise<LinkResult> {
    parseInput(listingOperationSchema, ops.link(id, externalId), {
      portal: PORTAL,
      operation: 'listings.link',
      itemId: externalId,
    });
    return this.#transport.call(linkResultSchema, {
      method: 'POST',
      path: path`/listings/${id}/link`,
      json: { externalId },
      idempotent: true,
      operation: 'listings.link',
      itemId: externalId,
      signal: options.signal,
    });
  }

  /** Removes the CRM id of the Rentix listing `id`. */
  async unlink(id: string, options: CallOptions = {}): Promise<UnlinkResult> {
    return this.#transport.call(unlinkResultSchema, {
      method: 'DELETE',
      path: path`/listings/${id}/link`,
      operation: 'listings.unlink',
      itemId: id,
      signal: options.signal,
    });
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
      this.#transport,
      {
        path: '/listings/bulk',
        operation: 'listings.bulk',
        schema: listingOperationSchema,
        // Repeating a delete could report a listing deleted by the first attempt as missing.
        idempotent: (op) => op.op !== 'delete',
        check: this.#checkTypes,
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
