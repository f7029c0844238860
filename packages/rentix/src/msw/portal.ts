import { randomUUID } from 'node:crypto';
import { parseJsonSafely } from '@sync/core';
import type { FaultPlan } from '@sync/core/msw';
import { MAX_BODY_BYTES, MAX_BULK_OPERATIONS } from '../schemas/common.js';
import { ExternalIdIndex } from './external-index.js';
import { queryListings } from './listings-query.js';
import { SIGNED_UPLOAD_PATH, SignedUploads } from './media-upload.js';
import { checkCombination, type MockBaseSchema, mockBaseSchema, mockContextSchema } from './reference.js';
import { errorBody, json, MockHttpError } from './responses.js';
import { storedUserFields } from './users.js';
import { checkExternalId, checkListingFields, checkMergedListing, checkUserFields } from './validate.js';

/** A limit of `limit` requests per fixed window of `windowMs` milliseconds. */
export interface MockRateLimit {
  /** Requests allowed per window. */
  limit: number;
  /** Window length in milliseconds. */
  windowMs: number;
}

/** The agency of the mock portal; change it to simulate a suspension or a disabled CRM. */
export interface MockAgency {
  /** Agency id. */
  id: string;
  /** Agency name. */
  name: string;
  /** `active`, or `suspended` to get 403 `Agency is suspended`. */
  status: 'active' | 'suspended';
  /** `false` to get 403 `CRM is not enabled for this agency`. */
  isCrmEnabled: boolean;
  /** Listings created this month and the monthly cap. */
  limits: { monthlyListings: { used: number; limit: number } };
}

/** A stored listing. */
export interface MockListing {
  /** Rentix id. */
  id: string;
  /** The CRM's id, or `null` when unlinked. */
  externalId: string | null;
  /** Creation time (ISO). */
  createdAt: string;
  /** Last change (ISO). */
  updatedAt: string;
  /** Last change made through the API (ISO). */
  lastSyncedAt: string | null;
  /** Public page. */
  publicUrl: string;
  /** Form fields, `announcementStatus` included. */
  formData: Record<string, unknown>;
  /** The agent, or `null` for the agency. */
  userId: string | null;
  /** Ids of its photos in {@link RentixMockPortal.media}, in order. */
  fileIds: string[];
}

/** A stored user (agent). */
export interface MockUser {
  /** Rentix id. */
  id: string;
  /** The CRM's id, or `null`. */
  externalId: string | null;
  /** Name. */
  name: string | null;
  /** Phone as the agent entered it. */
  phone: string | null;
  /** Role in the agency. */
  role: string;
  /** Any other profile field. */
  [field: string]: unknown;
}

/** A stored file. */
export interface MockMedia {
  /** Rentix id. */
  id: string;
  /** The CRM's id, or `null`. */
  externalId: string | null;
  /** Where it was downloaded from. */
  originalUrl: string;
  /** Bytes. */
  size: number | null;
  /** MIME type. */
  contentType: string | null;
  /** `pending` until processed, then `completed`. */
  optimization: 'pending' | 'completed' | 'failed';
  /** Placeholder hash, once processed. */
  blurhash: string | null;
}

/** A background job. */
export interface MockJob {
  /** Job id. */
  id: string;
  /** `announcement_finalize` (publishing a listing) or `media_upload`. */
  type: 'announcement_finalize' | 'media_upload';
  /** Current status. */
  status: 'pending' | 'processing' | 'completed' | 'failed' | 'failed_retryable';
  /** Creation time in ms (portal clock). */
  createdAt: number;
  /** The listing or media it works on. */
  targetId: string;
  /** Message of a failed job. */
  publicErrorMessage: string | null;
}

/** One request the mock answered. */
export interface MockRequestRecord {
  /** HTTP method. */
  method: string;
  /** Path below the base URL, e.g. `/listings/bulk`. */
  path: string;
  /** Status answered; `0` for a dropped connection. */
  status: number;
  /** Size of the request body in bytes. */
  bodyBytes: number;
  /** Operations in a bulk request. */
  operations?: number | undefined;
  /** When it arrived (portal clock, ms). */
  at: number;
}

/** Options of {@link RentixMockPortal}. */
export interface RentixMockPortalOptions {
  /** Accepted API keys (default `rentix-test-key`). */
  apiKeys?: readonly string[] | undefined;
  /** Agency fields to start with. */
  agency?: Partial<Omit<MockAgency, 'limits'>> & { monthlyListingLimit?: number | undefined };
  /**
   * Rate limits (default 300/min in all, 30/min for bulk endpoints); shorten the
   * windows to test throttling quickly, or `false` to switch limiting off.
   */
  rateLimits?: { default?: MockRateLimit | undefined; bulk?: MockRateLimit | undefined } | false | undefined;
  /**
   * Where a rate-limit window starts: at the first request after the last one ended
   * (`'first-request'`, default, as a per-key counter with a time to live works), or on
   * multiples of the window on the clock (`'clock'`).
   */
  windowStart?: 'first-request' | 'clock' | undefined;
  /**
   * How long a job takes on the portal clock (default 100 ms). `Infinity` leaves jobs
   * pending until the test calls {@link RentixMockPortal.completeJob}.
   */
  jobDurationMs?: number | undefined;
  /** Largest accepted body in bytes (default 512 KB). */
  maxBodyBytes?: number | undefined;
  /** The portal's clock (default `Date.now`). */
  now?: (() => number) | undefined;
}

