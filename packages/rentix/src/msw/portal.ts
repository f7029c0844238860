import { randomUUID } from 'node:crypto';
import { parseJsonSafely } from '@sync/core';
import {
  type InjectedFailure,
  injected429Headers,
  MockPortalBase,
  type MockRateState,
  MockRateWindow,
  type RateHeaderFormat,
  rateLimitHeaders,
} from '@sync/core/msw';
import { MAX_BODY_BYTES, MAX_BULK_OPERATIONS } from '../schemas/common.js';
import {
  linkListing,
  listingByExternal,
  listingById,
  listingOperation,
  listingView,
  listListings,
  putListing,
  unlinkListing,
} from './listings.js';
import {
  deleteMedia,
  finish,
  jobStatus,
  mediaByExternal,
  mediaById,
  mediaView,
  signMediaUpload,
  uploadMedia,
} from './media.js';
import { SIGNED_UPLOAD_PATH } from './media-upload.js';
import {
  type Body,
  isObject,
  type MockAgency,
  type MockJob,
  type MockListing,
  type MockMedia,
  type MockRequestRecord,
  type MockUser,
  type RentixMockPortalOptions,
} from './model.js';
import { type MockBaseSchema, mockContextSchema } from './reference.js';
import { errorBody, json, MockHttpError } from './responses.js';
import { RentixStore } from './store.js';
import { linkUser, putUser, unlinkUser, userByExternal, userById, userOperation } from './users.js';

/** Options of {@link RentixMockPortal.failNext}. */
export interface RentixFailNextOptions {
  /** The error body's message (default `Simulated <status>`). */
  message?: string | undefined;
  /**
   * For a 429: the wait its `Retry-After` and `X-RateLimit-Reset` announce, in milliseconds
   * (default 1000). The portal's own windows are not touched.
   */
  retryAfterMs?: number | undefined;
}

/** The API key a mock portal accepts unless told otherwise. */
export const DEFAULT_MOCK_API_KEY = 'rentix-test-key';

/** Rentix sends `X-RateLimit-Reset` as whole Unix seconds, rounded up so a client never comes back early, and no `Retry-After`. */
const RATE_HEADERS: RateHeaderFormat = { reset: 'unix-seconds', wholeSeconds: true };

/**
 * An in-memory Rentix portal that behaves as the documentation describes: API-key
 * auth with Rentix's messages, validation errors as message arrays, 413/415/422,
 * fixed-window rate limits with `X-RateLimit-*` headers, upserts by id or external
 * id with partial updates, publishing through jobs, and fault switches. Its state is
 * public, for tests to arrange and inspect; {@link RentixMockPortal.reset} empties it.
 *
 * Serve it with `createRentixHandlers({ portal })` in an MSW server, or over real
 * HTTP with `serveHandlers` from `@sync/core/msw`.
 *
 * @example
 * const portal = new RentixMockPortal();
 * portal.failNext(1, 503); // the next request gets a 503
 * // … run the code under test against createRentixHandlers({ portal }), then:
 * expect(portal.listingByExternalId('crm-1')?.formData.announcementValue).toBe(450);
 */
export class RentixMockPortal extends MockPortalBase<MockRequestRecord, string> {
  /** Accepted API keys. */
  readonly apiKeys: Set<string>;
  /** Exchange rates served by `GET /reference/currencies`. */
  currencies: { baseCurrency: string; currencies: Array<{ code: string; nominal: number; rate: number }> } = {
    baseCurrency: 'EUR',
    currencies: [
      { code: 'EUR', nominal: 1, rate: 1 },
      { code: 'USD', nominal: 1, rate: 0.92 },
      { code: 'MDL', nominal: 1, rate: 0.052 },
    ],
  };

  readonly #options: RentixMockPortalOptions;
  readonly #now: () => number;
  readonly #maxBodyBytes: number;
  readonly #store: RentixStore;
  #windows: { default: MockRateWindow; bulk: MockRateWindow } | undefined;

  constructor(options: RentixMockPortalOptions = {}) {
    super();
    this.#options = options;
    this.#now = options.now ?? (() => Date.now());
    this.#maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
    this.apiKeys = new Set(options.apiKeys ?? [DEFAULT_MOCK_API_KEY]);
    this.#store = new RentixStore(this.#now, freshAgency(options), options.jobDurationMs ?? 100);
    this.reset();
  }

  /** The agency; mutate it to simulate a suspension, a disabled CRM or a reached limit. */
  get agency(): MockAgency {
    return this.#store.agency;
  }

  set agency(agency: MockAgency) {
    this.#store.agency = agency;
  }

