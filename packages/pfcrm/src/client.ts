import {
  bearerAuth,
  booleanOption,
  type ClientOptions,
  checkCredentials,
  checkOptions,
  checkServiceUrl,
  DelayMsSchema,
  forwardHttpEvents,
  HttpClient,
  type HttpClientOptions,
  type HttpEvents,
  httpClientOptions,
  ownOption,
  type RateLimit,
  RateLimitSchema,
  TypedEmitter,
} from '@sync/core';
import { z } from 'zod';
import { clientCredentialsProvider, oauthStrategy } from './auth.js';
import { pfErrorMessage } from './errors.js';
import {
  DEFAULT_BASE_URL,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_TOKEN_URL,
  DEFAULT_UPLOAD_URL,
  PORTAL,
  SERVER_RATE_LIMIT,
} from './portal.js';
import { ClientsResource } from './resources/clients.js';
import { LandlordsResource } from './resources/landlords.js';
import { LeadsResource } from './resources/leads.js';
import { LocationsResource } from './resources/locations.js';
import { PropertiesResource } from './resources/properties.js';
import { UploadsResource } from './resources/uploads.js';
import { UsersResource } from './resources/users.js';
import { type PfCrmEvents, Transport } from './transport.js';
import { VERSION } from './version.js';

export { DEFAULT_MAX_RESPONSE_BYTES, SERVER_RATE_LIMIT } from './portal.js';

/** Operation of the token requests in events and errors. */
const TOKEN_OPERATION = 'auth.token';

/**
 * Options every {@link PfCrmClient} accepts, whatever its credentials: the common client
 * options of core (`baseUrl` defaults to {@link DEFAULT_BASE_URL}, `maxResponseBytes` to
 * {@link DEFAULT_MAX_RESPONSE_BYTES}) and PF's own.
 */
export interface PfCrmCommonOptions extends ClientOptions {
  /**
   * Root of `POST /upload`. Defaults to {@link DEFAULT_UPLOAD_URL} with the default
   * `baseUrl`, and to `baseUrl` itself when that is set (a mock serves both).
   */
  uploadBaseUrl?: string | undefined;
  /**
   * Client-side rate limit of all calls. Property Finder publishes none, so by default
   * ({@link SERVER_RATE_LIMIT}) calls are held only when the server's `X-RateLimit-*`
   * headers say nothing remains; they are followed with a limit set here too.
   */
  rateLimit?: RateLimit | undefined;
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
  /**
   * The HTTP pipeline of the API, for events and rate-limit state. Its events include
   * the upload host's requests and the token requests: subscribe here to see them all.
   */
  readonly http: HttpClient;
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
    const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    // Token requests report here until `http` exists, then to it.
    const tokenEvents = new TypedEmitter<HttpEvents>();
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
        events: tokenEvents,
      });
      auth = oauthStrategy(provider, { now: options.now, refreshMarginMs: options.refreshMarginMs, redactors });
      // The pair as the Basic header carries it: each secret is also registered base64-encoded.
      secrets = [options.apiKey, options.apiSecret, `${options.apiKey}:${options.apiSecret}`];
    }
    const common: HttpClientOptions = httpClientOptions(options, {
      portal: PORTAL,
      baseUrl,
      auth,
      userAgent: `@sync/pfcrm/${VERSION}`,
      rateLimits: { default: options.rateLimit ?? SERVER_RATE_LIMIT },
      errorMessage: pfErrorMessage,
      maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
      secrets,
    });
    this.http = new HttpClient(common);
    forwardHttpEvents(tokenEvents, this.http);
    let upload = this.http;
    if (uploadBaseUrl !== baseUrl) {
      // The upload host's events go to `http`, whose logger writes them.
      upload = new HttpClient({ ...common, baseUrl: uploadBaseUrl, logger: false });
      forwardHttpEvents(upload, this.http);
    }
    redactors.push(this.http.redactor);
    if (upload !== this.http) redactors.push(upload.redactor);
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
   * Subscribes to an event: `warning` (the API's `X-MyCRM-API-Warning`), or one of the
   * HTTP events, which are `http`'s.
   *
   * @deprecated for the HTTP events (`request`, `response`, `retry`, `rateLimited`):
   * subscribe to `pf.http` as on every other client.
   */
  override on<K extends keyof PfCrmEvents>(name: K, listener: (event: PfCrmEvents[K]) => void): () => void {
    const http = name as keyof HttpEvents;
    if (name !== 'warning' && !this.#forwarded.has(http)) {
      this.#forwarded.add(http);
      this.http.on(http, (event) => {
        // As before `http` carried them, the client's own HTTP events leave out the token requests.
        if (event.operation !== TOKEN_OPERATION && this.has(http)) this.emit(http, event as never);
      });
    }
    return super.on(name, listener);
  }
}