interface Bucket {
  limit: number;
  windowMs: number;
  windowStart: number;
  count: number;
}

interface PendingFailure {
  status: number;
  message: string;
}

type Body = Record<string, unknown>;

/** The API key a mock portal accepts unless told otherwise. */
export const DEFAULT_MOCK_API_KEY = 'rentix-test-key';
const LISTING_RESERVED = new Set(['op', 'id', 'externalId', 'files', 'fileIds', 'user', 'userId']);

function isObject(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** `X-RateLimit-Reset` as a server sends it: Unix seconds, rounded up so the client never comes back early. */
function resetHeaderValue(ms: number): string {
  return String(Math.ceil(ms / 1000));
}

/**
 * An in-memory Rentix portal that behaves as the documentation describes: API-key
 * auth with Rentix's messages, validation errors as message arrays, 413/415/422,
 * fixed-window rate limits with `X-RateLimit-*` headers, upserts by id or external
 * id with partial updates, publishing through jobs, and fault switches. Its state is
 * public, for tests to arrange and inspect; {@link RentixMockPortal.reset} empties it.
 *
 * Serve it with `createRentixHandlers({ portal })` in an MSW server, or over real
 * HTTP with `serveHandlers` from `@sync/core/msw`.
 */
export class RentixMockPortal {
  /** Accepted API keys. */
  readonly apiKeys: Set<string>;
  /** The agency; mutate it to simulate a suspension, a disabled CRM or a reached limit. */
  agency: MockAgency;
  /** Listings by Rentix id. */
  readonly listings = new Map<string, MockListing>();
  readonly #listingIndex = new ExternalIdIndex(this.listings);
  /** Users by Rentix id. */
  readonly users = new Map<string, MockUser>();
  /** Files by Rentix id. */
  readonly media = new Map<string, MockMedia>();
  readonly #mediaIndex = new ExternalIdIndex(this.media);
  /** Jobs by id. */
  readonly jobs = new Map<string, MockJob>();
  /** Every request answered, in order. */
  readonly requests: MockRequestRecord[] = [];
  /** Exchange rates served by `GET /reference/currencies`. */
  currencies: { baseCurrency: string; currencies: Array<{ code: string; nominal: number; rate: number }> } = {
    baseCurrency: 'EUR',
    currencies: [
      { code: 'EUR', nominal: 1, rate: 1 },
      { code: 'USD', nominal: 1, rate: 0.92 },
      { code: 'MDL', nominal: 1, rate: 0.052 },
    ],
  };
  /** The base schema served by `GET /reference/schema/base`; listings are validated against its secondary types. */
  referenceSchema: MockBaseSchema = mockBaseSchema();
  /** Delay before every answer, in milliseconds. */
  latencyMs = 0;
  /**
   * Faults chosen per request (e.g. `seededFaults({ seed, rate })` from `@sync/core/msw`),
   * after the `failNext`/`dropNext` switches; asked once for every request.
   */
  faultPlan: FaultPlan | undefined;
  /** How long a job takes; `Infinity` for manual completion. */
  jobDurationMs: number;

  readonly #options: RentixMockPortalOptions;
  readonly #now: () => number;
  readonly #maxBodyBytes: number;
  #buckets: { default: Bucket; bulk: Bucket } | undefined;
  #failures: PendingFailure[] = [];
  #drops = 0;
  #openJobs = new Set<string>();
  #signedUploads = new SignedUploads();

  constructor(options: RentixMockPortalOptions = {}) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
    this.apiKeys = new Set(options.apiKeys ?? [DEFAULT_MOCK_API_KEY]);
    this.jobDurationMs = options.jobDurationMs ?? 100;
    this.agency = freshAgency(options);
    this.reset();
  }

  /** Empties every store, clears faults and counters, and restores the agency and limits given at construction. */
  reset(): void {
    this.agency = freshAgency(this.#options);
    this.listings.clear();
    this.users.clear();
    this.media.clear();
    this.jobs.clear();
    this.#openJobs.clear();
    this.requests.length = 0;
    this.#failures = [];
    this.#drops = 0;
    this.latencyMs = 0;
    this.referenceSchema = mockBaseSchema();
    this.faultPlan = undefined;
    this.jobDurationMs = this.#options.jobDurationMs ?? 100;
    const limits = this.#options.rateLimits;
    const bucket = (l: MockRateLimit): Bucket => ({ ...l, windowStart: 0, count: 0 });
    this.#buckets =
      limits === false
        ? undefined
        : {
            default: bucket(limits?.default ?? { limit: 300, windowMs: 60_000 }),
            bulk: bucket(limits?.bulk ?? { limit: 30, windowMs: 60_000 }),
          };
  }

  // ---- fault switches -------------------------------------------------------------

  /** Answers the next `count` requests with `status` and a Rentix error body (a 429 also carries rate-limit headers). */
  failNext(count: number, status: number, message?: string): void {
    for (let i = 0; i < count; i++) this.#failures.push({ status, message: message ?? `Simulated ${status}` });
  }

  /** Drops the connection of the next `count` requests without answering. */
  dropNext(count: number): void {
    this.#drops += count;
  }

  /** Answers every request `ms` milliseconds late. */
  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  // ---- arranging and inspecting state ------------------------------------------------

  /** Adds an agent, as if invited through the web interface and registered. */
  addUser(user: { name: string; phone: string; externalId?: string | null; role?: string; id?: string }): MockUser {
    const stored: MockUser = {
      id: user.id ?? randomUUID(),
      externalId: user.externalId ?? null,
      name: user.name,
      phone: user.phone,
      role: user.role ?? 'agent',
    };
    this.users.set(stored.id, stored);
    return stored;
  }

  /** The listing with this CRM id. */
  listingByExternalId(externalId: string): MockListing | undefined {
    return this.#listingIndex.find(externalId);
  }

  #setListingExternalId(listing: MockListing, externalId: string | null): void {
    const previous = listing.externalId;
    listing.externalId = externalId;
    this.#listingIndex.note(listing, previous);
  }

  /** The user with this CRM id. */
  userByExternalId(externalId: string): MockUser | undefined {
    for (const user of this.users.values()) if (user.externalId === externalId) return user;
    return undefined;
  }

  /** The file with this CRM id. */
  mediaByExternalId(externalId: string): MockMedia | undefined {
    return this.#mediaIndex.find(externalId);
  }

  /** Finishes a job now: a published listing becomes `active`, an uploaded file processed. */
  completeJob(id: string): void {
    const job = this.jobs.get(id);
    if (!job) throw new Error(`no job ${id}`);
    this.#finish(job, 'completed');
  }

  /**
   * Fails a job now with a public message: a published listing becomes `publish_failed`.
   * `retryable` ends it as `failed_retryable`, a temporary error the client may retry.
   */
  failJob(id: string, message = 'Processing failed', options: { retryable?: boolean } = {}): void {
    const job = this.jobs.get(id);
    if (!job) throw new Error(`no job ${id}`);
    job.publicErrorMessage = message;
    this.#finish(job, options.retryable ? 'failed_retryable' : 'failed');
  }

  /** Finishes every open job now. */
  completeAllJobs(): void {
    for (const id of [...this.#openJobs]) this.completeJob(id);
  }

  /** Applies the passage of time: jobs older than {@link jobDurationMs} complete. Every request does this first. */
  tick(): void {
    if (!Number.isFinite(this.jobDurationMs)) return;
    const now = this.#now();
    for (const id of this.#openJobs) {
      const job = this.jobs.get(id);
      if (job && now - job.createdAt >= this.jobDurationMs) this.#finish(job, 'completed');
    }
  }

  // ---- HTTP ----------------------------------------------------------------------------

  /**
   * Answers one request. `path` is the request path below the API root (e.g.
   * `/listings/bulk`). A dropped connection is `Response.error()`.
   */
  async handle(request: Request, path: string): Promise<Response> {
    // The bytes of a signed upload go to storage, signed by the URL itself: no API key, no JSON.
    if (path.startsWith(SIGNED_UPLOAD_PATH)) {
      return this.#signedUploads.receive(request, path.slice(SIGNED_UPLOAD_PATH.length), this.#now(), (id) =>
        this.media.get(id),
      );
    }
    const record: MockRequestRecord = {
      method: request.method,
      path,
      status: 0,
      bodyBytes: 0,
      at: this.#now(),
    };
    this.requests.push(record);
    const raw = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.text();
    record.bodyBytes = Buffer.byteLength(raw);
    if (this.latencyMs > 0) await sleep(this.latencyMs);
    const planned = this.faultPlan?.next();
    if (this.#drops > 0) {
      this.#drops--;
      return Response.error();
    }
    let failure = this.#failures.shift();
    if (!failure && planned) {
      if ('drop' in planned) return Response.error();
      failure = { status: planned.status, message: `Simulated ${planned.status}` };
    }
    const isBulk = /^\/(listings|users)\/bulk$/.test(path);
    let rateHeaders: Record<string, string> = {};
    let response: Response;
    try {
      if (failure) {
        const bucket = this.#bucketsFor(isBulk).at(-1);
        if (bucket) this.#roll(bucket, this.#now());
        const headers = failure.status === 429 ? this.#rateHeaders(bucket, 0) : {};
        throw new MockHttpError(failure.status, failure.message, {}, headers);
      }
      if (record.bodyBytes > this.#maxBodyBytes) {
        throw new MockHttpError(413, `Request body is larger than ${this.#maxBodyBytes} bytes`);
      }
      rateHeaders = this.#takeRateLimit(isBulk);
      this.#authenticate(request.headers);
      let body: unknown;
      if (request.method === 'POST' || request.method === 'PUT' || request.method === 'PATCH') {
        const type = request.headers.get('content-type') ?? '';
        if (raw !== '' || request.method === 'PUT') {
          if (!/^application\/json\b/i.test(type)) {
            throw new MockHttpError(415, 'Content-Type must be application/json');
          }
          try {
            body = parseJsonSafely(raw);
          } catch {
            throw new MockHttpError(400, 'Unexpected token in JSON body');
          }
        }
      }
      this.tick();
      const url = new URL(request.url);
      const result = this.#route(request.method, path, url.searchParams, body, record, request.url);
      response = json(result.body, result.status ?? 200, rateHeaders);
    } catch (error) {
      if (!(error instanceof MockHttpError)) throw error;
      response = json(errorBody(error.status, error.messages, error.extra), error.status, {
        ...rateHeaders,
        ...error.headers,
      });
    }
    record.status = response.status;
    return response;
  }

  #bucketsFor(isBulk: boolean): Bucket[] {
    if (!this.#buckets) return [];
    return isBulk ? [this.#buckets.default, this.#buckets.bulk] : [this.#buckets.default];
  }

  #rateHeaders(bucket: Bucket | undefined, remaining: number): Record<string, string> {
    if (!bucket) return {};
    return {
      'x-ratelimit-limit': String(bucket.limit),
      'x-ratelimit-remaining': String(Math.max(0, remaining)),
      'x-ratelimit-reset': resetHeaderValue(bucket.windowStart + bucket.windowMs),
    };
  }

  /** Fixed windows (see `windowStart`); a bulk call counts against both buckets, and its headers describe the bulk one. */
  #takeRateLimit(isBulk: boolean): Record<string, string> {
    const buckets = this.#bucketsFor(isBulk);
    if (buckets.length === 0) return {};
    const now = this.#now();
    for (const b of buckets) this.#roll(b, now);
    const full = buckets.find((b) => b.count >= b.limit);
    if (full) {
      throw new MockHttpError(429, 'Too Many Requests', {}, this.#rateHeaders(full, 0));
    }
    for (const b of buckets) b.count++;
    const shown = buckets.at(-1) as Bucket;
    return this.#rateHeaders(shown, shown.limit - shown.count);
  }

  #roll(bucket: Bucket, now: number): void {
    if (now >= bucket.windowStart + bucket.windowMs) {
      const aligned = this.#options.windowStart === 'clock';
      bucket.windowStart = aligned ? Math.floor(now / bucket.windowMs) * bucket.windowMs : now;
      bucket.count = 0;
    }
  }

  #authenticate(headers: Headers): void {
    const authorization = headers.get('authorization');
    const apiKey = headers.get('x-api-key');
    if (authorization !== null && apiKey !== null) {
      throw new MockHttpError(400, 'Multiple authentication methods provided');
    }
    let key: string | undefined;
    if (apiKey !== null) key = apiKey.trim();
    else if (authorization !== null) {
      const match = /^ApiKey\s+(.+)$/i.exec(authorization.trim());
      if (!match) throw new MockHttpError(401, 'Invalid API key');
      key = match[1]?.trim();
    }
    if (!key) throw new MockHttpError(401, 'API key is required');
    if (!this.apiKeys.has(key)) throw new MockHttpError(401, 'Invalid API key');
    if (this.agency.status !== 'active') throw new MockHttpError(403, 'Agency is suspended');
    if (!this.agency.isCrmEnabled) throw new MockHttpError(403, 'CRM is not enabled for this agency');
  }

  #route(
    method: string,
    path: string,
    query: URLSearchParams,
    body: unknown,
    record: MockRequestRecord,
    requestUrl: string,
  ): { body: unknown; status?: number } {
    const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
    const [root, a, b] = segments;
    const n = segments.length;
    const route = `${method} ${root ?? ''}`;
    switch (route) {
      case 'GET agency':
        if (n === 1) return { body: this.agency };
        break;
      case 'GET reference':
        if (a === 'schema' && b === 'base') return { body: this.referenceSchema };
        if (a === 'schema' && n === 2) return { body: mockContextSchema(this.referenceSchema, query) };
        if (a === 'currencies' && n === 2) return { body: this.currencies };
        break;
      case 'GET job':
        if (a === 'status' && n === 2) return { body: this.#jobStatus(query.get('id')) };
        break;
      case 'GET listings':
        if (n === 1)
          return { body: { items: queryListings(this.listings.values(), query).map((l) => this.#listingView(l)) } };
        if (n === 2 && a) return { body: this.#listingView(this.#listingById(a)) };
        if (n === 3 && a === 'external' && b) return { body: this.#listingView(this.#listingByExternal(b)) };
        break;
      case 'PUT listings':
        if (n === 1) return this.#putListing(body);
        break;
      case 'POST listings':
        if (n === 2 && a === 'bulk') return this.#bulk(body, record, (op) => this.#listingOperation(op));
        if (n === 3 && a && b === 'link') return { body: this.#linkListing(a, body) };
        break;
      case 'DELETE listings':
        if (n === 3 && a && b === 'link') return { body: this.#unlinkListing(this.#listingById(a)) };
        break;
      case 'GET users':
        if (n === 1) return { body: { items: [...this.users.values()] } };
        if (n === 2 && a) return { body: this.#userById(a) };
        if (n === 3 && a === 'external' && b) return { body: this.#userByExternal(b) };
        break;
      case 'PUT users':
        if (n === 1) return this.#putUser(body);
        break;
      case 'POST users':
        if (n === 2 && a === 'bulk') return this.#bulk(body, record, (op) => this.#userOperation(op));
        if (n === 3 && a && b === 'link') return { body: this.#linkUser(a, body) };
        break;
      case 'DELETE users':
        if (n === 3 && a && b === 'link') return { body: this.#unlinkUser(this.#userById(a)) };
        break;
      case 'POST media':
        if (n === 2 && a === 'upload-from-url') return { body: this.#uploadMedia(body) };
        if (n === 2 && a === 'signed-url') return { body: this.#signMediaUpload(body, requestUrl, path) };
        break;
      case 'GET media':
        if (n === 2 && a) return { body: this.#mediaView(this.#mediaById(a)) };
        if (n === 3 && a === 'external' && b) return { body: this.#mediaView(this.#mediaByExternal(b)) };
        break;
      case 'DELETE media':
        if (n === 2 && a) return { body: this.#deleteMedia(this.#mediaById(a)) };
        if (n === 3 && a === 'external' && b) return { body: this.#deleteMedia(this.#mediaByExternal(b)) };
        break;
    }
    throw new MockHttpError(404, `Cannot ${method} ${path}`);
  }

  // ---- listings ------------------------------------------------------------------------

  #listingById(id: string): MockListing {
    const listing = this.listings.get(id);
    if (!listing) throw new MockHttpError(404, 'Listing not found');
    return listing;
  }

  #listingByExternal(externalId: string): MockListing {
    const listing = this.listingByExternalId(externalId);
    if (!listing) throw new MockHttpError(404, 'Listing not found');
    return listing;
  }

  #listingView(listing: MockListing) {
    const user = listing.userId ? this.users.get(listing.userId) : undefined;
    return {
      id: listing.id,
      externalId: listing.externalId,
      publicUrl: listing.publicUrl,
      createdAt: listing.createdAt,
      updatedAt: listing.updatedAt,
      lastSyncedAt: listing.lastSyncedAt,
      formData: { id: listing.id, ...listing.formData },
      user: user
        ? { id: user.id, externalId: user.externalId, name: user.name, phone: user.phone, role: user.role }
        : null,
      files: listing.fileIds
        .map((id) => this.media.get(id))
        .filter((m): m is MockMedia => m !== undefined)
        .map((m) => ({
          id: m.id,
          externalId: m.externalId,
          contentType: m.contentType,
          size: m.size === null ? null : String(m.size),
          optimization: m.optimization,
        })),
    };
  }

  #putListing(body: unknown): { body: unknown; status?: number } {
    if (!isObject(body)) throw new MockHttpError(400, 'Request body must be an object');
    const result = this.#upsertListing(body, false);
    return { body: result };
  }

  /**
   * Creates or updates a listing from a payload; with `dryRun` only checks it. Throws
   * a {@link MockHttpError} with every problem found.
   */
  #upsertListing(body: Body, dryRun: boolean): Record<string, unknown> {
    const messages = checkListingFields(body);
    if (body.id === undefined && body.externalId === undefined) {
      messages.push('Either id or externalId must be provided');
    }
    if (messages.length > 0) throw new MockHttpError(400, messages);
    let existing: MockListing | undefined;
    if (typeof body.id === 'string') {
      existing = this.#listingById(body.id);
      if (typeof body.externalId === 'string') {
        const other = this.listingByExternalId(body.externalId);
        if (other && other !== existing) {
          throw new MockHttpError(400, `externalId "${body.externalId}" is already used by another listing`);
        }
      }
    } else if (typeof body.externalId === 'string') {
      existing = this.listingByExternalId(body.externalId);
    }
    const fields: Body = {};
    for (const [key, value] of Object.entries(body)) if (!LISTING_RESERVED.has(key)) fields[key] = value;
    const previousStatus = existing?.formData.announcementStatus;
    const formData: Body = { ...(existing?.formData ?? { announcementStatus: 'draft' }), ...fields };
    const files = Array.isArray(body.files)
      ? (body.files as Array<{ url: string; externalFileId?: string }>)
      : undefined;
    const fileIds = Array.isArray(body.fileIds) ? (body.fileIds as unknown[]).map(String) : undefined;
    const missingFiles = (fileIds ?? []).flatMap((id, i) =>
      this.media.has(id) ? [] : [`fileIds.${i}: media ${id} not found`],
    );
    if (missingFiles.length > 0) throw new MockHttpError(400, missingFiles);
    const photoCount =
      (files || fileIds ? 0 : (existing?.fileIds.length ?? 0)) + (files?.length ?? 0) + (fileIds?.length ?? 0);
    const requested = body.announcementStatus ?? (existing ? undefined : 'draft');
    const mergedProblems = [
      ...checkCombination(this.referenceSchema, formData),
      ...checkMergedListing({ formData, photoCount }, requested ?? previousStatus),
    ];
    if (mergedProblems.length > 0) throw new MockHttpError(400, mergedProblems);
    const userId = this.#resolveUser(body);
    if (!existing) {
      const { used, limit } = this.agency.limits.monthlyListings;
      if (used >= limit) throw new MockHttpError(403, `Monthly listing limit reached (${limit})`);
    }
    if (dryRun) return { id: existing?.id ?? null, externalId: body.externalId ?? existing?.externalId ?? null };

    const now = new Date(this.#now()).toISOString();
    const listing: MockListing = existing ?? {
      id: randomUUID(),
      externalId: null,
      createdAt: now,
      updatedAt: now,
      lastSyncedAt: null,
      publicUrl: '',
      formData: {},
      userId: null,
      fileIds: [],
    };
    if (!existing) {
      listing.publicUrl = `https://rentix.md/listing/${listing.id}`;
      this.listings.set(listing.id, listing);
      this.#listingIndex.note(listing);
      this.agency.limits.monthlyListings.used++;
    }
    if (typeof body.externalId === 'string') this.#setListingExternalId(listing, body.externalId);
    if (files || fileIds) {
      listing.fileIds = [...(fileIds ?? []), ...(files ?? []).map((f) => this.#fileFor(f.url, f.externalFileId))];
    }
    if (userId !== undefined) listing.userId = userId;
    let jobId: string | null = null;
    const wasLive = previousStatus === 'active' || previousStatus === 'pending_active';
    if (previousStatus === 'blocked') {
      // Only Rentix's support lifts a block: the listing's other fields change, its status does not.
      formData.announcementStatus = 'blocked';
    } else if (body.announcementStatus === 'active' && !wasLive) {
      formData.announcementStatus = 'pending_active';
      jobId = this.#startJob('announcement_finalize', listing.id).id;
    } else if (body.announcementStatus === 'active' && wasLive) {
      formData.announcementStatus = previousStatus;
    }
    listing.formData = formData;
    listing.updatedAt = now;
    listing.lastSyncedAt = now;
    const status = listing.formData.announcementStatus;
    return existing
      ? { id: listing.id, externalId: listing.externalId, status, updated: true, jobId }
      : { id: listing.id, externalId: listing.externalId, status, publicUrl: listing.publicUrl, created: true, jobId };
  }

  #resolveUser(body: Body): string | null | undefined {
    if (body.user === null) return null;
    if (isObject(body.user)) {
      const { externalUserId, id } = body.user as { externalUserId?: string; id?: string };
      // A CRM agent not linked yet: the listing shows the agency instead.
      if (typeof id === 'string') return this.#userById(id).id;
      if (typeof externalUserId === 'string') return this.userByExternalId(externalUserId)?.id ?? null;
    }
    if (typeof body.userId === 'string') return this.#userById(body.userId).id;
    return undefined;
  }

  #fileFor(url: string, externalFileId: string | undefined): string {
    if (externalFileId !== undefined) {
      const known = this.mediaByExternalId(externalFileId);
      if (known) return known.id;
    }
    const media: MockMedia = {
      id: randomUUID(),
      externalId: externalFileId ?? null,
      originalUrl: url,
      size: 245_760,
      contentType: 'image/jpeg',
      optimization: 'completed',
      blurhash: 'LEHV6nWB2yk8pyo0adR*.7kCMdnj',
    };
    this.media.set(media.id, media);
    this.#mediaIndex.note(media);
    return media.id;
  }

  #linkListing(id: string, body: unknown) {
    const listing = this.#listingById(id);
    const externalId = isObject(body) ? body.externalId : undefined;
    const problems = externalId === undefined ? ['externalId should not be empty'] : checkExternalId(externalId);
    if (problems.length > 0) throw new MockHttpError(400, problems);
    const other = this.listingByExternalId(externalId as string);
    if (other && other !== listing) {
      throw new MockHttpError(400, `externalId "${String(externalId)}" is already used by another listing`);
    }
    this.#setListingExternalId(listing, externalId as string);
    return { id: listing.id, externalId: listing.externalId, linked: true };
  }

  #unlinkListing(listing: MockListing) {
    const externalId = listing.externalId;
    this.#setListingExternalId(listing, null);
    return { id: listing.id, externalId, unlinked: true };
  }

  #listingOperation(op: Body): Record<string, unknown> {
    switch (op.op) {
      case 'upsert':
        return this.#upsertListing(op, false);
      case 'validate':
        return this.#upsertListing(op, true);
      case 'link':
        if (typeof op.id !== 'string') throw new MockHttpError(400, 'id must be a string');
        return this.#linkListing(op.id, op);
      case 'unlink':
        return this.#unlinkListing(this.#findListing(op));
      case 'delete': {
        const listing = this.#findListing(op);
        this.listings.delete(listing.id);
        return { id: listing.id, externalId: listing.externalId, deleted: true };
      }
      default:
        throw new MockHttpError(400, 'op must be one of: upsert, link, unlink, delete, validate');
    }
  }

  #findListing(op: Body): MockListing {
    if (typeof op.id === 'string') return this.#listingById(op.id);
    if (typeof op.externalId === 'string') return this.#listingByExternal(op.externalId);
    throw new MockHttpError(400, 'Either id or externalId must be provided');
  }

  /** Runs bulk operations one by one; 422 when every one failed. */
  #bulk(
    body: unknown,
    record: MockRequestRecord,
    run: (op: Body) => Record<string, unknown>,
  ): { body: unknown; status?: number } {
    const operations = isObject(body) ? body.operations : undefined;
    if (!Array.isArray(operations)) throw new MockHttpError(400, ['operations must be an array']);
    record.operations = operations.length;
    if (operations.length === 0) throw new MockHttpError(400, ['operations must contain at least 1 elements']);
    if (operations.length > MAX_BULK_OPERATIONS) {
      throw new MockHttpError(400, [`operations must contain no more than ${MAX_BULK_OPERATIONS} elements`]);
    }
    const results = operations.map((op: unknown) => {
      const externalId = isObject(op) && typeof op.externalId === 'string' ? op.externalId : null;
      try {
        if (!isObject(op)) throw new MockHttpError(400, 'each operation must be an object');
        const outcome = run(op);
        return { externalId, success: true, ...outcome, ...(externalId === null ? {} : { externalId }) };
      } catch (error) {
        if (!(error instanceof MockHttpError)) throw error;
        return { externalId, success: false, error: { message: error.message } };
      }
    });
    const succeeded = results.filter((r) => r.success).length;
    const summary = { total: results.length, succeeded, failed: results.length - succeeded };
    if (succeeded === 0) throw new MockHttpError(422, 'All bulk operations failed', { summary, results });
    return { body: { summary, results } };
  }

  // ---- users ---------------------------------------------------------------------------

  #userById(id: string): MockUser {
    const user = this.users.get(id);
    if (!user) throw new MockHttpError(404, 'User not found');
    return user;
  }

  #userByExternal(externalId: string): MockUser {
    const user = this.userByExternalId(externalId);
    if (!user) throw new MockHttpError(404, 'User not found');
    return user;
  }

  #putUser(body: unknown): { body: unknown } {
    if (!isObject(body)) throw new MockHttpError(400, 'Request body must be an object');
    const messages = checkUserFields(body);
    if (body.id !== undefined && body.externalId !== undefined) {
      messages.push('Provide either id or externalId, not both');
    } else if (body.id === undefined && body.externalId === undefined) {
      messages.push('Either id or externalId must be provided');
    }
    if (messages.length > 0) throw new MockHttpError(400, messages);
    const { id: _id, externalId, ...fields } = body;
    let user = typeof body.id === 'string' ? this.#userById(body.id) : this.userByExternalId(externalId as string);
    const stored = (created: boolean, current?: MockUser) =>
      storedUserFields(fields, { created, current, mediaExists: (id) => this.media.has(id), newId: randomUUID });
    if (user) {
      Object.assign(user, stored(false, user));
      return { body: { id: user.id, externalId: user.externalId, updated: true } };
    }
    const missing = ['name', 'phone'].filter((f) => typeof fields[f] !== 'string' || fields[f] === '');
    if (missing.length > 0)
      throw new MockHttpError(
        400,
        missing.map((f) => `${f} should not be empty`),
      );
    const created = stored(true);
    user = { ...created, id: randomUUID(), externalId: externalId as string, name: null, phone: null, role: 'agent' };
    Object.assign(user, { name: created.name, phone: created.phone });
    this.users.set(user.id, user);
    return { body: { id: user.id, externalId: user.externalId, created: true } };
  }

  #linkUser(id: string, body: unknown) {
    const user = this.#userById(id);
    const externalId = isObject(body) ? body.externalId : undefined;
    const problems = externalId === undefined ? ['externalId should not be empty'] : checkExternalId(externalId);
    if (problems.length > 0) throw new MockHttpError(400, problems);
    const other = this.userByExternalId(externalId as string);
    if (other && other !== user) {
      throw new MockHttpError(400, `externalId "${String(externalId)}" is already used by another user`);
    }
    user.externalId = externalId as string;
    return { id: user.id, externalId: user.externalId, linked: true };
  }

  #unlinkUser(user: MockUser) {
    const externalId = user.externalId;
    user.externalId = null;
    return { id: user.id, externalId, unlinked: true };
  }

  #userOperation(op: Body): Record<string, unknown> {
    if (op.op === 'link') {
      if (typeof op.id !== 'string') throw new MockHttpError(400, 'id must be a string');
      return this.#linkUser(op.id, op);
    }
    if (op.op === 'unlink') {
      if (typeof op.id === 'string') return this.#unlinkUser(this.#userById(op.id));
      if (typeof op.externalId === 'string') return this.#unlinkUser(this.#userByExternal(op.externalId));
      throw new MockHttpError(400, 'Either id or externalId must be provided');
    }
    throw new MockHttpError(400, 'op must be one of: link, unlink');
  }

  // ---- media and jobs ----------------------------------------------------------------------

  #mediaById(id: string): MockMedia {
    const media = this.media.get(id);
    if (!media) throw new MockHttpError(404, 'Media not found');
    return media;
  }

  #mediaByExternal(externalId: string): MockMedia {
    const media = this.mediaByExternalId(externalId);
    if (!media) throw new MockHttpError(404, 'Media not found');
    return media;
  }

  #mediaView(media: MockMedia) {
    const done = media.optimization === 'completed';
    return {
      id: media.id,
      externalId: media.externalId,
      size: media.size,
      contentType: media.contentType,
      optimization: media.optimization,
      blurhash: media.blurhash,
      originalUrl: media.originalUrl,
      variants: done
        ? (['128', '512', '1024'] as const).map((variantSize) => ({
            url: `https://cdn.rentix.md/media/${media.id}/${variantSize}.webp`,
            variantSize,
            size: Number(variantSize) * 40,
          }))
        : [],
    };
  }

  #uploadMedia(body: unknown) {
    if (!isObject(body)) throw new MockHttpError(400, 'Request body must be an object');
    const messages: string[] = [];
    try {
      const url = new URL(String(body.url));
      if (url.protocol !== 'http:' && url.protocol !== 'https:') messages.push('url must be a URL address');
    } catch {
      messages.push('url must be a URL address');
    }
    messages.push(...checkExternalId(body.externalId));
    if (messages.length > 0) throw new MockHttpError(400, messages);
    const externalId = typeof body.externalId === 'string' ? body.externalId : null;
    let media = externalId === null ? undefined : this.mediaByExternalId(externalId);
    if (!media) {
      media = {
        id: randomUUID(),
        externalId,
        originalUrl: String(body.url),
        size: null,
        contentType: null,
        optimization: 'pending',
        blurhash: null,
      };
      this.media.set(media.id, media);
      this.#mediaIndex.note(media);
    } else {
      media.originalUrl = String(body.url);
      media.optimization = 'pending';
    }
    const job = this.#startJob('media_upload', media.id);
    return { mediaId: media.id, status: 'pending', externalId, jobId: job.id };
  }

  #signMediaUpload(body: unknown, requestUrl: string, path: string) {
    if (!isObject(body)) throw new MockHttpError(400, 'Request body must be an object');
    const problems = checkExternalId(body.externalId);
    if (problems.length > 0) throw new MockHttpError(400, problems);
    const externalId = typeof body.externalId === 'string' ? body.externalId : null;
    const known = externalId === null ? undefined : this.mediaByExternalId(externalId);
    const id = known?.id ?? randomUUID();
    const signed = this.#signedUploads.sign(id, body, requestUrl, path, this.#now());
    if (!known) {
      const media: MockMedia = {
        id,
        externalId,
        originalUrl: '',
        size: null,
        contentType: null,
        optimization: 'pending',
        blurhash: null,
      };
      this.media.set(media.id, media);
      this.#mediaIndex.note(media);
    }
    return { ...signed, externalId };
  }

  #deleteMedia(media: MockMedia) {
    this.media.delete(media.id);
    for (const listing of this.listings.values()) {
      if (listing.fileIds.includes(media.id)) listing.fileIds = listing.fileIds.filter((id) => id !== media.id);
    }
    return { deleted: true };
  }

  #startJob(type: MockJob['type'], targetId: string): MockJob {
    const job: MockJob = {
      id: randomUUID(),
      type,
      status: 'pending',
      createdAt: this.#now(),
      targetId,
      publicErrorMessage: null,
    };
    this.jobs.set(job.id, job);
    this.#openJobs.add(job.id);
    return job;
  }

  #finish(job: MockJob, status: 'completed' | 'failed' | 'failed_retryable'): void {
    if (!this.#openJobs.has(job.id)) return;
    this.#openJobs.delete(job.id);
    job.status = status;
    if (job.type === 'announcement_finalize') {
      const listing = this.listings.get(job.targetId);
      if (listing && listing.formData.announcementStatus === 'pending_active') {
        listing.formData.announcementStatus = status === 'completed' ? 'active' : 'publish_failed';
      }
    } else {
      const media = this.media.get(job.targetId);
      if (media) {
        media.optimization = status === 'completed' ? 'completed' : 'failed';
        if (status === 'completed') {
          media.size = 245_760;
          media.contentType = 'image/jpeg';
          media.blurhash = 'LEHV6nWB2yk8pyo0adR*.7kCMdnj';
        }
      }
    }
  }

  #jobStatus(id: string | null) {
    if (!id) throw new MockHttpError(400, ['id should not be empty']);
    const job = this.jobs.get(id);
    if (!job) throw new MockHttpError(404, 'Job not found');
    const open = [...this.#openJobs];
    const position = open.indexOf(job.id);
    const age = this.#now() - job.createdAt;
    const status = position === -1 ? job.status : age * 2 >= this.jobDurationMs ? 'processing' : 'pending';
    return {
      id: job.id,
      type: job.type,
      status,
      queuePosition: status === 'pending' ? position : null,
      createdAt: new Date(job.createdAt).toISOString(),
      ...(job.status === 'completed' ? { resultData: { targetId: job.targetId } } : {}),
      ...(job.publicErrorMessage ? { publicErrorMessage: job.publicErrorMessage } : {}),
    };
  }
}

function freshAgency(options: RentixMockPortalOptions): MockAgency {
  const a = options.agency ?? {};
  return {
    id: a.id ?? 'agency-1',
    name: a.name ?? 'Mock Realty',
    status: a.status ?? 'active',
    isCrmEnabled: a.isCrmEnabled ?? true,
    limits: { monthlyListings: { used: 0, limit: a.monthlyListingLimit ?? 50_000 } },
  };
}
