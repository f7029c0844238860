import {
  createHttpError,
  type ErrorContext,
  type HttpError,
  MAX_ERROR_BODY,
  NetworkError,
  SyncError,
  TimeoutError,
  UnexpectedResponseError,
} from './errors.js';
import { JsonDepthError, parseJsonSafely } from './json.js';
import type { Redactor } from './redact.js';
import type { RequestOptions } from './request.js';
import { type RetryOptions, serverRetryDelayMs } from './retry.js';
import { ConnectionFailure, type RawResponse, ResponseRefused } from './transport.js';

// How an attempt's outcome becomes what the call returns or throws: the body read as asked,
// a non-2xx answer as the error of its class, a failure without an answer as a network,
// timeout or refusal error — all with secrets removed.

/** Longest part of a text error body the portal's message is looked for in. */
const MAX_MESSAGE_SOURCE = 64 * 1024;

const utf8 = new TextDecoder();

function truncateBody(body: unknown): unknown {
  if (typeof body === 'string') return body.length > MAX_ERROR_BODY ? `${body.slice(0, MAX_ERROR_BODY)}…` : body;
  return body;
}

/** The message of a common error body: a text, or `{ message }` (a string or a list), or `{ error }`. */
function defaultErrorMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return body.trim() ? body.trim().slice(0, 500) : undefined;
  if (body && typeof body === 'object') {
    const { message, error } = body as { message?: unknown; error?: unknown };
    if (typeof message === 'string') return message;
    if (Array.isArray(message)) return message.map(String).join('; ');
    if (typeof error === 'string') return error;
  }
  return undefined;
}

/** A failed attempt: the error to throw if no retry follows, and what a retry would cost. */
export interface AttemptFailure {
  error: Error;
  retryable: boolean;
  kind: 'retry' | 'timeout';
  serverDelayMs: number | undefined;
}

/** What an attempt's error is built with: where it happened and how secrets are kept out. */
export interface FailureScope {
  /** Portal, operation, item, method and redacted URL of the call. */
  context: ErrorContext;
  /** The client's redactor. */
  redactor: Redactor;
  /** The call's retry policy. */
  retry: RetryOptions;
  /** The server's request id in a response's headers, redacted. */
  requestId: (headers: Headers) => string | undefined;
  /** The portal's reading of its error bodies. */
  errorMessage?: ((body: unknown) => string | undefined) | undefined;
}

/** A wait the server asked for, cut to `retry.maxRetryAfterMs`: nothing waits longer on its word. */
export function cappedServerDelay(delayMs: number | undefined, retry: RetryOptions): number | undefined {
  return delayMs === undefined ? undefined : Math.min(delayMs, retry.maxRetryAfterMs);
}

/** A non-2xx answer as the error of its class, with the portal's message and the body, both redacted. */
export function httpFailure(raw: RawResponse, scope: FailureScope): AttemptFailure {
  const { redactor } = scope;
  const text = utf8.decode(raw.bytes);
  let body: unknown = text === '' ? undefined : text;
  const type = raw.headers.get('content-type') ?? '';
  if (text !== '' && (type.includes('json') || /^\s*[[{]/.test(text))) {
    try {
      body = parseJsonSafely(text);
    } catch {
      // Not JSON after all, or nested too deep to walk: keep the text.
    }
  }
  // Secrets go before the message is read from the body: a message cut short could keep part of one.
  const clean = typeof body === 'string' ? redactor.text(body, MAX_MESSAGE_SOURCE) : redactor.value(body);
  const serverMessage = (scope.errorMessage ?? defaultErrorMessage)(clean);
  const serverDelayMs = cappedServerDelay(serverRetryDelayMs(raw.headers, raw.status), scope.retry);
  const error: HttpError = createHttpError({
    ...scope.context,
    status: raw.status,
    requestId: scope.requestId(raw.headers),
    body: typeof clean === 'string' ? truncateBody(clean) : redactor.value(clean, MAX_ERROR_BODY),
    serverMessage: serverMessage === undefined ? undefined : redactor.text(serverMessage),
    retryAfterMs: serverDelayMs,
  });
  return { error, retryable: scope.retry.statusCodes.includes(raw.status), kind: 'retry', serverDelayMs };
}

/** The call's deadline passed, at an attempt or `during` a wait. */
export function deadlineError(
  context: ErrorContext,
  attempts: number,
  deadlineMs: number,
  during?: string,
): TimeoutError {
  const message =
    during === undefined
      ? `no response within the call's deadline of ${deadlineMs} ms (${attempts} attempts)`
      : `the call's deadline of ${deadlineMs} ms passed ${during} (${attempts} attempts)`;
  return new TimeoutError(message, { ...context, timeoutMs: deadlineMs });
}

/** An attempt that got no answer: a timeout, a refused response, a broken connection, or anything else. */
export function attemptFailure(
  error: unknown,
  scope: FailureScope,
  attempts: number,
  timeoutMs: number,
  deadlineMs: number,
): AttemptFailure {
  const { context, redactor } = scope;
  if (error instanceof TimeoutError) {
    const atDeadline = error.timeoutMs !== undefined && error.timeoutMs < timeoutMs;
    return {
      error: atDeadline ? deadlineError(context, attempts, deadlineMs) : error,
      retryable: !atDeadline,
      kind: 'timeout',
      serverDelayMs: undefined,
    };
  }
  if (error instanceof SyncError) return { error, retryable: false, kind: 'retry', serverDelayMs: undefined };
  // A redirect or an oversized body: what a repeat would meet again.
  if (error instanceof ResponseRefused) {
    return { error: error.toError(context, redactor), retryable: false, kind: 'retry', serverDelayMs: undefined };
  }
  if (error instanceof ConnectionFailure) {
    // A system error may quote what it failed on (fetch quotes an invalid header): only a redacted copy is kept.
    const cause = redactor.error(error.cause);
    return {
      error: new NetworkError(`connection failed${cause ? ` (${cause.message})` : ''}`, { ...context, cause }),
      retryable: true,
      kind: 'retry',
      serverDelayMs: undefined,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    error: new SyncError(redactor.text(message), context),
    retryable: false,
    kind: 'retry',
    serverDelayMs: undefined,
  };
}

/** Adds `(note)` to an error's message, e.g. `(after 4 attempts)`. */
export function annotate<E extends Error>(error: E, note: string): E {
  error.message = `${error.message} (${note})`;
  return error;
}

/** A 2xx body read as the call asked (`json` by default, an empty body as `undefined`), or an error saying why not. */
export function readBody<T>(
  raw: RawResponse,
  options: Pick<RequestOptions, 'responseType'>,
  context: () => ErrorContext,
  redactor: Redactor,
): T {
  const type = options.responseType ?? 'json';
  if (type === 'bytes') return raw.bytes as T;
  const text = utf8.decode(raw.bytes);
  if (type === 'text') return text as T;
  if (text.trim() === '') return undefined as T;
  try {
    return parseJsonSafely(text) as T;
  } catch (error) {
    const type = redactor.headerValue(raw.headers.get('content-type'), 100) ?? 'no content type';
    throw new UnexpectedResponseError(
      error instanceof JsonDepthError
        ? `expected JSON, got ${error.message}`
        : `expected JSON, got ${type} that does not parse`,
      { ...context(), status: raw.status, body: redactor.text(text, MAX_ERROR_BODY) },
    );
  }
}
