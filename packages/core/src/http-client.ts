import pLimit, { type LimitFunction } from 'p-limit';
import { AuthenticationError, InputValidationError, RateLimitError, SyncError, TimeoutError } from './errors.js';
import { type HttpEvents, TypedEmitter } from './events.js';
import {
  type AttemptFailure,
  annotate,
  attemptFailure,
  cappedServerDelay,
  deadlineError,
  type FailureScope,
  httpFailure,
  readBody,
} from './failure.js';
import { environmentLogger, logHttpEvents } from './logger.js';
import { booleanOption, checkOptions, checkServiceUrl, HttpClientOptionsSchema, ownOption } from './options.js';
import { RateLimiter, readRateLimitHeaders, type SharedRateLimiter, sleep } from './rate-limiter.js';
import { Redactor } from './redact.js';
import type { HttpClientOptions, HttpResponse, RequestOptions } from './request.js';
import {
  DEFAULT_RETRY,
  decideRetry,
  RetryBudget,
  type RetryOptions,
  retryPolicy,
  serverRetryDelayMs,
} from './retry.js';
import {
  AttemptControl,
  ConnectionPool,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_MAX_SOCKETS,
  fetchTransport,
  nodeTransport,
  type RawResponse,
  type Transport,
} from './transport.js';
import { callUrl, unsendable } from './url.js';

export type {
  CheckedResponse,
  HttpClientOptions,
  HttpMethod,
  HttpResponse,
  QueryInit,
  RequestOptions,
  ResponseProblem,
} from './request.js';
export { path } from './url.js';

const utf8 = new TextDecoder();

interface CallState {
  readonly options: RequestOptions;
  /** The client's retry policy with the call's own laid over it. */
  readonly retry: RetryOptions;
  readonly started: number;
  attempts: number;
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
  /** The client's own rate-limit buckets (unused when a shared `rateLimiter` was injected). */
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
  /** The limiter calls wait on: the injected one, else {@link rateLimiter}. */
  readonly #limiter: SharedRateLimiter;
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
    this.#retry = retryPolicy(DEFAULT_RETRY, options.retry);
    this.retryBudget = this.#retry.budget ? new RetryBudget(this.#retry.budget) : undefined;
    this.rateLimiter = new RateLimiter(options.rateLimits ?? {});
    this.#limiter = options.rateLimiter ?? this.rateLimiter;
    this.#limited = options.rateLimiter !== undefined || this.rateLimiter.names.length > 0;
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
    const logger = options.logger === false ? undefined : (options.logger ?? environmentLogger());
    if (logger) logHttpEvents(this, logger);
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
    const call: CallState = {
      options,
      retry: retryPolicy(this.#retry, options.retry),
      started: performance.now(),
      attempts: 0,
    };
    const deadlineMs = options.deadlineMs ?? this.#options.deadlineMs ?? 120_000;
    const timeoutMs = options.timeoutMs ?? this.#options.timeoutMs ?? 30_000;
    const deadlineAt = Date.now() + deadlineMs;
    const buckets = options.buckets ?? this.#defaultBuckets;
    const serverBucket = this.#limited ? (options.serverBucket ?? buckets.at(-1)) : undefined;
    const url = callUrl(this.#baseUrl, options);
    const body = options.json !== undefined ? JSON.stringify(options.json) : options.body;
    // Own properties only: an inherited `idempotent` must not make every create repeatable.
    const idempotent = ownOption(options, 'idempotent') === true;
    const replayable = isReplayable(body);
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
        ? await this.#limiter.acquire(buckets, signal, deadlineAt).catch((error: unknown) => {
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
          if (this.#limited) this.#limiter.release(buckets);
          throw this.#waitError(error, call, deadlineMs, 'while waiting for a connection');
        });
      }
      const remaining = deadlineAt - Date.now();
      if (remaining <= 0) {
        // The slots taken above go back: no request is sent with them.
        if (this.#limited) this.#limiter.release(buckets);
        this.#pool?.release();
        throw deadlineError(this.#context(options), call.attempts, deadlineMs);
      }

      let failure: AttemptFailure;
      try {
        let raw: RawResponse;
        try {
          raw = await this.#attempt(call, url, headers, body, Math.min(timeoutMs, remaining), remaining < timeoutMs);
          if (serverBucket) {
            const state = readRateLimitHeaders(raw.headers);
            if (state) this.#limiter.sync(serverBucket, state);
          }
        } finally {
          // The slots taken for this attempt are done, answered or not.
          if (this.#limited) this.#limiter.release(buckets);
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
            data: readBody<T>(raw, options, () => this.#context(options), this.redactor),
            // Read from the headers when asked: most callers never do.
            get requestId() {
              return requestIdOf();
            },
            attempts: call.attempts,
            elapsedMs: performance.now() - call.started,
          };
        } else failure = httpFailure(raw, this.#scope(call));
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        failure = attemptFailure(error, this.#scope(call), call.attempts, timeoutMs, deadlineMs);
      }

      const decision = decideRetry(
        {
          method: options.method,
          idempotent,
          replayable,
          attempts: call.attempts,
          retryable: failure.retryable,
          // A 429 was refused before any processing, so even a create may be sent again.
          unprocessed: failure.error instanceof RateLimitError,
          kind: failure.kind,
          serverDelayMs: failure.serverDelayMs,
          remainingMs: deadlineAt - Date.now(),
        },
        call.retry,
        this.retryBudget,
      );
      if (!decision.retry) throw decision.note === undefined ? failure.error : annotate(failure.error, decision.note);
      const delayMs = decision.delayMs;
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
          waitMs: cappedServerDelay(serverRetryDelayMs(raw.headers, 429), call.retry) ?? 0,
        });
      }
      return raw;
    } finally {
      clearTimeout(timer);
      userSignal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * A wait (credentials, a rate-limit slot) that ended early: the caller's abort passes
   * through, the deadline becomes a TimeoutError.
   */
  #waitError(error: unknown, call: CallState, deadlineMs: number, during?: string): unknown {
    if (call.options.signal?.aborted) return call.options.signal.reason;
    if (error instanceof DOMException && error.name === 'TimeoutError')
      return deadlineError(this.#context(call.options), call.attempts, deadlineMs, during);
    return error;
  }

  #scope(call: CallState): FailureScope {
    return {
      context: this.#context(call.options),
      redactor: this.redactor,
      retry: call.retry,
      requestId: (headers) => this.#requestId(headers),
      errorMessage: this.#options.errorMessage,
    };
  }

  #context(options: RequestOptions) {
    return {
      portal: this.portal,
      operation: options.operation,
      itemId: options.itemId,
      method: options.method,
      url: this.redactor.url(callUrl(this.#baseUrl, options)),
    };
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
