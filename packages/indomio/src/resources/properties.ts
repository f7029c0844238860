import {
  type BatchProgress,
  type BatchReport,
  fingerprint,
  HttpError,
  InputValidationError,
  path,
  type RequestOptions,
  refuseRepeatedKeys,
  runBatches,
  UNCHANGED,
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

/** What a sync remembers per listing between runs; plain JSON, store it where you like. */
export interface SyncStateEntry {
  /** Content hash of the listing as last sent, `date-updated` excluded. */
  fingerprint: string;
  /** The `date-updated` last sent. */
  dateUpdated: string;
  /** The portal's listing id. */
  idListing?: number | undefined;
}

/** State of {@link PropertiesResource.sync}, keyed by `unique-id`. */
export interface IndomioSyncState {
  /** Listings sent by earlier syncs. */
  listings: Record<string, SyncStateEntry>;
}

/** An empty sync state. */
export function createSyncState(): IndomioSyncState {
  return { listings: {} };
}

function getEntry(state: IndomioSyncState, id: string): SyncStateEntry | undefined {
  return Object.hasOwn(state.listings, id) ? state.listings[id] : undefined;
}

function setEntry(state: IndomioSyncState, id: string, entry: SyncStateEntry): void {
  // defineProperty: a `unique-id` such as "__proto__" stays an ordinary key.
  Object.defineProperty(state.listings, id, { value: entry, enumerable: true, writable: true, configurable: true });
}

/** A listing given to sync: `dateUpdated` may be left out, the sync stamps it. */
export type SyncPropertyInput = Omit<PropertyInput, 'dateUpdated'> & { dateUpdated?: PropertyInput['dateUpdated'] };

/** One unit of work of a sync. */
export type SyncTask =
  | { kind: 'put'; uniqueId: string; property: SyncPropertyInput }
  | { kind: 'delete'; uniqueId: string };

/** What a sync did for one listing. */
export interface SyncOutcome {
  uniqueId: string;
  /** `created`/`updated` after a write, `deleted` after a removal. */
  action: 'created' | 'updated' | 'deleted';
  /** The portal's listing id. */
  idListing: number | string | undefined;
  /** The `date-updated` sent, for writes. */
  dateUpdated?: string | undefined;
}

/** Options of {@link PropertiesResource.sync}. */
export interface SyncOptions extends CallOptions {
  /** Fingerprints and dates of the previous run; updated in place. */
  state: IndomioSyncState;
  /** Calls in flight at once (default 4). */
  concurrency?: number | undefined;
  /** Called after each listing. */
  onProgress?: ((progress: BatchProgress) => void) | undefined;
  /** Delete listings of the state that are missing from the input (default `true`). */
  deleteMissing?: boolean | undefined;
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
   * Brings the portal in line with `properties`: writes only the listings whose content
   * changed since the last run (by fingerprint), each with a strictly newer
   * `date-updated`; deletes the listings that disappeared; one outcome per listing.
   */
  async sync(
    properties: Iterable<SyncPropertyInput>,
    options: SyncOptions,
  ): Promise<BatchReport<SyncTask, SyncOutcome>> {
    const { state } = options;
    const now = options.now ?? Date.now;
    const tasks: SyncTask[] = [];
    const seen = new Set<string>();
    for (const property of properties) {
      const uniqueId = typeof property?.uniqueId === 'string' ? property.uniqueId : '';
      tasks.push({ kind: 'put', uniqueId, property });
      seen.add(uniqueId);
    }
    if (options.deleteMissing ?? true) {
      for (const uniqueId of Object.keys(state.listings)) {
        if (!seen.has(uniqueId)) tasks.push({ kind: 'delete', uniqueId });
      }
    }
    return runBatches(
      tasks,
      {
        size: 1,
        concurrency: options.concurrency ?? 4,
        onProgress: options.onProgress,
        signal: options.signal,
        validate: refuseRepeatedKeys(
          tasks,
          (task) => (task.kind === 'put' ? task.uniqueId : undefined),
          (task) =>
            new InputValidationError([{ path: 'uniqueId', message: 'given twice in one sync', code: 'duplicate' }], {
              portal: PORTAL,
              operation: 'properties.sync',
              itemId: task.uniqueId,
            }),
        ),
      },
      async ([task]) => {
        if (!task) return [];
        if (task.kind === 'delete') return [await this.#syncDelete(task.uniqueId, state, options)];
        return [await this.#syncPut(task.property, state, now, options)];
      },
    );
  }

  async #syncPut(
    property: SyncPropertyInput,
    state: IndomioSyncState,
    now: () => number,
    options: CallOptions,
  ): Promise<{ status: 'succeeded'; value: SyncOutcome } | { status: 'skipped'; reason: string }> {
    const uniqueId = property.uniqueId;
    const hash = fingerprint({ ...property, dateUpdated: undefined });
    const previous = getEntry(state, uniqueId);
    if (previous && previous.fingerprint === hash) return { status: 'skipped', reason: UNCHANGED };
    // The portal ignores a write whose date is not newer than its own: stamp one that is.
    let stamp = Math.floor(now() / 1000) * 1000;
    if (previous) stamp = Math.max(stamp, xsDateTimeToMs(previous.dateUpdated) + 1000);
    if (property.dateUpdated !== undefined) {
      const given =
        property.dateUpdated instanceof Date ? property.dateUpdated.getTime() : xsDateTimeToMs(property.dateUpdated);
      if (Number.isFinite(given)) stamp = Math.max(stamp, Math.ceil(given / 1000) * 1000);
    }
    const dateUpdated = toXsDateTime(new Date(stamp));
    const result = await this.put({ ...property, dateUpdated } as PropertyInput, options);
    setEntry(state, uniqueId, { fingerprint: hash, dateUpdated, idListing: result.idListing ?? previous?.idListing });
    return {
      status: 'succeeded',
      value: {
        uniqueId,
        action: previous ? 'updated' : 'created',
        idListing: result.idListing,
        dateUpdated,
      },
    };
  }

  async #syncDelete(
    uniqueId: string,
    state: IndomioSyncState,
    options: CallOptions,
  ): Promise<{ status: 'succeeded'; value: SyncOutcome }> {
    const entry = getEntry(state, uniqueId);
    const known = await this.#client.idMap.get(PORTAL, LISTING_KIND, uniqueId);
    const idListing = known ?? (entry?.idListing === undefined ? undefined : String(entry.idListing));
    try {
      if (idListing === undefined) await this.delete(uniqueId, options);
      else await this.delete({ idListing }, options);
    } catch (error) {
      // Already gone from the portal: the goal is reached.
      if (!(error instanceof IndomioError && error.code === ErrorCode.NOT_FOUND)) throw error;
      await this.#client.idMap.delete(PORTAL, LISTING_KIND, uniqueId);
    }
    delete state.listings[uniqueId];
    return { status: 'succeeded', value: { uniqueId, action: 'deleted', idListing } };
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
