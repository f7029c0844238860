import { type MockFieldError, MockHttpError } from './errors.js';
import type { PhpValue } from './php-query.js';

/** A record the mock filters: a property, lead or landlord in its response shape. */
export type FilterRecord = Record<string, unknown>;

/** What a filter may look up besides its record: the mock's clock and its other records. */
export interface FilterScope {
  /** The mock's clock, in milliseconds. */
  now: number;
  /** Properties by id. */
  properties: ReadonlyMap<number, FilterRecord>;
  /** Leads. */
  leads: readonly FilterRecord[];
  /** Landlords. */
  landlords: readonly FilterRecord[];
}

/** The value a filter read, or its problems (`field` relative to the filter, `''` for the filter itself). */
export type FilterRead = { value: unknown } | { errors: MockFieldError[] };

/** One filter: how its value is read from the query and how a record is tested against it. */
export interface FilterRule {
  /** Reads (and checks) the raw value PHP decoded. */
  read(raw: PhpValue, scope: FilterScope): FilterRead;
  /** Whether `record` passes; `all` holds every filter value of the query, by name. */
  test(record: FilterRecord, value: unknown, scope: FilterScope, all: ReadonlyMap<string, unknown>): boolean;
}

/** Filters by wire name, with the rules that tie several of them together. */
export interface FilterTable {
  /** The filters. */
  rules: Readonly<Record<string, FilterRule>>;
  /** `[from, to]` pairs where `to` must not be below `from`. */
  ordered?: ReadonlyArray<readonly [string, string]> | undefined;
  /** Filters that can only be used together with another one (`name → needed`). */
  requires?: Readonly<Record<string, string>> | undefined;
}

/** Reads a value from a record (its id, its price…). */
export type Getter<T> = (record: FilterRecord, scope: FilterScope, all: ReadonlyMap<string, unknown>) => T;

const fail = (message: string, field = ''): FilterRead => ({ errors: [{ field, message }] });
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const NUMBER = /^-?\d+(\.\d+)?$/;

/** The id of a relation (`{ id }` or a bare id) as a number. */
export function refId(value: unknown): number | undefined {
  const id = value && typeof value === 'object' ? (value as { id?: unknown }).id : value;
  if (typeof id === 'number') return id;
  if (typeof id === 'string' && /^\d+$/.test(id)) return Number(id);
  return undefined;
}

/** A number from a number or a numeric string. */
export function num(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && NUMBER.test(value.trim())) return Number(value);
  return undefined;
}

const list = <T>(value: T | readonly T[] | undefined | null): T[] =>
  value === undefined || value === null ? [] : Array.isArray(value) ? [...value] : [value as T];

const scalarOf = (raw: PhpValue): string | undefined => (typeof raw === 'string' ? raw : undefined);

function text(raw: PhpValue): FilterRead {
  const value = scalarOf(raw);
  if (value === undefined) return fail('expected a single value');
  if (value.trim() === '') return fail('must not be empty');
  return { value };
}

const lower = (v: unknown) => String(v).toLowerCase();

/** Equal text, case-insensitive (`contains` for name searches); the getter may give several values. */
export function textRule(get: Getter<unknown>, how: 'equals' | 'contains' | 'exact' = 'equals'): FilterRule {
  return {
    read: text,
    test: (r, v, s, all) =>
      list(get(r, s, all)).some((actual) => {
        if (actual === undefined || actual === null) return false;
        if (how === 'exact') return String(actual) === v;
        return how === 'contains' ? lower(actual).includes(lower(v)) : lower(actual) === lower(v);
      }),
  };
}

/** One of the documented values; the getter may give several (the property's portals). */
export function enumRule(values: readonly string[], get: Getter<unknown>): FilterRule {
  return {
    read: (raw) => {
      const value = scalarOf(raw);
      if (value === undefined) return fail('expected a single value');
      return values.includes(value) ? { value } : fail(`must be one of ${values.join(', ')}`);
    },
    test: (r, v, s, all) => list(get(r, s, all)).includes(v),
  };
}

