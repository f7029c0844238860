import {
  basicAuth,
  type CheckedResponse,
  checkCredentials,
  checkOptions,
  HttpClient,
  type IdentifierMap,
  MemoryIdentifierMap,
  ownOption,
  type RateLimit,
  RateLimitSchema,
  type RequestOptions,
  type ResponseProblem,
  type RetryOptions,
} from '@sync/core';
import { z } from 'zod';
import { ErrorCode } from './error-codes.js';
import { indomioErrorFrom } from './errors.js';
import { PORTAL } from './portal.js';
import { MediaResource } from './resources/media.js';
import { PropertiesResource } from './resources/properties.js';
import type { ServiceResponse } from './schemas/service-response.js';
import { VERSION } from './version.js';
import { parseServiceResponse, readServiceResponse } from './xml/parse.js';

/** What the client's own options must be; the HTTP options are checked by the pipeline. */
const ClientOptionsSchema = z.looseObject({ rateLimit: RateLimitSchema.optional() });

/** Options of {@link IndomioClient}. */
export interface IndomioClientOptions {
  /** Username given by the portal's support. */
  username: string;
  /** Password given by the portal's support. */
  password: string;
  /** Value of the `X-IMMO-SOURCE` header, given with the username. */
  source: string;
  /** Feed host, e.g. `https://feed.immobiliare.it` (country portals have their own hosts). */
  baseUrl: string;
  /** Where `unique-id → idListing` is remembered; in memory when unset (use a persistent one for real syncs). */
  idMap?: IdentifierMap | undefined;
  /** Allows an `http:` base URL, for a local mock portal only. */
  allowInsecureHttp?: boolean | undefined;
  /** Retry policy (also governs a `GENERIC_ERROR` answered with 200); `false` disables retries. */
  retry?: Partial<RetryOptions> | false | undefined;
  /** Limit of one attempt, in milliseconds. */
  timeoutMs?: number | undefined;
  /** Limit of a whole call, retries included, in milliseconds. */
  deadlineMs?: number | undefined;
  /** Most calls in flight at once. */
  concurrency?: number | undefined;
  /** Client-side rate limit of all calls. */
  rateLimit?: RateLimit | undefined;
  /** A `fetch` implementation, e.g. for instrumentation; also used by the media preflight. */
  fetch?: typeof globalThis.fetch | undefined;
  /** Most bytes read from one response, after decoding (default {@link DEFAULT_MAX_RESPONSE_BYTES}). */
  maxResponseBytes?: number | undefined;
}

/**
 * Default `maxResponseBytes` of an Indomio client: 1 MiB of decoded body. Every answer
 * of the real-time import is one `ServiceResponse` of a few hundred bytes.
 */
export const DEFAULT_MAX_RESPONSE_BYTES: number = 1024 * 1024;

export { LISTING_KIND, PORTAL } from './portal.js';

function errorMessage(body: unknown): string | undefined {
  if (typeof body !== 'string' || !body.includes('ServiceResponse')) return undefined;
  try {
    return parseServiceResponse(body).errorMessage;
  } catch {
    return undefined;
  }
}

/**
 * Client of the portal's real-time import: Basic auth plus `X-IMMO-SOURCE` on every
 * call, XML bodies valid against the XSD, typed `ServiceResponse`s.
 *
 * ```ts
 * const indomio = new IndomioClient({ username, password, source, baseUrl: 'https://feed.immobiliare.it' });
 * const { idListing } = await indomio.properties.put(listing);
 * ```
 */
export class IndomioClient {
  /** The HTTP pipeline; subscribe to its `request`/`response`/`retry` events. */
  readonly http: HttpClient;
  /** Where `unique-id → idListing` is remembered. */
  readonly idMap: IdentifierMap;
  /** Listings: write, delete, sync. */
  readonly properties: PropertiesResource;
  /** Checks of pictures and documents before sending them. */
  readonly media: MediaResource;
  /** Each call's accepted answer, read once by the response check and handed to the resource. */
  readonly #answers = new WeakMap<RequestOptions, ServiceResponse>();

  constructor(options: IndomioClientOptions) {
    // The source goes into its header as it is; username and password travel base64-encoded.
    checkCredentials(
      { username: options.username, password: options.password, source: options.source },
      { portal: PORTAL },
      ['source'],
    );
    checkOptions(ClientOptionsSchema, options, { portal: PORTAL });
    this.http = new HttpClient({
      portal: PORTAL,
      baseUrl: options.baseUrl,
      allowInsecureHttp: ownOption(options, 'allowInsecureHttp'),
      auth: basicAuth({ username: options.username, password: options.password }),
      userAgent: `@sync/indomio/${VERSION}`,
      headers: { 'X-IMMO-SOURCE': options.source },
      timeoutMs: options.timeoutMs,
      deadlineMs: options.deadlineMs,
      retry: options.retry,
      rateLimits: options.rateLimit ? { default: options.rateLimit } : undefined,
      concurrency: options.concurrency,
      fetch: options.fetch,
      maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      errorMessage,
      checkResponse: (response, request) => this.#checkResponse(response, request),
      secrets: [options.source],
    });
    this.idMap = options.idMap ?? new MemoryIdentifierMap();
    this.properties = new PropertiesResource(this);
    this.media = new MediaResource(options.fetch ?? ((input, init) => globalThis.fetch(input, init)));
  }

  /**
   * The portal answers some refusals with a 2xx and `Result=false`: those become
   * {@link IndomioError}s, and a `GENERIC_ERROR` is retried by the pipeline like a 5xx.
   */
  #checkResponse(response: CheckedResponse, request: RequestOptions): ResponseProblem | undefined {
    const context = {
      portal: PORTAL,
      operation: request.operation,
      itemId: request.itemId,
      method: request.method,
      url: this.http.redactor.url(`${this.http.baseUrl}${request.path}`),
      status: response.status,
    };
    try {
      // A portal may echo what it received: no credential may reach an error.
      const answer = readServiceResponse(response.text, context, this.http.redactor);
      if (answer.result) {
        this.#answers.set(request, answer);
        return undefined;
      }
      const clean = this.http.redactor.value(answer) as ServiceResponse;
      return {
        error: indomioErrorFrom(clean, { ...context, requestId: clean.requestId }),
        retryable: answer.errorCode === ErrorCode.GENERIC_ERROR,
      };
    } catch (error) {
      return { error: error as Error, retryable: false };
    }
  }

  /** @internal The `ServiceResponse` the response check accepted for `request`, read only once. */
  takeAnswer(request: RequestOptions): ServiceResponse | undefined {
    const answer = this.#answers.get(request);
    this.#answers.delete(request);
    return answer;
  }
}
