import {
  AuthenticationError,
  type BatchProgress,
  type CallOptions,
  callOptions,
  checkOptions,
  compiledSchema,
  type HttpClient,
  type InputIssue,
  InputValidationError,
  PermissionError,
  PositiveIntegerSchema,
  parseResponse,
  runBatches,
  toInputIssues,
  type WorkerOutcome,
} from '@sync/core';
import { z } from 'zod';
import { BulkOperationError, rentixErrorMessage } from './errors.js';
import { PORTAL } from './portal.js';
import { type BulkItemResult, BulkResponseSchema } from './schemas/bulk.js';
import { MAX_BODY_BYTES, MAX_BULK_OPERATIONS } from './schemas/common.js';

/** Options of a bulk call; `timeoutMs`, `deadlineMs` and `retry` apply to each of its requests. */
export interface BulkOptions extends CallOptions {
  /** Called after each request with the totals so far. */
  onProgress?: ((progress: BatchProgress) => void) | undefined;
  /** Stops the call: requests not yet sent are reported skipped. */
  signal?: AbortSignal | undefined;
  /** Bulk requests in flight at once (default 2); the rate limit still applies. */
  concurrency?: number | undefined;
}

/** What happened to one operation of a bulk call. */
export interface BulkResult<Op> {
  /** Position of the operation in the input. */
  index: number;
  /** The operation as given. */
  operation: Op;
  /** `succeeded`, `failed` (with {@link BulkResult.error}) or `skipped` (never sent, with {@link BulkResult.message}). */
  status: 'succeeded' | 'failed' | 'skipped';
  /** `true` when the portal applied the operation. */
  success: boolean;
  /** The CRM id the operation concerns, when it has one. */
  externalId: string | undefined;
  /** The portal id of the record, when known. */
  id: string | undefined;
  /** Why it failed or was skipped, verbatim from the portal where it came from there. */
  message: string | undefined;
  /** The error, for failed operations: {@link BulkOperationError}, `InputValidationError` (never sent) or the request's error. */
  error: Error | undefined;
  /** The portal's own result entry for this operation, unknown fields included. */
  response: BulkItemResult | undefined;
}

/** One report for a whole bulk call, however many requests it took. */
export interface BulkReport<Op> {
  /** Operations in the input. */
  total: number;
  /** Operations the portal applied. */
  succeeded: number;
  /** Operations that failed, before sending or on the portal. */
  failed: number;
  /** Operations not attempted (the call was aborted). */
  skipped: number;
  /** Bulk requests sent. */
  requests: number;
  /** One result per input operation, in input order. */
  results: BulkResult<Op>[];
}

/** Limits of bulk chunking, overridable for tests. */
export interface BulkLimits {
  /** Most operations per request (default 100). */
  maxOperations?: number | undefined;
  /** Largest request body in bytes (default 512 KB). */
  maxBodyBytes?: number | undefined;
  /** Requests in flight at once unless a call says otherwise (default 2). */
  concurrency?: number | undefined;
}

/** What {@link BulkLimits} must be: whole numbers of at least 1. */
export const BulkLimitsSchema = z.looseObject({
  maxOperations: PositiveIntegerSchema.optional(),
  maxBodyBytes: PositiveIntegerSchema.optional(),
  concurrency: PositiveIntegerSchema.optional(),
});

const BulkOptionsSchema = z.looseObject({ concurrency: PositiveIntegerSchema.optional() });

interface BulkEndpoint<Op> {
  path: string;
  operation: string;
  schema: z.ZodType;
  idempotent: (op: Op) => boolean;
  /** Checks beyond the schema, run on operations the schema accepted. */
  check?: ((op: Op) => InputIssue[]) | undefined;
}

const ENVELOPE_BYTES = Buffer.byteLength('{"operations":[]}');
const encoder = new TextEncoder();

function byteLength(value: unknown): number {
  return encoder.encode(JSON.stringify(value)).byteLength;
}

function messageOf(result: BulkItemResult): string {
  const message = result.error?.message;
  if (Array.isArray(message)) return message.join('; ');
  return message ?? 'the portal reported a failure without a message';
}

/** The CRM id (or else the Rentix id) of an operation or a record, whatever its shape; never throws. */
export function keyOfUnknown(op: unknown): string | undefined {
  if (op && typeof op === 'object') {
    const { externalId, id } = op as { externalId?: unknown; id?: unknown };
    if (typeof externalId === 'string') return externalId;
    if (typeof id === 'string') return id;
  }
  return undefined;
}

/**
 * Sends `operations` to a bulk endpoint: validates each one (invalid ones are never
 * sent), splits the rest into requests of at most 100 operations and 512 KB, sends
 * them under the bulk rate limit, and merges every answer — 422 included — into one
 * report in input order.
 */
