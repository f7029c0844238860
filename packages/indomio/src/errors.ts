import { HttpError, type HttpErrorOptions } from '@sync/core';
import { ErrorCode, type ErrorCodeInfo, errorCodeInfo } from './error-codes.js';
import type { ServiceResponse } from './schemas/service-response.js';
import { parseServiceResponse } from './xml/parse.js';

/** Options of an {@link IndomioError}. */
export interface IndomioErrorOptions extends HttpErrorOptions {
  /** The portal's answer. */
  response: ServiceResponse;
}

/**
 * The portal refused a call: its `ServiceResponse` had `Result=false`. Carries the
 * portal's code, its name and meaning, the listing id and lock flag.
 */
export class IndomioError extends HttpError {
  static override readonly brand: string = 'IndomioError';
  /** `ServiceResponse/ErrorCode`, see {@link ErrorCode}. */
  readonly code: number;
  /** The code's name, e.g. `UNRESOLVED_TYPOLOGY`. */
  readonly codeName: string;
  /** What the code means. */
  readonly meaning: string;
  /** The portal's listing id, when it gave one. */
  readonly idListing: number | undefined;
  /** The listing is protected: only the portal's panel can change it. */
  readonly lock: boolean;
  /** The full answer. */
  readonly response: ServiceResponse;

  constructor(message: string, options: IndomioErrorOptions) {
    const info: ErrorCodeInfo = errorCodeInfo(options.response.errorCode);
    super(message, {
      ...options,
      retryable: options.retryable ?? info.retryable,
      requestId: options.requestId ?? options.response.requestId,
      serverMessage: options.serverMessage ?? options.response.errorMessage,
    });
    this.code = info.code;
    this.codeName = info.name;
    this.meaning = info.meaning;
    this.idListing = options.response.idListing;
    this.lock = options.response.lock;
    this.response = options.response;
  }
}

/** The listing is locked on the portal (403 or `lock=true`): edit or unlock it in the portal's panel. */
export class IndomioLockedError extends IndomioError {
  static override readonly brand: string = 'IndomioLockedError';
}

/**
 * Builds the error for a refused `ServiceResponse`. The `ErrorCode` decides what it is and
 * whether a retry can help, whatever HTTP status came with it: the portal documents its
 * codes, not how it maps them onto statuses. Only an undocumented code falls back on
 * `options.retryable` (what the status said).
 */
export function indomioErrorFrom(
  response: ServiceResponse,
  options: Omit<HttpErrorOptions, 'serverMessage'> & { status: number },
): IndomioError {
  const info = errorCodeInfo(response.errorCode);
  const locked = response.lock || response.errorCode === ErrorCode.LOCKED;
  const what = locked ? 'listing is locked on the portal (edit or unlock it in the portal panel)' : info.meaning;
  const message = `${info.name} (${info.code}): ${what}${response.errorMessage ? ` — ${response.errorMessage}` : ''}`;
  const Class = locked ? IndomioLockedError : IndomioError;
  const retryable = info.name === 'UNKNOWN' ? (options.retryable ?? false) : info.retryable;
  return new Class(message, { ...options, retryable, response });
}

/**
 * The portal's message in an error body: the `ErrorMessage` of a `ServiceResponse`,
 * so errors quote the portal verbatim. `undefined` for any other body.
 */
export function indomioErrorMessage(body: unknown): string | undefined {
  if (typeof body !== 'string' || !body.includes('ServiceResponse')) return undefined;
  try {
    return parseServiceResponse(body).errorMessage;
  } catch {
    return undefined;
  }
}
