import type { z } from 'zod';
import { compiledSchema } from './schema.js';

const BRANDS = Symbol.for('@sync/core.error-brands');

/** Longest response body, in characters, that an error keeps. */
export const MAX_ERROR_BODY = 2_000;

/** What was being done when an error happened; every field is free of secrets. */
export interface ErrorContext {
  /** Portal the client talks to, e.g. `acme`. */
  portal?: string | undefined;
  /** The SDK operation, e.g. `listings.bulk`. */
  operation?: string | undefined;
  /** The CRM item (listing, user…) the operation was about. */
  itemId?: string | undefined;
  /** HTTP method of the request. */
  method?: string | undefined;
  /** Request URL with secrets removed. */
  url?: string | undefined;
}

/** Options accepted by every {@link SyncError}. */
export interface SyncErrorOptions extends ErrorContext {
  /** The underlying error, when it carries no secret. */
  cause?: unknown;
  /** Whether repeating the same call can succeed. */
  retryable?: boolean | undefined;
}

function describeContext(ctx: ErrorContext): string {
  const parts: string[] = [];
  if (ctx.portal) parts.push(ctx.portal);
  if (ctx.operation) parts.push(ctx.operation);
  let head = parts.join(' ');
  if (ctx.itemId !== undefined) head += `${head ? ' ' : ''}[${ctx.itemId}]`;
  return head;
}

/**
 * Base of every error the SDK throws.
 *
 * `instanceof` is decided by a brand registered under `Symbol.for`, so it holds even
 * when an application ends up with two copies of `@sync/core` in `node_modules`.
 */
export class SyncError extends Error {
  /** Brand checked by `instanceof`; each subclass declares its own. */
  static readonly brand: string = 'SyncError';

  /** Decides `instanceof` by brand, so errors from another copy of this package still match. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (!Object.hasOwn(this, 'brand')) return Function.prototype[Symbol.hasInstance].call(this, value);
    const brands = (value as { [BRANDS]?: unknown } | null | undefined)?.[BRANDS];
    return Array.isArray(brands) && brands.includes(this.brand);
  }

  /** Portal the client talks to. */
  readonly portal: string | undefined;
  /** The SDK operation that failed. */
  readonly operation: string | undefined;
  /** The CRM item the operation was about. */
  readonly itemId: string | undefined;
  /** HTTP method, when a request was involved. */
  readonly method: string | undefined;
  /** Request URL with secrets removed. */
  readonly url: string | undefined;
  /** Whether repeating the same call can succeed. */
  readonly retryable: boolean;

  constructor(message: string, options: SyncErrorOptions = {}) {
    const where = describeContext(options);
    super(where ? `${where}: ${message}` : message, options.cause === undefined ? undefined : { cause: options.cause });
    const brands: string[] = [];
    for (let c: unknown = new.target; typeof c === 'function' && c !== Error; c = Object.getPrototypeOf(c)) {
      if (Object.hasOwn(c, 'brand')) brands.push((c as typeof SyncError).brand);
    }
    Object.defineProperty(this, BRANDS, { value: brands, enumerable: false });
    this.name = new.target.brand;
    this.portal = options.portal;
    this.operation = options.operation;
    this.itemId = options.itemId;
    this.method = options.method;
    this.url = options.url;
    this.retryable = options.retryable ?? false;
  }

  /** A plain, secret-free object for logs and `JSON.stringify`. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, message: this.message };
    for (const [key, value] of Object.entries(this)) {
      if (value !== undefined && key !== 'cause') out[key] = value;
    }
    if (this.cause instanceof Error) out.cause = { name: this.cause.name, message: this.cause.message };
    return out;
  }
}

/** Options of an {@link HttpError}. */
export interface HttpErrorOptions extends SyncErrorOptions {
  /** HTTP status code. */
  status: number;
  /** Request id the server sent back, for support tickets. */
  requestId?: string | undefined;
  /** Response body (parsed JSON when it was JSON), truncated and redacted. */
  body?: unknown;
  /** Message the server gave, already extracted from the body. */
  serverMessage?: string | undefined;
}

/** A response with a non-2xx status. Subclasses say what the status means. */
export class HttpError extends SyncError {
  static override readonly brand: string = 'HttpError';
  /** HTTP status code. */
  readonly status: number;
  /** Request id the server sent back, if any. */
  readonly requestId: string | undefined;
  /** Response body, truncated to {@link MAX_ERROR_BODY} characters when it was text. */
  readonly body: unknown;
  /** The server's own explanation, verbatim. */
  readonly serverMessage: string | undefined;

