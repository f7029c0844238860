import {
  type BatchProgress,
  HttpError,
  InputValidationError,
  path,
  type RequestOptions,
  type SyncReport,
  type SyncState,
  syncItems,
} from '@sync/core';
import type { IndomioClient } from '../client.js';
import { LISTING_KIND, PORTAL } from '../client.js';
import { ErrorCode } from '../error-codes.js';
import { IndomioError, indomioErrorFrom } from '../errors.js';
import { type PropertyInput, toXsDateTime, xsDateTimeToMs } from '../schemas/property.js';
import type { ServiceResponse } from '../schemas/service-response.js';
import { propertyDocument, validateProperty } from '../xml/build.js';
import { parseServiceResponse, readServiceResponse } from '../xml/parse.js';

const XML_HEADERS = { 'content-type': 'application/xml; charset=utf-8' };

/** Options of one call. */
export interface CallOptions {
  /** Cancels the call. */
  signal?: AbortSignal | undefined;
}

/** Options of {@link PropertiesResource.put}. */
export interface PutOptions extends CallOptions {
  /**
   * Id in the URL. Default: the listing's `unique-id`; pass the portal's `idListing`
   * if your account is set up to address listings by it.
   */
  pathId?: string | number | undefined;
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

/**
 * Kind under which {@link PropertiesResource.sync} keeps each listing's last `date-updated`
 * in the sync state's identifier map, beside core's ids and fingerprints.
 */
export const DATE_UPDATED_KIND = 'listing-date-updated';

/** A listing given to sync: `dateUpdated` may be left out, the sync stamps it. */
export type SyncPropertyInput = Omit<PropertyInput, 'dateUpdated'> & { dateUpdated?: PropertyInput['dateUpdated'] };

/** Options of {@link PropertiesResource.sync}. */
export interface SyncOptions extends CallOptions {
  /**
   * What earlier runs sent, per `unique-id`: portal id, fingerprint and the last
   * `date-updated`. `new SyncState(map, PORTAL)` over a `SqliteIdentifierMap` survives
   * restarts. Updated as listings go through.
   */
  state: SyncState;
  /** Calls in flight at once (default 4). */
  concurrency?: number | undefined;
  /** Called after each listing. */
  onProgress?: ((progress: BatchProgress) => void) | undefined;
  /** Delete listings of the state that are missing from the input (default `true`). */
  removeMissing?: boolean | undefined;
  /** Clock for the `date-updated` stamps, for tests. */
  now?: (() => number) | undefined;
}

/** Listings on the portal: write, delete, and sync a whole set. */
export class PropertiesResource {
  readonly #client: IndomioClient;

  /** @internal */
  constructor(client: IndomioClient) {
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
    const valid = validateProperty(property, 'properties.put');
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
   * Brings the portal in line with `properties` through core's `syncItems`: writes only the
   * listings whose content changed since the last run (by fingerprint, `date-updated`
   * excluded), each with a strictly newer `date-updated`; deletes the listings that
   * disappeared (one already gone counts as deleted); one outcome per listing, then one per
   * deletion.
   */
  async sync(properties: Iterable<SyncPropertyInput>, options: SyncOptions): Promise<SyncReport<SyncPropertyInput>> {
    const { state } = options;
    const now = options.now ?? Date.now;
    return syncItems(
      Array.from(properties),
      {
        key: (property) => (typeof property?.uniqueId === 'string' ? property.uniqueId : ''),
        content: (property) => ({ ...property, dateUpdated: undefined }),
        upsert: async (property, { key, signal }) => {
          // The portal ignores a write whose date is not newer than its own: stamp one that is.
          const last = await state.map.get(state.portal, DATE_UPDATED_KIND, key);
          let stamp = Math.floor(now() / 1000) * 1000;
          if (last !== undefined) stamp = Math.max(stamp, xsDateTimeToMs(last) + 1000);
          if (property.dateUpdated !== undefined) {
            const given =
              property.dateUpdated instanceof Date
                ? property.dateUpdated.getTime()
                : xsDateTimeToMs(property.dateUpdated);
            if (Number.isFinite(given)) stamp = Math.max(stamp, Math.ceil(given / 1000) * 1000);
          }
          const dateUpdated = toXsDateTime(new Date(stamp));
          const result = await this.put({ ...property, dateUpdated } as PropertyInput, { signal });
          await state.map.set(state.portal, DATE_UPDATED_KIND, key, dateUpdated);
          return result.idListing === undefined ? undefined : String(result.idListing);
        },
        remove: async (key, { portalId, signal }) => {
          try {
            // Without a recorded portal id, `delete` resolves the unique-id through the client's map.
            if (portalId === undefined) await this.delete(key, { signal });
            else await this.delete({ idListing: portalId }, { signal });
          } catch (error) {
            // Already gone from the portal: the goal is reached.
            if (!(error instanceof IndomioError && error.code === ErrorCode.NOT_FOUND)) throw error;
            await this.#client.idMap.delete(PORTAL, LISTING_KIND, key);
          }
          await state.map.delete(state.portal, DATE_UPDATED_KIND, key);
        },
      },
      {
        state,
        concurrency: options.concurrency,
        removeMissing: options.removeMissing,
        signal: options.signal,
        onProgress: options.onProgress,
        operation: 'properties.sync',
      },
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
    const http = this.#client.http;
    const urlPath = path`/ws/import/immobiliare/property/${id}`;
    const context = { portal: PORTAL, operation, itemId, method, url: `${http.baseUrl}${urlPath}` };
    try {
      const request: RequestOptions = {
        method,
        path: urlPath,
        body,
        headers: body === undefined ? undefined : XML_HEADERS,
        operation,
        itemId,
        responseType: 'text',
        signal: options.signal,
      };
      const res = await http.request<string>(request);
      return (
        this.#client.takeAnswer(request) ??
        readServiceResponse(res.data, { ...context, status: res.status }, this.#client.http.redactor)
      );
    } catch (error) {
      throw this.#fromHttpError(error, context);
    }
  }

  #fromHttpError(error: unknown, context: Record<string, string>): unknown {
    if (!(error instanceof HttpError) || typeof error.body !== 'string' || !error.body.includes('ServiceResponse')) {
      return error;
    }
    let response: ServiceResponse;
    try {
      response = parseServiceResponse(error.body);
    } catch {
      return error;
    }
    return indomioErrorFrom(response, {
      ...context,
      status: error.status,
      requestId: response.requestId ?? error.requestId,
      retryable: error.retryable,
      cause: error,
    });
  }
}
