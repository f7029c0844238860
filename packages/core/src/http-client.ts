import ky, { isHTTPError, isNetworkError, isTimeoutError, type Options as KyOptions } from 'ky';
import pLimit, { type LimitFunction } from 'p-limit';
import type { AuthStrategy } from './auth.js';
import {
  AuthenticationError,
  createHttpError,
  InputValidationError,
  MAX_ERROR_BODY,
  NetworkError,
  SyncError,
  TimeoutError,
  UnexpectedResponseError,
} from './errors.js';
import { type HttpEvents, TypedEmitter } from './events.js';
import { type RateLimit, RateLimiter, readRateLimitHeaders } from './rate-limiter.js';
import { Redactor } from './redact.js';
import { DEFAULT_RETRY, fullJitterDelay, RetryBudget, type RetryOptions, retryAfterMs } from './retry.js';

/** HTTP methods the client sends. */
export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

/** Query parameters: a string, `URLSearchParams`, or a record whose `undefined` values are left out. */
export type QueryInit = string | URLSearchParams | Record<string, string | number | boolean | undefined>;

/** Options of {@link HttpClient}. */
export interface HttpClientOptions {
  /** Portal name used in errors and events, e.g. `rentix`. */
  portal: string;
  /** Root of the API. Must be `https:` unless {@link allowInsecureHttp} is set. */
  baseUrl: string;
  /** Allows a plain `http:` base URL, e.g. a mock portal on 127.0.0.1. Never for production. */
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
  /** Buckets every call counts against unless it names its own (default: `["default"]`). */
  defaultBuckets?: readonly string[] | undefined;
  /** Most calls in flight at once; unbounded when unset. */
  concurrency?: number | undefined;
  /** A `fetch` implementation, e.g. for instrumentation or tests. */
  fetch?: typeof globalThis.fetch | undefined;
  /** Extracts the portal's own message from an error body, so errors quote it verbatim. */
  errorMessage?: ((body: unknown) => string | undefined) | undefined;
  /** Response headers that carry the server's request id, in order of preference. */
  requestIdHeaders?: readonly string[] | undefined;
  /** More secret values to keep out of errors and events. */
  secrets?: readonly string[] | undefined;
}

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
  /** How to read the body (default `json`; an empty body reads as `undefined`). */
  responseType?: 'json' | 'text' | 'bytes' | undefined;
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

const ALL_METHODS = ['get', 'head', 'put', 'delete', 'options', 'post', 'patch'];
const SAFE_METHODS = ['get', 'head', 'put', 'delete', 'options'];
const NO_BODY_STATUS = new Set([101, 204, 205, 304]);

/**
 * Encodes each interpolated value as one path segment, so an id can never add a
 * segment, a query or a fragment: path`/listings/${id}`. Empty, `.` and `..`
 * segments are refused.
 */
export function path(strings: TemplateStringsArray, ...values: ReadonlyArray<string | number>): string {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    const text = String(value);
    if (text === '' || text === '.' || text === '..') {
      throw new InputValidationError([
        { path: 'id', message: `"${text}" cannot be used as an identifier in a URL`, code: 'invalid_id' },
      ]);
    }
    out += encodeURIComponent(text) + (strings[i + 1] ?? '');
  });
  return out;
}

function truncateBody(body: unknown): unknown {
  if (typeof body === 'string') return body.length > MAX_ERROR_BODY ? `${body.slice(0, MAX_ERROR_BODY)}…` : body;
  return body;
}

function defaultErrorMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return body.trim() ? body.trim().slice(0, 500) : undefined;
  if (body && typeof body === 'object') {
    const { message, error } = body as { message?: unknown; error?: unknown };
    if (typeof message === 'string') return message;
    if (Array.isArray(message)) return message.map(String).join('; ');
    if (typeof error === 'string') return error;
  }
  return undefined;
}

/** Parses JSON; keys named `__proto__` are dropped so parsed data cannot carry a prototype. */
export function parseJsonSafely(text: string): unknown {
  if (!text.includes('__proto__')) return JSON.parse(text);
  return JSON.parse(text, (key, value: unknown) => (key === '__proto__' ? undefined : value));
}

function networkCause(error: unknown): Error | undefined {
  // Keep only the code and message of the system error: the fetch error itself holds the request.
  let cause: unknown = error instanceof Error ? error.cause : undefined;
  while (cause instanceof Error && cause.cause instanceof Error) cause = cause.cause;
  if (!(cause instanceof Error)) return undefined;
  const code = (cause as { code?: unknown }).code;
  return new Error(typeof code === 'string' ? `${code}: ${cause.message}` : cause.message);
}