function readId(raw: PhpValue): FilterRead {
  const value = scalarOf(raw);
  if (value === undefined) return fail('expected a single id');
  return /^\d+$/.test(value) && Number(value) > 0 ? { value: Number(value) } : fail('expected a positive integer id');
}

/** A relation's id; `exclude` keeps the records that do NOT have it (`excluded_user`). */
export function idRule(get: Getter<unknown>, exclude = false): FilterRule {
  return {
    read: readId,
    test: (r, v, s, all) =>
      list(get(r, s, all))
        .map(refId)
        .includes(v as number) !== exclude,
  };
}

/** `true`, `false`, `1` or `0`, as PHP receives them. */
export function flagRule(get: Getter<boolean>): FilterRule {
  return {
    read: (raw) => {
      const value = scalarOf(raw)?.toLowerCase();
      if (value === '1' || value === 'true') return { value: true };
      if (value === '0' || value === 'false') return { value: false };
      return fail('must be true, false, 1 or 0');
    },
    test: (r, v, s, all) => get(r, s, all) === v,
  };
}

/** Bounds of a numeric filter; `max` may depend on the clock (build years). */
export interface NumberLimits {
  /** Lowest value accepted. */
  min?: number | undefined;
  /** Highest value accepted, or a function of the clock. */
  max?: number | ((scope: FilterScope) => number) | undefined;
  /** Whole numbers only. */
  integer?: boolean | undefined;
}

function readNumber(raw: PhpValue, limits: NumberLimits, scope: FilterScope): FilterRead {
  const text = scalarOf(raw);
  const value = text === undefined ? undefined : num(text);
  if (value === undefined) return fail('expected a number');
  if (limits.integer && !Number.isInteger(value)) return fail('expected an integer');
  const max = typeof limits.max === 'function' ? limits.max(scope) : limits.max;
  if (limits.min !== undefined && value < limits.min) return fail(`must be at least ${limits.min}`);
  if (max !== undefined && value > max) return fail(`must be at most ${max}`);
  return { value };
}

/** One end of a range (`from_x` keeps values ≥, `to_x` values ≤), or `equal` for an exact number. */
export function numberRule(
  side: 'from' | 'to' | 'equal',
  get: Getter<number | undefined>,
  limits: NumberLimits = {},
): FilterRule {
  return {
    read: (raw, scope) => readNumber(raw, limits, scope),
    test: (r, v, s, all) => {
      const actual = get(r, s, all);
      if (actual === undefined) return false;
      const wanted = v as number;
      return side === 'from' ? actual >= wanted : side === 'to' ? actual <= wanted : actual === wanted;
    },
  };
}

const dayOf = (value: unknown): string | undefined =>
  typeof value === 'string' && DAY.test(value.slice(0, 10)) ? value.slice(0, 10) : undefined;

/** A date interval: `current_month`, or `[from]` and/or `[to]` (`YYYY-MM-DD`, both ends included). */
export function intervalRule(get: Getter<unknown>): FilterRule {
  return {
    read: (raw) => {
      if (raw === 'current_month') return { value: raw };
      if (typeof raw === 'string') return fail('must be current_month or an interval [from]/[to]');
      if (Array.isArray(raw)) return fail('expected [from] and/or [to]');
      const errors: MockFieldError[] = [];
      for (const key of Object.keys(raw)) {
        const value = raw[key];
        if (key !== 'from' && key !== 'to') errors.push({ field: key, message: 'only from and to are allowed' });
        else if (typeof value !== 'string' || !DAY.test(value))
          errors.push({ field: key, message: 'expected YYYY-MM-DD' });
      }
      if (Object.keys(raw).length === 0) errors.push({ field: '', message: 'give from, to or both' });
      return errors.length ? { errors } : { value: raw };
    },
    test: (r, v, s, all) => {
      const day = dayOf(get(r, s, all));
      if (day === undefined) return false;
      if (v === 'current_month') return day.slice(0, 7) === new Date(s.now).toISOString().slice(0, 7);
      const { from, to } = v as { from?: string; to?: string };
      return (from === undefined || day >= from) && (to === undefined || day <= to);
    },
  };
}

