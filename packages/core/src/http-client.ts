import pLimit, { type LimitFunction } from 'p-limit';
import type { AuthStrategy } from './auth.js';
import {
  AuthenticationError,
  createHttpError,
  type HttpError,
  type InputIssue,
  InputValidationError,
  loneSurrogateIssues,
  MAX_ERROR_BODY,
  NetworkError,
  RateLimitError,
  SyncError,
  TimeoutError,
  UnexpectedResponseError,
} from './errors.js';
import { type HttpEvents, TypedEmitter } from './events.js';
import { JsonDepthError, parseJsonSafely } from './json.js';
import { booleanOption, checkOptions, checkServiceUrl, HttpClientOptionsSchema, ownOption } from './options.js';
import { type RateLimit, RateLimiter, readRateLimitHeaders, sleep } from './rate-limiter.js';
import { Redactor } from './redact.js';
import {
  DEFAULT_RETRY,
  fullJitterDelay,
  IDEMPOTENT_METHODS,
  RetryBudget,
  type RetryOptions,
  serverRetryDelayMs,
} from './retry.js';
import {
  AttemptControl,
  ConnectionFailure,
  ConnectionPool,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_MAX_SOCKETS,
  fetchTransport,
  nodeTransport,
  type RawResponse,
  ResponseRefused,
  type Transport,
} from './transport.js';

/** HTTP methods the client sends. */
export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

/**
 * Query parameters: an already encoded string (sent exactly as given), `URLSearchParams`,
 * or a record whose `undefined` values are left out.
 */
export type QueryInit = string | URLSearchParams | Record<string, string | number | boolean | undefined>;

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

const utf8 = new TextDecoder();

/**
 * Encodes each interpolated value as one path segment, so an id can never add a
 * segment, a query or a fragment: path`/listings/${id}`. An id that is empty, `.` or
 * `..` would still change the path, and one with a lone UTF-16 surrogate has no encoding:
 * {@link HttpClient.request} refuses such paths, naming the operation and item, before
 * anything is sent.
 */
export function path(strings: TemplateStringsArray, ...values: ReadonlyArray<string | number>): string {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    const text = String(value);
    // A lone surrogate has no UTF-8 form: it is left in place, unencoded, for request() to refuse.
    out += (text.isWellFormed() ? encodeURIComponent(text) : encodeWellFormedParts(text)) + (strings[i + 1] ?? '');
  });
  return out;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function encodeWellFormedParts(text: string): string {
  let out = '';
  let from = 0;
  for (const match of text.matchAll(LONE_SURROGATE)) {
    out += encodeURIComponent(text.slice(from, match.index)) + match[0];
    from = match.index + match[0].length;
  }
  return out + encodeURIComponent(text.slice(from));
}

const DOT_SEGMENT = /^(\.|%2e){1,2}$/i;
const SUSPECT_PATH = /\/\/|\/$|(^|\/)(\.|%2e)/i;

