import { type CallOptions, InputValidationError, ownOption, path, type SyncReport } from '@sync/core';
import { LISTING_KIND, PORTAL } from '../portal.js';
import type { PartialUpdateInput } from '../schemas/partial.js';
import type { Operation, PropertyInput } from '../schemas/property.js';
import type { ServiceResponse } from '../schemas/service-response.js';
import { type PropertiesSyncOptions, type SyncPropertyInput, syncProperties } from '../sync.js';
import { propertyDocument, validateProperty } from '../xml/build.js';
import { partialDocument, validatePartialUpdate } from '../xml/partial.js';
import type { ResourceContext } from './context.js';
import { RealtorsResource } from './realtors.js';
import { sendXml } from './service-call.js';

/** Options of {@link PropertiesResource.put}. */
export interface PutOptions extends CallOptions {
  /**
   * Id in the URL. Default: the listing's `unique-id`; pass the portal's `idListing`
   * if your account is set up to address listings by it.
   */
  pathId?: string | number | undefined;
  /**
   * `@operation` to send in place of the property's own (default `write`): `force` applies the
   * write even when its `date-updated` is not newer than the portal's; `archive` takes the
   * listing out of the portal's search but keeps it, and a later `write` publishes it again;
   * `secret` keeps it published for the agency only (hidden from the public search). A
   * media-only update goes with {@link PropertiesResource.partial} instead.
   */
  operation?: Exclude<Operation, 'partial'> | undefined;
}

/** Options of {@link PropertiesResource.partial}. */
export interface PartialOptions extends CallOptions {
  /** Id in the URL. Default: `identifiers.listingExternalId`, else `identifiers.listingId`. */
  pathId?: string | number | undefined;
}

/** What a successful media-only update returns. */
export interface PartialResult {
  /** The portal's listing id, when it named it. */
  idListing: number | undefined;
  /** The portal's full answer. */
  response: ServiceResponse;
}

/** What a successful write returns. */
export interface PutResult {
  /** The listing's CRM id. */
  uniqueId: string;
  /** The portal's listing id, stored in the identifier map. */
  idListing: number | undefined;
  /** The `date-updated` that was sent. */
  dateUpdated: string;
  /** The portal's full answer. */
  response: ServiceResponse;
}

/** What a successful delete returns. */
export interface DeleteResult {
  /** The portal's listing id that was deleted. */
  idListing: string;
  /** The listing's CRM id, when known. */
  uniqueId: string | undefined;
  /** The portal's full answer. */
  response: ServiceResponse;
}

/** Listings on the portal: write, delete, and sync a whole set. */
export class PropertiesResource {
  readonly #client: ResourceContext;

  /** @internal */
  constructor(client: ResourceContext) {
    this.#client = client;
  }

