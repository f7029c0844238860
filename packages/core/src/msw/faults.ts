/** A fault a mock portal answers a request with instead of its real answer. */
export type MockFault =
  /**
   * An error status, with the portal's own error body. A 429 announces `retryAfterMs` in its
   * `Retry-After` and `X-RateLimit-Reset` (default {@link DEFAULT_PLANNED_RETRY_AFTER_MS}).
   */
  | { readonly status: number; readonly retryAfterMs?: number | undefined }
  /** The connection is dropped without an answer. */
  | { readonly drop: true };

/**
 * Decides which requests a mock portal fails: the portal calls `next()` once for every
 * request it receives, in order, and answers with the fault it returns (`undefined`: no fault).
 * Faults chosen this way follow the requests, not the clock, so a slow machine gets the same
 * faults per request as a fast one.
 */
export interface FaultPlan {
  /** The fault for the next request, if any. */
  next(): MockFault | undefined;
}

/** Options of {@link seededFaults}. */
export interface SeededFaultsOptions {
  /** Seed of the draws: the same seed gives the same faults for the same request sequence. */
  seed: number;
  /** Share of requests (0–1) that get a fault. */
  rate: number;
  /** The faults drawn from, equally likely (default: 503, 500, 429 and a dropped connection). */
  faults?: readonly MockFault[] | undefined;
  /**
   * Most faults in a row (default 2): a request after that many faulted ones passes, so a client
   * that retries more often always gets through.
   */
  maxRun?: number | undefined;
  /** Most faults in all (default: no limit). */
  limit?: number | undefined;
}

/** A {@link FaultPlan} that counts what it did. */
export interface SeededFaultPlan extends FaultPlan {
  /** Requests seen so far. */
  readonly requests: number;
  /** Faults given so far. */
  readonly injected: number;
}

/**
 * The wait a planned 429 announces unless its fault says otherwise: a plan spreads faults over
 * a long run, so its 429s ask for short waits.
 */
export const DEFAULT_PLANNED_RETRY_AFTER_MS = 100;

/** The faults {@link seededFaults} draws from by default. */
export const DEFAULT_MOCK_FAULTS: readonly MockFault[] = [
  { status: 503 },
  { status: 500 },
  { status: 429 },
  { drop: true },
];

/** A seeded pseudo-random generator (mulberry32) of numbers in [0, 1): small, fast, replayable. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A {@link FaultPlan} that fails a seeded random share of requests: request N gets the same
 * fault in every run with the same seed, however fast the machine is.
 *
 * @example
 * ```ts
 * portal.faultPlan = seededFaults({ seed: 7, rate: 0.1 }); // one request in ten fails
 * ```
 */
export function seededFaults(options: SeededFaultsOptions): SeededFaultPlan {
  const { rate } = options;
  if (!(rate >= 0 && rate <= 1)) throw new RangeError(`rate must be between 0 and 1, not ${rate}`);
  const faults = options.faults ?? DEFAULT_MOCK_FAULTS;
  if (faults.length === 0) throw new RangeError('faults must name at least one fault');
  const maxRun = options.maxRun ?? 2;
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const draw = seededRandom(options.seed);
  let requests = 0;
  let injected = 0;
  let run = 0;
  return {
    get requests() {
      return requests;
    },
    get injected() {
      return injected;
    },
    next() {
      requests++;
      // Two draws for every request, used or not: request N's draws are the same whatever came before.
      const roll = draw();
      const pick = draw();
      if (roll >= rate || run >= maxRun || injected >= limit) {
        run = 0;
        return undefined;
      }
      run++;
      injected++;
      return faults[Math.min(faults.length - 1, Math.floor(pick * faults.length))];
    },
  };
}
