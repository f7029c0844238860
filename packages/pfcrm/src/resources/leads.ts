import { parseInput, path } from '@sync/core';
import { type IterateOptions, type Page, paginate } from '../pagination.js';
import { queryOfParsed } from '../query.js';
import { IdSchema } from '../schemas/common.js';
import { type LeadListParams, LeadListParamsSchema } from '../schemas/filters.js';
import { type Lead, LeadSchema } from '../schemas/resources.js';
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

/** The `leads` resource (read side). */
export class LeadsResource {
  readonly #t: Transport;

  /** @internal */
  constructor(transport: Transport) {
    this.#t = transport;
  }

  /** One lead by id. */
  async get(id: number, options: GetOptions = {}): Promise<WithResponse<Lead>> {
    const itemId = String(id);
    parseInput(IdSchema, id, { portal: 'pfcrm', operation: 'leads.get', itemId });
    const { response, meta } = await this.#t.send<unknown>({
      method: 'GET',
      path: path`/leads/${id}`,
      headers: expandHeaders(options.expand),
      operation: 'leads.get',
      itemId,
      signal: options.signal,
    });
    const raw = unwrapOne(response.data, ['lead'], 'leads.get', itemId);
    return withMeta(parseResponse(LeadSchema, raw, 'leads.get', itemId), meta);
  }

  /** One page of leads matching the filters. */
  async list(params: LeadListParams = {}, options: CallOptions = {}): Promise<Page<Lead>> {
    const parsed = parseInput(LeadListParamsSchema, params, { portal: 'pfcrm', operation: 'leads.list' });
    return this.#page(parsed, parsed.page ?? 1, options.signal, 'leads.list');
  }

  /** Every lead matching the filters, page after page, with bounded memory. */
  iterate(params: LeadListParams = {}, options: IterateOptions = {}): AsyncGenerator<Lead, void, undefined> {
    const parsed = parseInput(
      LeadListParamsSchema,
      { perPage: 100, ...params },
      { portal: 'pfcrm', operation: 'leads.iterate' },
    );
    return paginate(
      (page, signal) => this.#page({ ...parsed, page }, page, signal, 'leads.iterate'),
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
  ): Promise<Page<Lead>> {
    const { response, meta } = await this.#t.send<unknown>({
      method: 'GET',
      path: '/leads',
      query: queryOfParsed({ ...parsed, page }),
      headers: expandHeaders(parsed.expand),
      operation,
      signal,
    });
    const raw = unwrapList(response.data, ['lead', 'leads'], operation);
    const items = raw.items.map((item) => parseResponse(LeadSchema, item, operation));
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
