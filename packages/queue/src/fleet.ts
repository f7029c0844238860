import { type BatchProgress, REMOVED, type SyncReport, SyncState } from '@sync/core';
import { DelayedError, type Job, Queue, Worker } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import type { FleetConfig, PortalConfig, RoundContext } from './config.js';
import { createLeases } from './lease.js';
import { type FleetMetrics, type QueueDepth, readCounters, readLag, recordRound, toPrometheus } from './metrics.js';
import { RedisRateLimiter, RoundDeferral } from './rate-limiter.js';

/** What a round job holds: names only, never credentials (BullMQ keeps job data in clear text in Redis). */
export interface RoundJobData {
  /** The agency whose listings the round syncs. */
  agency: string;
}

/** Where a round is, as its job's progress shows it. */
export interface RoundProgress extends BatchProgress {
  agency: string;
  portal: string;
}

/** What a round job returns: the report's totals, or why it stopped before sending. */
export interface RoundSummary {
  agency: string;
  portal: string;
  /** `completed`, or `guarded` when the mass-removal guard stopped it (nothing was sent). */
  status: 'completed' | 'guarded';
  /** Listings read from the CRM. */
  listings: number;
  created: number;
  updated: number;
  unchanged: number;
  removed: number;
  failed: number;
  skipped: number;
  /** Removals the round would have made, when guarded. */
  wouldRemove?: number | undefined;
  /** HTTP attempts the round sent. */
  requests: number;
  durationMs: number;
}

/** Options of {@link SyncFleet.worker}. */
export interface FleetWorkerOptions {
  /** Portals this worker takes rounds of (default: every configured one). */
  portals?: readonly string[] | undefined;
  /** Rounds at once per portal queue (default 4). */
  concurrency?: number | undefined;
  /**
   * How long a round's lock lasts without renewal, in ms (default 30 s). A round whose
   * lock was not renewed within this time, less a margin, stops sending: by then another
   * worker may take it over.
   */
  lockDurationMs?: number | undefined;
  /** How often stalled rounds (their worker died) are looked for, in ms (default 30 s). */
  stalledIntervalMs?: number | undefined;
}

/** Workers started by {@link SyncFleet.worker}: one BullMQ worker per portal queue. */
export interface FleetWorker {
  /** The BullMQ workers, by portal. */
  readonly workers: ReadonlyMap<string, Worker<RoundJobData, RoundSummary | undefined>>;
  /** Lets the rounds under way finish, then stops. */
  close(): Promise<void>;
}

const ROUND = 'round';
const TICK = 'tick';

/**
 * A fleet of agencies synced continuously on BullMQ: one queue per portal, one round job
 * per (agency, portal) — deduplicated, so at most one runs and a trigger that arrives
 * during a round runs once after it — schedulers that re-enqueue rounds on an interval,
 * workers that run the portal package's sync call against the shared state, rate limits
 * per agency shared by every worker through Redis, and metrics.
 *
 * @example
 * const fleet = new SyncFleet(config);
 * await fleet.schedule('agency-42', 5 * 60_000);
 * const worker = fleet.worker({ concurrency: 8 });
 * process.on('SIGTERM', () => void worker.close().then(() => fleet.close()));
 */
export class SyncFleet {
  /** The configuration the fleet runs on. */
  readonly config: FleetConfig;
  /** The fleet's own connection (limiters, leases, counters). */
  readonly redis: Redis;
  readonly #queues = new Map<string, Queue<RoundJobData, RoundSummary | undefined>>();
  readonly #prefix: string;

  constructor(config: FleetConfig) {
    this.config = config;
    this.#prefix = config.prefix ?? 'sync';
    this.redis = new Redis({ ...config.redis, maxRetriesPerRequest: null } as RedisOptions);
    // Connection errors are retried by ioredis; the commands waiting on them fail on their own.
    this.redis.on('error', () => undefined);
  }

