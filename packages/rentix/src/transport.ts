import {
  compiledSchema,
  HttpClient,
  type HttpClientOptions,
  MAX_ERROR_BODY,
  type RequestOptions,
  UnexpectedResponseError,
} from '@sync/core';
import type { z } from 'zod';

/** Portal name used in errors, events and identifier maps. */
export const PORTAL = 'rentix';

/** The client's access to the HTTP pipeline: typed calls whose responses are checked against a schema. */
export class Transport {
  readonly http: HttpClient;

  constructor(options: HttpClientOptions) {
    this.http = new HttpClient(options);
  }

  /** Sends a call and checks the body against `schema`. */
  async call<S extends z.ZodType>(schema: S, options: RequestOptions): Promise<z.output<S>> {
    const response = await this.http.request(options);
    return this.parse(schema, response.data, options, response.status);
  }

  /** Checks a response body against `schema`, or throws an {@link UnexpectedResponseError}. */
  parse<S extends z.ZodType>(
    schema: S,
    data: unknown,
    options: Pick<RequestOptions, 'operation' | 'itemId' | 'method'>,
    status?: number,
  ): z.output<S> {
    const result = compiledSchema(schema).safeParse(data);
    if (result.success) return result.data;
    const where = result.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`)
      .join('; ');
    throw new UnexpectedResponseError(`the response does not match the documented shape (${where})`, {
      portal: PORTAL,
      operation: options.operation,
      itemId: options.itemId,
      method: options.method,
      ...(status === undefined ? {} : { status }),
      body: this.http.redactor.value(data, MAX_ERROR_BODY),
    });
  }
}
