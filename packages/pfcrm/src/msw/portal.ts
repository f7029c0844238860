import type { FaultPlan } from '@sync/core/msw';
import { PORTALS } from '../schemas/common.js';
import { type PropertyCreateInput, PropertyCreateInputSchema } from '../schemas/property.js';
import { LOCATION_IDS, sampleLocations, sampleSettings, sampleUsers } from './account.js';
import { MockHttpError } from './errors.js';
import { compileFilters, type FilterScope, type FilterTable, sortRecords } from './filters.js';
import { LANDLORD_FILTERS, sampleLandlords } from './landlords.js';
import { LEAD_FILTERS, sampleLeads } from './leads.js';
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

/** Every right the mock knows; a client with all of them may call every endpoint. */
export const ALL_RIGHTS = [
  'property.read',
  'property.update',
  'property.update.other',
  'property.approve',
  'landlord.read',
  'landlord.update.other',
  'lead.read',
  'user.read',
  'user.update',
] as const;

/** API credentials the mock accepts, with the rights their tokens carry. */
export interface MockApiClient {
  /** Client id. */
  apiKey: string;
  /** Client secret. */
  apiSecret: string;
  /** Rights of the tokens issued to it (default: {@link ALL_RIGHTS}). */
  rights?: readonly string[] | undefined;
}

/** Options of {@link PfCrmMockPortal}. */
export interface PfCrmMockPortalOptions {
  /** Accepted credentials (default: one client `test-key` / `test-secret` with every right). */
  clients?: readonly MockApiClient[] | undefined;
  /** Lifetime of issued tokens in seconds (default 1800, as the real API). */
  tokenLifetimeSeconds?: number | undefined;
  /** Requests allowed per window on the API (default 10 000 per minute). */
  rateLimit?: { limit: number; windowMs: number } | undefined;
  /** Clock of tokens, upload tokens (24 h), `current_month`, build years and license expiries (default `Date.now`). */
  now?: (() => number) | undefined;
  /** PHP's `max_input_vars`: query variables read before the rest is silently dropped (default 1000). */
  maxInputVars?: number | undefined;
}

/** A request the mock received. */
export interface MockRequestLog {
  /** HTTP method. */
  method: string;
  /** Path of the URL. */
  path: string;
  /** Query string, with `?`, or `''`. */
  search: string;
  /** The `X-MyCRM-Expand-Data` header, if sent. */
  expand: string | null;
}

/** An e-mail the mock accepted. */
export interface MockEmail {
  /** Property ids. */
  properties: number[];
  /** Recipients. */
  to: string[];
  /** Subject. */
  subject: string;
  /** Body. */
  body: string;
  /** Copy to the sender. */
  copy: boolean;
  /** Language. */
  language: string;
}

/** An upload the mock holds. */
export interface MockUpload {
  /** Token to put in a property (for 24 hours after `createdAt`). */
  token: string;
  /** Upload type. */
  type: string;
  /** File name. */
  filename: string;
  /** Size in bytes. */
  size: number;
  /** Media type. */
  contentType: string;
  /** When it was uploaded, on the portal's clock (milliseconds). */
  createdAt: number;
}

/**
 * An in-memory Property Finder CRM account behind the MSW handlers: credentials and
 * tokens with rights, properties with every documented filter and sort (and the API's
 * refusals), pagination and bulk actions, landlords and leads with their filters, users,
 * locations, client settings, uploads and e-mails, plus fault switches. Its state is
 * public for assertions and {@link reset} restores the start state.
 *
 * @example
 * const portal = new PfCrmMockPortal();
 * portal.seedProperties(20);
 * // … run the code under test against createPfCrmHandlers({ portal }), then:
 * expect(portal.properties.size).toBe(20);
 */
export class PfCrmMockPortal {
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
  /** Every API request received, oldest first (token requests excluded). */
  requests: MockRequestLog[] = [];
  /** Token requests received. */
  tokenRequests = 0;
  /** Account-wide settings changed by `/listing_level` and `/renewal` operations. */
  account: { listingLevel?: unknown; renewal?: unknown } = {};
  /** Text sent in `X-MyCRM-API-Warning` with every API response while set. */
  warning: string | undefined;
  /** Delay before each answer, in milliseconds. */
  latencyMs = 0;
  /** PHP's `max_input_vars` the handlers decode queries with. */
  readonly maxInputVars: number;
  /**
   * Faults chosen per API call (e.g. `seededFaults({ seed, rate })` from `@sync/core/msw`),
   * after the `failNext`/`dropNext` switches; asked once for every call.
   */
  faultPlan: FaultPlan | undefined;

  readonly #options: PfCrmMockPortalOptions;
  readonly #now: () => number;
  #clients: MockApiClient[] = [];
  #tokens = new Map<string, { rights: ReadonlySet<string>; expiresAt: number }>();
  #nextId = 1;
  #tokenCounter = 0;
  #failures: Array<{ status: number; body: unknown }> = [];
  #drops = 0;
  #window = { start: 0, used: 0 };

  constructor(options: PfCrmMockPortalOptions = {}) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
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
    this.requests = [];
    this.tokenRequests = 0;
    this.account = {};
    this.warning = undefined;
    this.latencyMs = 0;
    this.faultPlan = undefined;
    this.#clients = [...(this.#options.clients ?? [{ apiKey: 'test-key', apiSecret: 'test-secret' }])];
    this.#nextId = 1;
    this.#failures = [];
    this.#drops = 0;
    this.#window = { start: 0, used: 0 };
    this.users = sampleUsers();
    this.landlords = sampleLandlords();
    this.leads = sampleLeads();
    this.locations = sampleLocations();
    this.settings = sampleSettings();
  }

  // ------------------------------------------------------------ switches

  /** The next `count` API calls fail with `status` (and `body`, default the mock's error shape). */
  failNext(count: number, status = 500, body?: unknown): void {
    for (let i = 0; i < count; i++) this.#failures.push({ status, body });
  }

  /** The next `count` API calls lose their connection without an answer. */
  dropNext(count: number): void {
    this.#drops += count;
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

  /** Applies the fault switches; returns what to do instead of answering normally. */
  takeFault(): { drop: true } | { status: number; body: unknown } | undefined {
    const planned = this.faultPlan?.next();
    if (this.#drops > 0) {
      this.#drops--;
      return { drop: true };
    }
    const failure: { status: number; body?: unknown } | undefined =
      this.#failures.shift() ?? (planned && 'status' in planned ? { status: planned.status } : undefined);
    if (failure) {
      return {
        status: failure.status,
        body: failure.body ?? { code: failure.status, message: `injected failure ${failure.status}` },
      };
    }
    return planned && 'drop' in planned ? { drop: true } : undefined;
  }

  /** Counts a call against the rate limit; returns the `X-RateLimit-*` headers and whether the call is refused. */
  rateLimit(): { headers: Record<string, string>; limited: boolean } {
    const { limit, windowMs } = this.#options.rateLimit ?? { limit: 10_000, windowMs: 60_000 };
    const now = Date.now();
    if (now - this.#window.start >= windowMs) this.#window = { start: now, used: 0 };
    const resetS = Math.max(1, Math.ceil((this.#window.start + windowMs - now) / 1000));
    const limited = this.#window.used >= limit;
    if (!limited) this.#window.used++;
    return {
      limited,
      headers: {
        'X-RateLimit-Limit': String(limit),
        'X-RateLimit-Remaining': String(Math.max(0, limit - this.#window.used)),
        'X-RateLimit-Reset': String(resetS),
        ...(limited ? { 'Retry-After': String(resetS) } : {}),
      },
    };
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
