import { z } from 'zod';
import { EmailSchema, xmlText } from './xsd.js';

// Simple and small complex types of the import schema that the element models share: one
// definition each, so `property`, its estates, projects and auctions check them alike.

/** Text that fits in an XML document (`xs:string`). */
export const text = xmlText;
/** Text with something in it (`notEmptyString`). */
export const nonEmpty = () => text().refine((s) => s.trim() !== '', 'must not be empty');
/** An e-mail address (`emailType`) that fits in an XML document. */
export const email = () => EmailSchema;
/** An `xs:int`. */
export const int32 = () => z.int32();
/** An `xs:long` that is never negative (amounts, counts, portal ids). */
export const long = () => z.int().min(0);
/** An `xs:positiveInteger` within the safe integers. */
export const positive = () => z.int().min(1);
/** An `xs:double` (finite). */
export const double = () => z.number();
const URI_PART = "([A-Za-z0-9\\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*";
const URI_REFERENCE = new RegExp(`^${URI_PART}(#${URI_PART})?$`);

/**
 * Whether `s` is a URI reference as the portal's validator (libxml2) reads an `xs:anyURI`:
 * RFC 3986 characters, `%` only before two hex digits, one `#`, a valid scheme before a
 * first `:`; characters beyond ASCII are allowed (they are escaped when used).
 */
