import {
  type CallOptions,
  type CollectOptions,
  callOptions,
  collect,
  type IterateOptions,
  iteratePages,
  parseInput,
  path,
} from '@sync/core';
import type { z } from 'zod';
import { queryOfParsed } from '../query.js';
import { IdSchema } from '../schemas/common.js';
import {
  expandHeaders,
  type Page,
  parseResponse,
  type Transport,
  toPage,
  unwrapList,
  unwrapOne,
  type WithResponse,
  withMeta,
} from '../transport.js';
import type { GetOptions } from './properties.js';

/** What a list request of a read-only resource holds once validated. */
export interface ParsedListParams {
  filters?: Record<string, unknown> | undefined;
  page?: number | undefined;
  perPage?: number | undefined;
  expand?: boolean | string | undefined;
}

/** How one read-only resource is addressed and checked. */
export interface ReadResourceShape<S extends z.ZodType, P extends z.ZodType> {
  /** Path segment and operation prefix, e.g. `landlords`. */
  name: string;
  /** Key of one item in a response, e.g. `landlord`. */
  singular: string;
  /** Schema of one item. */
  item: S;
  /** Schema of the list parameters. */
  params: P;
}

/** A read-only resource of the API: get one, list a page, iterate every page. */
export class ReadResource<S extends z.ZodType, P extends z.ZodType<ParsedListParams>> {
  readonly #t: Transport;
  readonly #shape: ReadResourceShape<S, P>;

  /** @internal */
  constructor(transport: Transport, shape: ReadResourceShape<S, P>) {
    this.#t = transport;
    this.#shape = shape;
  }

  /** One item by id. */
  async get(id: number, options: GetOptions = {}): Promise<WithResponse<z.output<S>>> {
    const { name, singular, item } = this.#shape;
    const itemId = String(id);
    const operation = `${name}.get`;
    parseInput(IdSchema, id, { portal: 'pfcrm', operation, itemId });
    const { data, meta } = await this.#t.call(
      {
        schema: item,
        method: 'GET',
        path: `/${name}${path`/${id}`}`,
        headers: expandHeaders(options.expand),
        operation,
        itemId,
        unwrap: (body) => unwrapOne(body, [singular], operation, itemId),
      },
      options,
    );
    return withMeta(data as object, meta) as WithResponse<z.output<S>>;
  }

  /** One page of items matching the filters. */
  async list(params: z.input<P> = {} as z.input<P>, options: CallOptions = {}): Promise<Page<z.output<S>>> {
    const operation = `${this.#shape.name}.list`;
    const parsed = parseInput(this.#shape.params, params, { portal: 'pfcrm', operation });
    return this.#page(parsed, parsed.page ?? 1, callOptions(options), operation);
  }

  /** Every item matching the filters, page after page, with bounded memory. */
  iterate(
    params: z.input<P> = {} as z.input<P>,
    options: IterateOptions = {},
  ): AsyncGenerator<z.output<S>, void, undefined> {
    const operation = `${this.#shape.name}.iterate`;
    const parsed = parseInput(
      this.#shape.params,
      { perPage: 100, ...(params as object) },
      { portal: 'pfcrm', operation },
    );
    // Checked now, so an oversized query is refused before the first page is asked for.
    queryOfParsed({ ...parsed, page: parsed.page ?? 1 }, operation);
    const call = callOptions(options);
    return iteratePages((page, signal) => this.#page({ ...parsed, page }, page, { ...call, signal }, operation), {
      start: parsed.page ?? 1,
      perPage: parsed.perPage ?? 100,
      signal: options.signal,
    });
  }

  /** Every item matching the filters as an array, or the first `limit` of them. */
  collect(params: z.input<P> = {} as z.input<P>, options: CollectOptions = {}): Promise<Array<z.output<S>>> {
    return collect(this.iterate(params, options), options);
  }

  async #page(
    parsed: ParsedListParams,
    page: number,
    call: CallOptions,
    operation: string,
  ): Promise<Page<z.output<S>>> {
    const { name, singular, item } = this.#shape;
    const { response, meta } = await this.#t.send<unknown>({
      method: 'GET',
      path: `/${name}`,
      query: queryOfParsed({ ...parsed, page }, operation),
      headers: expandHeaders(parsed.expand),
      operation,
      ...call,
    });
    const raw = unwrapList(response.data, [singular, name], operation);
    const items = raw.items.map((entry) => parseResponse(item, entry, operation) as z.output<S>);
    return toPage(raw, items, { page, perPage: parsed.perPage }, meta);
  }
}
