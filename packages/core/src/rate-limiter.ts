import { resetToDelayMs } from './retry.js';

/** A limit of `limit` requests in any `windowMs` milliseconds. */
export interface RateLimit {
  /**
   * Requests allowed in one window. `Infinity` makes a bucket that holds calls only
   * when the server's `X-RateLimit-*` headers say nothing remains, for a portal that
   * publishes no limit.
   */
  limit: number;
  /** Length of the window in milliseconds; also the longest reset a server can announce (plus a margin). */
  windowMs: number;
}

/** The lowest limit a server's `X-RateLimit-Limit` can impose, as a fraction of the configured limit. */
export const MIN_SERVER_LIMIT_FRACTION = 0.1;

/** What a server said about a bucket in its `X-RateLimit-*` headers. */
export interface ServerRateLimitState {
  /** `X-RateLimit-Limit`. */
  limit?: number | undefined;
  /** `X-RateLimit-Remaining`. */
  remaining?: number | undefined;
  /** Milliseconds from now until the server's window resets. */
  resetInMs?: number | undefined;
  /**
   * How coarse the reset is, in milliseconds: `1000` when the header carries whole
   * seconds, which a server must round up, so the window may really end up to a second
   * sooner (see {@link RateLimitBucket}).
   */
  resetGranularityMs?: number | undefined;
}

/** Reads `X-RateLimit-Limit/Remaining/Reset`; `undefined` when the response has none. */
export function readRateLimitHeaders(headers: Headers, now: number = Date.now()): ServerRateLimitState | undefined {
  const num = (name: string): number | undefined => {
    const raw = headers.get(name);
    if (raw === null || raw.trim() === '') return undefined;
    const value = Number(raw);
    return Number.isFinite(value) && value >= 0 ? value : undefined;
  };
  const limit = num('x-ratelimit-limit');
  const remaining = num('x-ratelimit-remaining');
  const reset = num('x-ratelimit-reset');
  if (limit === undefined && remaining === undefined && reset === undefined) return undefined;
  return {
    limit,
    remaining,
    resetInMs: reset === undefined ? undefined : resetToDelayMs(reset, now),
    ...(reset !== undefined && Number.isInteger(reset) && { resetGranularityMs: 1000 }),
  };
}

