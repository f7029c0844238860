import type { FaultPlan } from '@sync/core/msw';
import { describeOperation, operationIssues, type PropertyOperation } from '../operations.js';
import {
  type PropertyCreateInput,
  PropertyCreateInputSchema,
  PropertyEmailInputSchema,
  PropertyUpdateInputSchema,
} from '../schemas/property.js';

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
  /** Clock, for token expiry in tests (default `Date.now`). */
  now?: (() => number) | undefined;
}

/** A property as the mock stores it: the response shape. */
export type MockProperty = Record<string, unknown> & { id: number };

/** A record the mock serves read-only (landlord, lead, user, location). */
export type MockRecord = Record<string, unknown> & { id: number | string };

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
  /** Token to put in a property. */
  token: string;
  /** Upload type. */
  type: string;
  /** File name. */
  filename: string;
  /** Size in bytes. */
  size: number;
  /** Media type. */
  contentType: string;
}

/** Field-level problem in a mock error body. */
export interface MockFieldError {
  /** Dotted field path. */
  field: string;
  /** What is wrong. */
  message: string;
}

/** The error body every mock error uses: `{ code, message, errors? }`. */
export interface MockErrorBody {
  /** HTTP status. */
  code: number;
  /** Explanation. */
  message: string;
  /** Field problems of a validation error. */
  errors?: MockFieldError[] | undefined;
}

/** An error the mock answers with. */
export class MockHttpError extends Error {
  /** HTTP status. */
  readonly status: number;
  /** Body sent. */
  readonly body: MockErrorBody;
  constructor(status: number, message: string, errors?: MockFieldError[]) {
    super(message);
    this.status = status;
    this.body = errors ? { code: status, message, errors } : { code: status, message };
  }
}

/** Property types of the mock account (as `OPTIONS /properties` lists them). */
export const MOCK_TYPES = [
  { id: 1, name: 'Apartment', category: 'residential', for_rent: true, for_sale: true },
  { id: 2, name: 'Villa', category: 'residential', for_rent: true, for_sale: true },
  { id: 3, name: 'Office', category: 'commercial', for_rent: true, for_sale: true },
  { id: 4, name: 'Land', category: 'residential', for_rent: false, for_sale: true },
] as const;

/** Amenities of the mock account. */
export const MOCK_AMENITIES = [
  { id: 1, name: 'Swimming pool', for_residential: true, for_commercial: true },
  { id: 2, name: 'Balcony', for_residential: true, for_commercial: false },
  { id: 3, name: 'Shared gym', for_residential: true, for_commercial: true },
  { id: 4, name: 'Conference room', for_residential: false, for_commercial: true },
] as const;

const PORTALS = ['propertyfinder', 'dubizzle', 'justrentals', 'justproperty', 'bayut', 'gulfnews', 'whitelabel'];
const CITY_LOCATIONS: MockRecord[] = [
  {
    id: 'are.3.12',
    city: 'Dubai',
    community: 'Jumeirah Lake Towers',
    sub_community: 'Cluster T',
    tower: null,
    latitude: 25.07,
    longitude: 55.14,
  },
  {
    id: 'are.3.15',
    city: 'Dubai',
    community: 'Dubai Marina',
    sub_community: null,
    tower: null,
    latitude: 25.08,
    longitude: 55.14,
  },
  {
    id: 'are.5.2',
    city: 'Abu Dhabi',
    community: 'Al Reem Island',
    sub_community: null,
    tower: null,
    latitude: 24.5,
    longitude: 54.4,
  },
];

function today(now: number): string {
  return new Date(now).toISOString();
}

function num(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  return undefined;
}

/** The rights `PATCH /properties` needs for an operation kind. */
function rightsFor(kind: string | undefined): string[] {
  if (kind === 'state') return ['property.update', 'property.approve'];
  if (kind === 'assignment' || kind === 'rera') return ['property.update', 'user.update', 'property.update.other'];
  return ['property.update'];
}

