import { MockHttpError } from './errors.js';
import { type PhpValue, parsePhpQuery } from './php-query.js';

/** A list request's query, decoded as PHP does, and the page it asks for. */
export interface ListQuery {
  /** The decoded query (`filters`, `sort`, …). */
  query: Record<string, PhpValue>;
  /** 1-based page number (default 1). */
  pageNo: number;
  /** Items per page: 1 to 100 (default 50). */
  perPage: number;
}

/**
 * Reads a list request's query string as PHP does, `max_input_vars` included (variables past
 * the limit are dropped silently), and the page it asks for, clamped as the API clamps it.
 */
export function readListQuery(search: string, maxInputVars: number): ListQuery {
  const query = parsePhpQuery(search, { maxInputVars });
  const pageNo = Math.max(1, Number(query.page) || 1);
  const perPage = Math.min(100, Math.max(1, Number(query.per_page) || 50));
  return { query, pageNo, perPage };
}

/** One page of a list answer: the items under `key`, the total `count`, `page` and `per_page`. */
export function pageBody<T>(
  key: string,
  items: readonly T[],
  { pageNo, perPage }: ListQuery,
  map: (item: T) => unknown,
): Record<string, unknown> {
  return {
    [key]: items.slice((pageNo - 1) * perPage, pageNo * perPage).map(map),
    count: items.length,
    page: pageNo,
    per_page: perPage,
  };
}

/** A query parameter that must be a single value, when given; 400 naming it otherwise. */
export function singleValue(query: Record<string, PhpValue>, name: string): string | undefined {
  const value = query[name];
  if (value === undefined || typeof value === 'string') return value;
  throw new MockHttpError(400, `invalid ${name}`, [{ field: name, message: 'expected a single value' }]);
}

/** The `X-MyCRM-API-Warning` a property list sends for the filters it was given, if any. */
export function propertyListWarning(filters: PhpValue | undefined): string | undefined {
  if (typeof filters === 'object' && !Array.isArray(filters) && 'amenities' in filters) {
    return 'filters[amenities] is deprecated, use filters[amenities_or]';
  }
  return undefined;
}
