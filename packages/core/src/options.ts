import { z } from 'zod';
import { type ErrorContext, InputValidationError, toInputIssues } from './errors.js';

/**
 * `options[key]` when the caller set it on the object itself, `undefined` otherwise. An
 * inherited value — from a polluted `Object.prototype`, say — reads as unset, so code
 * elsewhere in the process cannot switch on a dangerous option (plain HTTP, deleting
 * everything, repeating a create) for every call of the SDK.
 */
export function ownOption<T extends object, K extends keyof T>(
  options: T | null | undefined,
  key: K,
): T[K] | undefined {
  return options !== null && options !== undefined && Object.hasOwn(options, key) ? options[key] : undefined;
}

/**
 * An own boolean option that must be exactly `true`, `false` or unset: anything else
 * (the string `"false"`, `1`) is refused with an {@link InputValidationError} naming the
 * option, rather than read as truthy.
 */
export function booleanOption<T extends object, K extends keyof T & string>(
  options: T | null | undefined,
  key: K,
  context: ErrorContext = {},
): boolean | undefined {
  const value: unknown = ownOption(options, key);
  if (value === undefined || typeof value === 'boolean') return value;
  const shown =
    typeof value === 'string'
      ? `the string "${value.slice(0, 20)}"`
      : typeof value === 'number' || typeof value === 'bigint'
        ? `the number ${String(value)}`
        : value === null
          ? 'null'
          : `a value of type ${typeof value}`;
  throw new InputValidationError(
    [{ path: key, message: `must be true or false, not ${shown}`, code: 'invalid_option' }],
    context,
  );
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
const HEADER_VALUE = /^[^\u0000-\u0008\u000a-\u001f\u007f]*$/;

/** A count of at least 1: concurrency, chunk sizes, attempts. */
export const PositiveIntegerSchema = z.number().int().min(1);

/** A limit in milliseconds: finite and above zero. */
export const DurationMsSchema = z.number().positive();

/** A wait in milliseconds: finite, zero allowed. */
export const DelayMsSchema = z.number().min(0);

/** A size limit in bytes above zero; `Infinity` turns the limit off. */
export const ByteLimitSchema = z.custom<number>(
  (value) => typeof value === 'number' && value > 0,
  'expected a number of bytes above 0 (Infinity for no limit)',
);

/** A `RateLimit`: at least some requests in a window of some length. */
export const RateLimitSchema = z.looseObject({
  // `Infinity` is a limit too: a bucket that only follows the server's headers.
  limit: z.custom<number>((value) => typeof value === 'number' && value > 0, 'expected a number above 0'),
  windowMs: DurationMsSchema,
});

/** A `RetryBudgetOptions`. */
export const RetryBudgetOptionsSchema = z.looseObject({
  capacity: z.number().positive(),
  retryCost: z.number().min(0),
  timeoutCost: z.number().min(0),
  successRefund: z.number().min(0),
});

/**
 * `false`, `undefined` or a value of `schema`, reporting the schema's own issues (a union
 * would only say that neither fitted, without naming the faulty option).
 */
function falseOr(schema: z.ZodType) {
  return z
    .unknown()
    .superRefine((value, ctx) => {
      if (value === false || value === undefined) return;
      const result = schema.safeParse(value);
      if (result.success) return;
      for (const issue of result.error.issues) {
        ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
      }
    })
    .optional();
}

/** A partial `RetryOptions`, as clients take it (`false` aside). */
export const RetryOptionsSchema = z.looseObject({
  maxAttempts: PositiveIntegerSchema.optional(),
  baseDelayMs: DelayMsSchema.optional(),
  maxDelayMs: DelayMsSchema.optional(),
  maxRetryAfterMs: DelayMsSchema.optional(),
  statusCodes: z.array(z.number().int().min(100).max(599)).optional(),
  budget: falseOr(RetryBudgetOptionsSchema),
});

/** The options every client takes for its HTTP pipeline, as far as they can be wrong. */
export const HttpClientOptionsSchema = z.looseObject({
  portal: z.string().min(1),
  baseUrl: z.string(),
  userAgent: z.string(),
  // A header value with CR or LF would end the header (and fetch would quote it refusing it).
  headers: z.record(z.string(), z.string().regex(HEADER_VALUE, 'holds a control character (CR, LF, NUL…)')).optional(),
  timeoutMs: DurationMsSchema.optional(),
  deadlineMs: DurationMsSchema.optional(),
  retry: falseOr(RetryOptionsSchema),
  rateLimits: z.record(z.string(), RateLimitSchema).optional(),
  defaultBuckets: z.array(z.string()).optional(),
  concurrency: PositiveIntegerSchema.optional(),
  maxResponseBytes: ByteLimitSchema.optional(),
  requestIdHeaders: z.array(z.string()).optional(),
  secrets: z.array(z.string()).optional(),
});

/**
 * Checks a constructor's or a call's options against `schema` and throws an
 * {@link InputValidationError} naming each faulty option (`chunkSize`, `retry.maxAttempts`)
 * — instead of the `RangeError` or `TypeError` something deeper would throw later, or a
 * silent misbehaviour (a `NaN` timeout fires at once).
 */
export function checkOptions(schema: z.ZodType, options: unknown, context: ErrorContext = {}): void {
  const result = schema.safeParse(options);
  if (!result.success) throw new InputValidationError(toInputIssues(result.error.issues), context);
}

/** Options of {@link checkServiceUrl}. */
export interface ServiceUrlOptions {
  /** The option's name in the error, e.g. `baseUrl` or `tokenUrl`. */
  field: string;
  /** Portal named in the error. */
  portal?: string | undefined;
  /** Accepts `http:` as well as `https:`. */
  allowInsecureHttp?: boolean | undefined;
}

/**
 * Parses the URL of a service (an API root, a token endpoint) and refuses, with an
 * {@link InputValidationError} naming the option, one that does not parse, one that is not
 * `https:` (unless `allowInsecureHttp`), and one that carries `user:password@`: credentials
 * in a URL would travel to the server in a header of their own and be printed with the URL.
 * The error never quotes the URL, and has no cause (the `TypeError` of `new URL` carries it
 * as `input`).
 */
export function checkServiceUrl(value: unknown, options: ServiceUrlOptions): URL {
  const { field, portal } = options;
  const refuse = (message: string, code: string): never => {
    throw new InputValidationError([{ path: field, message, code }], { portal });
  };
  let url: URL | undefined;
  try {
    url = new URL(String(value));
  } catch {
    url = undefined;
  }
  if (typeof value !== 'string' || url === undefined) return refuse('not a valid absolute URL', 'invalid_url');
  if (url.username !== '' || url.password !== '') {
    return refuse("must not carry credentials (user:password@); give them as the client's credentials", 'invalid_url');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && options.allowInsecureHttp)) {
    return refuse(
      `must use https (got ${url.protocol}); pass allowInsecureHttp: true only for a local test server`,
      'invalid_url',
    );
  }
  return url;
}
