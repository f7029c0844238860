import { HttpClient, type HttpClientOptions, type RequestOptions, UnexpectedResponseError } from '@sync/core';
import type { z } from 'zod';

/** Portal name used in errors, events and identifier maps. */
export const PORTAL = 'rentix';

/** Internal header that tags a bulk request so its full 422 body can be read back; never sent. */
const BULK_REF_HEADER = 'x-sync-rentix-bulk-ref';

/**
 * The client's access to the HTTP pipeline: typed calls whose responses are checked
 * against a schema, and the full bodies of bulk 422 answers (core keeps only a
 * truncated copy in its errors, which would lose per-operation messages).
 */
export class Transport {
  readonly http: HttpClient;
  readonly #bulkBodies = new Map<string, unknown>();
  #nextRef = 0;

  constructor(options: HttpClientOptions) {
    const baseFetch = options.fetch ?? globalThis.fetch;
    const fetch: typeof globalThis.fetch = async (input, init) => {
      let ref: string | null = null;
      if (input instanceof Request) {
        ref = input.headers.get(BULK_REF_HEADER);
        if (ref !== null) input.headers.delete(BULK_REF_HEADER);
      }
      let sendInit = init;
      if (init?.headers) {
        const headers = new Headers(init.headers);
        const tagged = headers.get(BULK_REF_HEADER);
        if (tagged !== null) {
          ref = tagged;
          headers.delete(BULK_REF_HEADER);
          sendInit = { ...init, headers };
        }
      }
      const response = await baseFetch(input, sendInit);
      if (ref !== null && response.status === 422) {
        try {
          this.#bulkBodies.set(ref, JSON.parse(await response.clone().text()));
        } catch {
          // Not JSON: the caller falls back to the error's message.
        }
      }
      return response;
    };
    this.http = new HttpClient({ ...options, fetch });
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
    const result = schema.safeParse(data);
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
      body: data,
    });
  }

  /** Headers tagging a bulk call, and a function that returns its 422 body, if one came. */
  bulkTag(): { headers: Record<string, string>; take: () => unknown } {
    const ref = String(++this.#nextRef);
    return {
      headers: { [BULK_REF_HEADER]: ref },
      take: () => {
        const body = this.#bulkBodies.get(ref);
        this.#bulkBodies.delete(ref);
        return body;
      },
    };
  }
}