/** The first segment of `path` that a URL parser would drop or resolve away (empty, `.`, `..`), if any. */
function unsafeSegment(path: string): string | undefined {
  // Nearly every path has no dot segment and no empty one: say so without splitting it.
  if (!SUSPECT_PATH.test(path)) return undefined;
  const bare = (path.split(/[?#]/, 1)[0] ?? '').replace(/^\//, '');
  if (bare === '') return undefined;
  return bare.split('/').find((segment) => segment === '' || DOT_SEGMENT.test(segment));
}

/** Longest part of a text error body the portal's message is looked for in. */
const MAX_MESSAGE_SOURCE = 64 * 1024;

const LONE_SURROGATE_MESSAGE = 'holds a lone UTF-16 surrogate, which cannot be sent in a URL';

/** What makes a call impossible to send as asked, found before anything is sent; `undefined` for nearly every call. */
function unsendable(options: RequestOptions): InputIssue[] | undefined {
  const issues: InputIssue[] = [];
  const unsafe = unsafeSegment(options.path);
  if (unsafe !== undefined) {
    issues.push({
      path: 'id',
      message: `${unsafe === '' ? 'an empty identifier' : `"${decodeURIComponent(unsafe)}"`} cannot be part of a URL path`,
      code: 'invalid_id',
    });
  }
  if (!options.path.isWellFormed())
    issues.push({ path: 'id', message: LONE_SURROGATE_MESSAGE, code: 'lone_surrogate' });
  const query = options.query;
  if (typeof query === 'string') {
    if (!query.isWellFormed()) issues.push({ path: 'query', message: LONE_SURROGATE_MESSAGE, code: 'lone_surrogate' });
  } else if (query !== undefined && !(query instanceof URLSearchParams)) {
    for (const key in query) {
      const value = query[key];
      if (!key.isWellFormed() || (typeof value === 'string' && !value.isWellFormed())) {
        issues.push(...loneSurrogateIssues(query, 'query'));
        break;
      }
    }
  }
  const limit = options.maxResponseBytes;
  if (limit !== undefined && !(typeof limit === 'number' && limit > 0)) {
    issues.push({ path: 'maxResponseBytes', message: 'expected a number of bytes above 0', code: 'invalid_option' });
  }
  for (const name of ['timeoutMs', 'deadlineMs'] as const) {
    const value = options[name];
    if (value !== undefined && !(typeof value === 'number' && value > 0 && Number.isFinite(value))) {
      issues.push({ path: name, message: 'expected a finite number of milliseconds above 0', code: 'invalid_option' });
    }
  }
  return issues.length > 0 ? issues : undefined;
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

interface CallState {
  readonly options: RequestOptions;
  readonly started: number;
  attempts: number;
}

/** A failed attempt: the error to throw if no retry follows, and what a retry would cost. */
interface AttemptFailure {
  error: Error;
  retryable: boolean;
  kind: 'retry' | 'timeout';
  serverDelayMs: number | undefined;
}

/** Bodies that can be sent again on a retry; a stream can be read only once. */
function isReplayable(body: BodyInit | undefined): boolean {
  return body === undefined || body === null || !(body instanceof ReadableStream);
}

/**
 * The HTTP pipeline every portal client sends its requests through: authentication,
 * rate limiting, attempts with per-attempt timeouts under a whole-call deadline,
 * retries of what is safe to repeat, error mapping, redacted events. It sends through
 * `node:http` (or an injected `fetch`) with its own attempt loop, so that it adds next
 * to nothing to a request's cost.
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
  readonly #transport: Transport;
  /** The client's own connections, on the default transport. */
  readonly #pool: ConnectionPool | undefined;
  readonly #secure: boolean;
  readonly #requestIdHeaders: readonly string[];
  readonly #headers: Record<string, string>;
  readonly #limited: boolean;
  readonly #maxResponseBytes: number;

  constructor(options: HttpClientOptions) {
    super();
    const allowInsecureHttp = booleanOption(options, 'allowInsecureHttp', { portal: options?.portal });
    checkOptions(HttpClientOptionsSchema, options, { portal: options.portal });
    const url = checkServiceUrl(options.baseUrl, {
      field: 'baseUrl',
      portal: options.portal,
      allowInsecureHttp: allowInsecureHttp === true,
    });
    this.#maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.portal = options.portal;
    this.#options = options;
    this.#baseUrl = url.toString().replace(/\/+$/, '');
    this.#retry =
      options.retry === false ? { ...DEFAULT_RETRY, maxAttempts: 1 } : { ...DEFAULT_RETRY, ...options.retry };
    this.retryBudget = this.#retry.budget ? new RetryBudget(this.#retry.budget) : undefined;
    this.rateLimiter = new RateLimiter(options.rateLimits ?? {});
    this.#limited = this.rateLimiter.names.length > 0;
    this.#defaultBuckets = options.defaultBuckets ?? ['default'];
    this.#limit = options.concurrency ? pLimit(options.concurrency) : undefined;
    this.#transport = options.fetch ? fetchTransport(options.fetch) : nodeTransport;
    this.#pool = options.fetch ? undefined : new ConnectionPool(options.concurrency || DEFAULT_MAX_SOCKETS);
    this.#secure = url.protocol === 'https:';
    this.#requestIdHeaders = options.requestIdHeaders ?? ['x-request-id', 'x-correlation-id', 'request-id'];
    this.#headers = { 'user-agent': options.userAgent };
    for (const [name, value] of Object.entries(options.headers ?? {})) this.#headers[name.toLowerCase()] = value;
    options.auth?.registerSecrets(this.redactor);
    for (const secret of options.secrets ?? []) this.redactor.addSecret(secret);
  }

  /** The base URL, without a trailing slash. */
  get baseUrl(): string {
    return this.#baseUrl;
  }

  /**
   * Closes the client's connections (on the default transport; an injected `fetch` keeps
   * its own). Calls still in flight fail with a `NetworkError`; a later call opens new
   * connections. Idle connections never keep a process alive, so closing is optional.
   */
  close(): void {
    this.#pool?.close();
  }

  /** {@link close}, for `using http = new HttpClient(…)`. */
  [Symbol.dispose](): void {
    this.close();
  }

  /**
   * Sends one call and returns its response, or throws a {@link SyncError} subclass.
   * Retries what is safe to retry; after a 401 with renewable credentials it renews
   * them and repeats the call once.
   */
  request<T = unknown>(options: RequestOptions): Promise<HttpResponse<T>> {
    // Only renewable credentials need the wrapper that repeats a call after a 401.
    const run = this.#options.auth?.invalidate ? () => this.#withAuthRetry<T>(options) : () => this.#send<T>(options);
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
    const issues = unsendable(options);
    if (issues) {
      throw new InputValidationError(issues, {
        portal: this.portal,
        operation: options.operation,
        itemId: options.itemId,
        method: options.method,
      });
    }
    const call: CallState = { options, started: performance.now(), attempts: 0 };
    const deadlineMs = options.deadlineMs ?? this.#options.deadlineMs ?? 120_000;
    const timeoutMs = options.timeoutMs ?? this.#options.timeoutMs ?? 30_000;
    const deadlineAt = Date.now() + deadlineMs;
    const buckets = options.buckets ?? this.#defaultBuckets;
    const serverBucket = this.#limited ? (options.serverBucket ?? buckets.at(-1)) : undefined;
    const url = this.#url(options);
    const body = options.json !== undefined ? JSON.stringify(options.json) : options.body;
    const mayRetry =
      this.#retry.maxAttempts > 1 &&
      // Own properties only: an inherited `idempotent` must not make every create repeatable.
      (IDEMPOTENT_METHODS.has(options.method) || ownOption(options, 'idempotent') === true) &&
      isReplayable(body);
    const signal = options.signal;

    for (;;) {
      if (signal?.aborted) throw signal.reason;
      const headers: Record<string, string> = { ...this.#headers };
      if (options.json !== undefined) headers['content-type'] = 'application/json';
      if (options.headers)
        for (const [name, value] of Object.entries(options.headers)) headers[name.toLowerCase()] = value;
      // Credentials fetched here (a token request) count against the call's deadline too.
      const applied = this.#options.auth?.apply(headers, signal, deadlineAt);
      if (applied) {
        await applied.catch((error: unknown) => {
          throw this.#waitError(error, call, deadlineMs, 'while obtaining credentials');
        });
      }
      const wait = this.#limited
        ? await this.rateLimiter.acquire(buckets, signal, deadlineAt).catch((error: unknown) => {
            throw this.#waitError(error, call, deadlineMs);
          })
        : undefined;
      if (wait && this.has('rateLimited')) {
        this.emit('rateLimited', {
          ...this.#eventBase(call, url),
          source: 'client',
          bucket: wait.bucket,
          waitMs: wait.waitedMs,
        });
      }
      // The attempt's timer starts once it has a connection: waiting for one is not the portal's slowness.
      const connection = this.#pool?.acquire(signal, deadlineAt);
      if (connection) {
        await connection.catch((error: unknown) => {
          if (this.#limited) this.rateLimiter.release(buckets);
          throw this.#waitError(error, call, deadlineMs, 'while waiting for a connection');
        });
      }
      const remaining = deadlineAt - Date.now();
      if (remaining <= 0) {
        // The slots taken above go back: no request is sent with them.
        if (this.#limited) this.rateLimiter.release(buckets);
        this.#pool?.release();
        throw this.#deadlineError(call, deadlineMs);
      }

      let failure: AttemptFailure;
      try {
        let raw: RawResponse;
        try {
          raw = await this.#attempt(call, url, headers, body, Math.min(timeoutMs, remaining), remaining < timeoutMs);
          if (serverBucket) {
            const state = readRateLimitHeaders(raw.headers);
            if (state) this.rateLimiter.sync(serverBucket, state);
          }
        } finally {
          // The slots taken for this attempt are done, answered or not.
          if (this.#limited) this.rateLimiter.release(buckets);
          this.#pool?.release();
        }
        const is2xx = raw.status >= 200 && raw.status < 300;
        const problem =
          is2xx && this.#options.checkResponse
            ? this.#options.checkResponse(
                { status: raw.status, headers: raw.headers, text: utf8.decode(raw.bytes) },
                options,
              )
            : undefined;
        if (problem) failure = { ...problem, kind: 'retry', serverDelayMs: undefined };
        else if (is2xx || options.okStatuses?.includes(raw.status)) {
          this.retryBudget?.recordSuccess();
          const requestIdOf = () => this.#requestId(raw.headers);
          return {
            status: raw.status,
            headers: raw.headers,
            data: this.#readBody<T>(raw, options),
            // Read from the headers when asked: most callers never do.
            get requestId() {
              return requestIdOf();
            },
            attempts: call.attempts,
            elapsedMs: performance.now() - call.started,
          };
        } else failure = this.#httpFailure(raw, options);
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        failure = this.#attemptFailure(error, call, options, timeoutMs, deadlineMs);
      }

      // A 429 was refused before any processing, so even a create may be sent again.
      const repeatable =
        mayRetry || (failure.error instanceof RateLimitError && isReplayable(body) && this.#retry.maxAttempts > 1);
      if (!repeatable || !failure.retryable || call.attempts >= this.#retry.maxAttempts) {
        throw call.attempts > 1 ? annotate(failure.error, `after ${call.attempts} attempts`) : failure.error;
      }
      if (this.retryBudget && !this.retryBudget.tryAcquire(failure.kind)) {
        throw annotate(failure.error, 'retry budget exhausted');
      }
      const delayMs =
        failure.serverDelayMs !== undefined
          ? Math.min(failure.serverDelayMs, this.#retry.maxRetryAfterMs)
          : fullJitterDelay(call.attempts, this.#retry);
      if (Date.now() + delayMs >= deadlineAt) throw annotate(failure.error, 'the next retry would pass the deadline');
      if (this.has('retry')) {
        this.emit('retry', {
          ...this.#eventBase(call, url),
          attempt: call.attempts + 1,
          reason:
            failure.error instanceof SyncError && 'status' in failure.error
              ? String(failure.error.status)
              : failure.error.name,
          delayMs,
        });
      }
      if (delayMs > 0) await sleep(delayMs, signal);
    }
  }

  /** One attempt: the request and its whole body under one timer, so a stalled or cut body counts against it. */
  async #attempt(
    call: CallState,
    url: string,
    headers: Record<string, string>,
    body: BodyInit | undefined,
    timeoutMs: number,
    isDeadline: boolean,
  ): Promise<RawResponse> {
    call.attempts++;
    const attempt = call.attempts;
    const method = call.options.method;
    const sent = performance.now();
    if (this.has('request')) {
      this.emit('request', { ...this.#eventBase(call, url), attempt, headers: this.redactor.headers(headers) });
    }
    const control = new AttemptControl();
    const userSignal = call.options.signal;
    const onAbort = () => control.stop(userSignal?.reason);
    userSignal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => {
      control.stop(
        new TimeoutError(
          isDeadline
            ? `no response within the call's deadline (${call.attempts} attempts)`
            : `attempt ${attempt} got no complete response within ${timeoutMs} ms`,
          { ...this.#context(call.options), timeoutMs },
        ),
      );
    }, timeoutMs);
    try {
      const maxResponseBytes = call.options.maxResponseBytes ?? this.#maxResponseBytes;
      const raw = await this.#transport(
        { method, url, headers, body, maxResponseBytes, agent: this.#pool?.agent(this.#secure) },
        control,
      );
      if (this.has('response')) {
        this.emit('response', {
          ...this.#eventBase(call, url),
          attempt,
          status: raw.status,
          durationMs: performance.now() - sent,
          requestId: this.#requestId(raw.headers),
          headers: this.redactor.headers(raw.headers),
        });
      }
      if (raw.status === 429 && this.has('rateLimited')) {
        this.emit('rateLimited', {
          ...this.#eventBase(call, url),
          source: 'server',
          waitMs: this.#cappedServerDelay(serverRetryDelayMs(raw.headers, 429)) ?? 0,
        });
      }
      return raw;
    } finally {
      clearTimeout(timer);
      userSignal?.removeEventListener('abort', onAbort);
    }
  }

  #httpFailure(raw: RawResponse, options: RequestOptions): AttemptFailure {
    const text = utf8.decode(raw.bytes);
    let body: unknown = text === '' ? undefined : text;
    const type = raw.headers.get('content-type') ?? '';
    if (text !== '' && (type.includes('json') || /^\s*[[{]/.test(text))) {
      try {
        body = parseJsonSafely(text);
      } catch {
        // Not JSON after all, or nested too deep to walk: keep the text.
      }
    }
    // Secrets go before the message is read from the body: a message cut short could keep part of one.
    const clean = typeof body === 'string' ? this.redactor.text(body, MAX_MESSAGE_SOURCE) : this.redactor.value(body);
    const serverMessage = (this.#options.errorMessage ?? defaultErrorMessage)(clean);
    // However long the server asks for, nothing waits longer than maxRetryAfterMs on its word.
    const serverDelayMs = this.#cappedServerDelay(serverRetryDelayMs(raw.headers, raw.status));
    const error: HttpError = createHttpError({
      ...this.#context(options),
      status: raw.status,
      requestId: this.#requestId(raw.headers),
      body: typeof clean === 'string' ? truncateBody(clean) : this.redactor.value(clean, MAX_ERROR_BODY),
      serverMessage: serverMessage === undefined ? undefined : this.redactor.text(serverMessage),
      retryAfterMs: serverDelayMs,
    });
    return { error, retryable: this.#retry.statusCodes.includes(raw.status), kind: 'retry', serverDelayMs };
  }

  #cappedServerDelay(delayMs: number | undefined): number | undefined {
    return delayMs === undefined ? undefined : Math.min(delayMs, this.#retry.maxRetryAfterMs);
  }

  #attemptFailure(
    error: unknown,
    call: CallState,
    options: RequestOptions,
    timeoutMs: number,
    deadlineMs: number,
  ): AttemptFailure {
    if (error instanceof TimeoutError) {
      const atDeadline = error.timeoutMs !== undefined && error.timeoutMs < timeoutMs;
      return {
        error: atDeadline ? this.#deadlineError(call, deadlineMs) : error,
        retryable: !atDeadline,
        kind: 'timeout',
        serverDelayMs: undefined,
      };
    }
    if (error instanceof SyncError) return { error, retryable: false, kind: 'retry', serverDelayMs: undefined };
    // A redirect or an oversized body: what a repeat would meet again.
    if (error instanceof ResponseRefused) {
      return {
        error: error.toError(this.#context(options), this.redactor),
        retryable: false,
        kind: 'retry',
        serverDelayMs: undefined,
      };
    }
    if (error instanceof ConnectionFailure) {
      // A system error may quote what it failed on (fetch quotes an invalid header): only a redacted copy is kept.
      const cause = this.redactor.error(error.cause);
      return {
        error: new NetworkError(`connection failed${cause ? ` (${cause.message})` : ''}`, {
          ...this.#context(options),
          cause,
        }),
        retryable: true,
        kind: 'retry',
        serverDelayMs: undefined,
      };
    }
    const message = error instanceof Error ? error.message : String(error);
    return {
      error: new SyncError(this.redactor.text(message), this.#context(options)),
      retryable: false,
      kind: 'retry',
      serverDelayMs: undefined,
    };
  }

  #deadlineError(call: CallState, deadlineMs: number, during?: string): TimeoutError {
    const message =
      during === undefined
        ? `no response within the call's deadline of ${deadlineMs} ms (${call.attempts} attempts)`
        : `the call's deadline of ${deadlineMs} ms passed ${during} (${call.attempts} attempts)`;
    return new TimeoutError(message, { ...this.#context(call.options), timeoutMs: deadlineMs });
  }

  /**
   * A wait (credentials, a rate-limit slot) that ended early: the caller's abort passes
   * through, the deadline becomes a TimeoutError.
   */
  #waitError(error: unknown, call: CallState, deadlineMs: number, during?: string): unknown {
    if (call.options.signal?.aborted) return call.options.signal.reason;
    if (error instanceof DOMException && error.name === 'TimeoutError')
      return this.#deadlineError(call, deadlineMs, during);
    return error;
  }

  #readBody<T>(raw: RawResponse, options: RequestOptions): T {
    const type = options.responseType ?? 'json';
    if (type === 'bytes') return raw.bytes as T;
    const text = utf8.decode(raw.bytes);
    if (type === 'text') return text as T;
    if (text.trim() === '') return undefined as T;
    try {
      return parseJsonSafely(text) as T;
    } catch (error) {
      const type = this.redactor.headerValue(raw.headers.get('content-type'), 100) ?? 'no content type';
      throw new UnexpectedResponseError(
        error instanceof JsonDepthError
          ? `expected JSON, got ${error.message}`
          : `expected JSON, got ${type} that does not parse`,
        { ...this.#context(options), status: raw.status, body: this.redactor.text(text, MAX_ERROR_BODY) },
      );
    }
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
    const p = options.path;
    let url = `${this.#baseUrl}/${p.charCodeAt(0) === 47 ? p.replace(/^\/+/, '') : p}`;
    const query = options.query;
    if (query !== undefined) {
      let search: string;
      if (typeof query === 'string') search = query.replace(/^\?/, '');
      else if (query instanceof URLSearchParams) search = query.toString();
      else {
        const params = new URLSearchParams();
        for (const [key, value] of Object.entries(query)) if (value !== undefined) params.append(key, String(value));
        search = params.toString();
      }
      if (search) url += `${url.includes('?') ? '&' : '?'}${search}`;
    }
    return url;
  }

  #eventBase(call: CallState, url: string) {
    return {
      portal: this.portal,
      operation: call.options.operation,
      itemId: call.options.itemId,
      method: call.options.method,
      url: this.redactor.url(url),
      elapsedMs: performance.now() - call.started,
    };
  }

  /** The server's request id, redacted and bounded: a server may put anything in that header. */
  #requestId(headers: Headers): string | undefined {
    for (const name of this.#requestIdHeaders) {
      const value = headers.get(name);
      if (value) return this.redactor.headerValue(value);
    }
    return undefined;
  }
}

function annotate<E extends Error>(error: E, note: string): E {
  error.message = `${error.message} (${note})`;
  return error;
}
