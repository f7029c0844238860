/** A limit of `limit` requests per fixed window of `windowMs` milliseconds. */
export interface MockRateLimit {
  /** Requests allowed per window. */
  limit: number;
  /** Window length in milliseconds. */
  windowMs: number;
}

/** Options of {@link MockRateWindow}. */
export interface MockRateWindowOptions {
  /** The portal's clock (default: `Date.now()`, read at every request, so fake timers move it). */
  now?: (() => number) | undefined;
  /**
   * `clock`: windows start at multiples of `windowMs` on the clock; `first-request` (default):
   * a window starts with the first request after the previous one ended.
   */
  align?: 'clock' | 'first-request' | undefined;
}

/** Where a {@link MockRateWindow} stands after a request. */
export interface MockRateState {
  /** Requests allowed per window. */
  limit: number;
  /** Requests left in the current window. */
  remaining: number;
  /** When the current window ends (portal clock, ms). */
  resetAt: number;
  /** The clock reading the state was taken at. */
  now: number;
  /** Whether the request was refused because the window was used up. */
  limited: boolean;
}

/**
 * A portal's fixed-window rate limit: counts requests, refuses them once the window is used
 * up, and says what remains and when the window ends, for the `X-RateLimit-*` headers
 * ({@link rateLimitHeaders}). The limit may be a function, read at every request, for a
 * portal whose limit a test may change.
 */
export class MockRateWindow {
  readonly #limit: () => MockRateLimit;
  readonly #now: () => number;
  readonly #align: 'clock' | 'first-request';
  #start = Number.NEGATIVE_INFINITY;
  #count = 0;

  constructor(limit: MockRateLimit | (() => MockRateLimit), options: MockRateWindowOptions = {}) {
    this.#limit = typeof limit === 'function' ? limit : () => limit;
    this.#now = options.now ?? (() => Date.now());
    this.#align = options.align ?? 'first-request';
  }

  #roll(now: number, windowMs: number): void {
    if (now < this.#start + windowMs) return;
    this.#start = this.#align === 'clock' ? Math.floor(now / windowMs) * windowMs : now;
    this.#count = 0;
  }

  #state(now: number, limited: boolean): MockRateState {
    const { limit, windowMs } = this.#limit();
    return { limit, remaining: Math.max(0, limit - this.#count), resetAt: this.#start + windowMs, now, limited };
  }

  /** Where the window stands, without counting a request. */
  peek(): MockRateState {
    const now = this.#now();
    this.#roll(now, this.#limit().windowMs);
    return this.#state(now, this.#count >= this.#limit().limit);
  }

  /** Counts one request, or refuses it (`limited`) when the window is used up. */
  take(): MockRateState {
    const now = this.#now();
    const { limit, windowMs } = this.#limit();
    this.#roll(now, windowMs);
    if (this.#count >= limit) return this.#state(now, true);
    this.#count++;
    return this.#state(now, false);
  }

  /** Forgets every request counted. */
  reset(): void {
    this.#start = Number.NEGATIVE_INFINITY;
    this.#count = 0;
  }
}

/** How a portal writes its `X-RateLimit-*` headers. */
export interface RateHeaderFormat {
  /** `X-RateLimit-Reset` as Unix seconds (`unix-seconds`) or as whole seconds from now, at least 1 (`seconds`). */
  reset: 'unix-seconds' | 'seconds';
  /** `unix-seconds` rounded up to the whole second, as servers that count in seconds send it (default: to the millisecond). */
  wholeSeconds?: boolean | undefined;
  /** Send `X-RateLimit-Reset` only once nothing remains (default: always). */
  resetWhenExhausted?: boolean | undefined;
  /** Send `Retry-After` with a refused request (default: no). */
  retryAfterWhenLimited?: boolean | undefined;
}

/** Seconds as a header value: whole when whole, else to the millisecond. */
export function secondsHeader(ms: number): string {
  const seconds = ms / 1000;
  return Number.isInteger(seconds) ? String(seconds) : String(Number(seconds.toFixed(3)));
}

/** The `X-RateLimit-*` (and, when refused, `Retry-After`) headers of a {@link MockRateState}. */
export function rateLimitHeaders(state: MockRateState, format: RateHeaderFormat): Record<string, string> {
  const untilReset = Math.max(0, state.resetAt - state.now);
  const wholeSeconds = String(Math.max(1, Math.ceil(untilReset / 1000)));
  const headers: Record<string, string> = {
    'x-ratelimit-limit': String(state.limit),
    'x-ratelimit-remaining': String(state.limited ? 0 : state.remaining),
  };
  if (!format.resetWhenExhausted || state.limited || state.remaining === 0) {
    const resetAt = format.wholeSeconds ? Math.ceil(state.resetAt / 1000) * 1000 : state.resetAt;
    headers['x-ratelimit-reset'] = format.reset === 'unix-seconds' ? secondsHeader(resetAt) : wholeSeconds;
  }
  if (state.limited && format.retryAfterWhenLimited) headers['retry-after'] = wholeSeconds;
  return headers;
}

/**
 * The headers of an injected 429: `Retry-After` is the wait the test chose, and the
 * `X-RateLimit-*` headers agree with it (nothing remains until then), so a client that keeps
 * its buckets in step with the server waits that long and no longer. The portal's own window
 * (`state`, when it has one) is left as it is.
 */
export function injected429Headers(
  retryAfterMs: number,
  now: number,
  state: MockRateState | undefined,
  format: RateHeaderFormat,
): Record<string, string> {
  const headers: Record<string, string> = { 'retry-after': secondsHeader(retryAfterMs) };
  if (!state) return headers;
  headers['x-ratelimit-limit'] = String(state.limit);
  headers['x-ratelimit-remaining'] = '0';
  headers['x-ratelimit-reset'] =
    format.reset === 'unix-seconds' ? secondsHeader(now + retryAfterMs) : secondsHeader(retryAfterMs);
  return headers;
}
