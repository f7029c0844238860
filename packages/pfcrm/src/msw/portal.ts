import {
  type InjectedFailure,
  injected429Headers,
  MockPortalBase,
  MockRateWindow,
  type RateHeaderFormat,
  rateLimitHeaders,
} from '@sync/core/msw';
import { PORTALS } from '../schemas/common.js';
import { type PropertyCreateInput, PropertyCreateInputSchema } from '../schemas/property.js';
import { LOCATION_IDS, sampleLocations, sampleSettings, sampleUsers } from './account.js';
import { MockHttpError } from './errors.js';
import { compileFilters, type FilterScope, type FilterTable, sortRecords } from './filters.js';
import { LANDLORD_FILTERS, sampleLandlords } from './landlords.js';
import { LEAD_FILTERS, sampleLeads } from './leads.js';
import {
  ALL_RIGHTS,
  type MockApiClient,
  type MockEmail,
  type MockRequestLog,
  type MockUpload,
  type PfCrmMockPortalOptions,
} from './model.js';
import { patchProperties, rightsForOperations } from './operations.js';
import type { PhpValue } from './php-query.js';
import {
  buildProperty,
  DEFAULT_PROPERTY,
  type MockProperty,
  type MockRecord,
  presentProperty,
  propertyOptions,
  validateEmail,
  validateProperty,
} from './properties.js';
import { PROPERTY_FILTERS, propertySort } from './property-filters.js';

/** Options of {@link PfCrmMockPortal.failNext} (any other value is the error body). */
export interface PfCrmFailNextOptions {
  /** The error body (default `{ code, message }`, the mock's error shape). */
  body?: unknown;
  /**
   * For a 429: the wait its `Retry-After` and `X-RateLimit-*` headers announce, in
   * milliseconds (default 1000). The account's own window is not touched.
   */
  retryAfterMs?: number | undefined;
}

/** The API sends `X-RateLimit-Reset` in seconds from now, and `Retry-After` with a 429. */
const RATE_HEADERS: RateHeaderFormat = { reset: 'seconds', retryAfterWhenLimited: true };

const WARNING_HEADER = 'x-mycrm-api-warning';
const EXPAND_HEADER = 'x-mycrm-expand-data';

function isFailNextOptions(value: unknown): value is PfCrmFailNextOptions {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => k === 'body' || k === 'retryAfterMs');
}

/**
 * An in-memory Property Finder CRM account behind the MSW handlers: credentials and
 * tokens with rights, properties with every documented filter and sort (and the API's
 * refusals), pagination and bulk actions, landlords and leads with their filters, users,
 * locations, client settings, uploads and e-mails, plus fault switches. Its state is
 * public for assertions and {@link reset} restores the start state.
 */
export class PfCrmMockPortal extends MockPortalBase<MockRequestLog, unknown> {
  /** Properties by id. */
  readonly properties = new Map<number, MockProperty>();
  /** Landlords. */
  landlords: MockRecord[] = [];
  /** Leads. */
  leads: MockRecord[] = [];
  /** Users (agents). */
  users: MockRecord[] = [];
  /** Locations. */
  locations: MockRecord[] = [];
  /** The `GET /clients/settings` body; its enabled `portals` are the ones publication actions accept. */
  settings: Record<string, unknown> = {};
  /** Uploads by token. */
  readonly uploads = new Map<string, MockUpload>();
  /** E-mails accepted by `POST /properties/email`. */
  emails: MockEmail[] = [];
  /** Token requests received. */
  tokenRequests = 0;
  /** Account-wide settings changed by `/listing_level` and `/renewal` operations. */
  account: { listingLevel?: unknown; renewal?: unknown } = {};
  /** Text sent in `X-MyCRM-API-Warning` with every API response while set. */
  warning: string | undefined;
  /** PHP's `max_input_vars` the handlers decode queries with. */
  readonly maxInputVars: number;