export async function runBulk<Op>(
  http: HttpClient,
  endpoint: BulkEndpoint<Op>,
  operations: readonly Op[],
  limits: BulkLimits,
  options: BulkOptions = {},
): Promise<BulkReport<Op>> {
  checkOptions(BulkOptionsSchema, options, { portal: PORTAL, operation: endpoint.operation });
  const maxOperations = limits.maxOperations ?? MAX_BULK_OPERATIONS;
  const maxBodyBytes = limits.maxBodyBytes ?? MAX_BODY_BYTES;
  const sizes = new Map<Op, number>();
  const sizeOf = (op: Op) => {
    let size = sizes.get(op);
    if (size === undefined) {
      size = byteLength(op);
      sizes.set(op, size);
    }
    return size;
  };

  // Stops the remaining requests when the key is refused: they would all fail the same way.
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  let requests = 0;

  const report = await runBatches<Op, BulkItemResult>(
    operations,
    {
      concurrency: options.concurrency ?? limits.concurrency ?? 2,
      signal,
      onProgress: options.onProgress,
      validate: (op) => {
        const itemId = keyOfUnknown(op);
        const parsed = compiledSchema(endpoint.schema).safeParse(op);
        if (!parsed.success) {
          return new InputValidationError(toInputIssues(parsed.error.issues), {
            portal: PORTAL,
            operation: endpoint.operation,
            itemId,
          });
        }
        const extra = endpoint.check?.(op) ?? [];
        if (extra.length > 0) {
          return new InputValidationError(extra, { portal: PORTAL, operation: endpoint.operation, itemId });
        }
        const size = sizeOf(op);
        if (size + ENVELOPE_BYTES > maxBodyBytes) {
          return new InputValidationError(
            [
              {
                path: '',
                message: `the operation is ${size} bytes of JSON; a request body may not exceed ${maxBodyBytes} bytes`,
                code: 'too_big',
              },
            ],
            { portal: PORTAL, operation: endpoint.operation, itemId },
          );
        }
        return undefined;
      },
      split: (ops) => {
        const groups: Op[][] = [];
        let current: Op[] = [];
        let bytes = ENVELOPE_BYTES;
        for (const op of ops) {
          const size = sizeOf(op) + (current.length > 0 ? 1 : 0);
          if (current.length > 0 && (current.length >= maxOperations || bytes + size > maxBodyBytes)) {
            groups.push(current);
            current = [];
            bytes = ENVELOPE_BYTES;
          }
          bytes += sizeOf(op) + (current.length > 0 ? 1 : 0);
          current.push(op);
        }
        if (current.length > 0) groups.push(current);
        return groups;
      },
    },
    async (chunk, context) => {
      const request = {
        method: 'POST' as const,
        path: endpoint.path,
        json: { operations: chunk },
        idempotent: chunk.every(endpoint.idempotent),
        operation: endpoint.operation,
        buckets: ['default', 'bulk'],
        serverBucket: 'bulk',
        // "All bulk operations failed" is a report of failures, not an exception.
        okStatuses: [422],
        ...callOptions(options),
        signal: context.signal,
      };
      let data: unknown;
      let status: number;
      requests++;
      try {
        const response = await http.request(request);
        data = response.data;
        status = response.status;
      } catch (error) {
        if (error instanceof AuthenticationError || error instanceof PermissionError) stop.abort(error);
        throw error;
      }
      // A portal may echo what it received: no credential may reach a report.
      data = http.redactor.value(data);
      if (status === 422) {
        const parsed = BulkResponseSchema.safeParse(data);
        if (parsed.success && parsed.data.results.length === chunk.length) {
          return toOutcomes(endpoint, chunk, parsed.data.results, 422);
        }
        const message = rentixErrorMessage(data) ?? 'All bulk operations failed';
        return chunk.map((op) => ({
          status: 'failed' as const,
          error: new BulkOperationError(message, {
            portal: PORTAL,
            operation: endpoint.operation,
            itemId: keyOfUnknown(op),
            serverMessage: message,
            status: 422,
          }),
        }));
      }
      const parsed = parseResponse(
        BulkResponseSchema,
        data,
        { portal: PORTAL, operation: endpoint.operation, method: 'POST', status },
        http.redactor,
      );
      return toOutcomes(endpoint, chunk, parsed.results, status);
    },
  );

  const results = report.items.map((outcome): BulkResult<Op> => {
    const operation = outcome.item;
    const externalId = keyOfUnknown(operation);
    if (outcome.status === 'succeeded') {
      const response = outcome.value;
      return {
        index: outcome.index,
        operation,
        status: 'succeeded',
        success: true,
        externalId: response.externalId ?? externalId,
        id: response.id ?? undefined,
        message: undefined,
        error: undefined,
        response,
      };
    }
    if (outcome.status === 'failed') {
      const error = outcome.error;
      const message =
        error instanceof BulkOperationError
          ? (error.serverMessage ?? error.message)
          : error instanceof InputValidationError
            ? error.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')
            : error.message;
      return {
        index: outcome.index,
        operation,
        status: 'failed',
        success: false,
        externalId,
        id: undefined,
        message,
        error,
        response: error instanceof BulkOperationError ? responses.get(error) : undefined,
      };
    }
    return {
      index: outcome.index,
      operation,
      status: 'skipped',
      success: false,
      externalId,
      id: undefined,
      message: outcome.reason,
      error: undefined,
      response: undefined,
    };
  });
  return {
    total: report.total,
    succeeded: report.succeeded,
    failed: report.failed,
    skipped: report.skipped,
    requests,
    results,
  };
}

/** The portal's result entry behind each per-operation error. */
const responses = new WeakMap<Error, BulkItemResult>();

function toOutcomes<Op>(
  endpoint: BulkEndpoint<Op>,
  chunk: readonly Op[],
  results: readonly BulkItemResult[],
  status: number,
): WorkerOutcome<BulkItemResult>[] {
  return chunk.map((op, k): WorkerOutcome<BulkItemResult> => {
    const result = results[k];
    const itemId = keyOfUnknown(op);
    if (!result) {
      return {
        status: 'failed',
        error: new BulkOperationError(`the portal returned ${results.length} results for ${chunk.length} operations`, {
          portal: PORTAL,
          operation: endpoint.operation,
          itemId,
          status,
        }),
      };
    }
    if (result.success) return { status: 'succeeded', value: result };
    const message = messageOf(result);
    const error = new BulkOperationError(message, {
      portal: PORTAL,
      operation: endpoint.operation,
      itemId,
      serverMessage: message,
      status,
    });
    responses.set(error, result);
    return { status: 'failed', error };
  });
}
