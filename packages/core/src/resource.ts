import type { z } from 'zod';
import type { HttpClient, HttpResponse, RequestOptions } from './http-client.js';
import { ownOption } from './options.js';
import type { RetryOptions } from './retry.js';
import { parseResponse } from './schema.js';

/**
 * Options every resource method of every portal client accepts, beside its own: cancel
 * the call, or give it its own attempt timeout, deadline and retry policy in place of
 * the client's.
 */
export interface CallOptions {
  /** Cancels the call: it rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  /** Limit of one attempt of this call, in milliseconds (replaces the client's `timeoutMs`). */
  timeoutMs?: number | undefined;
  /** Limit of the whole call, retries and waits included, in milliseconds (replaces `deadlineMs`). */
  deadlineMs?: number | undefined;
  /** Retry policy of this call, laid over the client's; `false` sends it once. */
  retry?: Partial<RetryOptions> | false | undefined;
}

/**
 * The {@link CallOptions} the caller set on the object itself, as request options; an
 * inherited value is ignored, as for every option of the SDK.
 */
export function callOptions(options: CallOptions | undefined): CallOptions {
  const out: CallOptions = {};
  if (!options) return out;
  const signal = ownOption(options, 'signal');
  const timeoutMs = ownOption(options, 'timeoutMs');
  const deadlineMs = ownOption(options, 'deadlineMs');
  const retry = ownOption(options, 'retry');
  if (signal !== undefined) out.signal = signal;
  if (timeoutMs !== undefined) out.timeoutMs = timeoutMs;
  if (deadlineMs !== undefined) out.deadlineMs = deadlineMs;
  if (retry !== undefined) out.retry = retry;
  return out;
}

/** One resource call: the request, stated once, and the schema its answer must fit. */
export interface ResourceRequest<S extends z.ZodType> extends RequestOptions {
  /** Schema of the (unwrapped) response body. */
  schema: S;
  /** Takes the documented object out of its envelope before it is checked (default: the body itself). */
  unwrap?: ((data: unknown) => unknown) | undefined;
}

/** A validated answer with the HTTP response it came in. */
export interface ResourceResponse<T> {
  /** The body, checked against the call's schema. */
  data: T;
  /** The HTTP response (status, headers, request id, attempts). */
  response: HttpResponse;
}

/**
 * The one call helper of every resource: sends `request` with the caller's
 * {@link CallOptions} laid over it and checks the answer against its schema, so an
 * answer that does not fit fails with an `UnexpectedResponseError` naming the operation,
 * the item and the field — never as a wrong value later.
 */
export async function callResource<S extends z.ZodType>(
  http: HttpClient,
  request: ResourceRequest<S>,
  options?: CallOptions,
): Promise<ResourceResponse<z.output<S>>> {
  const { schema, unwrap, ...rest } = request;
  const response = await http.request({ ...rest, ...callOptions(options) });
  const body = unwrap ? unwrap(response.data) : response.data;
  const data = parseResponse(
    schema,
    body,
    {
      portal: http.portal,
      operation: request.operation,
      itemId: request.itemId,
      method: request.method,
      status: response.status,
    },
    http.redactor,
  );
  return { data, response };
}