  /** How long a job takes; `Infinity` for manual completion. */
  get jobDurationMs(): number {
    return this.#store.jobDurationMs;
  }

  set jobDurationMs(ms: number) {
    this.#store.jobDurationMs = ms;
  }

  /** Listings by Rentix id. */
  get listings(): Map<string, MockListing> {
    return this.#store.listings;
  }

  /** Users by Rentix id. */
  get users(): Map<string, MockUser> {
    return this.#store.users;
  }

  /** Files by Rentix id. */
  get media(): Map<string, MockMedia> {
    return this.#store.media;
  }

  /** Jobs by id. */
  get jobs(): Map<string, MockJob> {
    return this.#store.jobs;
  }

  /** The base schema served by `GET /reference/schema/base`; listings are validated against its secondary types. */
  get referenceSchema(): MockBaseSchema {
    return this.#store.referenceSchema;
  }

  set referenceSchema(schema: MockBaseSchema) {
    this.#store.referenceSchema = schema;
  }

  /** Empties every store, clears faults and counters, and restores the agency and limits given at construction. */
  reset(): void {
    this.resetMock();
    this.#store.clear();
    this.#store.agency = freshAgency(this.#options);
    this.#store.jobDurationMs = this.#options.jobDurationMs ?? 100;
    const limits = this.#options.rateLimits;
    const window = (limit: { limit: number; windowMs: number }) =>
      new MockRateWindow(limit, { now: this.#now, align: this.#options.windowStart ?? 'first-request' });
    this.#windows =
      limits === false
        ? undefined
        : {
            default: window(limits?.default ?? { limit: 300, windowMs: 60_000 }),
            bulk: window(limits?.bulk ?? { limit: 30, windowMs: 60_000 }),
          };
  }

  // ---- fault switches -------------------------------------------------------------

  /**
   * Answers the next `count` requests with `status` and a Rentix error body. A 429 carries
   * `Retry-After` and `X-RateLimit-*` headers announcing `retryAfterMs` (default 1 s), so a
   * client waits that long, not for the portal's window.
   *
   * @example
   * ```ts
   * portal.failNext(1, 429, { retryAfterMs: 200 });
   * portal.failNext(2, 503, 'Maintenance');
   * ```
   */
  failNext(count: number, status: number, options?: string | RentixFailNextOptions): void {
    const { message, retryAfterMs } = typeof options === 'string' ? { message: options } : (options ?? {});
    this.injectFailures(count, status, { retryAfterMs, detail: message });
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
    return this.#store.listingByExternalId(externalId);
  }

  /** The user with this CRM id. */
  userByExternalId(externalId: string): MockUser | undefined {
    return this.#store.userByExternalId(externalId);
  }

  /** The file with this CRM id. */
  mediaByExternalId(externalId: string): MockMedia | undefined {
    return this.#store.mediaByExternalId(externalId);
  }

  /** Finishes a job now: a published listing becomes `active`, an uploaded file processed. */
  completeJob(id: string): void {
    const job = this.jobs.get(id);
    if (!job) throw new Error(`no job ${id}`);
    finish(this.#store, job, 'completed');
  }

  /**
   * Fails a job now with a public message: a published listing becomes `publish_failed`.
   * `retryable` ends it as `failed_retryable`, a temporary error the client may retry.
   */
  failJob(id: string, message = 'Processing failed', options: { retryable?: boolean } = {}): void {
    const job = this.jobs.get(id);
    if (!job) throw new Error(`no job ${id}`);
    job.publicErrorMessage = message;
    finish(this.#store, job, options.retryable ? 'failed_retryable' : 'failed');
  }

  /** Finishes every open job now. */
  completeAllJobs(): void {
    for (const id of [...this.#store.openJobs]) this.completeJob(id);
  }

  /** Applies the passage of time: jobs older than {@link jobDurationMs} complete. Every request does this first. */
  tick(): void {
    if (!Number.isFinite(this.jobDurationMs)) return;
    const now = this.#now();
    for (const id of this.#store.openJobs) {
      const job = this.jobs.get(id);
      if (job && now - job.createdAt >= this.jobDurationMs) finish(this.#store, job, 'completed');
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
      return this.#store.signedUploads.receive(request, path.slice(SIGNED_UPLOAD_PATH.length), this.#now(), (id) =>
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
    await this.applyLatency();
    const fault = this.nextFault();
    if (fault && 'drop' in fault) return Response.error();
    const isBulk = /^\/(listings|users)\/bulk$/.test(path);
    let rateHeaders: Record<string, string> = {};
    let response: Response;
    try {
      if (fault) throw this.#injected(fault, isBulk);
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

  /** An injected failure as the error it answers with; a 429 announces the wait the test chose. */
  #injected(failure: InjectedFailure<string>, isBulk: boolean): MockHttpError {
    const message = failure.detail ?? `Simulated ${failure.status}`;
    if (failure.status !== 429) return new MockHttpError(failure.status, message);
    const window = this.#windowsFor(isBulk).at(-1);
    const headers = injected429Headers(failure.retryAfterMs, this.#now(), window?.peek(), RATE_HEADERS);
    return new MockHttpError(429, message, {}, headers);
  }

  #windowsFor(isBulk: boolean): MockRateWindow[] {
    if (!this.#windows) return [];
    return isBulk ? [this.#windows.default, this.#windows.bulk] : [this.#windows.default];
  }

  /** Fixed windows (see `windowStart`); a bulk call counts against both, and its headers describe the bulk one. */
  #takeRateLimit(isBulk: boolean): Record<string, string> {
    const windows = this.#windowsFor(isBulk);
    if (windows.length === 0) return {};
    const full = windows.map((w) => w.peek()).find((state) => state.limited);
    if (full) throw new MockHttpError(429, 'Too Many Requests', {}, rateLimitHeaders(full, RATE_HEADERS));
    let shown: MockRateState | undefined;
    for (const w of windows) shown = w.take();
    return rateLimitHeaders(shown as MockRateState, RATE_HEADERS);
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
    if (this.#store.agency.status !== 'active') throw new MockHttpError(403, 'Agency is suspended');
    if (!this.#store.agency.isCrmEnabled) throw new MockHttpError(403, 'CRM is not enabled for this agency');
  }

  #route(
    method: string,
    path: string,
    query: URLSearchParams,
    body: unknown,
    record: MockRequestRecord,
    requestUrl: string,
  ): { body: unknown; status?: number } {
    const s = this.#store;
    const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
    const [root, a, b] = segments;
    const n = segments.length;
    const route = `${method} ${root ?? ''}`;
    switch (route) {
      case 'GET agency':
        if (n === 1) return { body: s.agency };
        break;
      case 'GET reference':
        if (a === 'schema' && b === 'base') return { body: s.referenceSchema };
        if (a === 'schema' && n === 2) return { body: mockContextSchema(s.referenceSchema, query) };
        if (a === 'currencies' && n === 2) return { body: this.currencies };
        break;
      case 'GET job':
        if (a === 'status' && n === 2) return { body: jobStatus(s, query.get('id')) };
        break;
      case 'GET listings':
        if (n === 1) return { body: { items: listListings(s, query) } };
        if (n === 2 && a) return { body: listingView(s, listingById(s, a)) };
        if (n === 3 && a === 'external' && b) return { body: listingView(s, listingByExternal(s, b)) };
        break;
      case 'PUT listings':
        if (n === 1) return putListing(s, body);
        break;
      case 'POST listings':
        if (n === 2 && a === 'bulk') return this.#bulk(body, record, (op) => listingOperation(s, op));
        if (n === 3 && a && b === 'link') return { body: linkListing(s, a, body) };
        break;
      case 'DELETE listings':
        if (n === 3 && a && b === 'link') return { body: unlinkListing(s, listingById(s, a)) };
        break;
      case 'GET users':
        if (n === 1) return { body: { items: [...s.users.values()] } };
        if (n === 2 && a) return { body: userById(s, a) };
        if (n === 3 && a === 'external' && b) return { body: userByExternal(s, b) };
        break;
      case 'PUT users':
        if (n === 1) return putUser(s, body);
        break;
      case 'POST users':
        if (n === 2 && a === 'bulk') return this.#bulk(body, record, (op) => userOperation(s, op));
        if (n === 3 && a && b === 'link') return { body: linkUser(s, a, body) };
        break;
      case 'DELETE users':
        if (n === 3 && a && b === 'link') return { body: unlinkUser(userById(s, a)) };
        break;
      case 'POST media':
        if (n === 2 && a === 'upload-from-url') return { body: uploadMedia(s, body) };
        if (n === 2 && a === 'signed-url') return { body: signMediaUpload(s, body, requestUrl, path) };
        break;
      case 'GET media':
        if (n === 2 && a) return { body: mediaView(mediaById(s, a)) };
        if (n === 3 && a === 'external' && b) return { body: mediaView(mediaByExternal(s, b)) };
        break;
      case 'DELETE media':
        if (n === 2 && a) return { body: deleteMedia(s, mediaById(s, a)) };
        if (n === 3 && a === 'external' && b) return { body: deleteMedia(s, mediaByExternal(s, b)) };
        break;
    }
    throw new MockHttpError(404, `Cannot ${method} ${path}`);
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
