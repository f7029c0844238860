/** How a client repeats failed requests. */
export interface RetryOptions {
  /** Attempts in all, the first included. `1` disables retries. */
  maxAttempts: number;
  /** Backoff of the first retry before jitter, in milliseconds. */
  baseDelayMs: number;
  /** Upper bound of any backoff before jitter, in milliseconds. */
  maxDelayMs: number;
  /** Longest wait a server's `Retry-After` or `X-RateLimit-Reset` may impose; longer waits are cut to this. */
  maxRetryAfterMs: number;
  /** Statuses worth retrying. */
  statusCodes: readonly number[];
  /** Retry budget shared by all calls of one client; `false` disables it. */
  budget: RetryBudgetOptions | false;
}

/** Defaults of {@link RetryOptions}. */
export const DEFAULT_RETRY: RetryOptions = {
  maxAttempts: 4,
  baseDelayMs: 250,
  maxDelayMs: 20_000,
  maxRetryAfterMs: 60_000,
  statusCodes: [408, 429, 500, 502, 503, 504],
  budget: { capacity: 100, retryCost: 5, timeoutCost: 10, successRefund: 1 },
};

/** HTTP methods that are safe to repeat without the caller saying so. */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/**
 * The un-jittered backoff before retry number `retry` (1-based): `base · 2^(retry-1)`, capped.
 */
export function backoffCeiling(retry: number, options: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs'>): number {
  return Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, retry - 1));
}

/** Full-jitter backoff: a uniformly random wait between 0 and {@link backoffCeiling}. */
export function fullJitterDelay(
  retry: number,
  options: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs'>,
  random: () => number = Math.random,
): number {
  return Math.floor(random() * backoffCeiling(retry, options));
}

/**
 * How long a response asks the client to wait, in milliseconds: `Retry-After` in
 * seconds or as an HTTP date, else `X-RateLimit-Reset` as seconds from now or as a
 * Unix time in seconds. `undefined` when neither header is usable.
 */
export function retryAfterMs(headers: Headers, now: number = Date.now()): number | undefined {
  const retryAfter = headers.get('retry-after')?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.ceil(Number(retryAfter) * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const reset = headers.get('x-ratelimit-reset')?.trim();
  if (reset && /^\d+(\.\d+)?$/.test(reset)) return resetToDelayMs(Number(reset), now);
  return undefined;
}

/**
 * The wait a failed response asks for before a retry: its `Retry-After`, or its
 * `X-RateLimit-Reset` when the response is a 429 or says no request remains — on any
 * other failure the reset time describes the rate-limit window, not the failure.
 */
export function serverRetryDelayMs(headers: Headers, status: number, now: number = Date.now()): number | undefined {
  const retryAfter = headers.get('retry-after');
  if (retryAfter !== null) return retryAfterMs(new Headers({ 'retry-after': retryAfter }), now);
  if (status === 429 || headers.get('x-ratelimit-remaining')?.trim() === '0') return retryAfterMs(headers, now);
  return undefined;
}

/** Unix times in seconds are larger than this; smaller reset values are durations. */
const EPOCH_SECONDS_THRESHOLD = 1_000_000_000;

/** An `X-RateLimit-Reset` value (seconds from now, or Unix seconds) as milliseconds from `now`. */
export function resetToDelayMs(reset: number, now: number = Date.now()): number {
  if (reset > EPOCH_SECONDS_THRESHOLD) return Math.max(0, Math.ceil(reset * 1000 - now));
  return Math.ceil(reset * 1000);
}

/** Sizes of a {@link RetryBudget}. */
export interface RetryBudgetOptions {
  /** Tokens the bucket holds when full. */
  capacity: number;
  /** Tokens one retry takes. */
  retryCost: number;
  /** Tokens one retry after a timeout takes; timeouts are the costliest to repeat. */
  timeoutCost: number;
  /** Tokens a successful call gives back. */
  successRefund: number;
}

/**
 * A token bucket that bounds retries across all calls of a client: each retry takes
 * tokens, each success gives some back. While a portal keeps failing, the bucket
 * empties and calls fail fast instead of multiplying the load.
 */
export class RetryBudget {
  readonly #options: RetryBudgetOptions;
  #tokens: number;

  constructor(options: RetryBudgetOptions) {
    this.#options = options;
    this.#tokens = options.capacity;
  }

  /** Tokens left. */
  get available(): number {
    return this.#tokens;
  }

  /** Takes the cost of one retry; `false` when the budget cannot pay for it. */
  tryAcquire(kind: 'retry' | 'timeout' = 'retry'): boolean {
    const cost = kind === 'timeout' ? this.#options.timeoutCost : this.#options.retryCost;
    if (this.#tokens < cost) return false;
    this.#tokens -= cost;
    return true;
  }

  /** Gives back the refund of one successful call. */
  recordSuccess(): void {
    this.#tokens = Math.min(this.#options.capacity, this.#tokens + this.#options.successRefund);
  }
}
