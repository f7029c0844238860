import { InputValidationError, loneSurrogateIssues, parseInput } from '@sync/core';
import type { z } from 'zod';
import {
  type LandlordListParams,
  LandlordListParamsSchema,
  type LeadListParams,
  LeadListParamsSchema,
  type PropertyListParams,
  PropertyListParamsSchema,
} from './schemas/filters.js';

/**
 * PHP's default `max_input_vars`: the API (PHP) reads the first 1000 variables of a query
 * and silently drops the rest, so a longer query would be answered as if filters were missing.
 */
export const MAX_INPUT_VARS = 1000;

function scalar(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (value === null) return 'is_null';
  if (typeof value === 'boolean') return value ? '1' : '0';
  return String(value);
}

/**
 * Appends `value` under `name` with PHP's bracket syntax: objects become `[key]`
 * segments, arrays `[]` segments, so `parse_str` rebuilds the same nesting.
 */
function appendPhp(out: URLSearchParams, name: string, value: unknown): void {
  if (value === undefined) return;
  if (Array.isArray(value)) {
    for (const item of value) appendPhp(out, `${name}[]`, item);
    return;
  }
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    for (const [key, item] of Object.entries(value)) appendPhp(out, `${name}[${key}]`, item);
    return;
  }
  const text = value instanceof Date ? value.toISOString().slice(0, 10) : scalar(value);
  if (text !== undefined) out.append(name, text);
}

/** Applies the API's documented precedences so the query says exactly what the server will use. */
function wireFilters(filters: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...filters };
  // `amenities` is deprecated in favour of `amenities_or`, which it means.
  if (out.amenities !== undefined) {
    const merged = [...((out.amenities_or as number[] | undefined) ?? []), ...(out.amenities as number[])];
    out.amenities_or = [...new Set(merged)];
    delete out.amenities;
  }
  // The server ignores `license_permit` when `license_state` is given; leave it out.
  if (out.license_state !== undefined) delete out.license_permit;
  return out;
}

interface PageParams {
  filters?: Record<string, unknown> | undefined;
  sort?: string | undefined;
  sortOrder?: string | undefined;
  page?: number | undefined;
  perPage?: number | undefined;
}

/**
 * Refuses a value `URLSearchParams` would change: a string with a lone UTF-16 surrogate
 * would silently go out as U+FFFD, i.e. filter on something else than asked.
 */
function refuseUnencodable(value: unknown, operation: string, path = ''): void {
  const issues = loneSurrogateIssues(value, path);
  if (issues.length > 0) throw new InputValidationError(issues, { portal: 'pfcrm', operation });
}

/**
 * Serialised as `URLSearchParams` does (brackets as `%5B`/`%5D`, spaces as `+`): the
 * HTTP pipeline normalises queries that way, so this string is byte for byte what is
 * sent, and PHP's `parse_str` decodes it to the same nesting as the bracket form.
 */
function toQuery(params: PageParams, operation: string): string {
  refuseUnencodable(params, operation);
  const out = new URLSearchParams();
  const filters = params.filters ? wireFilters(params.filters) : undefined;
  if (filters) appendPhp(out, 'filters', filters);
  appendPhp(out, 'sort', params.sort);
  appendPhp(out, 'sort_order', params.sortOrder);
  appendPhp(out, 'page', params.page);
  appendPhp(out, 'per_page', params.perPage);
  if (out.size > MAX_INPUT_VARS) refuseInputVars(out.size, filters ?? {}, operation);
  return out.toString();
}

/** Refuses a query PHP would truncate, naming the filter that weighs most. */
function refuseInputVars(size: number, filters: Record<string, unknown>, operation: string): never {
  let heaviest = 'filters';
  let most = 0;
  for (const [name, value] of Object.entries(filters)) {
    const one = new URLSearchParams();
    appendPhp(one, 'filters', { [name]: value });
    if (one.size > most) [heaviest, most] = [`filters.${name}`, one.size];
  }
  const message =
    `the query has ${size} variables, and the API (PHP, max_input_vars ${MAX_INPUT_VARS}) silently drops ` +
    `every one after the ${MAX_INPUT_VARS}th; send fewer values (this filter has ${most})`;
  throw new InputValidationError([{ path: heaviest, message, code: 'too_big' }], { portal: 'pfcrm', operation });
}

/** Validated list parameters of properties, as the wire needs them. */
export type ParsedPropertyListParams = z.output<typeof PropertyListParamsSchema>;

/** Validates list parameters of properties; throws an `InputValidationError` naming the field. */
export function parsePropertyListParams(
  params: PropertyListParams = {},
  operation = 'properties.list',
): ParsedPropertyListParams {
  return parseInput(PropertyListParamsSchema, params, { portal: 'pfcrm', operation });
}

/**
 * The exact query string (without `?`) that `properties.list` sends for `params`,
 * percent-encoded as `URLSearchParams` writes it: filters in PHP bracket syntax (`filters[created][from]=…`, `filters[location_ids][]=…`),
 * then `sort`, `sort_order`, `page`, `per_page`. Checks every documented bound and
 * rule first and throws an `InputValidationError` naming the field. Pure: no I/O.
 *
 * @example
 * propertiesQuery({ filters: { state: 'approved', location_ids: ['are.3.12'] }, sort: 'price', sortOrder: 'DESC' })
 * // 'filters%5Bstate%5D=approved&filters%5Blocation_ids%5D%5B%5D=are.3.12&sort=price&sort_order=DESC'
 * // which PHP reads as filters[state]=approved&filters[location_ids][]=are.3.12&sort=price&sort_order=DESC
 */
export function propertiesQuery(params: PropertyListParams = {}): string {
  return toQuery(parsePropertyListParams(params), 'properties.list');
}

/**
 * Query string of validated list parameters (internal fast path). Throws an
 * `InputValidationError` naming `operation` for one above {@link MAX_INPUT_VARS}, and
 * naming the field for a string `URLSearchParams` would change (a lone surrogate).
 */
export function queryOfParsed(params: PageParams, operation = 'properties.list'): string {
  return toQuery(params, operation);
}

/**
 * The exact query string `landlords.list` sends for `params`.
 *
 * @example
 * ```ts
 * landlordsQuery({ page: 2, perPage: 50 }); // the query `pf.landlords.list({ page: 2, perPage: 50 })` sends
 * ```
 */
export function landlordsQuery(params: LandlordListParams = {}): string {
  const operation = 'landlords.list';
  return toQuery(parseInput(LandlordListParamsSchema, params, { portal: 'pfcrm', operation }), operation);
}

/**
 * The exact query string `leads.list` sends for `params`.
 *
 * @example
 * ```ts
 * leadsQuery({ page: 1, perPage: 20 }); // the query `pf.leads.list({ page: 1, perPage: 20 })` sends
 * ```
 */
export function leadsQuery(params: LeadListParams = {}): string {
  const operation = 'leads.list';
  return toQuery(parseInput(LeadListParamsSchema, params, { portal: 'pfcrm', operation }), operation);
}

/**
 * PHP bracket encoding of any value under `name`, e.g. `filters[string]=dubai`. A string
 * with a lone surrogate is refused with an `InputValidationError` naming `operation`.
 *
 * @example
 * ```ts
 * phpQuery('filters', { price: { from: 100000 } }); // 'filters%5Bprice%5D%5Bfrom%5D=100000'
 * ```
 */
export function phpQuery(name: string, value: unknown, operation = 'query'): string {
  refuseUnencodable(value, operation, name);
  const out = new URLSearchParams();
  appendPhp(out, name, value);
  return out.toString();
}
