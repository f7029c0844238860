import {
  type CallOptions,
  type Page as CorePage,
  callResource,
  type HttpClient,
  type HttpEvents,
  type HttpResponse,
  parseResponse as parseResponseWith,
  type RequestOptions,
  type TypedEmitter,
  UnexpectedResponseError,
} from '@sync/core';
import type { z } from 'zod';
import { PORTAL } from './portal.js';

/** Header that asks the API to expand related objects. */
export const EXPAND_HEADER = 'X-MyCRM-Expand-Data';
/** Response header carrying the API's warnings. */
export const WARNING_HEADER = 'X-MyCRM-API-Warning';

/** What the last HTTP exchange behind a result said, beside its body. */
export interface ResponseMeta {
  /** HTTP status. */
  status: number;
  /** The `X-MyCRM-API-Warning` header, when the API sent one. */
  warning: string | undefined;
  /** Request id sent back by the server, if any. */
  requestId: string | undefined;
  /** Attempts made. */
  attempts: number;
  /** Duration of the call in milliseconds. */
  elapsedMs: number;
}

/** A result with the {@link ResponseMeta} of its call under the non-enumerable `lastResponse`. */
export type WithResponse<T> = T & { readonly lastResponse: ResponseMeta };

/** An API warning (`X-MyCRM-API-Warning`) that came with a response. */
export interface ApiWarningEvent {
  /** Portal name (`pfcrm`). */
  portal: string;
  /** The SDK operation, e.g. `properties.list`. */
  operation: string;
  /** The item concerned, if any. */
  itemId?: string | undefined;
  /** The warning text, verbatim. */
  warning: string;
}

/** Events of a {@link PfCrmClient}: the HTTP events of core plus API warnings. */
export interface PfCrmEvents extends HttpEvents {
  /** The API sent an `X-MyCRM-API-Warning` header. */
  warning: ApiWarningEvent;
}

/** Attaches `meta` as a non-enumerable `lastResponse`, so equality and JSON are unchanged. */
export function withMeta<T extends object>(value: T, meta: ResponseMeta): WithResponse<T> {
  Object.defineProperty(value, 'lastResponse', { value: meta, enumerable: false, configurable: true });
  return value as WithResponse<T>;
}

/** The expand header for an `expand` option. */
export function expandHeaders(expand: boolean | string | undefined): Record<string, string> | undefined {
  if (expand === undefined || expand === false) return undefined;
  return { [EXPAND_HEADER]: expand === true ? 'true' : expand };
}

/** A request with the API's conventions applied; `upload` selects the upload host. */
export interface TransportRequest extends RequestOptions {
  /** Send through the upload host. */
  upload?: boolean | undefined;
}

/** Shared plumbing of the resources: sends requests, reads warnings, unwraps and parses bodies. */
export class Transport {
  readonly #api: HttpClient;
  readonly #upload: HttpClient;
  readonly #events: TypedEmitter<PfCrmEvents>;
  /** Cached `OPTIONS /properties` configuration, once fetched. */
  configuration: unknown;

  constructor(api: HttpClient, upload: HttpClient, events: TypedEmitter<PfCrmEvents>) {
    this.#api = api;
    this.#upload = upload;
    this.#events = events;
  }

