import {
  type InjectedFailure,
  injected429Headers,
  MockPortalBase,
  MockRateWindow,
  plannedFailure,
  type RateHeaderFormat,
  rateLimitHeaders,
} from '@sync/core/msw';
import { ErrorCode } from '../error-codes.js';
import { xsDateTimeToMs } from '../schemas/property.js';
import { INDOMIO_TYPOLOGIES } from '../typologies.js';
import { parseXmlSafely, XmlParseError } from '../xml/parse.js';
import { type MockAnswer, type ServiceResponseFields, serviceResponseAnswer } from './answer.js';
import {
  attr,
  checkStructure,
  child,
  children,
  nameOf,
  OPERATIONS,
  type Ordered,
  Refusal,
  text,
  withExtra,
} from './document.js';
import { applyPartial, type MockMedia, mediaOf } from './partial.js';
import { IndomioMockRealtors } from './realtors.js';

export type { MockAnswer } from './answer.js';

/** An agency known to the mock portal. */
export interface MockAgency {
  /** Agency username: the `agent/email` of its listings. */
  email: string;
  /** Agency id, sent back as `EntityOwnerID`. */
  id: string;
  /** An offline agency gets `OFFLINE_RE` (330). */
  online: boolean;
}

/** A typology of the mock's table and the contracts it allows. */
export interface MockTypology {
  /** `building/@IDType`. */
  id: number;
  name: string;
  /** Contracts allowed: `S` sale, `R` rent. */
  contracts: readonly ('S' | 'R')[];
}

/** A listing stored by the mock portal. */
export interface MockListing {
  /** The portal's id, assigned at the first write. */
  idListing: number;
  uniqueId: string;
  agencyEmail: string;
  /** `date-updated` of the last applied write. */
  dateUpdated: string;
  /** `building/@IDType`. */
  typeId: number;
  /** Protected: writes and deletes get 403 with `lock=true`. */
  locked: boolean;
  /** Writes applied (ignored ones not counted). */
  writes: number;
  /** The last applied document. */
  xml: string;
  /**
   * The `@operation` of the last applied write: `archive` keeps the listing off the search,
   * `secret` shows it to the agency only, `write` and `force` publish it.
   */
  operation: 'write' | 'force' | 'archive' | 'secret';
  /** The listing's media, as its last write or a later `<partial>` left them. */
  media: MockMedia;
}

/** A request the mock portal received. */
export interface MockRequest {
  method: string;
  /** Path below the base URL. */
  path: string;
  /** The answer's status. */
  status: number;
  /** The answer's `ErrorCode`, when it sent a `ServiceResponse`. */
  errorCode?: number | undefined;
}

/**
 * The portal sends `X-RateLimit-Reset` in seconds from now, only once the window is used up
 * (clients read it as a wait before any retry), and `Retry-After` with a 429.
 */
const RATE_HEADERS: RateHeaderFormat = { reset: 'seconds', resetWhenExhausted: true, retryAfterWhenLimited: true };

/** Options of {@link IndomioMockPortal.failNext} (a number is the error code). */
export interface IndomioFailNextOptions {
  /** `ErrorCode` of the `ServiceResponse` (default: the status; with status 200, `GENERIC_ERROR`). */
  errorCode?: number | undefined;
  /**
   * For a 429: the wait its `Retry-After` and `X-RateLimit-*` headers announce, in
   * milliseconds (default 1000). The portal's own window is not touched.
   */
  retryAfterMs?: number | undefined;
}

/** Options of {@link IndomioMockPortal}. */
export interface IndomioMockPortalOptions {
  /** Accepted username (default `user`). */
  username?: string | undefined;
  /** Accepted password (default `secret`). */
  password?: string | undefined;
  /** Expected `X-IMMO-SOURCE` (default `crm`). */
  source?: string | undefined;
  /** Agencies known (default one: `agency@example.com`). Strings are online agencies. */
  agencies?: ReadonlyArray<string | MockAgency> | undefined;
  /** Typology table (default {@link DEFAULT_TYPOLOGIES}). */
  typologies?: readonly MockTypology[] | undefined;
  /** Requests allowed per window (default 10,000 per minute). */
  rateLimit?: { limit: number; windowMs: number } | undefined;
}

