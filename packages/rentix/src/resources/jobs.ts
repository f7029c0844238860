import {
  type CallOptions,
  callResource,
  checkOptions,
  DurationMsSchema,
  type HttpClient,
  raceAbort,
  sleep,
  TimeoutError,
} from '@sync/core';
import { z } from 'zod';
import { JobFailedError } from '../errors.js';
import { PORTAL } from '../portal.js';
import { type Job, JobSchema } from '../schemas/account.js';

/** Options of {@link JobsResource.wait}; `deadlineMs` and `pollRetry` apply to each poll. */
export interface WaitOptions extends Omit<CallOptions, 'retry'> {
  /** Give up after this many milliseconds of waiting (default 120 s); each poll keeps the client's attempt timeout. */
  timeoutMs?: number | undefined;
  /** First pause between polls (default 500 ms); it grows by half each poll. */
  intervalMs?: number | undefined;
  /** Longest pause between polls (default 5 s). */
  maxIntervalMs?: number | undefined;
  /**
   * Repeats the operation behind the job after a `failed_retryable` (a temporary error)
   * and returns the new job's id — e.g. `() => rentix.listings.upsert({ externalId,
   * announcementStatus: 'active' }).then((r) => String(r.jobId))`. Without it, such a
   * job throws a retryable {@link JobFailedError} at once.
   */
  retry?: (() => Promise<string>) | undefined;
  /** Most repetitions through `retry` (default 2); the last retryable failure is then thrown. */
  maxRetries?: number | undefined;
  /** The retry policy of each poll's HTTP call, in place of the client's (`retry` of a call). */
  pollRetry?: CallOptions['retry'];
}

const WaitOptionsSchema = z.looseObject({
  timeoutMs: DurationMsSchema.optional(),
  intervalMs: DurationMsSchema.optional(),
  maxIntervalMs: DurationMsSchema.optional(),
});

const DONE = new Set(['completed']);
const FAILED = new Set(['failed', 'failed_retryable']);

/** Background jobs: the finalisation of published listings, file processing. */
export class JobsResource {
  readonly #http: HttpClient;

  /** @internal */
  constructor(http: HttpClient) {
    this.#http = http;
  }

  /** A job's current state (`GET /job/status?id=`). */
  async get(id: string, options: CallOptions = {}): Promise<Job> {
    return (
      await callResource(
        this.#http,
        {
          schema: JobSchema,
          method: 'GET',
          path: '/job/status',
          query: { id },
          operation: 'jobs.get',
          itemId: id,
        },
        options,
      )
    ).data;
  }

  /**
   * Polls a job, with growing pauses, until it is `completed` (resolves with it) or
   * `failed` (throws {@link JobFailedError} with the portal's public message). A
   * `failed_retryable` job — a temporary error, which Rentix says to retry — is
   * repeated through `options.retry` (at most `maxRetries` times, polling the new job),
   * or else thrown as a {@link JobFailedError} with `retryable: true`. Throws core's
   * `TimeoutError` after `timeoutMs`, which covers the retries.
   */
  async wait(id: string, options: WaitOptions = {}): Promise<Job> {
    checkOptions(WaitOptionsSchema, options, { portal: PORTAL, operation: 'jobs.wait', itemId: id });
    const timeoutMs = options.timeoutMs ?? 120_000;
    const maxInterval = options.maxIntervalMs ?? 5_000;
    let interval = options.intervalMs ?? 500;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const context = { portal: PORTAL, operation: 'jobs.wait', itemId: id };
    const maxRetries = options.maxRetries ?? 2;
    let retries = 0;
    let current = id;
    try {
      for (;;) {
        const job = await raceAbort(
          this.get(current, { signal, deadlineMs: options.deadlineMs, retry: options.pollRetry }),
          signal,
        );
        if (DONE.has(job.status)) return job;
        const retryable = job.status === 'failed_retryable';
        if (retryable && options.retry && retries < maxRetries) {
          retries++;
          current = await raceAbort(options.retry(), signal);
          interval = options.intervalMs ?? 500;
          continue;
        }
        if (FAILED.has(job.status)) {
          const detail = retryable ? ' (a temporary error: the operation can be retried)' : '';
          // The job's state is the portal's text: it must not carry back a credential.
          const clean = this.#http.redactor.value(job) as Job;
          throw new JobFailedError(
            `job ended as ${clean.status}${detail}${clean.publicErrorMessage ? `: ${clean.publicErrorMessage}` : ''}`,
            clean,
            { ...context, itemId: current, retryable },
          );
        }
        await sleep(interval, signal);
        interval = Math.min(maxInterval, Math.ceil(interval * 1.5));
      }
    } catch (error) {
      if (timeout.aborted && !options.signal?.aborted) {
        throw new TimeoutError(`the job did not finish within ${timeoutMs} ms`, { ...context, timeoutMs });
      }
      throw error;
    }
  }
}
