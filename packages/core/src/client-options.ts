import type { HttpClientOptions } from './http-client.js';
import type { Logger } from './logger.js';
import { ownOption } from './options.js';
import type { SharedRateLimiter } from './rate-limiter.js';
import type { RetryOptions } from './retry.js';

/**
 * The options every portal client takes, whatever the portal: where it sends, how long a
 * call may take, how it retries, how many calls run at once, what it may read and where
 * it logs. Each client's options type extends this one with its credentials and the
 * portal's own settings.
 */
export interface ClientOptions {
  /** Root of the API; each portal has its default. */
  baseUrl?: string | undefined;
  /** Allows an `http:` base URL, for a local mock portal only. Only `true` allows it, and never inherited. */
  allowInsecureHttp?: boolean | undefined;
  /** Limit of one attempt, in milliseconds (default 30 s). */
  timeoutMs?: number | undefined;
  /** Limit of a whole call with its retries and waits, in milliseconds (default 120 s). */
  deadlineMs?: number | undefined;
  /** Retry policy; `false` sends every request once. */
  retry?: Partial<RetryOptions> | false | undefined;
  /** Most calls in flight at once (also the client's number of sockets on the default transport). */
  concurrency?: number | undefined;
  /**
   * A rate limiter shared with the other clients of the same account (e.g. `@sync/queue`'s
   * `RedisRateLimiter`, shared by every worker), used instead of the client's own limits.
   */
  rateLimiter?: SharedRateLimiter | undefined;
  /** A `fetch` to send through instead of `node:http`, e.g. for instrumentation. */
  fetch?: typeof globalThis.fetch | undefined;
  /** Most bytes read from one response, after decoding; each portal has its default. */
  maxResponseBytes?: number | undefined;
  /**
   * Where requests (debug), retries and rate-limit waits (info) are logged, e.g.
   * `console`. Silent by default; `SYNC_DEBUG=1` in the environment logs to `console`.
   */
  logger?: Logger | undefined;
}

/**
 * What a portal package decides itself when it builds its pipeline: its name, its
 * defaults, its credentials and how it reads its answers. None of it is a user option.
 */
export interface PortalHttpOptions
  extends Omit<
    HttpClientOptions,
    keyof ClientOptions | 'baseUrl' | 'portal' | 'userAgent' | 'maxResponseBytes' | 'allowInsecureHttp'
  > {
  /** Portal name, for errors and events. */
  portal: string;
  /** Base URL when the user gives none. */
  baseUrl: string;
  /** `User-Agent`, conventionally `@sync/<package>/<version>`. */
  userAgent: string;
  /** `maxResponseBytes` when the user gives none. */
  maxResponseBytes: number;
}

/**
 * The one mapping of a portal client's options onto {@link HttpClientOptions}: the
 * common options are taken by name (so a portal option never leaks into the pipeline,
 * and no pipeline internal becomes a user option), the portal's defaults fill the gaps,
 * and `allowInsecureHttp` is read as an own property only.
 */
export function httpClientOptions(options: ClientOptions, portal: PortalHttpOptions): HttpClientOptions {
  return {
    ...portal,
    baseUrl: options.baseUrl ?? portal.baseUrl,
    // Passed on as given (the pipeline refuses anything but a boolean), but never inherited.
    allowInsecureHttp: ownOption(options, 'allowInsecureHttp'),
    timeoutMs: options.timeoutMs,
    deadlineMs: options.deadlineMs,
    retry: options.retry,
    concurrency: options.concurrency,
    rateLimiter: options.rateLimiter,
    fetch: options.fetch,
    maxResponseBytes: options.maxResponseBytes ?? portal.maxResponseBytes,
    logger: options.logger,
  };
}