/**
 * Typologies known to the mock: the package's table, `INDOMIO_TYPOLOGIES` (ids from the
 * portal's docs and a third-party mapping, with the contracts each takes); replace them with
 * your account's table if it differs.
 */
export const DEFAULT_TYPOLOGIES: readonly MockTypology[] = INDOMIO_TYPOLOGIES.map(({ id, name, contracts }) => ({
  id,
  name,
  contracts,
}));

/** What a write leaves a listing as: a `<property operation="partial">` is applied as a write. */
function appliedAs(operation: string): MockListing['operation'] {
  return operation === 'force' || operation === 'archive' || operation === 'secret' ? operation : 'write';
}

/**
 * An in-memory Indomio import portal: checks credentials and the `X-IMMO-SOURCE`
 * header, validates documents, refuses them with the portal's codes, applies the
 * last-updated rule, assigns `idListing`s, and answers with `ServiceResponse` XML whose
 * node order varies as the real portal's may. State is inspectable and resettable; fault
 * switches simulate latency, failures and dropped connections.
 *
 * @example
 * const portal = new IndomioMockPortal();
 * // … run the code under test against createIndomioHandlers({ portal }), then:
 * expect(portal.listings().map((l) => l.uniqueId)).toContain('crm-1');
 */
export class IndomioMockPortal extends MockPortalBase<MockRequest, number> {
  /** Accepted credentials and source. */
  readonly credentials: { username: string; password: string; source: string };
  /** Agencies by e-mail. */
  readonly agencies = new Map<string, MockAgency>();
  /** Typologies by id. */
  readonly typologies = new Map<number, MockTypology>();
  /** Requests allowed per window. */
  rateLimit: { limit: number; windowMs: number };
  /** The agencies' realtors and the groups' companies (the realtor API and the exports). */
  readonly realtors: IndomioMockRealtors = new IndomioMockRealtors({
    agency: (email) => this.agencies.get(email.toLowerCase()),
    agencies: () => this.agencies.values(),
  });

  readonly #options: IndomioMockPortalOptions;
  readonly #listings = new Map<string, MockListing>();
  readonly #window = new MockRateWindow(() => this.rateLimit);
  #nextId = 100_000_001;
  #answers = 0;

  constructor(options: IndomioMockPortalOptions = {}) {
    super();
    this.#options = options;
    this.credentials = {
      username: options.username ?? 'user',
      password: options.password ?? 'secret',
      source: options.source ?? 'crm',
    };
    this.rateLimit = options.rateLimit ?? { limit: 10_000, windowMs: 60_000 };
    this.reset();
  }