  readonly #options: PfCrmMockPortalOptions;
  readonly #now: () => number;
  #clients: MockApiClient[] = [];
  #tokens = new Map<string, { rights: ReadonlySet<string>; expiresAt: number }>();
  #nextId = 1;
  #tokenCounter = 0;
  readonly #window = new MockRateWindow(() => this.#options.rateLimit ?? { limit: 10_000, windowMs: 60_000 });

  constructor(options: PfCrmMockPortalOptions = {}) {
    super();
    this.#options = options;
    this.#now = options.now ?? (() => Date.now());
    this.maxInputVars = options.maxInputVars ?? 1000;
    this.reset();
  }

  /**
   * Restores the start state: sample users, landlords, leads, locations and settings; no
   * properties; no faults. Tokens already issued stay valid (see {@link revokeTokens}).
   */
  reset(): void {
    this.properties.clear();
    this.uploads.clear();
    this.emails = [];
    this.resetMock();
    this.tokenRequests = 0;
    this.account = {};
    this.warning = undefined;
    this.#clients = [...(this.#options.clients ?? [{ apiKey: 'test-key', apiSecret: 'test-secret' }])];
    this.#nextId = 1;
    this.#window.reset();
    this.users = sampleUsers();
    this.landlords = sampleLandlords();
    this.leads = sampleLeads();
    this.locations = sampleLocations();
    this.settings = sampleSettings();
  }

  // ------------------------------------------------------------ switches

  /**
   * The next `count` API calls fail with `status` and a body (default the mock's error shape):
   * the third argument is the body, or {@link PfCrmFailNextOptions} (`{ body, retryAfterMs }`).
   * A 429 carries `Retry-After` and `X-RateLimit-*` headers announcing `retryAfterMs` (default
   * 1 s), so a client waits that long, not for the account's window.
   *
   * @example
   * ```ts
   * portal.failNext(1, 429, { retryAfterMs: 200 });
   * portal.failNext(1, 422, { code: 422, message: 'the account is suspended' });
   * ```
   */
  failNext(count: number, status = 500, bodyOrOptions?: unknown): void {
    const { body, retryAfterMs } = isFailNextOptions(bodyOrOptions) ? bodyOrOptions : { body: bodyOrOptions };
    this.injectFailures(count, status, { retryAfterMs, detail: body });
  }

  /** Adds accepted credentials. */
  addClient(client: MockApiClient): void {
    this.#clients.push(client);
  }

  /** Makes every issued token invalid, as if they had expired. */
  revokeTokens(): void {
    this.#tokens.clear();
  }

  /** Tokens currently valid. */
  get activeTokens(): number {
    const now = this.#now();
    return [...this.#tokens.values()].filter((t) => t.expiresAt > now).length;
  }

  // ------------------------------------------------------------ data

  /**
   * Stores a property built from a valid create input (or a partial one: defaults fill
   * the rest) and returns it. `stored` sets fields the API fills itself or that no create
   * carries (`import`, `quality_score`, `listing_level`, `transactions`, `verification`,
   * `layout`, `plot_number`, `dewa_number`, `project_name`, `color`, `listing_expiry_date`,
   * `published_at: { bayut: '2024-01-02T…' }`, …), so every filter can be exercised.
   */
  addProperty(
    input: Partial<PropertyCreateInput> & Record<string, unknown> = {},
    stored: Record<string, unknown> = {},
  ): MockProperty {
    const parsed = PropertyCreateInputSchema.parse({ ...DEFAULT_PROPERTY, ...input });
    const property = this.#store(parsed as unknown as Record<string, unknown>, undefined);
    Object.assign(property, stored, { id: property.id });
    return property;
  }

  /** Stores `count` varied properties (types, prices, rooms, states, dates, locations, users), for lists and benchmarks. */
  seedProperties(count: number): MockProperty[] {
    const out: MockProperty[] = [];
    const states = ['draft', 'pending', 'approved', 'refused', 'archived'];
    const statuses = ['available', 'rented', 'sold', 'reserved'];
    for (let i = 0; i < count; i++) {
      const rent = i % 2 === 0;
      const property = this.addProperty({
        reference: `SEED-${i + 1}`,
        type: (i % 3) + 1,
        size: 50 + (i % 50) * 10,
        bedrooms: i % 6,
        bathrooms: (i % 4) + 1,
        status: 'available',
        user: (i % 2) + 1,
        location: { id: LOCATION_IDS[i % LOCATION_IDS.length] ?? 'are.3.12' },
        price: rent
          ? { offering: 'rent', default_period: 'year', prices: [{ period: 'year', value: 50_000 + (i % 20) * 5_000 }] }
          : { offering: 'sale', value: 500_000 + (i % 40) * 50_000 },
        languages: { en: { title: `Property ${i + 1}`, description: 'Generated for tests' } },
        publication: i % 3 === 0 ? { propertyfinder: true } : {},
      });
      property.state = states[i % states.length];
      property.status = statuses[i % statuses.length];
      const created = new Date(Date.UTC(2023, i % 12, (i % 28) + 1)).toISOString();
      property.created_at = created;
      property.updated_at = created;
      out.push(property);
    }
    return out;
  }

  #store(input: Record<string, unknown>, existing: MockProperty | undefined): MockProperty {
    const id = existing?.id ?? this.#nextId++;
    const property = buildProperty(id, input, existing, {
      now: this.#now(),
      locations: this.locations,
      nextImageId: () => this.#nextId++,
    });
    this.properties.set(id, property);
    return property;
  }

