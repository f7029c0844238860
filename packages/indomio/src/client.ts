import {
  basicAuth,
  type CheckedResponse,
  type ClientOptions,
  checkCredentials,
  checkOptions,
  HttpClient,
  httpClientOptions,
  type IdentifierMap,
  MemoryIdentifierMap,
  type RateLimit,
  RateLimitSchema,
  type RequestOptions,
  type ResponseProblem,
} from '@sync/core';
import { z } from 'zod';
import { ErrorCode } from './error-codes.js';
import { indomioErrorFrom, indomioErrorMessage } from './errors.js';
import { DEFAULT_MAX_RESPONSE_BYTES, PORTAL } from './portal.js';
import { CompaniesResource } from './resources/companies.js';
import { MediaResource } from './resources/media.js';
import { PropertiesResource } from './resources/properties.js';
import { RealtorsResource } from './resources/realtors.js';
import type { ServiceResponse } from './schemas/service-response.js';
import { VERSION } from './version.js';
import { readServiceResponse } from './xml/parse.js';

/** What the client's own options must be; the HTTP options are checked by the pipeline. */
const ClientOptionsSchema = z.looseObject({ rateLimit: RateLimitSchema.optional() });

/**
 * Options of {@link IndomioClient}: the common client options of core (`retry` also
 * governs a `GENERIC_ERROR` answered with 200; `fetch` is also used by the media
 * preflight; `maxResponseBytes` defaults to {@link DEFAULT_MAX_RESPONSE_BYTES}) and
 * Indomio's own.
 */
export interface IndomioClientOptions extends ClientOptions {
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
  /** Client-side rate limit of all calls. */
  rateLimit?: RateLimit | undefined;
}

export { DEFAULT_MAX_RESPONSE_BYTES, LISTING_KIND, PORTAL } from './portal.js';

/**
 * Client of the portal's real-time import: Basic auth plus `X-IMMO-SOURCE` on every
 * call, XML bodies valid against the XSD, typed `ServiceResponse`s.
 *
 * @example
 * ```ts
 * const indomio = new IndomioClient({ username, password, source, baseUrl: 'https://feed.immobiliare.it' });
 * const { idListing } = await indomio.properties.put(listing);
 * await indomio.realtors.put({ agencyEmail: 'agency@example.com', realtors: [{ externalId: 'crm-agent-7' }] });
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
  /** The agency's realtors: create or update them before a listing names them; list a company's. */
  readonly realtors: RealtorsResource;
  /** The companies (agencies) of a group, with the ids `realtors.list` takes. */
  readonly companies: CompaniesResource;
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
    this.http = new HttpClient(
      httpClientOptions(options, {
        portal: PORTAL,
        baseUrl: options.baseUrl,
        auth: basicAuth({ username: options.username, password: options.password }),
        userAgent: `@sync/indomio/${VERSION}`,
        headers: { 'X-IMMO-SOURCE': options.source },
        rateLimits: options.rateLimit ? { default: options.rateLimit } : undefined,
        maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
        errorMessage: indomioErrorMessage,
        checkResponse: (response, request) => this.#checkResponse(response, request),
        secrets: [options.source],
      }),
    );
    this.idMap = options.idMap ?? new MemoryIdentifierMap();
    this.properties = new PropertiesResource(this);
    this.realtors = new RealtorsResource(this);
    this.companies = new CompaniesResource(this);
    this.media = new MediaResource(options.fetch ?? ((input, init) => globalThis.fetch(input, init)));
  }

  /**
   * The portal answers some refusals with a 2xx and `Result=false`: those become
   * {@link IndomioError}s, and a `GENERIC_ERROR` is retried by the pipeline like a 5xx.
   */
  #checkResponse(response: CheckedResponse, request: RequestOptions): ResponseProblem | undefined {
    // The exports answer JSON, checked against their schemas by the resource; only the import's
    // writes answer with a `ServiceResponse`.
    if (request.responseType !== 'text') return undefined;
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