export function isUriReference(s: string): boolean {
  if (/\s/.test(s)) return false;
  const ascii = s.replace(/[^\u0021-\u007E]/g, '_');
  if (!URI_REFERENCE.test(ascii)) return false;
  const scheme = /^([^/?#]*):/.exec(ascii);
  return !scheme || /^[A-Za-z][A-Za-z0-9+.-]*$/.test(scheme[1] ?? '');
}

/** An `xs:anyURI`: a URL, without white space, as the portal's validator reads one. */
export const uri = () => nonEmpty().refine(isUriReference, 'must be a URL without spaces (RFC 3986)');

const XS_DATE_TIME = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

const twoDigits = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

/** Formats a `Date` as an `xs:dateTime` in UTC, to the second. */
export function toXsDateTime(date: Date): string {
  const year = date.getUTCFullYear();
  // From its fields: a third of the time of `toISOString`, once per listing of a feed.
  if (!(year >= 1000 && year <= 9999)) return `${date.toISOString().slice(0, 19)}Z`;
  return `${year}-${twoDigits(date.getUTCMonth() + 1)}-${twoDigits(date.getUTCDate())}T${twoDigits(date.getUTCHours())}:${twoDigits(date.getUTCMinutes())}:${twoDigits(date.getUTCSeconds())}Z`;
}

/**
 * Milliseconds since the epoch of an `xs:dateTime`; a value without a time zone is read as UTC,
 * as the portal compares dates without one.
 */
export function xsDateTimeToMs(value: string): number {
  return Date.parse(/(Z|[+-]\d{2}:\d{2})$/.test(value) ? value : `${value}Z`);
}

/** An ISO date-time: a `Date`, or a string the XSD's `xs:dateTime` accepts. Output: the `xs:dateTime` text. */
export const DateTimeSchema = z
  .union([
    z
      .string()
      .regex(XS_DATE_TIME, 'must be an ISO date-time such as 2019-10-10T12:00:12')
      .refine((s) => !Number.isNaN(xsDateTimeToMs(s)), 'not a real date'),
    z.date().refine((d) => !Number.isNaN(d.getTime()), 'invalid date'),
  ])
  .transform((v) => (typeof v === 'string' ? v : toXsDateTime(v)));

const XS_DATE = /^-?\d{4,}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?$/;

/** Whether the year, month and day of an `xs:date` name a day of the calendar (no 30 February). */
function isRealDay(value: string): boolean {
  const [year, month, day] = value.replace(/^-/, '').split('-', 3).map(Number);
  if (year === undefined || month === undefined || day === undefined) return false;
  const date = new Date(Date.UTC(2000, month - 1, day));
  date.setUTCFullYear(year);
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** A calendar date: a `Date` (its UTC day), or a string the XSD's `xs:date` accepts. Output: the `xs:date` text. */
export const XsDateSchema = z
  .union([
    z.string().regex(XS_DATE, 'must be an ISO date such as 1980-02-29').refine(isRealDay, 'not a real date'),
    z.date().refine((d) => !Number.isNaN(d.getTime()), 'invalid date'),
  ])
  .transform((v) => (typeof v === 'string' ? v : v.toISOString().slice(0, 10)));

/** A time of day as `xs:time` writes it, e.g. `09:30:00`. */
export const XsTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/, 'must be a time such as 09:30:00');

/** Languages of descriptions and addresses (`nationcode`). */
export const LanguageSchema = z.enum(['it', 'en', 'de', 'fr', 'es', 'pt', 'ru', 'gr', 'el', 'hr', 'sl', 'sr']);
/** A language code the portal knows. */
export type Language = z.infer<typeof LanguageSchema>;

/** A three-letter currency code (`currency`); the portal itself accepts only euros on prices. */
export const CurrencyCodeSchema = z.string().regex(/^[a-zA-Z]{3}$/, 'must be a three-letter currency code');

/** A whole amount with its currency (`priceType`): deposits, costs, prices of units. */
export const AmountSchema = z.strictObject({
  value: long(),
  currency: CurrencyCodeSchema.optional(),
  /** Hides the amount. */
  reserved: z.boolean().optional(),
});
/** A whole amount with its currency. */
export type Amount = z.infer<typeof AmountSchema>;

/** An amount with decimals (`priceDecimalType`): auction prices, turnovers, workspace rents. */
export const DecimalAmountSchema = z.strictObject({
  value: double(),
  currency: CurrencyCodeSchema.optional(),
  reserved: z.boolean().optional(),
});
/** An amount with decimals. */
export type DecimalAmount = z.infer<typeof DecimalAmountSchema>;

/** A cost with a mandatory currency (`additionalCostsType`, an `xs:float`). */
export const CostSchema = z.strictObject({
  value: z.number().min(-3.4e38).max(3.4e38),
  currency: CurrencyCodeSchema.default('EUR'),
});
/** A cost with its currency. */
export type Cost = z.infer<typeof CostSchema>;

/** A text in one language (`langtxt`). */
export const LangTextSchema = z.strictObject({
  value: text(),
  language: LanguageSchema.optional(),
  /** Written in this language originally (`@native="yes"`). */
  native: z.boolean().optional(),
});
/** A text in one language. */
export type LangText = z.infer<typeof LangTextSchema>;

/** A value the CRM keeps for itself, by name (`custom-fields/custom-field`). */
export const CustomFieldSchema = z.strictObject({ name: text(), value: text() });
/** A named custom value. */
export type CustomField = z.infer<typeof CustomFieldSchema>;

/** A count with an optional wording (`roomsType`), e.g. `{ value: 2, literal: 'two and a half' }`. */
export const CountSchema = z.strictObject({ value: int32(), literal: text().optional() });

/**
 * One optional leaf element of an `xs:all` group: its XSD name, the zod schema of its value,
 * and `'cdata'` for free text written in CDATA.
 */
export type Leaf = readonly [xsdName: string, schema: z.ZodType, form?: 'cdata'];
/** A table of leaf elements by model key. */
export type LeafTable = Readonly<Record<string, Leaf>>;
/** The zod shape of a leaf table: every element optional. */
export type LeafShape<T extends LeafTable> = { -readonly [K in keyof T]: z.ZodOptional<T[K][1]> };

/**
 * The zod shape of a leaf table, so that the model and its writer come from one explicit
 * table of XSD names and model keys.
 */
export function leafShape<const T extends LeafTable>(table: T): LeafShape<T> {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, leaf] of Object.entries(table)) shape[key] = leaf[1].optional();
  return shape as LeafShape<T>;
}

/** The mask `pick` and `omit` take for `keys`: the fast path's schemas are the model's own, narrowed. */
export function keyMask<K extends string>(keys: readonly K[]): { [P in K]: true } {
  return Object.fromEntries(keys.map((key) => [key, true])) as { [P in K]: true };
}