  #scope(): FilterScope {
    return { now: this.#now(), properties: this.properties, leads: this.leads, landlords: this.landlords };
  }

  // ------------------------------------------------------------ protocol (used by the handlers)

  /**
   * What every API call goes through before its route, in the API's order: the request log,
   * latency, the fault switches, the rate limit. Returns the answer to send instead (a dropped
   * connection is `Response.error()`), or the headers every answer to the call carries.
   */
  async admit(request: Request): Promise<{ response: Response } | { headers: Record<string, string> }> {
    const url = new URL(request.url);
    this.requests.push({
      method: request.method,
      path: url.pathname,
      search: url.search,
      expand: request.headers.get(EXPAND_HEADER),
    });
    await this.applyLatency();
    const fault = this.nextFault();
    if (fault && 'drop' in fault) return { response: Response.error() };
    const limit = this.rateLimit();
    const warning: Record<string, string> = this.warning === undefined ? {} : { [WARNING_HEADER]: this.warning };
    if (fault) {
      // Other injected failures carry no rate-limit headers: a client would read X-RateLimit-Reset as a wait.
      const headers = fault.status === 429 ? this.#injected429(fault) : {};
      const body = fault.detail ?? { code: fault.status, message: `injected failure ${fault.status}` };
      return { response: Response.json(body, { status: fault.status, headers: { ...warning, ...headers } }) };
    }
    const headers = { ...limit.headers, ...warning };
    if (limit.limited) {
      return { response: Response.json({ code: 429, message: 'rate limit exceeded' }, { status: 429, headers }) };
    }
    return { headers };
  }

  #injected429(failure: InjectedFailure<unknown>): Record<string, string> {
    return injected429Headers(failure.retryAfterMs, Date.now(), this.#window.peek(), RATE_HEADERS);
  }

  /** Applies the fault switches; returns what to do instead of answering normally. */
  takeFault(): { drop: true } | { status: number; body: unknown } | undefined {
    const fault = this.nextFault();
    if (!fault || 'drop' in fault) return fault;
    return {
      status: fault.status,
      body: fault.detail ?? { code: fault.status, message: `injected failure ${fault.status}` },
    };
  }

  /** Counts a call against the rate limit; returns the `X-RateLimit-*` headers and whether the call is refused. */
  rateLimit(): { headers: Record<string, string>; limited: boolean } {
    const state = this.#window.take();
    return { limited: state.limited, headers: rateLimitHeaders(state, RATE_HEADERS) };
  }

