import {
  apiKeyAuth,
  type ClientOptions,
  checkCredentials,
  checkOptions,
  HttpClient,
  httpClientOptions,
  type Listing,
  type RateLimit,
} from '@sync/core';
import { type BulkLimits, BulkLimitsSchema } from './bulk.js';
import { rentixErrorMessage } from './errors.js';
import { DEFAULT_BASE_URL, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_RATE_LIMITS, PORTAL } from './portal.js';
import { AgencyResource } from './resources/agency.js';
import { JobsResource } from './resources/jobs.js';
import { ListingsResource } from './resources/listings.js';
import { MediaResource } from './resources/media.js';
import { ReferenceResource } from './resources/reference.js';
import { UsersResource } from './resources/users.js';
import {
  continuousSync,
  type InitialSyncOptions,
  type InitialSyncReport,
  initialSync,
  type RentixSyncOptions,
  type RentixSyncReport,
} from './sync.js';
import { VERSION } from './version.js';

export { DEFAULT_BASE_URL, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_RATE_LIMITS } from './portal.js';

/**
 * Options of {@link RentixClient}: the common client options of core (`baseUrl` defaults
 * to {@link DEFAULT_BASE_URL}, `maxResponseBytes` to {@link DEFAULT_MAX_RESPONSE_BYTES})
 * and Rentix's own.
 */
export interface RentixClientOptions extends ClientOptions {
  /** The agency's API key. */
  apiKey: string;
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
}

/**
 * The Rentix CRM API client. Resources are properties (`rentix.listings.bulk(...)`);
 * every call is validated before it is sent, rate limited, retried when that is safe,
 * and fails with one of core's error classes carrying Rentix's message verbatim.
 *
 * @example
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
    const { apiKey, authHeader, bulk, rateLimits, userAgent } = options;
    checkCredentials({ apiKey }, { portal: PORTAL });
    checkOptions(BulkLimitsSchema.optional(), bulk, { portal: PORTAL, operation: 'bulk' });
    const auth =
      authHeader === 'X-API-Key'
        ? apiKeyAuth({ key: apiKey, header: 'X-API-Key' })
        : apiKeyAuth({ key: apiKey, header: 'Authorization', prefix: 'ApiKey' });
    this.http = new HttpClient(
      httpClientOptions(options, {
        portal: PORTAL,
        baseUrl: DEFAULT_BASE_URL,
        auth,
        userAgent: userAgent ?? `@sync/rentix/${VERSION}`,
        errorMessage: rentixErrorMessage,
        rateLimits: { ...DEFAULT_RATE_LIMITS, ...rateLimits },
        maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
      }),
    );
    const limits = bulk ?? {};
    this.agency = new AgencyResource(this.http);
    this.users = new UsersResource(this.http, limits);
    const reference = new ReferenceResource(this.http);
    this.listings = new ListingsResource(this.http, limits, () => reference.secondaryTypes);
    this.media = new MediaResource(this.http, options.allowInsecureHttp === true);
    this.jobs = new JobsResource(this.http);
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
