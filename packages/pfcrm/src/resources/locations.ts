import { parseInput } from '@sync/core';
import { z } from 'zod';
import { phpQuery } from '../query.js';
import { type Location, LocationSchema } from '../schemas/property.js';
import { parseResponse, type ResponseMeta, type Transport, unwrapList } from '../transport.js';
import type { CallOptions } from './properties.js';

/** The `locations` resource: finds location ids (`are.3.12`) for properties and filters. */
export class LocationsResource {
  readonly #t: Transport;

  /** @internal */
  constructor(transport: Transport) {
    this.#t = transport;
  }

  /** Locations whose name matches `text` (`GET /locations?filters[string]=…`). */
  async search(text: string, options: CallOptions = {}): Promise<Location[] & { lastResponse: ResponseMeta }> {
    const query = parseInput(z.string().trim().min(1), text, { portal: 'pfcrm', operation: 'locations.search' });
    const { response, meta } = await this.#t.send<unknown>({
      method: 'GET',
      path: '/locations',
      query: phpQuery('filters', { string: query }, 'locations.search'),
      operation: 'locations.search',
      signal: options.signal,
    });
    const raw = unwrapList(response.data, ['location', 'locations'], 'locations.search');
    const items = raw.items.map((item) => parseResponse(LocationSchema, item, 'locations.search'));
    Object.defineProperty(items, 'lastResponse', { value: meta, enumerable: false });
    return items as Location[] & { lastResponse: ResponseMeta };
  }
}
