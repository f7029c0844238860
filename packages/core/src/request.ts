import type { AuthStrategy } from './auth.js';
import type { Logger } from './logger.js';
import type { RateLimit, SharedRateLimiter } from './rate-limiter.js';
import type { RetryOptions } from './retry.js';

/** HTTP methods the client sends. */
export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

/**
 * Query parameters: an already encoded string (sent exactly as given), `URLSearchParams`,
 * or a record whose `undefined` values are left out.
 */
export type QueryInit = string | URLSearchParams | Record<string, string | number | boolean | undefined>;

/** One call of {@link HttpClient.request}. */
export interface RequestOptions {
  /** HTTP method. */
  method: HttpMethod;
  /** Path below the base URL; build it with {@link path} so ids are encoded. */
  path: string;
  /** Query parameters. */
  query?: QueryInit | undefined;
  /** A JSON body. */
  json?: unknown;
  /** Any other body (XML text, form data, bytes). */
  body?: BodyInit | undefined;
  /** Headers of this call only. */
  headers?: Record<string, string> | undefined;
  /**
   * Declares a POST or PATCH safe to repeat (e.g. an upsert keyed by an external id).
   * Without it such calls are never retried.
   */
  idempotent?: boolean | undefined;
  /** The SDK operation, for errors and events, e.g. `listings.get`. */
  operation: string;
  /** The CRM item concerned, for errors and events. */
  itemId?: string | undefined;
  /** Rate-limit buckets this call counts against (replaces the client's default buckets). */
  buckets?: readonly string[] | undefined;
  /** The bucket the server's `X-RateLimit-*` headers describe (default: the last of `buckets`). */
  serverBucket?: string | undefined;
  /** Cancels the call. */
  signal?: AbortSignal | undefined;
  /** Per-attempt limit of this call. */
  timeoutMs?: number | undefined;
  /** Whole-call limit of this call. */
  deadlineMs?: number | undefined;
  /**
   * Retry policy of this call, laid over the client's (`false` sends it once). The
   * client's retry budget still applies.
   */
  retry?: Partial<RetryOptions> | false | undefined;
  /** Response size limit of this call, after decoding (replaces the client's `maxResponseBytes`). */
  maxResponseBytes?: number | undefined;
  /** How to read the body (default `json`; an empty body reads as `undefined`). */
  responseType?: 'json' | 'text' | 'bytes' | undefined;
  /**
   * Non-2xx statuses this call reads as an answer rather than an error, e.g. a bulk
   * endpoint's 422 whose body reports each operation. Their body is returned whole.
   */
  okStatuses?: readonly number[] | undefined;
}

/** A 2xx response as {@link HttpClientOptions.checkResponse} sees it. */
export interface CheckedResponse {
  /** HTTP status. */
  status: number;
  /** Response headers. */
  headers: Headers;
  /** The body as text. */
  text: string;
}

/** A failure found in a 2xx response. */
export interface ResponseProblem {
  /** What to throw if the call is not retried. */
  error: Error;
  /** Whether repeating the call can cure it. */
  retryable: boolean;
}

/** The outcome of a successful call. */
export interface HttpResponse<T = unknown> {
  /** HTTP status (2xx). */
  status: number;
  /** Response headers. */
  headers: Headers;
  /** The body, read as the call asked. */
  data: T;
  /** Request id sent back by the server, if any. */
  requestId: string | undefined;
  /** Attempts made, the successful one included. */
  attempts: number;
  /** Duration of the whole call in milliseconds. */
  elapsedMs: number;
}

/** Options of {@link HttpClient}. */
export interface HttpClientOptions {
  /** Portal name used in errors and events, e.g. `acme`. */
  portal: string;
  /** Root of the API. Must be `https:` unless {@link allowInsecureHttp} is set. */
  baseUrl: string;
  /**
   * Allows a plain `http:` base URL, e.g. a mock portal on 127.0.0.1. Never for production.
   * Only `true` allows it; a value other than `true`, `false` or `undefined` (the string
   * `"false"`, `1`) is an {@link InputValidationError}, and an inherited one is ignored.
   */
  allowInsecureHttp?: boolean | undefined;
  /** How requests authenticate. */
  auth?: AuthStrategy | undefined;
  /** `User-Agent`, conventionally `@sync/<package>/<version>`. */
  userAgent: string;
  /** Headers sent with every request. */
  headers?: Record<string, string> | undefined;
  /** Limit of one attempt, in milliseconds (default 30 s). */
  timeoutMs?: number | undefined;
  /** Limit of a whole call, retries and waits included, in milliseconds (default 120 s). */
  deadlineMs?: number | undefined;
  /** Retry policy; `false` sends every request once. */
  retry?: Partial<RetryOptions> | false | undefined;
  /** Named rate-limit buckets. */
  rateLimits?: Record<string, RateLimit> | undefined;
  /**
   * A limiter to use instead of the client's own buckets, e.g. one kept in Redis that
   * every worker sending for the same account shares. Calls name the same buckets
   * (`defaultBuckets` or their own); `rateLimits` then configures nothing.
   */
  rateLimiter?: SharedRateLimiter | undefined;
  /** Buckets every call counts against unless it names its own (default: `["default"]`). */
  defaultBuckets?: readonly string[] | undefined;
  /**
   * Most calls in flight at once; unbounded when unset. On the default transport it is
   * also the client's number of sockets (else {@link DEFAULT_MAX_SOCKETS}).
   */
  concurrency?: number | undefined;
  /**
   * Most bytes read from one response body, counted after decoding (default
   * {@link DEFAULT_MAX_RESPONSE_BYTES}). A longer body, or a `Content-Length` above it,
   * fails the call at once with an `UnexpectedResponseError`, so an endless body or a
   * compression bomb cannot fill the memory. `Infinity` turns the limit off.
   */
  maxResponseBytes?: number | undefined;
  /**
   * Sends through this `fetch` instead of `node:http`/`node:https` (the default), e.g. for
   * instrumentation or a test's fetch mock. MSW's `setupServer` intercepts either. The
   * `fetch` then owns the connections: how many sockets it opens is its own setting
   * (undici's dispatcher, for Node's fetch), not the client's.
   */
  fetch?: typeof globalThis.fetch | undefined;
  /** Extracts the portal's own message from an error body, so errors quote it verbatim. */
  errorMessage?: ((body: unknown) => string | undefined) | undefined;
  /**
   * Looks at every 2xx response and reports a failure the status does not show (e.g.
   * an XML answer saying `Result=false`). A retryable problem is retried like a 503,
   * within the same rules: idempotent calls only, under the budget and the deadline.
   */
  checkResponse?: ((response: CheckedResponse, request: RequestOptions) => ResponseProblem | undefined) | undefined;
  /** Response headers that carry the server's request id, in order of preference. */
  requestIdHeaders?: readonly string[] | undefined;
  /** More secret values to keep out of errors and events. */
  secrets?: readonly string[] | undefined;
  /**
   * Where requests, retries and rate-limit waits are logged (`console` will do); URLs are
   * redacted and no header is logged. Silent by default, unless `SYNC_DEBUG=1` is set;
   * `false` never logs (for a pipeline whose events another client forwards and logs).
   */
  logger?: Logger | false | undefined;
}