/** A header value the bucket can use: a finite number, not negative. */
function usable(value: number | undefined): value is number {
  return value !== undefined && value >= 0 && value < Number.POSITIVE_INFINITY;
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/**
 * One named limit.
 *
 * Until the server says otherwise it keeps the start times of the last window's
 * requests (a sliding log), so no window of that length — and therefore none of a
 * server's fixed windows — ever holds more than `limit` requests. Once a response
 * carries `X-RateLimit-Remaining` and `X-RateLimit-Reset`, the server's window is
 * authoritative: the bucket spends what the server says remains (less the requests
 * still in flight, which the server may not have counted yet) until the announced
 * reset, and then a fresh window, until the next response corrects it.
 *
 * A reset in whole seconds is rounded up by the server, so the window may end up to a
 * second before it. The bucket notes when each server window began — the first answer
 * that shows a later reset, or a remaining count that jumped back up — and, when that
 * start plus the configured window falls inside the second the header names, starts
 * the next window there rather than at the rounded reset. That is never early when the
 * configured window is the server's: the request that opened the server's window
 * arrived before that first answer came back.
 *
 * What a server says is clamped, so one wrong answer cannot stall a client for good:
 * a limit is a whole number between {@link MIN_SERVER_LIMIT_FRACTION} of the
 * configured limit and the configured limit, the remaining count lies between 0 and
 * the limit, and a reset is at most one window and a margin away (a second, or one
 * more window when the window is shorter than a second).
 */
export class RateLimitBucket {
  /** Name of the bucket, as calls refer to it. */
  readonly name: string;
  #limit: number;
  /** The configured limit: the highest the server can raise the bucket to again. */
  readonly #configured: number;
  /** The lowest limit a server can impose. */
  readonly #floor: number;
  readonly #windowMs: number;
  /** Slack after a server reset, for clock granularity. */
  readonly #marginMs: number;
  /** The furthest reset a server can announce. */
  readonly #maxResetMs: number;
  /** Start times, oldest first. */
  #log: number[] = [];
  #head = 0;
  /** Requests taken and not yet released. */
  #inFlight = 0;
  /** The server's current window, once it has described one. */
  #server: { available: number; resetAt: number } | undefined;
  /** The reset the server announces for its current window, and when the first answer of that window came. */
  #window: { reported: number; firstSeenAt: number } | undefined;
  /** The remaining count of the last answer, to see it jump back up when a window resets. */
  #lastRemaining: number | undefined;

  constructor(name: string, limit: RateLimit) {
    if (!(limit.limit > 0) || !(limit.windowMs > 0) || !Number.isFinite(limit.windowMs))
      throw new RangeError(`rate limit "${name}" needs a positive limit and a positive, finite window`);
    this.name = name;
    this.#limit = limit.limit;
    this.#configured = limit.limit;
    this.#floor = Math.max(1, Math.ceil(limit.limit * MIN_SERVER_LIMIT_FRACTION));
    this.#windowMs = limit.windowMs;
    this.#marginMs = Math.min(50, limit.windowMs / 100);
    this.#maxResetMs = limit.windowMs + Math.min(limit.windowMs, 1000);
  }

  /** The limit currently enforced. */
  get limit(): number {
    return this.#limit;
  }

  #prune(now: number): void {
    const from = now - this.#windowMs;
    while (this.#head < this.#log.length && (this.#log[this.#head] as number) <= from) this.#head++;
    if (this.#head > 1024 && this.#head * 2 > this.#log.length) {
      this.#log = this.#log.slice(this.#head);
      this.#head = 0;
    }
  }

  /** Milliseconds until a request may start; `0` when it may start now. */
  waitTime(now: number): number {
    const server = this.#server;
    if (server) {
      if (now >= server.resetAt + this.#marginMs) {
        // The server's window has reset; assume a full one until a response says more.
        server.available = this.#limit - this.#inFlight;
        server.resetAt = now + this.#windowMs;
      }
      return server.available > 0 ? 0 : Math.max(1, server.resetAt + this.#marginMs - now);
    }
    this.#prune(now);
    const used = this.#log.length - this.#head;
    if (used < this.#limit) return 0;
    // The slot frees when the request `used - limit` places from the oldest leaves the window.
    const freeing = this.#log[this.#head + used - this.#limit] as number;
    return freeing + this.#windowMs - now;
  }

  /** Records a request starting at `now`; {@link release} it when its attempt ends. */
  take(now: number): void {
    if (this.#configured !== Number.POSITIVE_INFINITY) {
      // Once the server leads, waitTime no longer prunes: keep the log to one window here.
      if (this.#server) this.#prune(now);
      this.#log.push(now);
    }
    this.#inFlight++;
    if (this.#server) this.#server.available--;
  }

  /** Records that a request taken earlier has its answer (or failed). */
  release(): void {
    if (this.#inFlight > 0) this.#inFlight--;
  }

  /**
   * Brings the bucket in step with a response's `X-RateLimit-*` state, read while the
   * request that got it still counts as in flight: adopts the server's limit (never
   * above the configured one), and takes the server's remaining count and reset time
   * as the truth — each clamped to sane bounds (see {@link RateLimitBucket}). A bucket
   * configured with an infinite limit ignores the server's limit and follows only
   * what remains.
   */
  sync(state: ServerRateLimitState, now: number): void {
    if (usable(state.limit) && this.#configured !== Number.POSITIVE_INFINITY) {
      this.#limit = Math.min(this.#configured, Math.max(this.#floor, Math.floor(state.limit)));
    }
    if (!usable(state.remaining)) return;
    const remaining = Math.min(this.#limit, Math.floor(state.remaining));
    const resetInMs = usable(state.resetInMs) ? Math.min(state.resetInMs, this.#maxResetMs) : this.#windowMs;
    // Other requests in flight may not be counted in `remaining` yet.
    const uncounted = Math.max(0, this.#inFlight - 1);
    this.#server = {
      available: remaining - uncounted,
      resetAt: this.#trueReset(state, remaining, now + resetInMs, now),
    };
  }
  /**
   * When the current server window really ends: `reported` (the header's reset), or
   * sooner when the header is coarse and the window's observed start plus the
   * configured window falls inside the header's last unit.
   */
  #trueReset(state: ServerRateLimitState, remaining: number, reported: number, now: number): number {
    const window = this.#window;
    // Answers overtaking each other can raise the count by as many requests as are in flight; a new window raises it more.
    const jumped = this.#lastRemaining !== undefined && remaining - this.#lastRemaining > this.#inFlight;
    this.#lastRemaining = remaining;
    // Answers of an older window arrive late sometimes: only a later reset, or a jump within it, opens a new one.
    if (!window || reported > window.reported || (jumped && reported === window.reported)) {
      this.#window = { reported, firstSeenAt: now };
    }
    const granularity = state.resetGranularityMs;
    // A reset cut to the longest allowed says nothing about when the window began.
    if (!usable(state.resetInMs) || state.resetInMs > this.#maxResetMs) return reported;
    if (granularity === undefined || !(granularity > 0)) return reported;
    const estimate = (this.#window as { firstSeenAt: number }).firstSeenAt + this.#windowMs;
    return estimate < reported && estimate > reported - granularity ? estimate : reported;
  }
}

/** Handed to {@link RateLimiter.acquire} callers when they had to wait. */
export interface RateLimitWait {
  /** The bucket that made the request wait longest. */
  bucket: string;
  /** How long the request waited, in milliseconds. */
  waitedMs: number;
}

/**
 * What an `HttpClient` needs of a rate limiter: {@link RateLimiter}, or one whose
 * buckets several processes share (a Redis-backed limiter for a fleet of workers), so
 * that a portal's per-account limit holds however many clients send for that account.
 */
export interface SharedRateLimiter {
  /**
   * Waits until each named bucket has a free slot, then takes one in each (unknown
   * names are ignored); rejects with the signal's reason on abort, or a `TimeoutError`
   * `DOMException` once `deadline` (epoch milliseconds) passes.
   */
  acquire(names: readonly string[], signal?: AbortSignal, deadline?: number): Promise<RateLimitWait | undefined>;
  /** Ends the requests taken in the named buckets (once per acquired slot). */
  release(names: readonly string[]): void;
  /** Feeds a response's `X-RateLimit-*` state to the named bucket. */
  sync(name: string, state: ServerRateLimitState): void;
}

/**
 * Named rate-limit buckets. A request names the buckets it counts against and waits
 * until every one of them has a free slot — it never fails for lack of one.
 *
 * @example Two clients of one account share its limit of 300 requests a minute
 * ```ts
 * const limiter = new RateLimiter({ default: { limit: 300, windowMs: 60_000 } });
 * const reader = new HttpClient({ portal: 'acme', baseUrl: 'https://api.acme.example/v1', rateLimiter: limiter });
 * const writer = new HttpClient({ portal: 'acme', baseUrl: 'https://api.acme.example/v1', rateLimiter: limiter });
 * ```
 */
export class RateLimiter implements SharedRateLimiter {
  readonly #buckets = new Map<string, RateLimitBucket>();
  /** Requests waiting, in arrival order, so slots are handed out fairly. */
  #queue: Promise<void> = Promise.resolve();
  readonly #now: () => number;

  constructor(limits: Record<string, RateLimit> = {}, now: () => number = Date.now) {
    this.#now = now;
    for (const [name, limit] of Object.entries(limits)) this.#buckets.set(name, new RateLimitBucket(name, limit));
  }

  /** The bucket named `name`, if configured. */
  bucket(name: string): RateLimitBucket | undefined {
    return this.#buckets.get(name);
  }

  /** Names of all configured buckets. */
  get names(): string[] {
    return [...this.#buckets.keys()];
  }

  /**
   * Waits until each named bucket has a free slot, then takes one in each. Unknown
   * names are ignored. Resolves with the wait, or `undefined` when there was none;
   * rejects with the signal's reason on abort, or a `TimeoutError` `DOMException`
   * once `deadline` (epoch milliseconds) passes.
   */
  acquire(names: readonly string[], signal?: AbortSignal, deadline?: number): Promise<RateLimitWait | undefined> {
    const buckets: RateLimitBucket[] = [];
    for (const name of names) {
      const bucket = this.#buckets.get(name);
      if (bucket) buckets.push(bucket);
    }
    if (buckets.length === 0) return Promise.resolve(undefined);
    const start = this.#now();
    const turn = this.#queue.then(() => this.#waitForSlots(buckets, start, signal, deadline));
    // The next request waits for this one's turn, whether it got its slot or was aborted.
    this.#queue = turn.then(
      () => undefined,
      () => undefined,
    );
    return signal ? raceAbort(turn, signal) : turn;
  }

  async #waitForSlots(
    buckets: RateLimitBucket[],
    start: number,
    signal: AbortSignal | undefined,
    deadline: number | undefined,
  ): Promise<RateLimitWait | undefined> {
    let slowest: string | undefined;
    for (;;) {
      if (signal?.aborted) throw abortError(signal);
      const now = this.#now();
      if (deadline !== undefined && now >= deadline)
        throw new DOMException('The deadline passed while waiting for a rate-limit slot', 'TimeoutError');
      let wait = 0;
      for (const bucket of buckets) {
        const w = bucket.waitTime(now);
        if (w > wait) {
          wait = w;
          slowest = bucket.name;
        }
      }
      if (wait <= 0) {
        for (const bucket of buckets) bucket.take(now);
        return slowest === undefined ? undefined : { bucket: slowest, waitedMs: now - start };
      }
      await sleep(deadline === undefined ? wait : Math.max(0, Math.min(wait, deadline - now)), signal);
    }
  }

  /** Ends the requests taken in the named buckets (call once per acquired slot). */
  release(names: readonly string[]): void {
    for (const name of names) this.#buckets.get(name)?.release();
  }

  /** Feeds a response's `X-RateLimit-*` state to the named bucket. */
  sync(name: string, state: ServerRateLimitState): void {
    this.#buckets.get(name)?.sync(state, this.#now());
  }
}

/** Settles as `promise` does, or rejects as soon as `signal` aborts. */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortError(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Resolves after `ms` milliseconds, or rejects with the signal's reason when it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal as AbortSignal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