  /** BullMQ's connection options (each queue and worker opens its own connections). */
  #connection(): { [key: string]: unknown } {
    return { ...this.config.redis, maxRetriesPerRequest: null };
  }

  /** The portals configured. */
  get portals(): string[] {
    return Object.keys(this.config.portals);
  }

  #portal(name: string): PortalConfig {
    const portal = this.config.portals[name];
    if (!portal) throw new RangeError(`no portal "${name}" is configured (have: ${this.portals.join(', ')})`);
    return portal;
  }

  /** The queue of one portal. */
  queue(portal: string): Queue<RoundJobData, RoundSummary | undefined> {
    this.#portal(portal);
    let queue = this.#queues.get(portal);
    if (!queue) {
      queue = new Queue<RoundJobData, RoundSummary | undefined>(portal, {
        connection: this.#connection(),
        prefix: this.#prefix,
        defaultJobOptions: {
          removeOnComplete: 1000,
          removeOnFail: 5000,
          attempts: 5,
          backoff: { type: 'exponential', delay: 1000 },
        },
      });
      this.#queues.set(portal, queue);
    }
    return queue;
  }

  /**
   * Asks for a round of `agency` on each portal (default: all). A round already waiting
   * absorbs the trigger; one under way is followed by exactly one more.
   */
  async enqueue(agency: string, portals: readonly string[] = this.portals): Promise<void> {
    await Promise.all(
      portals.map((portal) =>
        this.queue(portal).add(ROUND, { agency }, { deduplication: { id: agency, keepLastIfActive: true } }),
      ),
    );
  }

  /** Re-enqueues rounds of `agency` every `everyMs` on each portal (default: all); replaces an earlier schedule. */
  async schedule(agency: string, everyMs: number, portals: readonly string[] = this.portals): Promise<void> {
    if (!(everyMs > 0)) throw new RangeError(`a schedule needs a positive interval (got ${everyMs})`);
    await Promise.all(
      portals.map((portal) =>
        this.queue(portal).upsertJobScheduler(agency, { every: everyMs }, { name: TICK, data: { agency } }),
      ),
    );
  }

  /** Stops the schedule of `agency`. */
  async unschedule(agency: string, portals: readonly string[] = this.portals): Promise<void> {
    await Promise.all(portals.map((portal) => this.queue(portal).removeJobScheduler(agency)));
  }

  /** Starts workers on the portal queues. */
  worker(options: FleetWorkerOptions = {}): FleetWorker {
    const lockDuration = options.lockDurationMs ?? 30_000;
    const workers = new Map<string, Worker<RoundJobData, RoundSummary | undefined>>();
    for (const portal of options.portals ?? this.portals) {
      this.#portal(portal);
      /** Rounds under way, with the time their lock was last renewed. */
      const running = new Map<string, { controller: AbortController; renewedAt: number }>();
      const worker = new Worker<RoundJobData, RoundSummary | undefined>(
        portal,
        (job, token, signal) => this.#process(portal, job, token, signal, running, lockDuration),
        {
          connection: this.#connection(),
          prefix: this.#prefix,
          concurrency: options.concurrency ?? 4,
          lockDuration,
          stalledInterval: options.stalledIntervalMs ?? 30_000,
          maxStalledCount: 10,
        },
      );
      worker.on('locksRenewed', ({ jobIds }) => {
        const now = Date.now();
        for (const id of jobIds) {
          const round = running.get(id);
          if (round) round.renewedAt = now;
        }
      });
      worker.on('lockRenewalFailed', (jobIds) => {
        for (const id of jobIds) running.get(id)?.controller.abort(new Error(`the lock of round ${id} was lost`));
      });
      // Errors of the connection are retried by BullMQ; keep them from crashing the process.
      worker.on('error', () => undefined);
      workers.set(portal, worker);
    }
    return {
      workers,
      close: async () => {
        await Promise.all([...workers.values()].map((w) => w.close()));
      },
    };
  }

  async #process(
    portal: string,
    job: Job<RoundJobData, RoundSummary | undefined>,
    token: string | undefined,
    signal: AbortSignal | undefined,
    running: Map<string, { controller: AbortController; renewedAt: number }>,
    lockDuration: number,
  ): Promise<RoundSummary | undefined> {
    const { agency } = job.data;
    if (job.name === TICK) {
      await this.enqueue(agency, [portal]);
      return undefined;
    }
    const controller = new AbortController();
    const id = job.id as string;
    const round = { controller, renewedAt: Date.now() };
    running.set(id, round);
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    // Stop sending before the lock can expire and another worker take the round over.
    const margin = Math.min(5000, lockDuration / 5);
    const watchdog = setInterval(
      () => {
        if (Date.now() - round.renewedAt > lockDuration - margin)
          controller.abort(new Error(`the lock of round ${id} was not renewed in time`));
      },
      Math.max(50, margin / 2),
    );
    const counters = { requests: 0, rateLimited: 0, retries: 0 };
    const started = Date.now();
    try {
      const summary = await this.#round(portal, agency, job, controller, counters, lockDuration);
      await recordRound(this.redis, this.#prefix, portal, {
        agency,
        status: summary.status,
        ...counters,
        items: summary.status === 'completed' ? summary.listings + summary.removed : 0,
        writes: summary.created + summary.updated + summary.removed,
      });
      return { ...summary, requests: counters.requests, durationMs: Date.now() - started };
    } catch (error) {
      const reason = controller.signal.reason;
      if (reason instanceof RoundDeferral && token !== undefined) {
        await recordRound(this.redis, this.#prefix, portal, {
          agency,
          status: 'deferred',
          ...counters,
          items: 0,
          writes: 0,
        });
        await job.moveToDelayed(reason.retryAt, token);
        throw new DelayedError(reason.message);
      }
      await recordRound(this.redis, this.#prefix, portal, {
        agency,
        status: 'failed',
        ...counters,
        items: 0,
        writes: 0,
      });
      throw error;
    } finally {
      clearInterval(watchdog);
      signal?.removeEventListener('abort', onAbort);
      running.delete(id);
    }
  }

  async #round(
    portal: string,
    agency: string,
    job: Job<RoundJobData, RoundSummary | undefined>,
    controller: AbortController,
    counters: { requests: number; rateLimited: number; retries: number },
    lockDuration: number,
  ): Promise<RoundSummary> {
    const config = this.#portal(portal);
    const signal = controller.signal;
    const state = new SyncState((await this.config.store).forAccount(agency), portal);
    const listings = await this.config.listings(agency, { portal, signal });
    const base = { agency, portal, listings: listings.length, requests: 0, durationMs: 0 };

    // The mass-removal guard: what the state has live on the portal against what the CRM gave.
    const known = await state.fingerprints();
    const ids = new Set(listings.map((l) => l.id));
    let live = 0;
    let missing = 0;
    for (const [key, print] of known) {
      if (print === REMOVED) continue;
      live++;
      if (!ids.has(key)) missing++;
    }
    const share = this.config.maxRemovalShare ?? 0.2;
    if (missing > 0 && missing > share * live) {
      return {
        ...base,
        status: 'guarded',
        created: 0,
        updated: 0,
        unchanged: 0,
        removed: 0,
        failed: 0,
        skipped: listings.length,
        wouldRemove: missing,
      };
    }

    const rateLimiter = new RedisRateLimiter({
      redis: this.redis,
      key: `${this.#prefix}:rl:${portal}:${agency}`,
      limits: config.limits,
      maxWaitMs: this.config.maxWaitMs ?? 5000,
      onDefer: (deferral) => controller.abort(deferral),
    });
    // A lease lasts as long as the round's lock: a round that lost its lock has stopped sending.
    const leases = createLeases({
      redis: this.redis,
      key: `${this.#prefix}:lease:${portal}:${agency}`,
      ttlMs: lockDuration,
      signal,
    });
    const unsubscribe: Array<() => void> = [];
    const context: RoundContext = {
      agency,
      portal,
      state,
      rateLimiter,
      guardCreate: leases.guard,
      signal,
      observe(http) {
        unsubscribe.push(
          http.on('request', () => counters.requests++),
          http.on('retry', () => counters.retries++),
          http.on('response', (e) => {
            if (e.status === 429) counters.rateLimited++;
          }),
        );
      },
    };
    let lastProgress = 0;
    let report: SyncReport;
    try {
      const target = await config.target(agency, context);
      report = await target.sync(listings, {
        signal,
        onProgress: (p) => {
          const now = Date.now();
          if (now - lastProgress < 250 && p.done < p.total) return;
          lastProgress = now;
          const progress: RoundProgress = { ...p, agency, portal };
          void job.updateProgress(progress).catch(() => undefined);
        },
      });
    } finally {
      await leases.releaseAll().catch(() => undefined);
      for (const off of unsubscribe) off();
    }
    // A round stopped part-way (lock lost, deferred) ends as an error: what it sent is recorded.
    if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason));
    if (this.config.onItemFailure) {
      for (const item of report.items) {
        if (item.action === 'failed')
          await this.config.onItemFailure({ agency, portal, key: item.key, reason: item.reason ?? 'failed' });
      }
    }
    return {
      ...base,
      status: 'completed',
      created: report.created,
      updated: report.updated,
      unchanged: report.unchanged,
      removed: report.removed,
      failed: report.failed,
      skipped: report.skipped,
    };
  }

  /** Queue depth by state, counters and sync lag of every portal, summed over the fleet. */
  async metrics(): Promise<FleetMetrics> {
    const portals: FleetMetrics['portals'] = {};
    const lagSeconds: FleetMetrics['lagSeconds'] = {};
    for (const portal of this.portals) {
      const counts = await this.queue(portal).getJobCounts(
        'waiting',
        'active',
        'delayed',
        'failed',
        'completed',
        'prioritized',
      );
      const queue = {
        waiting: counts.waiting ?? 0,
        active: counts.active ?? 0,
        delayed: counts.delayed ?? 0,
        failed: counts.failed ?? 0,
        completed: counts.completed ?? 0,
        prioritized: counts.prioritized ?? 0,
      } satisfies QueueDepth;
      portals[portal] = { queue, counters: await readCounters(this.redis, this.#prefix, portal) };
      lagSeconds[portal] = await readLag(this.redis, this.#prefix, portal);
    }
    return { portals, lagSeconds };
  }

  /** {@link metrics} in the Prometheus text format. */
  async prometheus(): Promise<string> {
    return toPrometheus(await this.metrics());
  }

  /** Closes the queues and the fleet's connection (close workers first). */
  async close(): Promise<void> {
    await Promise.all([...this.#queues.values()].map((q) => q.close()));
    this.#queues.clear();
    await this.redis.quit().catch(() => undefined);
  }
}
