import { resetToDelayMs } from './retry.js';

/** A limit of `limit` requests in any `windowMs` milliseconds. */
export interface RateLimit {
  /** Requests allowed in one window. */
  limit: number;
  /** Length of the window in milliseconds. */
  windowMs: number;
}

/** What a server said about a bucket in its `X-RateLimit-*` headers. */
export interface ServerRateLimitState {
  /** `X-RateLimit-Limit`. */
  limit?: number | undefined;
  /** `X-RateLimit-Remaining`. */
  remaining?: number | undefined;
  /** Milliseconds from now until the server's window resets. */
  resetInMs?: number | undefined;
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
  return { limit, remaining, resetInMs: reset === undefined ? undefined : resetToDelayMs(reset, now) };
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/**
 * One named limit. It keeps the start times of the requests of the last window (a
 * sliding log), so no window of that length — and therefore none of the server's
 * fixed windows — ever holds more than `limit` requests.
 */
export class RateLimitBucket {
  /** Name of the bucket, as calls refer to it. */
  readonly name: string;
  #limit: number;
  readonly #windowMs: number;
  /** Start times, oldest first. */
  #log: number[] = [];
  #head = 0;
  /** No request may start before this time (the server said its window is spent). */
  #blockedUntil = 0;

  constructor(name: string, limit: RateLimit) {
    if (!(limit.limit > 0) || !(limit.windowMs > 0))
      throw new RangeError(`rate limit "${name}" needs a positive limit and window`);
    this.name = name;
    this.#limit = limit.limit;
    this.#windowMs = limit.windowMs;
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
    this.#prune(now);
    const blocked = Math.max(0, this.#blockedUntil - now);
    const used = this.#log.length - this.#head;
    if (used < this.#limit) return blocked;
    // The slot frees when the request `used - limit` places from the oldest leaves the window.
    const freeing = this.#log[this.#head + used - this.#limit] as number;
    return Math.max(blocked, freeing + this.#windowMs - now);
  }

  /** Records a request starting at `now`. */
  take(now: number): void {
    this.#log.push(now);
  }

  /**
   * Brings the bucket in step with the server: adopts a lower limit, and when the
   * server counts fewer requests left than the log does (other processes share the
   * key), records the difference so the bucket never outruns the server's window.
   */
  sync(state: ServerRateLimitState, now: number): void {
    if (state.limit !== undefined && state.limit > 0 && state.limit < this.#limit) this.#limit = state.limit;
    if (state.remaining === undefined) return;
    this.#prune(now);
    const resetAt = now + (state.resetInMs ?? this.#windowMs);
    if (state.remaining <= 0) {
      this.#blockedUntil = Math.max(this.#blockedUntil, resetAt);
      return;
    }
    const localRemaining = this.#limit - (this.#log.length - this.#head);
    const missing = Math.min(localRemaining - state.remaining, this.#limit);
    if (missing > 0) {
      // Stand-ins leave the window when the server's window resets.
      const stamp = Math.min(now, resetAt - this.#windowMs);
      const insertAt = this.#log.findIndex((t, i) => i >= this.#head && t > stamp);
      const stamps = new Array<number>(missing).fill(stamp);
      if (insertAt === -1) this.#log.push(...stamps);
      else this.#log.splice(insertAt, 0, ...stamps);
    }
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
 * Named rate-limit buckets. A request names the buckets it counts against and waits
 * until every one of them has a free slot — it never fails for lack of one.
 */
export class RateLimiter {
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