  /** Back to the initial state: no listings, no requests, no faults, initial agencies and typologies. */
  reset(): void {
    this.resetMock();
    this.#listings.clear();
    this.#nextId = 100_000_001;
    this.#window.reset();
    this.agencies.clear();
    const agencies = this.#options.agencies ?? ['agency@example.com'];
    agencies.forEach((a, i) => {
      this.addAgency(typeof a === 'string' ? { email: a, id: String(67_000 + i), online: true } : a);
    });
    this.realtors.reset();
    this.typologies.clear();
    for (const t of this.#options.typologies ?? DEFAULT_TYPOLOGIES) this.typologies.set(t.id, t);
  }

  /** Adds or replaces an agency. */
  addAgency(agency: MockAgency): void {
    this.agencies.set(agency.email.toLowerCase(), { ...agency });
  }

  /** Takes an agency offline (its writes get 330) or back online. */
  setAgencyOnline(email: string, online: boolean): void {
    const agency = this.agencies.get(email.toLowerCase());
    if (!agency) throw new Error(`unknown agency ${email}`);
    agency.online = online;
  }

  /** Every stored listing. */
  listings(): MockListing[] {
    return [...this.#listings.values()].map((l) => ({ ...l }));
  }

  /** A stored listing by `unique-id` (of any agency unless `agencyEmail` is given). */
  getListing(uniqueId: string, agencyEmail?: string): MockListing | undefined {
    for (const l of this.#listings.values()) {
      if (l.uniqueId === uniqueId && (agencyEmail === undefined || l.agencyEmail === agencyEmail.toLowerCase())) {
        return { ...l };
      }
    }
    return undefined;
  }

  /** Protects a listing as the portal's panel would: writes and deletes then get 403 with `lock=true`. */
  lock(uniqueId: string, locked = true): void {
    const listing = this.#find(uniqueId);
    if (!listing) throw new Error(`unknown listing ${uniqueId}`);
    listing.locked = locked;
  }

  /**
   * The next `count` requests fail with `status`, after authentication and before any other
   * processing, with `errorCode` in the `ServiceResponse` (default: the status; with status
   * 200, `GENERIC_ERROR`, answered as `Result=false` with a 200). A 429 carries `Retry-After`
   * and `X-RateLimit-*` headers announcing `retryAfterMs` (default 1 s), so a client waits that
   * long, not for the portal's window.
   *
   * @example
   * ```ts
   * portal.failNext(1, 429, { retryAfterMs: 200 });
   * portal.failNext(2, 200, ErrorCode.GENERIC_ERROR);
   * ```
   */
  failNext(count: number, status = 500, options?: number | IndomioFailNextOptions): void {
    const { errorCode, retryAfterMs } = typeof options === 'number' ? { errorCode: options } : (options ?? {});
    const detail = errorCode ?? (status === 200 ? ErrorCode.GENERIC_ERROR : status);
    this.injectFailures(count, status, { retryAfterMs, detail });
  }

  /**
   * Answers one request to `…/property/{pathId}` as the handlers do: latency, the fault
   * switches, then {@link put} or {@link delete}. `'drop'` means the connection is dropped.
   */
  async serve(method: 'PUT' | 'DELETE', pathId: string, request: Request): Promise<'drop' | MockAnswer> {
    await this.applyLatency();
    const fault = this.takeFault(method, pathId);
    if (fault) return fault;
    return method === 'PUT'
      ? this.put(pathId, request.headers, await request.text())
      : this.delete(pathId, request.headers);
  }

  /**
   * Answers one request to the realtor API or the exports (`path` below the base URL) through
   * the same checks as the listing calls: latency, fault switches, authentication, rate limit.
   */
  async serveRealtors(method: 'PUT' | 'GET', path: string, request: Request): Promise<'drop' | MockAnswer> {
    await this.applyLatency();
    const fault = this.takeFault(method, path);
    if (fault) return fault;
    const body = method === 'PUT' ? await request.text() : '';
    return this.#handle(method, path, request.headers, () => {
      const answer = this.realtors.serve(method, path, body);
      if ('fields' in answer) return this.#response(answer.fields, 200);
      return {
        status: answer.status ?? 200,
        body: JSON.stringify(answer.json),
        headers: { 'content-type': 'application/json; charset=utf-8' },
      };
    });
  }

  /**
   * @internal The fault switches for one request, before it is read: `'drop'`, a failure to
   * answer with (from the fault plan), or `undefined` to handle it. Asks the plan once.
   */
  takeFault(method: string, pathId: string): 'drop' | MockAnswer | undefined {
    const planned = this.drawPlannedFault();
    if (this.takeDrop()) return 'drop';
    // A `failNext` failure, answered after authentication, comes first.
    if (!planned || this.pendingFailures > 0) return undefined;
    const fault = plannedFailure<number>(planned);
    if ('drop' in fault) return 'drop';
    const answer = this.#failure(fault);
    this.#log(method, pathId, answer);
    return answer;
  }

  /** Answers a `PUT …/property/{id}`. */
  put(pathId: string, headers: Headers, body: string): MockAnswer {
    return this.#handle('PUT', pathId, headers, () => this.#write(pathId, body));
  }

  /** Answers a `DELETE …/property/{idListing}`. */
  delete(pathId: string, headers: Headers): MockAnswer {
    return this.#handle('DELETE', pathId, headers, () => this.#remove(pathId));
  }

  #find(uniqueId: string): MockListing | undefined {
    for (const l of this.#listings.values()) if (l.uniqueId === uniqueId) return l;
    return undefined;
  }

