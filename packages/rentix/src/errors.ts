import { SyncError, type SyncErrorOptions } from '@sync/core';
import { ErrorBodySchema } from './schemas/common.js';

/**
 * One operation of a bulk request that the portal refused while others may have gone
 * through. Reported in the bulk report rather than thrown, with the portal's words in
 * {@link BulkOperationError.serverMessage}.
 */
export class BulkOperationError extends SyncError {
  static override readonly brand: string = 'BulkOperationError';
  /** The portal's message for this operation, verbatim. */
  readonly serverMessage: string | undefined;
  /** HTTP status of the bulk response that carried the failure (200, or 422 when every operation failed). */
  readonly status: number | undefined;

  constructor(message: string, options: SyncErrorOptions & { serverMessage?: string; status?: number } = {}) {
    super(message, options);
    this.serverMessage = options.serverMessage;
    this.status = options.status;
  }
}

/**
 * A background job ended as `failed`, or as `failed_retryable` — a temporary error:
 * the operation that started the job can be repeated ({@link JobFailedError.retryable}).
 * Its `publicErrorMessage` is in the message.
 */
export class JobFailedError extends SyncError {
  static override readonly brand: string = 'JobFailedError';
  /** The job as last read. */
  readonly job: Readonly<Record<string, unknown>>;

  /** `options.retryable` is `true` for `failed_retryable`: repeat the operation (publish again, upload again). */
  constructor(message: string, job: Readonly<Record<string, unknown>>, options: SyncErrorOptions = {}) {
    super(message, options);
    this.job = job;
  }
}

/**
 * Every message of a Rentix error body, joined with `; `, so the portal's words reach
 * the caller verbatim. `undefined` when the body has none.
 */
export function rentixErrorMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return body.trim() ? body.trim().slice(0, 500) : undefined;
  const parsed = ErrorBodySchema.safeParse(body);
  if (!parsed.success) return undefined;
  const { message, error } = parsed.data;
  if (Array.isArray(message)) return message.length > 0 ? message.join('; ') : error;
  return message ?? error;
}