interface CallState {
  readonly options: RequestOptions;
  readonly started: number;
  attempts: number;
  nextDelayMs: number;
  budgetExhausted: boolean;
}

/**
 * The HTTP pipeline every portal client sends its requests through: authentication,
 * rate limiting, ky with retries and timeouts, error mapping, redacted events.
 */
export class HttpClient extends TypedEmitter<HttpEvents> {
  /** Portal name used in errors and events. */
  readonly portal: string;
  /** Removes the client's secrets from anything it reports. */
  readonly redactor = new Redactor();
  /** The client's rate-limit buckets. */
  readonly rateLimiter: RateLimiter;
  /** The client's retry budget, when enabled. */
  readonly retryBudget: RetryBudget | undefined;

  readonly #options: HttpClientOptions;
  readonly #retry: RetryOptions;
  readonly #baseUrl: string;
  readonly #defaultBuckets: readonly string[];
  readonly #limit: LimitFunction | undefined;
  readonly #fetch: typeof globalThis.fetch;
  readonly #requestIdHeaders: readonly string[];

  constructor(options: HttpClientOptions) {
    super();
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch {
      throw new SyncError(`invalid base URL "${options.baseUrl}"`, { portal: options.portal });
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && options.allowInsecureHttp)) {
      throw new SyncError(
        `base URL must use https (got ${url.protocol}); pass allowInsecureHttp: true only for a local test server`,
        { portal: options.portal },
      );
    }
    this.portal = options.portal;
    this.#options = options;
    this.#baseUrl = url.toString().replace(/\/+$/, '');
    this.#retry =
      options.retry === false ? { ...DEFAULT_RETRY, maxAttempts: 1 } : { ...DEFAULT_RETRY, ...options.retry };
    this.retryBudget = this.#retry.budget ? new RetryBudget(this.#retry.budget) : undefined;
    this.rateLimiter = new RateLimiter(options.rateLimits ?? {});
    this.#defaultBuckets = options.defaultBuckets ?? ['default'];
    this.#limit = options.concurrency ? pLimit(options.concurrency) : undefined;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#requestIdHeaders = options.requestIdHeaders ?? ['x-request-id', 'x-correlation-id', 'request-id'];
    options.auth?.registerSecrets(this.redactor);
    for (const secret of options.secrets ?? []) this.redactor.addSecret(secret);
  }

  /** The base URL, without a trailing slash. */
  get baseUrl(): string {
    return this.#baseUrl;
  }

  /**
   * Sends one call and returns its response, or throws a {@link SyncError} subclass.
   * Retries what is safe to retry; after a 401 with renewable credentials it renews
   * them and repeats the call once.
   */
  request<T = unknown>(options: RequestOptions): Promise<HttpResponse<T>> {
    const run = () => this.#withAuthRetry<T>(options);
    return this.#limit ? this.#limit(run) : run();
  }

  async #withAuthRetry<T>(options: RequestOptions): Promise<HttpResponse<T>> {
    try {
      return await this.#send<T>(options);
    } catch (error) {
      // A 401 means the request was not processed, so repeating it is safe for any method.
      if (error instanceof AuthenticationError && this.#options.auth?.invalidate?.()) return this.#send<T>(options);
      throw error;
    }
  }

  async #send<T>(options: RequestOptions): Promise<HttpResponse<T>> {
    const call: CallState = {
      options,
      started: performance.now(),
      attempts: 0,
      nextDelayMs: 0,
      budgetExhausted: false,
    };
    const deadlineMs = options.deadlineMs ?? this.#options.deadlineMs ?? 120_000;
    const timeoutMs = options.timeoutMs ?? this.#options.timeoutMs ?? 30_000;
    const buckets = options.buckets ?? this.#defaultBuckets;
    // Waits outside ky's attempts (rate-limit slots, token renewal) obey the same deadline.
    const deadline = AbortSignal.timeout(deadlineMs);
    const waitSignal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
    const before = async (request: Request) => {
      await this.#options.auth?.apply(request.headers, waitSignal);
      const wait = await this.rateLimiter.acquire(buckets, waitSignal);
      if (wait && this.has('rateLimited')) {
        this.emit('rateLimited', {
          ...this.#eventBase(call, request),
          source: 'client',
          bucket: wait.bucket,
          waitMs: wait.waitedMs,
        });
      }
    };
    const kyOptions: KyOptions = {
      method: options.method,
      prefix: this.#baseUrl,
      searchParams: options.query,
      json: options.json,
      body: options.body,
      headers: { 'user-agent': this.#options.userAgent, ...this.#options.headers, ...options.headers },
      signal: options.signal,
      timeout: timeoutMs,
      totalTimeout: deadlineMs,
      retry: {
        limit: this.#retry.maxAttempts - 1,
        methods: options.idempotent ? ALL_METHODS : SAFE_METHODS,
        statusCodes: [...this.#retry.statusCodes],
        afterStatusCodes: [],
        backoffLimit: Number.POSITIVE_INFINITY,
        delay: () => call.nextDelayMs,
        retryOnTimeout: true,
        shouldRetry: ({ error, retryCount }) => this.#shouldRetry(call, error, retryCount),
      },
      fetch: (input, init) => this.#attempt(call, input as Request, init, options.serverBucket ?? buckets.at(-1)),
      hooks: {
        beforeRequest: [({ request }) => before(request)],
        beforeRetry: [
          ({ request, error }) => {
            if (this.has('retry')) {
              this.emit('retry', {
                ...this.#eventBase(call, request),
                attempt: call.attempts + 1,
                reason: isHTTPError(error) ? String(error.response.status) : error.name,
                delayMs: call.nextDelayMs,
              });
            }
            return before(request);
          },
        ],
      },
    };

    let response: Response;
    try {
      response = await ky(options.path.replace(/^\/+/, ''), kyOptions);
    } catch (error) {
      throw this.#mapError(error, call, options, deadlineMs, timeoutMs);
    }
    this.retryBudget?.recordSuccess();
    const data = await this.#readBody<T>(response, options);
    return {
      status: response.status,
      headers: response.headers,
      data,
      requestId: this.#requestId(response.headers),
      attempts: call.attempts,
      elapsedMs: performance.now() - call.started,
    };
  }

  /** One attempt: the real fetch, with the body read in full so a connection cut mid-body counts as a network error. */
  async #attempt(call: CallState, request: Request, init: RequestInit | undefined, serverBucket: string | undefined) {
    call.attempts++;
    const attempt = call.attempts;
    const sent = performance.now();
    if (this.has('request')) {
      this.emit('request', {
        ...this.#eventBase(call, request),
        attempt,
        headers: this.redactor.headers(request.headers),
      });
    }
    const raw = await this.#fetch(request, init);
    const bytes = request.method === 'HEAD' || NO_BODY_STATUS.has(raw.status) ? null : await raw.arrayBuffer();
    const response = new Response(bytes && bytes.byteLength > 0 ? bytes : null, {
      status: raw.status,
      statusText: raw.statusText,
      headers: raw.headers,
    });
    if (serverBucket) {
      const state = readRateLimitHeaders(response.headers);
      if (state) this.rateLimiter.sync(serverBucket, state);
    }
    if (this.has('response')) {
      this.emit('response', {
        ...this.#eventBase(call, request),
        attempt,
        status: response.status,
        durationMs: performance.now() - sent,
        requestId: this.#requestId(response.headers),
        headers: this.redactor.headers(response.headers),
      });
    }
    if (response.status === 429 && this.has('rateLimited')) {
      this.emit('rateLimited', {
        ...this.#eventBase(call, request),
        source: 'server',
        waitMs: retryAfterMs(response.headers) ?? 0,
      });
    }
    return response;
  }

  #shouldRetry(call: CallState, error: Error, retryCount: number): boolean {
    let serverDelay: number | undefined;
    let kind: 'retry' | 'timeout' = 'retry';
    if (isHTTPError(error)) {
      if (!this.#retry.statusCodes.includes(error.response.status)) return false;
      serverDelay = retryAfterMs(error.response.headers);
    } else if (isTimeoutError(error)) {
      kind = 'timeout';
    } else if (!isNetworkError(error)) {
      return false;
    }
    if (this.retryBudget && !this.retryBudget.tryAcquire(kind)) {
      call.budgetExhausted = true;
      return false;
    }
    call.nextDelayMs =
      serverDelay !== undefined
        ? Math.min(serverDelay, this.#retry.maxRetryAfterMs)
        : fullJitterDelay(retryCount, this.#retry);
    return true;
  }

  async #readBody<T>(response: Response, options: RequestOptions): Promise<T> {
    const type = options.responseType ?? 'json';
    if (type === 'bytes') return new Uint8Array(await response.arrayBuffer()) as T;
    const text = await response.text();
    if (type === 'text') return text as T;
    if (text.trim() === '') return undefined as T;
    try {
      return parseJsonSafely(text) as T;
    } catch {
      throw new UnexpectedResponseError(
        `expected JSON, got ${response.headers.get('content-type') ?? 'no content type'} that does not parse`,
        {
          ...this.#context(options),
          status: response.status,
          body: truncateBody(this.redactor.text(text)),
        },
      );
    }
  }

  #mapError(error: unknown, call: CallState, options: RequestOptions, deadlineMs: number, timeoutMs: number): Error {
    if (options.signal?.aborted) return options.signal.reason as Error;
    const context = this.#context(options);
    if (error instanceof SyncError) return error;
    if (isHTTPError(error)) {
      const body = error.data;
      const redactedBody = typeof body === 'string' ? truncateBody(this.redactor.text(body)) : this.#redactValue(body);
      const serverMessage = (this.#options.errorMessage ?? defaultErrorMessage)(body);
      const built = createHttpError({
        ...context,
        status: error.response.status,
        requestId: this.#requestId(error.response.headers),
        body: redactedBody,
        serverMessage: serverMessage === undefined ? undefined : this.redactor.text(serverMessage),
        retryAfterMs: retryAfterMs(error.response.headers),
      });
      return call.budgetExhausted ? annotate(built, 'retry budget exhausted') : built;
    }
    const elapsed = performance.now() - call.started;
    const isDeadline = elapsed >= deadlineMs - 5;
    if (isTimeoutError(error) || (error instanceof DOMException && error.name === 'TimeoutError')) {
      return new TimeoutError(
        isDeadline
          ? `no response within the call's deadline of ${deadlineMs} ms (${call.attempts} attempts)`
          : `attempt ${call.attempts} got no response within ${timeoutMs} ms`,
        { ...context, timeoutMs: isDeadline ? deadlineMs : timeoutMs },
      );
    }
    if (isNetworkError(error)) {
      const cause = networkCause(error);
      const err = new NetworkError(
        `connection failed after ${call.attempts} attempt${call.attempts === 1 ? '' : 's'}${cause ? ` (${cause.message})` : ''}`,
        { ...context, cause },
      );
      return call.budgetExhausted ? annotate(err, 'retry budget exhausted') : err;
    }
    const message = error instanceof Error ? error.message : String(error);
    return new SyncError(this.redactor.text(message), context);
  }

  #redactValue(body: unknown): unknown {
    if (body === undefined) return undefined;
    const text = JSON.stringify(body);
    const clean = this.redactor.text(text);
    if (clean.length > MAX_ERROR_BODY) return truncateBody(clean);
    return clean === text ? body : JSON.parse(clean);
  }

  #context(options: RequestOptions) {
    return {
      portal: this.portal,
      operation: options.operation,
      itemId: options.itemId,
      method: options.method,
      url: this.redactor.url(this.#url(options)),
    };
  }

  #url(options: RequestOptions): string {
    const url = new URL(`${this.#baseUrl}/${options.path.replace(/^\/+/, '')}`);
    if (options.query !== undefined) {
      const params =
        typeof options.query === 'string' || options.query instanceof URLSearchParams
          ? new URLSearchParams(options.query)
          : new URLSearchParams(
              Object.entries(options.query)
                .filter((e): e is [string, string | number | boolean] => e[1] !== undefined)
                .map(([k, v]) => [k, String(v)]),
            );
      url.search = params.toString();
    }
    return url.toString();
  }

  #eventBase(call: CallState, request: Request) {
    return {
      portal: this.portal,
      operation: call.options.operation,
      itemId: call.options.itemId,
      method: request.method,
      url: this.redactor.url(request.url),
      elapsedMs: performance.now() - call.started,
    };
  }

  #requestId(headers: Headers): string | undefined {
    for (const name of this.#requestIdHeaders) {
      const value = headers.get(name);
      if (value) return value;
    }
    return undefined;
  }
}

function annotate<E extends Error>(error: E, note: string): E {
  error.message = `${error.message} (${note})`;
  return error;
}
