import {
  bearerAuth,
  booleanOption,
  checkCredentials,
  checkOptions,
  checkServiceUrl,
  DelayMsSchema,
  HttpClient,
  type HttpEvents,
  ownOption,
  type RateLimit,
  RateLimitSchema,
  type RetryOptions,
  TypedEmitter,
} from '@sync/core';
import { z } from 'zod';
import { clientCredentialsProvider, oauthStrategy } from './auth.js';
import { ClientsResource } from './resources/clients.js';
import { LandlordsResource } from './resources/landlords.js';
import { LeadsResource } from './resources/leads.js';
import { LocationsResource } from './resources/locations.js';
import { PropertiesResource } from './resources/properties.js';
import { UploadsResource } from './resources/uploads.js';
import { UsersResource } from './resources/users.js';
import { type PfCrmEvents, Transport } from './transport.js';
import { DEFAULT_BASE_URL, DEFAULT_TOKEN_URL, DEFAULT_UPLOAD_URL } from './urls.js';
import { VERSION } from './version.js';

/**
 * Default `maxResponseBytes` of a PF CRM client: 16 MiB of decoded body. The largest
 * answers are list pages of at most 100 properties; 100 properties with English and
 * Arabic 4,000-character descriptions and 30 images each come to about 1.3 MB, expanded.
 */
export const DEFAULT_MAX_RESPONSE_BYTES: number = 16 * 1024 * 1024;

/** Options every {@link PfCrmClient} accepts, whatever its credentials. */
export interface PfCrmCommonOptions {
  /** Root of the API (default {@link DEFAULT_BASE_URL}). */
  baseUrl?: string | undefined;
  /**
   * Root of `POST /upload`. Defaults to {@link DEFAULT_UPLOAD_URL} with the default
   * `baseUrl`, and to `baseUrl` itself when that is set (a mock serves both).
   */
  uploadBaseUrl?: string | undefined;
  /** Allows `http:` URLs, e.g. the mock portal on 127.0.0.1. Never for production. */
  allowInsecureHttp?: boolean | undefined;
  /** Limit of one attempt, in milliseconds (default 30 s). */
  timeoutMs?: number | undefined;
  /** Limit of a whole call with its retries, in milliseconds (default 120 s). */
  deadlineMs?: number | undefined;
  /** Retry policy; `false` sends every request once. */
  retry?: Partial<RetryOptions> | false | undefined;
  /**
   * Client-side rate limit of all calls. Property Finder publishes none, so by default
   * ({@link SERVER_RATE_LIMIT}) calls are held only when the server's `X-RateLimit-*`
   * headers say nothing remains; they are followed with a limit set here too.
   */
  rateLimit?: RateLimit | undefined;
  /** Most calls in flight at once. */
  concurrency?: number | undefined;
  /** A `fetch` implementation. */
  fetch?: typeof globalThis.fetch | undefined;
  /** Most bytes read from one response, after decoding (default {@link DEFAULT_MAX_RESPONSE_BYTES}). */
  maxResponseBytes?: number | undefined;
  /** Clock used to decide when the access token is renewed, for tests. */
  now?: (() => number) | undefined;
}