/** One end of a date range given as a single day (`from_publication_date`). */
export function dayRule(side: 'from' | 'to', get: Getter<unknown>): FilterRule {
  return {
    read: (raw) => {
      const value = scalarOf(raw);
      return value !== undefined && DAY.test(value) ? { value } : fail('expected YYYY-MM-DD');
    },
    test: (r, v, s, all) => {
      const day = dayOf(get(r, s, all));
      return day !== undefined && (side === 'from' ? day >= (v as string) : day <= (v as string));
    },
  };
}

function readValues(raw: PhpValue): string[] | undefined {
  if (typeof raw === 'string') return [raw];
  const values = Object.values(raw);
  return values.every((v) => typeof v === 'string') ? (values as string[]) : undefined;
}

/** A list of ids matched in `any` (OR) or `all` (AND) mode against the record's ids. */
export function idListRule(mode: 'any' | 'all', get: Getter<readonly number[]>): FilterRule {
  return {
    read: (raw) => {
      const values = readValues(raw);
      if (!values || values.length === 0) return fail('expected a list of ids');
      const bad = values.findIndex((v) => !/^\d+$/.test(v) || Number(v) < 1);
      return bad === -1 ? { value: values.map(Number) } : fail('expected a positive integer id', String(bad));
    },
    test: (r, v, s, all) => {
      const own = new Set(get(r, s, all));
      const wanted = v as number[];
      return mode === 'any' ? wanted.some((id) => own.has(id)) : wanted.every((id) => own.has(id));
    },
  };
}

/** Location ids: a record in `are.3` matches `are.3` and every location below it (`are.3.12`). */
export function locationRule(get: Getter<unknown>): FilterRule {
  return {
    read: (raw) => {
      const values = readValues(raw);
      if (!values || values.length === 0) return fail('expected a list of location ids');
      return values.some((v) => v.trim() === '') ? fail('location ids must not be empty') : { value: values };
    },
    test: (r, v, s, all) => {
      const id = get(r, s, all);
      if (typeof id !== 'string') return false;
      return (v as string[]).some((wanted) => id === wanted || id.startsWith(`${wanted}.`));
    },
  };
}

const fieldText = (value: unknown) => (value === true ? '1' : value === false ? '0' : String(value));

/** Custom field values by field id (`[1]=shi`), matched against the custom fields of the records `get` gives. */
export function customFieldsRule(get: Getter<ReadonlyArray<unknown>>): FilterRule {
  return {
    read: (raw) => {
      if (typeof raw === 'string' || Array.isArray(raw) || Object.keys(raw).length === 0) {
        return fail('expected values by custom field id, e.g. [1]=value');
      }
      const errors: MockFieldError[] = [];
      for (const [id, value] of Object.entries(raw)) {
        if (!/^\d+$/.test(id)) errors.push({ field: id, message: 'custom field ids are numeric' });
        else if (typeof value !== 'string') errors.push({ field: id, message: 'expected a single value' });
      }
      return errors.length ? { errors } : { value: raw };
    },
    test: (r, v, s, all) =>
      get(r, s, all).some((fields) => {
        if (!fields || typeof fields !== 'object') return false;
        return Object.entries(v as Record<string, string>).every(([id, wanted]) => {
          const actual = (fields as Record<string, unknown>)[id];
          return actual !== undefined && actual !== null && lower(fieldText(actual)) === lower(wanted);
        });
      }),
  };
}

