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

/** What the retry decision knows of one failed attempt. */
export interface FailedAttempt {
  /** HTTP method of the call. */
  method: string;
  /** The call declared itself safe to repeat (a POST or PATCH keyed by an external id). */
  idempotent: boolean;
  /** The body can be sent again (a stream cannot). */
  replayable: boolean;
  /** Attempts made so far, the failed one included. */
  attempts: number;
  /** Whether repeating can cure the failure (a 503, a reset connection, a timeout). */
  retryable: boolean;
  /** The server refused the request before processing it (a 429): any method may be repeated. */
  unprocessed: boolean;
  /** A timeout costs more of the budget than other failures. */
  kind: 'retry' | 'timeout';
  /** The wait the server asked for (`Retry-After`, `X-RateLimit-Reset`), if any. */
  serverDelayMs: number | undefined;
  /** Milliseconds left before the call's deadline. */
  remainingMs: number;
}

/** Why the retry decision refused to repeat a call. */
export type RetryRefusalReason =
  | 'not-retryable'
  | 'not-idempotent'
  | 'attempts-exhausted'
  | 'budget-exhausted'
  | 'past-deadline';

/** The outcome of {@link decideRetry}: wait `delayMs` and repeat, or stop and say why. */
export type RetryDecision =
  | { retry: true; delayMs: number }
  | { retry: false; reason: RetryRefusalReason; note: string | undefined };

/**
 * The retry decision, on its own so the attempt loop only acts on it: a call is repeated
 * only when repeating is safe (an idempotent method, a call that declared itself
 * idempotent, or a request the server refused unprocessed), can help, stays within
 * `maxAttempts`, is paid for by the budget and ends before the deadline. A refusal names
 * its reason, and `note` is what the error it leaves says about it. Takes budget tokens
 * only when it says yes.
 */
export function decideRetry(
  attempt: FailedAttempt,
  policy: RetryOptions,
  budget?: RetryBudget,
  random: () => number = Math.random,
): RetryDecision {
  const attemptsNote = attempt.attempts > 1 ? `after ${attempt.attempts} attempts` : undefined;
  const safe =
    attempt.replayable && (attempt.unprocessed || attempt.idempotent || IDEMPOTENT_METHODS.has(attempt.method));
  if (policy.maxAttempts <= 1 || !safe) return { retry: false, reason: 'not-idempotent', note: attemptsNote };
  if (!attempt.retryable) return { retry: false, reason: 'not-retryable', note: attemptsNote };
  if (attempt.attempts >= policy.maxAttempts) return { retry: false, reason: 'attempts-exhausted', note: attemptsNote };
  if (budget && !budget.tryAcquire(attempt.kind)) {
    return { retry: false, reason: 'budget-exhausted', note: 'retry budget exhausted' };
  }
  const delayMs =
    attempt.serverDelayMs !== undefined
      ? Math.min(attempt.serverDelayMs, policy.maxRetryAfterMs)
      : fullJitterDelay(attempt.attempts, policy, random);
  if (delayMs >= attempt.remainingMs) {
    return { retry: false, reason: 'past-deadline', note: 'the next retry would pass the deadline' };
  }
  return { retry: true, delayMs };
}

/** A client's retry policy with a call's own `retry` option laid over it. */
export function retryPolicy(base: RetryOptions, override: Partial<RetryOptions> | false | undefined): RetryOptions {
  if (override === undefined) return base;
  if (override === false) return { ...base, maxAttempts: 1 };
  return { ...base, ...override };
}