/** The token endpoint of an API served at `baseUrl` (the bundled mock serves it there). */
function tokenUrlBeside(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/auth/oauth/v1/token`;
}

/** Credentials of the OAuth2 client-credentials grant. */
export interface PfCrmCredentialsOptions extends PfCrmCommonOptions {
  /** The API key (client id). */
  apiKey: string;
  /** The API secret; it never appears in errors or events. */
  apiSecret: string;
  /**
   * Token endpoint. Default: {@link DEFAULT_TOKEN_URL}, or `${baseUrl}/auth/oauth/v1/token` when `baseUrl` is
   * given — so a client pointed at a mock or a proxy never sends its credentials to the production token host.
   */
  tokenUrl?: string | undefined;
  /** Renew the token this long before it expires, in milliseconds (default 60 s, or half a short lifetime). */
  refreshMarginMs?: number | undefined;
}

/** An access token obtained elsewhere; it is not renewed. */
export interface PfCrmTokenOptions extends PfCrmCommonOptions {
  /** The bearer token. */
  accessToken: string;
}

/** Options of {@link PfCrmClient}: API credentials, or a ready access token. */
export type PfCrmClientOptions = PfCrmCredentialsOptions | PfCrmTokenOptions;

/**
 * The rate limit of a client given no `rateLimit`: no limit of its own (Property Finder
 * publishes none), only the server's `X-RateLimit-Remaining` and `X-RateLimit-Reset`,
 * with resets taken as at most a minute (and a second) away.
 */
export const SERVER_RATE_LIMIT: RateLimit = { limit: Number.POSITIVE_INFINITY, windowMs: 60_000 };

const FORWARDED: ReadonlyArray<keyof HttpEvents> = ['request', 'response', 'retry', 'rateLimited'];

/** What the client's own options must be; the HTTP options are checked by each pipeline. */
const ClientOptionsSchema = z.looseObject({
  rateLimit: RateLimitSchema.optional(),
  refreshMarginMs: DelayMsSchema.optional(),
});

/**
 * Client of the Property Finder CRM API v2 (myCRM).
 *
 * @example
 * const pf = new PfCrmClient({ apiKey, apiSecret });
 * const page = await pf.properties.list({ filters: { state: 'approved' }, sort: 'price', sortOrder: 'DESC' });
 */
export class PfCrmClient extends TypedEmitter<PfCrmEvents> {
  /** Properties: get, list, iterate, options, create, update, delete, bulk, deleteMany, email. */
  readonly properties: PropertiesResource;
  /** File uploads whose tokens go into properties. */
  readonly uploads: UploadsResource;
  /** Landlords (read). */
  readonly landlords: LandlordsResource;
  /** Leads (read). */
  readonly leads: LeadsResource;
  /** Users, i.e. agents (read). */
  readonly users: UsersResource;
  /** Location search. */
  readonly locations: LocationsResource;
  /** The account's settings (portals, licences, watermark). */
  readonly clients: ClientsResource;
  /** The HTTP pipeline of the API, for events and rate-limit state. */
  readonly http: HttpClient;
  readonly #inner: HttpClient[];
  readonly #forwarded = new Set<keyof HttpEvents>();

  constructor(options: PfCrmClientOptions) {
    super();
    checkOptions(ClientOptionsSchema, options, { portal: 'pfcrm' });
    const baseUrl = options.baseUrl ?? DEFAULT_BASE_URL;
    // Checked before the token URL is derived from it, so an error names the option given.
    checkServiceUrl(baseUrl, {
      field: 'baseUrl',
      portal: 'pfcrm',
      allowInsecureHttp: booleanOption(options, 'allowInsecureHttp', { portal: 'pfcrm' }) === true,
    });
    const uploadBaseUrl = options.uploadBaseUrl ?? (options.baseUrl === undefined ? DEFAULT_UPLOAD_URL : baseUrl);
    const userAgent = `@sync/pfcrm/${VERSION}`;
    const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    let auth: ReturnType<typeof bearerAuth>;
    let secrets: string[];
    const redactors: HttpClient['redactor'][] = [];
    if ('accessToken' in options) {
      checkCredentials({ accessToken: options.accessToken }, { portal: 'pfcrm' });
      auth = bearerAuth(options.accessToken);
      secrets = [options.accessToken];
    } else {
      const provider = clientCredentialsProvider({
        apiKey: options.apiKey,
        apiSecret: options.apiSecret,
        tokenUrl: options.tokenUrl ?? (options.baseUrl === undefined ? DEFAULT_TOKEN_URL : tokenUrlBeside(baseUrl)),
        allowInsecureHttp: ownOption(options, 'allowInsecureHttp'),
        fetch: options.fetch,
        timeoutMs: options.timeoutMs,
        maxResponseBytes,
      });
      auth = oauthStrategy(provider, { now: options.now, refreshMarginMs: options.refreshMarginMs, redactors });
      // The pair as the Basic header carries it: each secret is also registered base64-encoded.
      secrets = [options.apiKey, options.apiSecret, `${options.apiKey}:${options.apiSecret}`];
    }
    const common = {
      portal: 'pfcrm',
      // Passed on as given (core refuses anything but a boolean), but never inherited.
      allowInsecureHttp: ownOption(options, 'allowInsecureHttp'),
      auth,
      userAgent,
      timeoutMs: options.timeoutMs,
      deadlineMs: options.deadlineMs,
      retry: options.retry,
      rateLimits: { default: options.rateLimit ?? SERVER_RATE_LIMIT },
      concurrency: options.concurrency,
      fetch: options.fetch,
      maxResponseBytes,
      secrets,
    };
    this.http = new HttpClient({ ...common, baseUrl });
    const upload = uploadBaseUrl === baseUrl ? this.http : new HttpClient({ ...common, baseUrl: uploadBaseUrl });
    redactors.push(this.http.redactor);
    if (upload !== this.http) redactors.push(upload.redactor);
    this.#inner = [...new Set([this.http, upload])];
    const transport = new Transport(this.http, upload, this);
    this.properties = new PropertiesResource(transport);
    this.uploads = new UploadsResource(transport);
    this.landlords = new LandlordsResource(transport);
    this.leads = new LeadsResource(transport);
    this.users = new UsersResource(transport);
    this.locations = new LocationsResource(transport);
    this.clients = new ClientsResource(transport);
  }

  /**
   * Subscribes to an event. HTTP events are forwarded from the pipelines only once
   * someone listens, so an unobserved client builds no event objects.
   */
  override on<K extends keyof PfCrmEvents>(name: K, listener: (event: PfCrmEvents[K]) => void): () => void {
    const http = name as keyof HttpEvents;
    if (FORWARDED.includes(http) && !this.#forwarded.has(http)) {
      this.#forwarded.add(http);
      for (const client of this.#inner) {
        client.on(http, (event) => {
          if (this.has(http)) this.emit(http, event as never);
        });
      }
    }
    return super.on(name, listener);
  }
}
