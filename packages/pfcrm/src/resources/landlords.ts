import { parseInput, path } from '@sync/core';
import { type IterateOptions, type Page, paginate } from '../pagination.js';
import { queryOfParsed } from '../query.js';
import { IdSchema } from '../schemas/common.js';
import { type LandlordListParams, LandlordListParamsSchema } from '../schemas/filters.js';
import { type Landlord, LandlordSchema } from '../schemas/resources.js';
import {
  expandHeaders,
  parseResponse,
  type Transport,
  unwrapList,
  unwrapOne,
  type WithResponse,
  withMeta,
} from '../transport.js';
import type { CallOptions, GetOptions } from './properties.js';

/** The `landlords` resource (read side). */
export class LandlordsResource {
  readonly #t: Transport;

  /** @internal */
  constructor(transport: Transport) {
    this.#t = transport;
  }

  /** One landlord by id. */
  async get(id: number, options: GetOptions = {}): Promise<WithResponse<Landlord>> {
    const itemId = String(id);
    parseInput(IdSchema, id, { portal: 'pfcrm', operation: 'landlords.get', itemId });
    const { response, meta } = await this.#t.send<unknown>({
      method: 'GET',
      path: path`/landlords/${id}`,
      headers: expandHeaders(options.expand),
      operation: 'landlords.get',
      itemId,
      signal: options.signal,
    });
    const raw = unwrapOne(response.data, ['landlord'], 'landlords.get', itemId);
    return withMeta(parseResponse(LandlordSchema, raw, 'landlords.get', itemId), meta);
  }

  /** One page of landlords matching the filters. */
  async list(params: LandlordListParams = {}, options: CallOptions = {}): Promise<Page<Landlord>> {
    const parsed = parseInput(LandlordListParamsSchema, params, { portal: 'pfcrm', operation: 'landlords.list' });
    return this.#page(parsed, parsed.page ?? 1, options.signal, 'landlords.list');
  }

  /** Every landlord matching the filters, page after page, with bounded memory. */
  iterate(params: LandlordListParams = {}, options: IterateOptions = {}): AsyncGenerator<Landlord, void, undefined> {
    const parsed = parseInput(
      LandlordListParamsSchema,
      { perPage: 100, ...params },
      { portal: 'pfcrm', operation: 'landlords.iterate' },
    );
    return paginate(
      (page, signal) => this.#page({ ...parsed, page }, page, signal, 'landlords.iterate'),
      parsed.page ?? 1,
      parsed.perPage ?? 100,
      options.signal,
    );
  }

  async #page(
    parsed: {
      filters?: Record<string, unknown> | undefined;
      page?: number | undefined;
      perPage?: number | undefined;
      expand?: boolean | string | undefined;
    },
    page: number,
    signal: AbortSignal | undefined,
    operation: string,
  ): Promise<Page<Landlord>> {
    const { response, meta } = await this.#t.send<unknown>({
      method: 'GET',
      path: '/landlords',
      query: queryOfParsed({ ...parsed, page }),
      headers: expandHeaders(parsed.expand),
      operation,
      signal,
    });
    const raw = unwrapList(response.data, ['landlord', 'landlords'], operation);
    const items = raw.items.map((item) => parseResponse(LandlordSchema, item, operation));
    return {
      items,
      count: raw.count,
      page: raw.page ?? page,
      perPage: raw.perPage ?? parsed.perPage ?? items.length,
      warning: meta.warning,
      lastResponse: meta,
    };
  }
}
