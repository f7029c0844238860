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

/** Options of {@link JobsResource.wait}; `deadlineMs` and `retry` apply to each poll. */
export interface WaitOptions extends CallOptions {
  /** Give up after this many milliseconds of waiting (default 120 s); each poll keeps the client's attempt timeout. */
  timeoutMs?: number | undefined;
  /** First pause between polls (default 500 ms); it grows by half each poll. */
  intervalMs?: number | undefined;
  /** Longest pause between polls (default 5 s). */
  maxIntervalMs?: number | undefined;
}

const WaitOptionsSchema = z.looseObject({
  timeoutMs: DurationMsSchema.optional(),
  intervalMs: DurationMsSchema.optional(),
  maxIntervalMs: DurationMsSchema.optional(),
});

const DONE = new Set(['completed']);
const FAILED = new Set(['failed']);

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
   * `failed` (throws {@link JobFailedError} with the portal's public message).
   * `failed_retryable` keeps polling: the portal retries such jobs itself. Throws
   * core's `TimeoutError` after `timeoutMs`.
   */
  async wait(id: string, options: WaitOptions = {}): Promise<Job> {
    checkOptions(WaitOptionsSchema, options, { portal: PORTAL, operation: 'jobs.wait', itemId: id });
    const timeoutMs = options.timeoutMs ?? 120_000;
    const maxInterval = options.maxIntervalMs ?? 5_000;
    let interval = options.intervalMs ?? 500;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const context = { portal: PORTAL, operation: 'jobs.wait', itemId: id };
    try {
      for (;;) {
        const job = await raceAbort(
          this.get(id, { signal, deadlineMs: options.deadlineMs, retry: options.retry }),
          signal,
        );
        if (DONE.has(job.status)) return job;
        if (FAILED.has(job.status)) {
          // The job's state is the portal's text: it must not carry back a credential.
          const clean = this.#http.redactor.value(job) as Job;
          throw new JobFailedError(
            `job ended as ${clean.status}${clean.publicErrorMessage ? `: ${clean.publicErrorMessage}` : ''}`,
            clean,
            context,
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