/** Sub-filters (`transaction[…]`, `legal_representative[…]`): a record passes when one of its sub-records passes them all. */
export function nestedRule(table: FilterTable, get: Getter<ReadonlyArray<unknown>>): FilterRule {
  return {
    read: (raw, scope) => {
      if (typeof raw === 'string' || Array.isArray(raw)) return fail('expected sub-filters, e.g. [name]=…');
      const read = readFilters(table, raw, scope);
      return read.errors.length ? { errors: read.errors } : { value: read.values };
    },
    test: (r, v, s) =>
      get(r, s, new Map()).some(
        (sub) => !!sub && typeof sub === 'object' && passes(table, sub as FilterRecord, v as Map<string, unknown>, s),
      ),
  };
}

/** Reads every filter of `raw` against `table`; problems have paths relative to `raw`. */
export function readFilters(
  table: FilterTable,
  raw: Record<string, PhpValue>,
  scope: FilterScope,
): { values: Map<string, unknown>; errors: MockFieldError[] } {
  const values = new Map<string, unknown>();
  const errors: MockFieldError[] = [];
  for (const [name, value] of Object.entries(raw)) {
    const rule = table.rules[name];
    if (!rule) {
      errors.push({ field: name, message: 'unknown filter' });
      continue;
    }
    const read = rule.read(value, scope);
    if ('errors' in read) {
      for (const e of read.errors) errors.push({ field: e.field ? `${name}.${e.field}` : name, message: e.message });
    } else {
      values.set(name, read.value);
    }
  }
  for (const [from, to] of table.ordered ?? []) {
    const lo = values.get(from);
    const hi = values.get(to);
    if (typeof lo === 'number' && typeof hi === 'number' && hi < lo) {
      errors.push({ field: to, message: `must not be below ${from} (${lo})` });
    }
  }
  for (const [name, needed] of Object.entries(table.requires ?? {})) {
    if (name in raw && !(needed in raw))
      errors.push({ field: name, message: `can only be used with the ${needed} filter` });
  }
  return { values, errors };
}

function passes(table: FilterTable, record: FilterRecord, values: Map<string, unknown>, scope: FilterScope): boolean {
  for (const [name, value] of values) {
    if (!table.rules[name]?.test(record, value, scope, values)) return false;
  }
  return true;
}

/**
 * Reads the `filters` of a query against `table` and returns the predicate they mean;
 * throws a 400 {@link MockHttpError} listing every problem (`filters.to_bedroom: …`).
 */
export function compileFilters(
  table: FilterTable,
  raw: PhpValue | undefined,
  scope: FilterScope,
): { test: (record: FilterRecord) => boolean; values: ReadonlyMap<string, unknown> } {
  if (raw === undefined) return { test: () => true, values: new Map() };
  if (typeof raw === 'string' || Array.isArray(raw)) {
    throw new MockHttpError(400, 'invalid filters', [{ field: 'filters', message: 'expected filters[name]=value' }]);
  }
  const { values, errors } = readFilters(table, raw, scope);
  if (errors.length) {
    throw new MockHttpError(
      400,
      'invalid filters',
      errors.map((e) => ({ field: `filters.${e.field}`, message: e.message })),
    );
  }
  return { test: (record) => passes(table, record, values, scope), values };
}

/** A sort key of a record; `null`/`undefined` sort first in ascending order, as in MySQL. */
export type SortKey = (record: FilterRecord, scope: FilterScope, filters: ReadonlyMap<string, unknown>) => unknown;

function compareKeys(a: unknown, b: unknown): number {
  const empty = (v: unknown) => v === undefined || v === null;
  if (empty(a) || empty(b)) return empty(a) ? (empty(b) ? 0 : -1) : 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Sorts `records` by `key` in `order` (ties keep ascending ids). */
export function sortRecords<T extends FilterRecord & { id: number | string }>(
  records: T[],
  key: SortKey,
  descending: boolean,
  scope: FilterScope,
  filters: ReadonlyMap<string, unknown>,
): T[] {
  const keyed = records.map((record) => ({ record, key: key(record, scope, filters) }));
  keyed.sort((a, b) => {
    const byKey = compareKeys(a.key, b.key) * (descending ? -1 : 1);
    return byKey || compareKeys(a.record.id, b.record.id);
  });
  return keyed.map((k) => k.record);
}