  #handle(method: string, pathId: string, headers: Headers, run: () => MockAnswer): MockAnswer {
    const answer = this.#answer(headers, run);
    this.#log(method, pathId, answer);
    return answer;
  }

  #log(method: string, pathId: string, answer: MockAnswer): void {
    this.requests.push({
      method,
      path: pathId.startsWith('/') ? pathId : `/ws/import/immobiliare/property/${pathId}`,
      status: answer.status,
      errorCode: answer.errorCode,
    });
  }

  /** An injected failure's answer; a 429 announces the wait the test chose. */
  #failure(failure: InjectedFailure<number>): MockAnswer {
    const answer = this.#response({ errorCode: failure.detail ?? failure.status }, failure.status);
    if (failure.status !== 429) return answer;
    const headers = injected429Headers(failure.retryAfterMs, Date.now(), this.#window.peek(), RATE_HEADERS);
    return { ...answer, headers: { ...answer.headers, ...headers } };
  }

  #answer(headers: Headers, run: () => MockAnswer): MockAnswer {
    const expected = `Basic ${Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString('base64')}`;
    if (headers.get('authorization') !== expected || headers.get('x-immo-source') !== this.credentials.source) {
      return {
        status: 401,
        body: 'Unauthorized: Basic credentials and the X-IMMO-SOURCE header are required',
        headers: { 'content-type': 'text/plain', 'www-authenticate': 'Basic realm="import"' },
      };
    }
    const window = this.#window.take();
    const limitHeaders = rateLimitHeaders(window, RATE_HEADERS);
    if (window.limited) {
      return { status: 429, body: 'Too Many Requests', headers: { 'content-type': 'text/plain', ...limitHeaders } };
    }
    const failure = this.takeQueuedFailure();
    let answer: MockAnswer;
    if (failure) answer = this.#failure(failure);
    else {
      try {
        answer = run();
      } catch (error) {
        if (!(error instanceof Refusal)) throw error;
        const status = error.code === ErrorCode.LOCKED ? 403 : error.code;
        answer = this.#response(
          { errorCode: error.code, errorMessage: error.message, ...(error as Refusal & { extra?: object }).extra },
          status,
        );
      }
    }
    // An injected 429's own headers win over the window's.
    return { ...answer, headers: { ...limitHeaders, ...answer.headers } };
  }

  #write(pathId: string, body: string): MockAnswer {
    let doc: Ordered;
    try {
      doc = parseXmlSafely(body, true) as Ordered;
    } catch (error) {
      throw new Refusal(ErrorCode.BAD_JAXB_REQUEST, error instanceof XmlParseError ? error.message : 'unreadable XML');
    }
    const roots = doc.filter((n) => nameOf(n) !== undefined);
    const root = roots[0];
    if (roots.length === 1 && root && nameOf(root) === 'partial') return this.#partial(pathId, root);
    if (roots.length !== 1 || !root || nameOf(root) !== 'property') {
      throw new Refusal(ErrorCode.BAD_JAXB_REQUEST, 'the document must have one <property> or <partial> root');
    }
    const operation = attr(root, 'operation') ?? 'write';
    if (!OPERATIONS.has(operation)) throw new Refusal(ErrorCode.UNKNOWN_CMD, `unknown operation "${operation}"`);
    checkStructure(root);

    const uniqueId = text(child(root, 'unique-id'));
    const agent = child(root, 'agent') ?? child(root, 'user');
    const email = text(child(agent, 'email')).toLowerCase();
    const building = child(root, 'building');
    const typeText = attr(building, 'IDType');
    if (!uniqueId) throw new Refusal(ErrorCode.MISSING_FIELD, 'unique-id is empty');
    if (!email) throw new Refusal(ErrorCode.MISSING_FIELD, 'agent/email is missing');
    if (typeText === undefined) throw new Refusal(ErrorCode.MISSING_FIELD, 'building/@IDType is missing');

    const agency = this.agencies.get(email);
    const extra = { entityId: uniqueId, realEstate: email };
    if (!agency) throw withExtra(new Refusal(ErrorCode.MISSING_RE, `agency ${email} not found`), extra);
    const owner = { ...extra, entityOwnerId: agency.id };
    if (!agency.online) throw withExtra(new Refusal(ErrorCode.OFFLINE_RE, `agency ${email} is offline`), owner);
    if (agent && nameOf(agent) === 'agent') this.realtors.checkListing(email, agent, owner);

    const typeId = Number(typeText);
    const typology = this.typologies.get(typeId);
    if (!typology) throw withExtra(new Refusal(ErrorCode.UNRESOLVED_TYPOLOGY, `typology ${typeText} not found`), owner);
    for (const t of children(child(root, 'transactions'), 'transaction')) {
      const contract = attr(t, 'type') as 'S' | 'R';
      if (!typology.contracts.includes(contract)) {
        throw withExtra(
          new Refusal(ErrorCode.UNRESOLVED_TYPOLOGY, `typology ${typology.name} does not allow contract ${contract}`),
          owner,
        );
      }
    }
    const location = child(root, 'location');
    const locality = child(location, 'locality');
    const hasCode = (attr(child(location, 'city'), 'code') ?? '').trim() !== '';
    const hasCoordinates = text(child(locality, 'latitude')) !== '' && text(child(locality, 'longitude')) !== '';
    if (!hasCode && !hasCoordinates) {
      throw withExtra(new Refusal(ErrorCode.MISSING_GEO, 'city code or coordinates required'), owner);
    }

    const key = `${email}\u0000${uniqueId}`;
    const existing = this.#listings.get(key);
    if (pathId !== uniqueId && (!existing || String(existing.idListing) !== pathId)) {
      throw withExtra(new Refusal(ErrorCode.ID_MISMATCH, `id ${pathId} does not match unique-id ${uniqueId}`), owner);
    }
    const dateUpdated = text(child(root, 'date-updated'));
    if (existing) {
      const ids = { ...owner, idListing: existing.idListing };
      if (existing.locked) throw withExtra(new Refusal(ErrorCode.LOCKED, 'listing is locked'), { ...ids, lock: true });
      if (operation === 'delete') {
        this.#listings.delete(key);
        return this.#response({ ...ids, errorCode: 0, errorMessage: 'Success' }, 200);
      }
      // `force` is applied whatever its date-updated; every other write obeys the last-updated rule.
      if (operation !== 'force' && xsDateTimeToMs(dateUpdated) <= xsDateTimeToMs(existing.dateUpdated)) {
        // The last-updated rule: not newer, so nothing changes, and the answer is still a success.
        return this.#response(
          { ...ids, errorCode: 0, errorMessage: 'Success (not updated: date-updated is not newer)' },
          200,
        );
      }
      existing.dateUpdated = dateUpdated;
      existing.typeId = typeId;
      existing.writes++;
      existing.xml = body;
      existing.operation = appliedAs(operation);
      existing.media = mediaOf(root);
      return this.#response({ ...ids, errorCode: 0, errorMessage: 'Success' }, 200);
    }
    if (operation === 'delete') throw withExtra(new Refusal(ErrorCode.NOT_FOUND, 'listing not found'), owner);
    const listing: MockListing = {
      idListing: this.#nextId++,
      uniqueId,
      agencyEmail: email,
      dateUpdated,
      typeId,
      locked: false,
      writes: 1,
      xml: body,
      operation: appliedAs(operation),
      media: mediaOf(root),
    };
    this.#listings.set(key, listing);
    return this.#response({ ...owner, idListing: listing.idListing, errorCode: 0, errorMessage: 'Success' }, 200);
  }

  /** A `<partial>` document: one kind of media of a stored listing replaced, nothing else changed. */
  #partial(pathId: string, root: Record<string, unknown>): MockAnswer {
    const ids = applyPartial(this.#listings.values(), (email) => this.agencies.get(email)?.id, pathId, root);
    return this.#response({ ...ids, errorCode: 0, errorMessage: 'Success' }, 200);
  }

  #remove(pathId: string): MockAnswer {
    if (!/^\d+$/.test(pathId)) throw new Refusal(ErrorCode.ID_MISMATCH, `"${pathId}" is not a numeric idListing`);
    for (const [key, listing] of this.#listings) {
      if (String(listing.idListing) !== pathId) continue;
      const ids = {
        idListing: listing.idListing,
        entityId: listing.uniqueId,
        realEstate: listing.agencyEmail,
        entityOwnerId: this.agencies.get(listing.agencyEmail)?.id,
      };
      if (listing.locked) throw withExtra(new Refusal(ErrorCode.LOCKED, 'listing is locked'), { ...ids, lock: true });
      this.#listings.delete(key);
      return this.#response({ ...ids, errorCode: 0, errorMessage: 'Success' }, 200);
    }
    throw new Refusal(ErrorCode.NOT_FOUND, `listing ${pathId} not found`);
  }

  #response(fields: ServiceResponseFields, status: number): MockAnswer {
    return serviceResponseAnswer(fields, status, this.#answers++);
  }
}