  /** Issues a token for Basic credentials; throws 401 for unknown ones. */
  issueToken(
    authorization: string | null,
    body: unknown,
  ): { access_token: string; token_type: 'Bearer'; expires_in: number } {
    this.tokenRequests++;
    const match = /^Basic\s+(.+)$/i.exec(authorization ?? '');
    const decoded = match?.[1] ? Buffer.from(match[1], 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    const key = decoded.slice(0, colon);
    const secret = decoded.slice(colon + 1);
    const client = colon > 0 ? this.#clients.find((c) => c.apiKey === key && c.apiSecret === secret) : undefined;
    if (!client) throw new MockHttpError(401, 'invalid client credentials');
    if (!body || typeof body !== 'object' || (body as { grant_type?: unknown }).grant_type !== 'client_credentials') {
      throw new MockHttpError(400, 'grant_type must be client_credentials', [
        { field: 'grant_type', message: 'unsupported grant type' },
      ]);
    }
    const lifetime = this.#options.tokenLifetimeSeconds ?? 1800;
    this.#tokenCounter++;
    const token = `mock-token-${this.#tokenCounter}-${Math.random().toString(36).slice(2, 10)}`;
    this.#tokens.set(token, { rights: new Set(client.rights ?? ALL_RIGHTS), expiresAt: this.#now() + lifetime * 1000 });
    return { access_token: token, token_type: 'Bearer', expires_in: lifetime };
  }

  /** Checks a bearer token and its rights; throws 401 or 403. */
  authorize(authorization: string | null, rights: readonly string[]): void {
    const token = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1];
    const entry = token ? this.#tokens.get(token) : undefined;
    if (!entry || entry.expiresAt <= this.#now()) throw new MockHttpError(401, 'invalid or expired access token');
    const missing = rights.filter((r) => !entry.rights.has(r));
    if (missing.length > 0) throw new MockHttpError(403, `missing right ${missing.join(', ')}`);
  }

  /** The `OPTIONS /properties` body. */
  configuration(): Record<string, unknown> {
    return propertyOptions();
  }

  /** Validates a create (or update) body as the API does; throws 400/422 with field errors. */
  validateProperty(body: unknown, update: boolean): Record<string, unknown> {
    return validateProperty(body, update, {
      now: this.#now(),
      locations: this.locations,
      uploadedAt: (token) => this.uploads.get(token)?.createdAt,
    });
  }

  /** `POST /properties`. */
  create(body: unknown): MockProperty {
    return this.#store(this.validateProperty(body, false), undefined);
  }

  /** `PUT /properties`. */
  update(body: unknown): MockProperty {
    const data = this.validateProperty(body, true);
    const existing = this.properties.get(data.id as number);
    if (!existing) throw new MockHttpError(404, `property ${String(data.id)} not found`);
    const { id: _id, floor_plans, ...rest } = data;
    const stored = this.#store(rest, existing);
    if (Array.isArray(floor_plans)) stored.floor_plans = floor_plans;
    return stored;
  }

  /** `GET /properties/{id}`. */
  get(id: number): MockProperty {
    const property = this.properties.get(id);
    if (!property) throw new MockHttpError(404, `property ${id} not found`);
    return property;
  }

  /** `DELETE /properties/{id}`. */
  deleteOne(id: number): void {
    if (!this.properties.delete(id)) throw new MockHttpError(404, `property ${id} not found`);
  }

  /** `DELETE /properties`: deletes the listed ids — or, as documented, EVERY property when the list is empty or missing. */
  deleteMany(body: unknown): void {
    const ids = body && typeof body === 'object' ? (body as { properties?: unknown }).properties : undefined;
    if (!Array.isArray(ids) || ids.length === 0) {
      this.properties.clear();
      return;
    }
    for (const id of ids) this.properties.delete(Number(id));
  }

  /** Rights needed by a `PATCH /properties` body. */
  rightsForOperations(body: unknown): string[] {
    return rightsForOperations(body);
  }

  /**
   * `PATCH /properties` (and `/properties/{id}`): validates every operation, then applies
   * them all; a 422 names each refused operation (`operations.2.path`) and applies none.
   */
  patch(body: unknown, onlyId?: number): void {
    const portals = (this.settings.portals as Array<{ code?: unknown; enabled?: unknown }> | undefined) ?? [];
    patchProperties(
      body,
      {
        properties: this.properties,
        now: this.#now(),
        nextId: () => this.#nextId++,
        account: this.account,
        enabledPortals: new Set(portals.filter((p) => p.enabled !== false).map((p) => String(p.code))),
      },
      onlyId,
    );
  }

  /** `POST /properties/email`. */
  email(body: unknown): void {
    this.emails.push(validateEmail(body, this.properties));
  }

  /** `POST /upload`: the token can be put in a property for 24 hours, on the portal's clock. */
  upload(type: string | null, file: unknown): MockUpload {
    const types = ['property_image', 'landlord_document', 'user_avatar', 'client_logo', 'client_watermark'];
    if (!type || !types.includes(type)) {
      throw new MockHttpError(400, `type must be one of ${types.join(', ')}`, [{ field: 'type', message: 'invalid' }]);
    }
    if (!(file instanceof Blob) || file.size === 0) {
      throw new MockHttpError(400, 'a non-empty multipart field "file" is required', [
        { field: 'file', message: 'missing' },
      ]);
    }
    this.#tokenCounter++;
    const upload: MockUpload = {
      token: `upload-${this.#tokenCounter}-${Math.random().toString(36).slice(2, 10)}`,
      type,
      filename: file instanceof File ? file.name : 'upload',
      size: file.size,
      contentType: file.type,
      createdAt: this.#now(),
    };
    this.uploads.set(upload.token, upload);
    return upload;
  }

  /** A property as the API sends it: relations collapsed to ids and images left out unless expanded. */
  present(property: MockProperty, expand: string | null): Record<string, unknown> {
    return presentProperty(property, expand, this.users);
  }

  /** Portals the mock knows. */
  static readonly portals: readonly string[] = PORTALS;

  /**
   * Properties matching PHP-decoded `filters`, sorted: every filter and sort of the seed
   * with its meaning; throws a 400 naming each field the API refuses (bounds, unknown
   * values and names, publication dates or sort without the portal filter).
   */
  query(filters: PhpValue | undefined, sort: string | undefined, order: string | undefined): MockProperty[] {
    return this.#list(PROPERTY_FILTERS, [...this.properties.values()], filters, sort, order) as MockProperty[];
  }

  /** Leads matching PHP-decoded `filters` (`GET /leads`); a 400 names each refused field. */
  queryLeads(filters: PhpValue | undefined): MockRecord[] {
    return this.#list(LEAD_FILTERS, this.leads, filters, undefined, undefined);
  }

  /** Landlords matching PHP-decoded `filters` (`GET /landlords`); a 400 names each refused field. */
  queryLandlords(filters: PhpValue | undefined): MockRecord[] {
    return this.#list(LANDLORD_FILTERS, this.landlords, filters, undefined, undefined);
  }

  #list(
    table: FilterTable,
    records: MockRecord[],
    filters: PhpValue | undefined,
    sort: string | undefined,
    order: string | undefined,
  ): MockRecord[] {
    const scope = this.#scope();
    const compiled = compileFilters(table, filters, scope);
    if (order !== undefined && !/^(asc|desc)$/i.test(order)) {
      throw new MockHttpError(400, 'invalid sort', [{ field: 'sort_order', message: 'must be ASC or DESC' }]);
    }
    const found = records.filter(compiled.test);
    const descending = order?.toUpperCase() === 'DESC';
    // Records are kept in id order, the API's default.
    if (sort === undefined && !descending) return found;
    const key = sort === undefined ? (r: Record<string, unknown>) => r.id : propertySort(sort, compiled.values);
    return sortRecords(found, key, descending, scope, compiled.values);
  }
}