/**
 * An in-memory Property Finder CRM account behind the MSW handlers: credentials and
 * tokens with rights, properties with filters, sorting, pagination and bulk actions,
 * landlords, leads, users, locations, uploads and e-mails, plus fault switches. Its
 * state is public for assertions and {@link reset} restores the start state.
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
    this.reset();
  }

  /**
   * Restores the start state: sample users, landlords, leads, locations; no properties;
   * no faults. Tokens already issued stay valid (see {@link revokeTokens}).
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
    this.users = [
      { id: 1, first_name: 'Amal', last_name: 'Haddad', email: 'amal@example.com', phone: '+971500000001' },
      { id: 2, first_name: 'Omar', last_name: 'Nasser', email: 'omar@example.com', phone: '+971500000002' },
    ];
    this.landlords = [
      {
        id: 1,
        first_name: 'Lina',
        last_name: 'Saleh',
        email: 'lina@example.com',
        mobile: '+971500000011',
        nationality: 'AE',
        user: { id: 1 },
        updated_at: '2024-01-10T00:00:00Z',
      },
      {
        id: 2,
        first_name: 'Karim',
        last_name: 'Aziz',
        email: 'karim@example.com',
        mobile: '+971500000012',
        nationality: 'EG',
        user: { id: 2 },
        updated_at: '2024-03-10T00:00:00Z',
      },
    ];
    this.leads = [
      {
        id: 1,
        user: { id: 1 },
        first_name: 'Sara',
        email: 'sara@example.com',
        phone: '+971500000021',
        preferences: [],
      },
      {
        id: 2,
        user: { id: 2 },
        first_name: 'Yusuf',
        email: 'yusuf@example.com',
        phone: '+971500000022',
        preferences: [],
      },
    ];
    this.locations = CITY_LOCATIONS.map((l) => ({ ...l }));
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

  /** Stores a property built from a valid create input (or a partial one: defaults fill the rest); returns it. */
  addProperty(input: Partial<PropertyCreateInput> & Record<string, unknown> = {}): MockProperty {
    const base: PropertyCreateInput = {
      draft: false,
      size: 100,
      type: 1,
      status: 'available',
      bedrooms: 1,
      bathrooms: 1,
      languages: { en: { title: 'A property', description: 'A description' } },
      location: { id: 'are.3.12' },
      price: { offering: 'sale', value: 1_000_000 },
    };
    const parsed = PropertyCreateInputSchema.parse({ ...base, ...input });
    return this.#store(parsed as unknown as Record<string, unknown>, undefined);
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
        location: { id: CITY_LOCATIONS[i % CITY_LOCATIONS.length]?.id ?? 'are.3.12' },
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
    const now = today(this.#now());
    const { languages, publication, images, user, landlord, price, ...rest } = input as Record<string, unknown> & {
      languages: Record<string, { title: string; description: string }>;
      publication?: Record<string, boolean>;
      images?: Array<{ token?: string; id?: number | string; order?: number }>;
      price: Record<string, unknown>;
    };
    const published = new Set<string>((existing?.publication as string[] | undefined) ?? []);
    for (const [portal, on] of Object.entries(publication ?? {})) {
      if (on) published.add(portal);
      else published.delete(portal);
    }
    const oldImages = (existing?.images as Array<{ id: number }> | undefined) ?? [];
    const property: MockProperty = {
      ...rest,
      id,
      reference: (input.reference as string | null | undefined) ?? existing?.reference ?? `PF-${id}`,
      state: existing?.state ?? (input.draft ? 'draft' : 'pending'),
      user: typeof user === 'number' ? { id: user } : (existing?.user ?? { id: 1 }),
      landlord: typeof landlord === 'number' ? { id: landlord } : (existing?.landlord ?? null),
      price: price.offering === 'sale' ? { type: 'sale', ...price } : { type: 'rent', ...price },
      languages: Object.entries(languages).map(([lang, d]) => ({ lang, title: d.title, description: d.description })),
      publication: [...published],
      images: (images ?? []).map((image, i) => {
        if (image.token !== undefined) return { id: this.#nextId++, order: image.order ?? i + 1, watermark: false };
        const kept = oldImages.find((o) => o.id === Number(image.id));
        return { ...(kept ?? { id: Number(image.id) }), order: image.order ?? i + 1 };
      }),
      floor_plans: (existing?.floor_plans as unknown[] | undefined) ?? [],
      verification: (existing?.verification as unknown[] | undefined) ?? [],
      duplicated_list: (existing?.duplicated_list as unknown[] | undefined) ?? [],
      listing_level: existing?.listing_level ?? null,
      quality_score: existing?.quality_score ?? 50,
      created_at: existing?.created_at ?? now,
      updated_at: now,
      deleted_at: null,
    };
    this.properties.set(id, property);
    return property;
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
    return {
      configuration: {
        type: MOCK_TYPES.map((t) => ({ ...t })),
        amenity: MOCK_AMENITIES.map((a) => ({ ...a })),
        category: ['residential', 'commercial'],
        state: ['draft', 'pending', 'approved', 'refused', 'archived'],
        status: ['draft', 'available', 'rented', 'under offer', 'reserved', 'sold'],
        furnished: ['furnished', 'unfurnished', 'semi-furnished'],
        freehold: ['Free-hold', 'Non Free-hold', 'Lease hold'],
        offering_type: ['rent', 'sale'],
      },
      methods: {
        GET: { description: 'Get a single property' },
        POST: { description: 'Create a property' },
        PATCH: { description: 'Apply an action on a property' },
        PUT: { description: 'Update a property' },
        DELETE: { description: 'Delete a property' },
      },
    };
  }

  /** Validates a create (or update) body as the API does; throws 422 with field errors. */
  validateProperty(body: unknown, update: boolean): Record<string, unknown> {
    const wrapped = body && typeof body === 'object' ? (body as { property?: unknown }).property : undefined;
    if (!wrapped || typeof wrapped !== 'object') {
      throw new MockHttpError(400, 'the body must be { "property": { … } }');
    }
    const result = (update ? PropertyUpdateInputSchema : PropertyCreateInputSchema).safeParse(wrapped);
    if (!result.success) {
      throw new MockHttpError(
        422,
        'validation failed',
        result.error.issues.map((i) => ({ field: i.path.map(String).join('.'), message: i.message })),
      );
    }
    const data = result.data as Record<string, unknown> & { type: number; images?: Array<{ token?: string }> };
    const errors: MockFieldError[] = [];
    if (!MOCK_TYPES.some((t) => t.id === data.type)) errors.push({ field: 'type', message: 'unknown property type' });
    (data.images ?? []).forEach((image, i) => {
      if (image.token !== undefined && !this.uploads.has(image.token)) {
        errors.push({ field: `images.${i}.token`, message: 'unknown or expired upload token' });
      }
    });
    if (errors.length) throw new MockHttpError(422, 'validation failed', errors);
    return data;
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
    const operations = body && typeof body === 'object' ? (body as { operations?: unknown }).operations : undefined;
    const needed = new Set<string>(['property.update']);
    if (Array.isArray(operations)) {
      for (const op of operations) for (const r of rightsFor(describeOperation(op as object)?.kind)) needed.add(r);
    }
    return [...needed];
  }

  /** `PATCH /properties` (and `/properties/{id}`): validates every operation, then applies them all. */
  patch(body: unknown, onlyId?: number): void {
    const operations = body && typeof body === 'object' ? (body as { operations?: unknown }).operations : undefined;
    if (!Array.isArray(operations) || operations.length === 0) {
      throw new MockHttpError(400, 'the body must be { "operations": [ … ] }');
    }
    const errors: MockFieldError[] = [];
    operations.forEach((op, i) => {
      for (const issue of operationIssues(op))
        errors.push({ field: `operations.${i}.${issue.path}`, message: issue.message });
      const target = describeOperation(op as object);
      if (typeof target?.id === 'number') {
        if (onlyId !== undefined && target.id !== onlyId) {
          errors.push({ field: `operations.${i}.path`, message: `operation targets ${target.id}, not ${onlyId}` });
        } else if (!this.properties.has(target.id)) {
          errors.push({ field: `operations.${i}.path`, message: `property ${target.id} not found` });
        }
      }
    });
    if (errors.length) throw new MockHttpError(422, 'invalid operations', errors);
    for (const op of operations as PropertyOperation[]) this.#apply(op);
  }

  #apply(op: PropertyOperation): void {
    const target = describeOperation(op);
    if (!target) return;
    const now = today(this.#now());
    const property = typeof target.id === 'number' ? this.properties.get(target.id) : undefined;
    const touch = (p: MockProperty | undefined) => {
      if (p) p.updated_at = now;
    };
    const value = op.value as unknown;
    switch (target.kind) {
      case 'state': {
        if (!property) return;
        const v = value as { state: string; reason?: string };
        property.state = v.state;
        property.state_reason = v.reason ?? null;
        break;
      }
      case 'publication': {
        const targets = target.id === '*' ? [...this.properties.values()] : property ? [property] : [];
        for (const p of targets) {
          const set = new Set((p.publication as string[] | undefined) ?? []);
          if (op.op === 'add') set.add(value as string);
          else set.delete(value as string);
          p.publication = [...set];
          touch(p);
        }
        return;
      }
      case 'assignment': {
        if (!property || !target.detail) return;
        property[target.detail] = value === null ? null : { id: Number(value) };
        break;
      }
      case 'rera': {
        if (!property) return;
        const licenses = { ...((property.licenses as Record<string, unknown> | undefined) ?? {}) };
        if (value === null) delete licenses.rera;
        else licenses.rera = value;
        property.licenses = licenses;
        break;
      }
      case 'floor_plan':
      case 'pf_floor_plan': {
        if (!property) return;
        const plan =
          target.kind === 'floor_plan'
            ? (value as { id: number; type: string; display_on?: string[] })
            : { id: Number(value), type: 'pf_floor_plan', display_on: [] };
        const plans = ((property.floor_plans as Array<{ id: number; type: string }> | undefined) ?? []).filter(
          (p) => !(p.id === plan.id && p.type === plan.type),
        );
        if (op.op === 'add') plans.push({ display_on: [], ...plan });
        property.floor_plans = plans;
        break;
      }
      case 'quality_score': {
        if (!property) return;
        const languages = (property.languages as unknown[] | undefined)?.length ?? 0;
        const images = (property.images as unknown[] | undefined)?.length ?? 0;
        property.quality_score = Math.min(100, 40 + languages * 10 + images * 5);
        break;
      }
      case 'watermark': {
        if (!property) return;
        const images = (property.images as Array<{ id: number; watermark?: boolean }> | undefined) ?? [];
        for (const image of images) {
          if (target.detail === undefined || image.id === Number(target.detail)) image.watermark = value === 'attach';
        }
        break;
      }
      case 'duplicate': {
        if (!property) return;
        const v = value as { count: number; increment?: string[]; excludes?: string[] };
        const copies: number[] = [];
        for (let i = 1; i <= v.count; i++) {
          const copy: MockProperty = structuredClone(property);
          copy.id = this.#nextId++;
          copy.reference = `PF-${copy.id}`;
          copy.state = 'draft';
          copy.duplicated_list = [];
          for (const field of v.excludes ?? []) delete copy[field];
          if (v.increment?.includes('floor') && typeof copy.floor_number === 'number') copy.floor_number += i;
          if (v.increment?.includes('unit_number') && typeof copy.unit_number === 'string') {
            copy.unit_number = copy.unit_number.replace(/(\d+)(?!.*\d)/, (d) => String(Number(d) + i));
          }
          copy.created_at = now;
          copy.updated_at = now;
          this.properties.set(copy.id, copy);
          copies.push(copy.id);
        }
        property.duplicated_list = [
          ...((property.duplicated_list as number[] | undefined) ?? []),
          ...copies.map(String),
        ];
        break;
      }
      case 'listing_level':
        this.account.listingLevel = value;
        return;
      case 'renewal':
        this.account.renewal = value;
        return;
      case 'verification': {
        if (!property) return;
        property.verification = [
          ...((property.verification as unknown[] | undefined) ?? []),
          { status: 'pending', processed_at: null, documents: (value as { documents: unknown }).documents },
        ];
        break;
      }
    }
    touch(property);
  }

  /** `POST /properties/email`. */
  email(body: unknown): void {
    const wrapped = body && typeof body === 'object' ? (body as { email?: unknown }).email : undefined;
    const result = PropertyEmailInputSchema.safeParse(wrapped);
    if (!result.success) {
      throw new MockHttpError(
        422,
        'validation failed',
        result.error.issues.map((i) => ({ field: i.path.map(String).join('.'), message: i.message })),
      );
    }
    const missing = result.data.properties.filter((id) => !this.properties.has(id));
    if (missing.length) throw new MockHttpError(404, `properties not found: ${missing.join(', ')}`);
    this.emails.push({ ...result.data });
  }

  /** `POST /upload`. */
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
    };
    this.uploads.set(upload.token, upload);
    return upload;
  }

  /** A property as the API sends it: relations collapsed to ids and images left out unless expanded. */
  present(property: MockProperty, expand: string | null): Record<string, unknown> {
    if (expand && expand !== 'false' && expand !== '0') {
      const userId = (property.user as { id?: number } | null)?.id;
      const user = this.users.find((u) => u.id === userId);
      return { ...property, user: user ?? property.user };
    }
    const { images: _images, transactions: _transactions, matching_scores: _scores, ...rest } = property;
    return rest;
  }

  /** Portals the mock knows. */
  static readonly portals: readonly string[] = PORTALS;

  /** Properties matching PHP-decoded `filters`, sorted. */
  query(filters: Record<string, unknown>, sort: string | undefined, order: string | undefined): MockProperty[] {
    const list = [...this.properties.values()].filter((p) => matches(p, filters, this.#now()));
    if (sort && sort !== 'id') {
      const key = sortKey(sort);
      list.sort((a, b) => compare(key(a), key(b)) || a.id - b.id);
    }
    if (order?.toUpperCase() === 'DESC') list.reverse();
    return list;
  }
}

function priceOf(p: MockProperty): number | undefined {
  const price = p.price as
    | { value?: number; prices?: Array<{ period: string; value: number }>; default_period?: string }
    | undefined;
  if (!price) return undefined;
  if (typeof price.value === 'number') return price.value;
  return (price.prices?.find((x) => x.period === price.default_period) ?? price.prices?.[0])?.value;
}

function typeOf(p: MockProperty): number | undefined {
  const t = p.type as number | { id: number } | undefined;
  return typeof t === 'number' ? t : t?.id;
}

function categoryOf(p: MockProperty): string | undefined {
  const id = typeOf(p);
  return MOCK_TYPES.find((t) => t.id === id)?.category;
}

function sortKey(sort: string): (p: MockProperty) => string | number {
  switch (sort) {
    case 'price':
      return (p) => priceOf(p) ?? 0;
    case 'size':
      return (p) => num(p.size) ?? 0;
    case 'created':
      return (p) => String(p.created_at ?? '');
    case 'updated':
      return (p) => String(p.updated_at ?? '');
    case 'state':
      return (p) => String(p.state ?? '');
    case 'offering_type':
      return (p) => String((p.price as { type?: string } | undefined)?.type ?? '');
    case 'category':
      return (p) => categoryOf(p) ?? '';
    case 'user':
      return (p) => (p.user as { id?: number } | null)?.id ?? 0;
    case 'quality_score':
      return (p) => num(p.quality_score) ?? 0;
    case 'location':
      return (p) => String((p.location as { id?: string } | undefined)?.id ?? '');
    default:
      return (p) => p.id;
  }
}

function compare(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function inInterval(value: unknown, interval: unknown, now: number): boolean {
  if (typeof value !== 'string') return false;
  const day = value.slice(0, 10);
  if (interval === 'current_month') return day.slice(0, 7) === new Date(now).toISOString().slice(0, 7);
  if (interval && typeof interval === 'object') {
    const { from, to } = interval as { from?: string; to?: string };
    if (from && day < from) return false;
    if (to && day > to) return false;
    return true;
  }
  return true;
}

function range(value: number | undefined, from: unknown, to: unknown): boolean {
  const lo = num(from);
  const hi = num(to);
  if (lo === undefined && hi === undefined) return true;
  if (value === undefined) return false;
  return (lo === undefined || value >= lo) && (hi === undefined || value <= hi);
}

/** The common filters of `GET /properties`, as PHP would receive them. */
function matches(p: MockProperty, f: Record<string, unknown>, now: number): boolean {
  const eq = (name: string, actual: unknown) => f[name] === undefined || String(f[name]) === String(actual);
  if (!eq('state', p.state) || !eq('status', p.status) || !eq('reference', p.reference)) return false;
  if (!eq('offering_type', (p.price as { type?: string } | undefined)?.type)) return false;
  if (!eq('category', categoryOf(p)) || !eq('type', typeOf(p))) return false;
  if (!eq('user', (p.user as { id?: number } | null)?.id)) return false;
  if (f.portal !== undefined && !((p.publication as string[] | undefined) ?? []).includes(String(f.portal)))
    return false;
  if (Array.isArray(f.location_ids) && !f.location_ids.includes((p.location as { id?: string } | undefined)?.id))
    return false;
  if (!range(priceOf(p), f.from_price, f.to_price)) return false;
  if (!range(num(p.bedrooms), f.from_bedroom, f.to_bedroom)) return false;
  if (!range(num(p.bathrooms), f.from_bathroom, f.to_bathroom)) return false;
  if (!range(num(p.size), f.from_size, f.to_size)) return false;
  if (f.created !== undefined && !inInterval(p.created_at, f.created, now)) return false;
  if (f.updated !== undefined && !inInterval(p.updated_at, f.updated, now)) return false;
  return true;
}
