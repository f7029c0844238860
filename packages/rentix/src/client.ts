import {
  apiKeyAuth,
  checkCredentials,
  checkOptions,
  type HttpClient,
  type HttpClientOptions,
  type Listing,
  type RateLimit,
} from '@sync/core';
import { type BulkLimits, BulkLimitsSchema } from './bulk.js';
import { AgencyResource } from './resources/agency.js';
import { JobsResource } from './resources/jobs.js';
import { ListingsResource } from './resources/listings.js';
import { MediaResource } from './resources/media.js';
import { ReferenceResource } from './resources/reference.js';
import { UsersResource } from './resources/users.js';
import { rentixErrorMessage } from './schemas/common.js';
import {
  continuousSync,
  type InitialSyncOptions,
  type InitialSyncReport,
  initialSync,
  type RentixSyncOptions,
  type RentixSyncReport,
} from './sync.js';
import { PORTAL, Transport } from './transport.js';
import { VERSION } from './version.js';

/** Where the Rentix CRM API lives. */
export const DEFAULT_BASE_URL = 'https://crm.rentix.md/api/v1';

/** Rentix's documented limits: 300 requests a minute in all, 30 a minute to the bulk endpoints. */
export const DEFAULT_RATE_LIMITS: { default: RateLimit; bulk: RateLimit } = {
  default: { limit: 300, windowMs: 60_000 },
  bulk: { limit: 30, windowMs: 60_000 },
};

/**
 * Default `maxResponseBytes` of a Rentix client: 16 MiB of decoded body. The largest
 * answer is a listings list; 100 listings with 2,000-character descriptions and 30
 * files each come to under 1 MB, so this leaves room for a much longer `limit`.
 */
export const DEFAULT_MAX_RESPONSE_BYTES: number = 16 * 1024 * 1024;

/** Options of {@link RentixClient}; every core HTTP option is accepted as well. */
export interface RentixClientOptions
  extends Omit<HttpClientOptions, 'portal' | 'baseUrl' | 'auth' | 'userAgent' | 'errorMessage' | 'rateLimits'> {
  /** The agency's API key. */
  apiKey: string;
  /** Root of the API (default {@link DEFAULT_BASE_URL}). */
  baseUrl?: string | undefined;
  /** How the key is sent: `Authorization: ApiKey <key>` (default) or `X-API-Key: <key>`. Never both. */
  authHeader?: 'Authorization' | 'X-API-Key' | undefined;
  /** `User-Agent` (default `@sync/rentix/<version>`). */
  userAgent?: string | undefined;
  /**
   * Rate-limit buckets: `default` (every call) and `bulk` (bulk calls, which count
   * against both). Defaults to {@link DEFAULT_RATE_LIMITS}; shorten the windows only
   * for a mock portal.
   */
  rateLimits?: Partial<Record<'default' | 'bulk', RateLimit>> | undefined;
  /** Chunking of bulk calls (at most 100 operations and 512 KB per request by default). */
  bulk?: BulkLimits | undefined;
  /** Most bytes read from one response, after decoding (default {@link DEFAULT_MAX_RESPONSE_BYTES}). */
  maxResponseBytes?: number | undefined;
}

/**
 * The Rentix CRM API client. Resources are properties (`rentix.listings.bulk(...)`);
 * every call is validated before it is sent, rate limited, retried when that is safe,
 * and fails with one of core's error classes carrying Rentix's message verbatim.
 *
 * ```ts
 * const rentix = new RentixClient({ apiKey: process.env.RENTIX_API_KEY ?? '' });
 * const { report } = await rentix.initialSync(crmListings, { onProgress: (p) => console.info(p.done) });
 * ```
 */
export class RentixClient {
  /** The HTTP pipeline: subscribe to its `request`, `response`, `retry` and `rateLimited` events. */
  readonly http: HttpClient;
  /** The agency behind the key. */
  readonly agency: AgencyResource;
  /** Agents. */
  readonly users: UsersResource;
  /** Listings, including the bulk endpoint. */
  readonly listings: ListingsResource;
  /** Files uploaded by URL. */
  readonly media: MediaResource;
  /** Background jobs. */
  readonly jobs: JobsResource;
  /** Reference data. */
  readonly reference: ReferenceResource;

  constructor(options: RentixClientOptions) {
    const { apiKey, authHeader, bulk, rateLimits, userAgent, maxResponseBytes, ...rest } = options;
    checkCredentials({ apiKey }, { portal: PORTAL });
    checkOptions(BulkLimitsSchema.optional(), bulk, { portal: PORTAL, operation: 'bulk' });
    const auth =
      authHeader === 'X-API-Key'
        ? apiKeyAuth({ key: apiKey, header: 'X-API-Key' })
        : apiKeyAuth({ key: apiKey, header: 'Authorization', prefix: 'ApiKey' });
    const transport = new Transport({
      ...rest,
      portal: PORTAL,
      baseUrl: options.baseUrl ?? DEFAULT_BASE_URL,
      auth,
      userAgent: userAgent ?? `@sync/rentix/${VERSION}`,
      errorMessage: rentixErrorMessage,
      rateLimits: { ...DEFAULT_RATE_LIMITS, ...rateLimits },
      maxResponseBytes: maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    });
    const limits = bulk ?? {};
    this.http = transport.http;
    this.agency = new AgencyResource(transport);
    this.users = new UsersResource(transport, limits);
    const reference = new ReferenceResource(transport);
    this.listings = new ListingsResource(transport, limits, () => reference.secondaryTypes);
    this.media = new MediaResource(transport, rest.allowInsecureHttp === true);
    this.jobs = new JobsResource(transport);
    this.reference = reference;
  }

  /** {@link initialSync} with this client: connection check, agents by phone, then `syncListings`. */
  initialSync(listings: readonly Listing[], options: InitialSyncOptions = {}): Promise<InitialSyncReport> {
    return initialSync(this, listings, options);
  }

  /** `syncListings` with this client: one change-only round over the CRM's complete current set. */
  continuousSync(listings: readonly Listing[], options: RentixSyncOptions): Promise<RentixSyncReport> {
    return continuousSync(this, listings, options);
  }
}