  /** Sends a request; returns the response and its meta, emitting any API warning. */
  async send<T>(options: TransportRequest): Promise<{ response: HttpResponse<T>; meta: ResponseMeta }> {
    const { upload, ...request } = options;
    const http = upload ? this.#upload : this.#api;
    const response = await http.request<T>(request);
    return { response, meta: this.#meta(http, response, options) };
  }

  /**
   * One call on core's resource helper: sends `request` with the caller's call options,
   * unwraps the answer and checks it against `schema`; returns it with its meta.
   */
  async call<S extends z.ZodType>(
    request: TransportRequest & { schema: S; unwrap?: ((data: unknown) => unknown) | undefined },
    options?: CallOptions,
  ): Promise<{ data: z.output<S>; meta: ResponseMeta }> {
    const { upload, ...rest } = request;
    const http = upload ? this.#upload : this.#api;
    const { data, response } = await callResource(http, rest, options);
    return { data, meta: this.#meta(http, response, request) };
  }

  /** What a response said beside its body; an API warning is emitted as it comes. */
  #meta(http: HttpClient, response: HttpResponse, request: RequestOptions): ResponseMeta {
    const raw = response.headers.get(WARNING_HEADER);
    // The warning is the API's text, but it must not carry back a credential.
    const warning = raw === null ? undefined : http.redactor.text(raw);
    if (warning !== undefined) {
      this.#events.emit('warning', { portal: PORTAL, operation: request.operation, itemId: request.itemId, warning });
    }
    return {
      status: response.status,
      warning,
      requestId: response.requestId,
      attempts: response.attempts,
      elapsedMs: response.elapsedMs,
    };
  }
}

function unexpected(message: string, operation: string, itemId: string | undefined, body?: unknown) {
  return new UnexpectedResponseError(message, { portal: 'pfcrm', operation, itemId, body });
}

/** The object under one of `keys` (`{ property: {…} }`), or the body itself when it is the object. */
export function unwrapOne(body: unknown, keys: readonly string[], operation: string, itemId?: string): unknown {
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    for (const key of keys) {
      const inner = (body as Record<string, unknown>)[key];
      if (inner && typeof inner === 'object' && !Array.isArray(inner)) return inner;
    }
    if ('id' in body) return body;
  }
  throw unexpected(`expected { ${keys[0]}: {…} } in the response`, operation, itemId);
}

/** One page of a list, unwrapped. */
export interface RawPage {
  items: unknown[];
  count: number | undefined;
  page: number | undefined;
  perPage: number | undefined;
}

function optionalNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

/** The list under one of `keys` (`{ property: […] }` or `{ properties: […] }`) with the page counters. */
export function unwrapList(body: unknown, keys: readonly string[], operation: string): RawPage {
  if (Array.isArray(body)) return { items: body, count: undefined, page: undefined, perPage: undefined };
  if (body && typeof body === 'object') {
    const record = body as Record<string, unknown>;
    for (const key of keys) {
      const items = record[key];
      if (Array.isArray(items)) {
        return {
          items,
          count: optionalNumber(record.count),
          page: optionalNumber(record.page),
          perPage: optionalNumber(record.per_page),
        };
      }
    }
    // An empty list may come back with no list key at all.
    if (keys.every((k) => !(k in record)) && optionalNumber(record.count) === 0) {
      return { items: [], count: 0, page: optionalNumber(record.page), perPage: optionalNumber(record.per_page) };
    }
  }
  throw unexpected(`expected { ${keys[0]}: […] } in the response`, operation, undefined);
}

/** One page of a list, with what the API said beside it. */
export interface Page<T> extends CorePage<T> {
  /** The `X-MyCRM-API-Warning` header of this page's response, if any. */
  warning: string | undefined;
  /** The HTTP exchange behind the page. */
  lastResponse: ResponseMeta;
}

/** A page from its unwrapped response: counters the API left out fall back to what was asked. */
export function toPage<T>(
  raw: RawPage,
  items: T[],
  asked: { page: number; perPage: number | undefined },
  meta: ResponseMeta,
): Page<T> {
  return {
    items,
    count: raw.count,
    page: raw.page ?? asked.page,
    perPage: raw.perPage ?? asked.perPage ?? items.length,
    warning: meta.warning,
    lastResponse: meta,
  };
}

/**
 * Parses one response object with core's `parseResponse`, naming the item (the given
 * one, or the object's own `id`) and the field that does not fit.
 */
export function parseResponse<S extends z.ZodType>(
  schema: S,
  value: unknown,
  operation: string,
  itemId?: string,
): z.output<S> {
  const id = itemId ?? (value && typeof value === 'object' ? (value as { id?: unknown }).id : undefined);
  return parseResponseWith(schema, value, {
    portal: PORTAL,
    operation,
    itemId: id === undefined ? undefined : String(id),
  });
}