  /**
   * Validates a listing, writes it with `PUT …/property/{unique-id}` and stores
   * `unique-id → idListing` in the identifier map. Throws `InputValidationError` before
   * any call, or {@link IndomioError} (`IndomioLockedError` for a locked listing) when
   * the portal refuses it. Remember: the portal ignores a write whose `dateUpdated` is
   * not newer than the one it has.
   */
  async put(property: PropertyInput, options: PutOptions = {}): Promise<PutResult> {
    const operation = ownOption(options, 'operation') as Operation | undefined;
    if (operation === 'partial' || (operation === undefined && property?.operation === 'partial')) {
      throw new InputValidationError(
        [
          {
            path: 'operation',
            message: 'a media-only update goes as a <partial> document: use properties.partial()',
            code: 'invalid_value',
          },
        ],
        { portal: PORTAL, operation: 'properties.put', itemId: property?.uniqueId },
      );
    }
    const valid = validateProperty(operation ? { ...property, operation } : property, 'properties.put');
    const body = propertyDocument(valid);
    const response = await this.#send(
      'PUT',
      options.pathId ?? valid.uniqueId,
      body,
      'properties.put',
      valid.uniqueId,
      options,
    );
    if (response.idListing !== undefined) {
      await this.#client.idMap.set(PORTAL, LISTING_KIND, valid.uniqueId, String(response.idListing));
    }
    return { uniqueId: valid.uniqueId, idListing: response.idListing, dateUpdated: valid.dateUpdated, response };
  }

  /**
   * Writes a listing with `@operation="force"`: applied even when its `date-updated` is not
   * newer than the portal's (the last-updated rule is what a plain `put` obeys).
   */
  force(property: PropertyInput, options: Omit<PutOptions, 'operation'> = {}): Promise<PutResult> {
    return this.put(property, { ...options, operation: 'force' });
  }

  /**
   * Writes a listing with `@operation="archive"`: off the portal's search, but kept with its
   * `idListing` (unlike `delete`); a later `put` publishes it again.
   */
  archive(property: PropertyInput, options: Omit<PutOptions, 'operation'> = {}): Promise<PutResult> {
    return this.put(property, { ...options, operation: 'archive' });
  }

  /**
   * Writes a listing with `@operation="secret"`: kept on the portal for the agency, hidden from
   * the public search; a later `put` shows it again.
   */
  secret(property: PropertyInput, options: Omit<PutOptions, 'operation'> = {}): Promise<PutResult> {
    return this.put(property, { ...options, operation: 'secret' });
  }

  /**
   * Replaces one kind of media of a listing — pictures, documents, floor plans or the virtual
   * tour — with a `<partial>` document, leaving the rest of the listing as it is. No
   * `date-updated` is involved, so the last-updated rule does not apply.
   *
   * @example
   * ```ts
   * await indomio.properties.partial({
   *   identifiers: { listingExternalId: 'crm-1', agencyUsername: 'agency@example.com' },
   *   pictures: [{ url: 'https://img.example.com/1.jpg' }, { url: 'https://img.example.com/2.jpg' }],
   * });
   * ```
   */
  async partial(update: PartialUpdateInput, options: PartialOptions = {}): Promise<PartialResult> {
    const valid = validatePartialUpdate(update, 'properties.partial');
    const ids = valid.identifiers;
    const pathId = ownOption(options, 'pathId') ?? ids.listingExternalId ?? ids.listingId ?? ids.listingUuid ?? '';
    const response = await sendXml(
      this.#client,
      {
        method: 'PUT',
        path: path`/ws/import/immobiliare/property/${pathId}`,
        body: partialDocument(valid),
        operation: 'properties.partial',
        itemId: ids.listingExternalId ?? String(pathId),
      },
      options,
    );
    return { idListing: response.idListing, response };
  }

  /**
   * Removes a listing from the portal: by `unique-id` (resolved through the identifier
   * map; an unknown one fails without a call) or by the portal's `{ idListing }`.
   */
  async delete(target: string | { idListing: number | string }, options: CallOptions = {}): Promise<DeleteResult> {
    const map = this.#client.idMap;
    let uniqueId: string | undefined;
    let idListing: string | undefined;
    if (typeof target === 'string') {
      uniqueId = target;
      idListing = await map.get(PORTAL, LISTING_KIND, target);
      if (idListing === undefined) {
        throw new InputValidationError(
          [
            {
              path: 'uniqueId',
              message: `no idListing is known for unique-id "${target}": write it first, or pass { idListing }`,
              code: 'unknown_id',
            },
          ],
          { portal: PORTAL, operation: 'properties.delete', itemId: target },
        );
      }
    } else {
      const given = (target as { idListing?: unknown } | null | undefined)?.idListing;
      if ((typeof given !== 'string' || given === '') && (typeof given !== 'number' || !Number.isSafeInteger(given))) {
        throw new InputValidationError(
          [
            {
              path: target !== null && typeof target === 'object' ? 'idListing' : '',
              message: 'give a unique-id, or { idListing } with the portal id',
              code: 'invalid_type',
            },
          ],
          { portal: PORTAL, operation: 'properties.delete' },
        );
      }
      idListing = String(given);
      uniqueId = await map.findExternalId(PORTAL, LISTING_KIND, idListing);
    }
    const response = await this.#send(
      'DELETE',
      idListing,
      undefined,
      'properties.delete',
      uniqueId ?? idListing,
      options,
    );
    if (uniqueId !== undefined) await map.delete(PORTAL, LISTING_KIND, uniqueId);
    return { idListing, uniqueId, response };
  }

  /**
   * Brings the portal in line with `properties`, already in the portal's model: the same
   * sync as the package's `syncListings` (which takes canonical listings), keyed by
   * `uniqueId` — only the changed ones written, each with a strictly newer `date-updated`;
   * the ones that disappeared deleted (one already gone counts as deleted); one outcome
   * per property, then one per deletion.
   */
  sync(
    properties: Iterable<SyncPropertyInput>,
    options: PropertiesSyncOptions,
  ): Promise<SyncReport<SyncPropertyInput>> {
    return syncProperties(
      { idMap: this.#client.idMap, properties: this, realtors: new RealtorsResource(this.#client) },
      properties,
      options,
    );
  }

  /**
   * One call, answered by a `ServiceResponse`. The pipeline retries network errors, 5xx
   * and a `GENERIC_ERROR` (PUT and DELETE are idempotent) and turns `Result=false` into
   * an {@link IndomioError}; a refusal sent with an error status is mapped here.
   */
  async #send(
    method: 'PUT' | 'DELETE',
    id: string | number,
    body: string | undefined,
    operation: string,
    itemId: string,
    options: CallOptions,
  ): Promise<ServiceResponse> {
    return sendXml(
      this.#client,
      { method, path: path`/ws/import/immobiliare/property/${id}`, body, operation, itemId },
      options,
    );
  }
}
