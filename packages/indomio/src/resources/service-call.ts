import { type CallOptions, callOptions, HttpError, type RequestOptions } from '@sync/core';
import { indomioErrorFrom } from '../errors.js';
import { PORTAL } from '../portal.js';
import type { ServiceResponse } from '../schemas/service-response.js';
import { parseServiceResponse, readServiceResponse } from '../xml/parse.js';
import type { ResourceContext } from './context.js';

const XML_HEADERS = { 'content-type': 'application/xml; charset=utf-8' };

/** One call of the import (listings, realtors, partial updates), answered by a `ServiceResponse`. */
export interface XmlCall {
  /** `PUT` for the import's writes, `DELETE` for a listing's removal. */
  method: 'PUT' | 'DELETE';
  /** Path below the base URL, already encoded. */
  path: string;
  /** The XML document, for a write. */
  body: string | undefined;
  /** Name of the call in errors and events, e.g. `realtors.put`. */
  operation: string;
  /** What the call is about, in errors and events. */
  itemId: string | undefined;
}

/**
 * Sends one XML document and reads the portal's `ServiceResponse`: the pipeline retries what is
 * safe and turns `Result=false` into an `IndomioError`; a refusal sent with an error status is
 * mapped here the same way.
 */
export async function sendXml(client: ResourceContext, call: XmlCall, options: CallOptions): Promise<ServiceResponse> {
  const http = client.http;
  const context = { portal: PORTAL, operation: call.operation, itemId: call.itemId, method: call.method };
  const request: RequestOptions = {
    method: call.method,
    path: call.path,
    body: call.body,
    headers: call.body === undefined ? undefined : XML_HEADERS,
    operation: call.operation,
    itemId: call.itemId,
    responseType: 'text',
    ...callOptions(options),
  };
  try {
    const res = await http.request<string>(request);
    return (
      client.takeAnswer(request) ?? readServiceResponse(res.data, { ...context, status: res.status }, http.redactor)
    );
  } catch (error) {
    throw serviceError(error, { ...context, url: `${http.baseUrl}${call.path}` });
  }
}

/**
 * An `HttpError` whose body is a `ServiceResponse`, as the `IndomioError` it stands for (the
 * portal's code, name and meaning); any other error as it is.
 */
export function serviceError(
  error: unknown,
  context: { portal: string; operation: string; itemId: string | undefined; method: string; url: string },
): unknown {
  if (!(error instanceof HttpError) || typeof error.body !== 'string' || !error.body.includes('ServiceResponse')) {
    return error;
  }
  let response: ServiceResponse;
  try {
    response = parseServiceResponse(error.body);
  } catch {
    return error;
  }
  return indomioErrorFrom(response, {
    ...context,
    status: error.status,
    requestId: response.requestId ?? error.requestId,
    retryable: error.retryable,
    cause: error,
  });
}
