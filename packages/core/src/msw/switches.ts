import { DEFAULT_PLANNED_RETRY_AFTER_MS, type FaultPlan, type MockFault } from './faults.js';

/**
 * How long an injected 429 asks the client to wait unless the test says otherwise: short, so
 * a test that injects one needs no fake timers, and a whole second, so `Retry-After` stays an
 * integer as HTTP defines it.
 */
export const DEFAULT_INJECTED_RETRY_AFTER_MS = 1000;

/** Options of {@link MockPortalBase.injectFailures}. */
export interface InjectedFailureOptions<D> {
  /**
   * For a 429: the wait its `Retry-After` and `X-RateLimit-Reset` announce, in milliseconds
   * (default {@link DEFAULT_INJECTED_RETRY_AFTER_MS}). The portal's own window is not touched.
   */
  retryAfterMs?: number | undefined;
  /** What the portal needs to build its answer (an error message, an error code, a body). */
  detail?: D | undefined;
}

/** A failure a mock answers one request with instead of its real answer. */
export interface InjectedFailure<D> {
  /** Status to answer with. */
  readonly status: number;
  /** The wait an injected 429 announces, in milliseconds. */
  readonly retryAfterMs: number;
  /** The portal's detail given with `failNext`; `undefined` for a planned fault. */
  readonly detail: D | undefined;
  /** `queued` from `failNext`, `plan` from the {@link MockPortalBase.faultPlan}. */
  readonly source: 'queued' | 'plan';
}

/** What a mock does with one request instead of answering normally. */
export type InjectedFault<D> = { readonly drop: true } | InjectedFailure<D>;

function checkCount(count: number): void {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a whole number ≥ 0, not ${count}`);
}

function checkWait(ms: number): void {
  if (!(ms >= 0 && Number.isFinite(ms))) throw new RangeError(`retryAfterMs must be a finite number ≥ 0, not ${ms}`);
}

/**
 * What every bundled mock portal has besides its rules: the request log and the fault
 * switches (latency, failures and dropped connections on demand, a per-request fault plan).
 * A portal's mock extends it with its own request record `R` and failure detail `D`, and
 * decides where in its answer the faults apply.
 */
export abstract class MockPortalBase<R, D = undefined> {
  /** Every request received, in order; what the record holds is the portal's. */
  requests: R[] = [];
  /** Delay before every answer, in milliseconds. */
  latencyMs = 0;
  /**
   * Faults chosen per request (e.g. `seededFaults({ seed, rate })` from `@sync/core/msw`),
   * after the `failNext`/`dropNext` switches; asked once for every request.
   */
  faultPlan: FaultPlan | undefined;

  #failures: InjectedFailure<D>[] = [];
  #drops = 0;

  /** Drops the connection of the next `count` requests without an answer. */
  dropNext(count: number): void {
    checkCount(count);
    this.#drops += count;
  }

  /** Answers every request `ms` milliseconds late. */
  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  /** Failures armed by `failNext` and not answered yet. */
  get pendingFailures(): number {
    return this.#failures.length;
  }

  /**
   * Arms the next `count` requests to fail with `status`; each portal's `failNext` calls
   * this with its own detail. A 429 announces `retryAfterMs`.
   */
  protected injectFailures(count: number, status: number, options: InjectedFailureOptions<D> = {}): void {
    checkCount(count);
    const retryAfterMs = options.retryAfterMs ?? DEFAULT_INJECTED_RETRY_AFTER_MS;
    checkWait(retryAfterMs);
    for (let i = 0; i < count; i++) {
      this.#failures.push({ status, retryAfterMs, detail: options.detail, source: 'queued' });
    }
  }

  /** Waits {@link latencyMs}. */
  protected async applyLatency(): Promise<void> {
    const ms = this.latencyMs;
    if (ms > 0) await new Promise<void>((resolve) => setTimeout(resolve, ms));
  }

  /** Asks the fault plan once, for one request. */
  protected drawPlannedFault(): MockFault | undefined {
    return this.faultPlan?.next();
  }

  /** Uses up one `dropNext` switch, if armed. */
  protected takeDrop(): boolean {
    if (this.#drops === 0) return false;
    this.#drops--;
    return true;
  }

  /** Uses up one `failNext` failure, if armed. */
  protected takeQueuedFailure(): InjectedFailure<D> | undefined {
    return this.#failures.shift();
  }

  /**
   * The fault for one request, in the order every mock applies them: the plan is asked once,
   * then an armed drop, an armed failure, and the plan's fault come first in that order.
   */
  protected nextFault(): InjectedFault<D> | undefined {
    const planned = this.drawPlannedFault();
    if (this.takeDrop()) return { drop: true };
    const queued = this.takeQueuedFailure();
    if (queued) return queued;
    return planned ? plannedFailure<D>(planned) : undefined;
  }

  /** Empties the request log and clears every switch and the plan. */
  protected resetMock(): void {
    this.requests.length = 0;
    this.latencyMs = 0;
    this.faultPlan = undefined;
    this.#failures = [];
    this.#drops = 0;
  }
}

/** A planned {@link MockFault} as the fault a mock applies. */
export function plannedFailure<D>(fault: MockFault): InjectedFault<D> {
  if ('drop' in fault) return { drop: true };
  const retryAfterMs = fault.retryAfterMs ?? DEFAULT_PLANNED_RETRY_AFTER_MS;
  return { status: fault.status, retryAfterMs, detail: undefined, source: 'plan' };
}