  constructor(message: string, options: HttpErrorOptions) {
    super(message, options);
    this.status = options.status;
    this.requestId = options.requestId;
    this.body = options.body;
    this.serverMessage = options.serverMessage;
  }
}

/** 401: the credentials were refused. */
export class AuthenticationError extends HttpError {
  static override readonly brand: string = 'AuthenticationError';
}
/** 403: the credentials are valid but not allowed to do this. */
export class PermissionError extends HttpError {
  static override readonly brand: string = 'PermissionError';
}
/** 404: the resource does not exist on the portal. */
export class NotFoundError extends HttpError {
  static override readonly brand: string = 'NotFoundError';
}
/** 409: the request conflicts with the portal's state. */
export class ConflictError extends HttpError {
  static override readonly brand: string = 'ConflictError';
}
/** 400 or 422: the portal refused the content of the request. */
export class ValidationError extends HttpError {
  static override readonly brand: string = 'ValidationError';
}

/** Options of a {@link RateLimitError}. */
export interface RateLimitErrorOptions extends HttpErrorOptions {
  /** How long the server asked to wait, when it said. */
  retryAfterMs?: number | undefined;
}

/** 429: too many requests, after the retries the policy allowed. */
export class RateLimitError extends HttpError {
  static override readonly brand: string = 'RateLimitError';
  /**
   * How long the server asked to wait before the next request, cut to the client's
   * `retry.maxRetryAfterMs`: a wrong header cannot make a caller sleep for years.
   */
  readonly retryAfterMs: number | undefined;
  constructor(message: string, options: RateLimitErrorOptions) {
    super(message, { retryable: true, ...options });
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** Options of a {@link RedirectError}. */
export interface RedirectErrorOptions extends HttpErrorOptions {
  /** Origin (scheme, host, port) the server pointed to, already redacted; never a path or query. */
  location?: string | undefined;
}

/**
 * A redirect (301, 302, 303, 307, 308, or any 3xx with a `Location`): the server sent
 * the request elsewhere. Redirects are never followed, so the request's credentials
 * and body never reach another origin and another origin's answer never passes for
 * the portal's. `status` is 0 when the `fetch` implementation hid it (an opaque
 * redirect) or had already followed it.
 */
export class RedirectError extends HttpError {
  static override readonly brand: string = 'RedirectError';
  /** Origin the server redirected to, when it said. */
  readonly location: string | undefined;

  constructor(message: string, options: RedirectErrorOptions) {
    super(message, { retryable: false, ...options });
    this.location = options.location;
  }
}

/** 5xx: the portal failed. */
export class ServerError extends HttpError {
  static override readonly brand: string = 'ServerError';
}

/** The connection failed or broke before a complete response arrived. */
export class NetworkError extends SyncError {
  static override readonly brand: string = 'NetworkError';
  constructor(message: string, options: SyncErrorOptions = {}) {
    super(message, { retryable: true, ...options });
  }
}

/** An attempt or the whole call ran out of time. */
export class TimeoutError extends SyncError {
  static override readonly brand: string = 'TimeoutError';
  /** The limit that was reached, in milliseconds. */
  readonly timeoutMs: number | undefined;
  constructor(message: string, options: SyncErrorOptions & { timeoutMs?: number | undefined } = {}) {
    super(message, { retryable: true, ...options });
    this.timeoutMs = options.timeoutMs;
  }
}

/**
 * The portal answered with a body that is not what its API promises: a 2xx that does
 * not parse or fit the documented shape, or any body over the call's `maxResponseBytes`.
 */
export class UnexpectedResponseError extends SyncError {
  static override readonly brand: string = 'UnexpectedResponseError';
  /** HTTP status of the response. */
  readonly status: number | undefined;
  /** The body, truncated. */
  readonly body: unknown;
  constructor(message: string, options: SyncErrorOptions & { status?: number; body?: unknown } = {}) {
    super(message, options);
    this.status = options.status;
    this.body = options.body;
  }
}

/** One problem found in an input, with the path of the field. */
export interface InputIssue {
  /** Dotted path of the field, e.g. `price.amount` or `files.0.url`. */
  path: string;
  /** What is wrong with it. */
  message: string;
  /** zod's issue code. */
  code: string;
}

/** Input refused before any network call. */
export class InputValidationError extends SyncError {
  static override readonly brand: string = 'InputValidationError';
  /** Every problem found, with field paths. */
  readonly issues: InputIssue[];
  constructor(issues: InputIssue[], options: SyncErrorOptions = {}) {
    const list = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
    super(`invalid input: ${list}`, options);
    this.issues = issues;
  }
}

/** zod issues as {@link InputIssue}s with dotted paths. */
export function toInputIssues(issues: readonly z.core.$ZodIssue[]): InputIssue[] {
  return issues.map((issue) => ({
    path: issue.path.map((p) => String(p)).join('.'),
    message: issue.message,
    code: issue.code,
  }));
}

/**
 * Validates `input` with a zod schema and returns the parsed value, or throws an
 * {@link InputValidationError} naming the item and every faulty field.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, context: ErrorContext = {}): z.output<S> {
  const result = compiledSchema(schema).safeParse(input);
  if (result.success) return result.data;
  throw new InputValidationError(toInputIssues(result.error.issues), context);
}

/**
 * An issue for every string in `value` — object keys included, at any depth — that holds
 * a lone UTF-16 surrogate. Such a string has no UTF-8 form: `encodeURIComponent` throws
 * on it and `URLSearchParams` silently turns it into U+FFFD, so it cannot go into a URL
 * as it is. `path` names `value` itself (e.g. `id` or `filters`).
 */
export function loneSurrogateIssues(value: unknown, path = ''): InputIssue[] {
  const issues: InputIssue[] = [];
  const message = 'holds a lone UTF-16 surrogate, which cannot be sent in a URL';
  const stack: Array<[unknown, string]> = [[value, path]];
  // Bounded: each node is visited once, and a cycle is cut by `seen`.
  const seen = new Set<object>();
  while (stack.length > 0) {
    const [node, at] = stack.pop() as [unknown, string];
    if (typeof node === 'string') {
      if (!node.isWellFormed()) issues.push({ path: at, message, code: 'lone_surrogate' });
    } else if (node !== null && typeof node === 'object' && !seen.has(node)) {
      seen.add(node);
      for (const [key, item] of Object.entries(node)) {
        const inner = at === '' ? key : `${at}.${key}`;
        if (!key.isWellFormed()) issues.push({ path: at, message: `a key ${message}`, code: 'lone_surrogate' });
        stack.push([item, inner]);
      }
    }
  }
  return issues.reverse();
}

/** The error class for an HTTP status. */
export function httpErrorClass(status: number): typeof HttpError {
  if (status === 401) return AuthenticationError;
  if (status === 403) return PermissionError;
  if (status === 404) return NotFoundError;
  if (status === 409) return ConflictError;
  if (status === 400 || status === 422) return ValidationError;
  if (status === 429) return RateLimitError;
  if (status >= 500) return ServerError;
  return HttpError;
}

/** Builds the {@link HttpError} subclass that fits `options.status`. */
export function createHttpError(options: RateLimitErrorOptions): HttpError {
  const Class = httpErrorClass(options.status);
  const message = `${options.method ?? 'request'} ${options.url ?? ''} failed with ${options.status}${
    options.serverMessage ? `: ${options.serverMessage}` : ''
  }`.replace('  ', ' ');
  const retryable = options.retryable ?? RETRYABLE_STATUS.has(options.status);
  return new Class(message, { ...options, retryable });
}

/** Statuses a retry can cure, for the methods that are safe to repeat. */
export const RETRYABLE_STATUS: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** Whether `value` is any error thrown by the SDK. */
export function isSyncError(value: unknown): value is SyncError {
  return value instanceof SyncError;
}

/** What went wrong with a state store's file. */
export type StateStoreProblem =
  /** The file system refused a read or a write (`code` says why, e.g. `ENOSPC`). */
  | 'io'
  /** The file is not a complete identifier map: empty, truncated, NUL bytes, a byte-order mark, the wrong shape. */
  | 'corrupt'
  /** The file was written in a newer format than this version reads; it is left untouched. */
  | 'unsupported-version'
  /** Another writer holds the file's lock. */
  | 'locked'
  /** The store was closed. */
  | 'closed';

/** Options of a {@link StateStoreError}. */
export interface StateStoreErrorOptions extends SyncErrorOptions {
  /** The state file. */
  file: string;
  /** What went wrong. */
  problem: StateStoreProblem;
  /** The file system's error code (`ENOSPC`, `EACCES`…) when it refused. */
  code?: string | undefined;
}

/**
 * A state store could not read or save its state. It names the file and never quotes the
 * file's content, so a damaged or misdirected file (a symlink to something else) leaks nothing.
 */
export class StateStoreError extends SyncError {
  static override readonly brand: string = 'StateStoreError';
  /** The state file. */
  readonly file: string;
  /** What went wrong. */
  readonly problem: StateStoreProblem;
  /** The file system's error code when it refused (`ENOSPC`, `EROFS`, `EACCES`, `EISDIR`…). */
  readonly code: string | undefined;
  constructor(message: string, options: StateStoreErrorOptions) {
    super(message, options);
    this.file = options.file;
    this.problem = options.problem;
    this.code = options.code;
  }
}

/** Who holds a state file's lock, as its lock file says. */
export interface StateLockHolder {
  /** Process id of the holder. */
  pid: number;
  /** Host name of the machine it runs on. */
  host: string;
  /** When it took the lock (ISO 8601). */
  since: string;
}

/**
 * A state file is already open in another writer (another process, or another open map in
 * this one). Two writers on one file would each overwrite the other's entries, so the second
 * one is refused; `holder` says who has it, when the lock file is readable.
 */
export class StateLockedError extends StateStoreError {
  static override readonly brand: string = 'StateLockedError';
  /** The lock's holder; `undefined` when the lock file cannot be read. */
  readonly holder: StateLockHolder | undefined;
  /** The lock file. */
  readonly lockFile: string;
  constructor(
    message: string,
    options: Omit<StateStoreErrorOptions, 'problem'> & { holder: StateLockHolder | undefined; lockFile: string },
  ) {
    super(message, { retryable: true, ...options, problem: 'locked' });
    this.holder = options.holder;
    this.lockFile = options.lockFile;
  }
}
