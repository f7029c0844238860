import { randomUUID } from 'node:crypto';
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
import { AnswerBuilder, type AnswerFields, type MockAnswer } from './answer.js';
import { attr, child, Refusal, readDocument, text, withExtra } from './document.js';
import { checkGuideRules, type MockTypology } from './rules.js';
import { assertValidatorInstalled, SchemaValidator } from './validate.js';

export type { MockAnswer } from './answer.js';
export type { MockTypology } from './rules.js';

/** An agency known to the mock portal. */
export interface MockAgency {
  /** Agency username: the `agent/email` of its listings. */
  email: string;
  /** Agency id, sent back as `EntityOwnerID`. */
  id: string;
  /** An offline agency gets `OFFLINE_RE` (330). */
  online: boolean;
  /** The agency's uuid on the portal, sent back as `AgencyUuid` (default: one is made up). */
  uuid?: string | undefined;
}

/** A listing stored by the mock portal. */
export interface MockListing {
  /** The portal's id, assigned at the first write. */
  idListing: number;
  /** The portal's uuid of the listing, sent back as `ListingUuid`. */
  uuid: string;
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
  /**
   * Requests allowed per window, with `X-RateLimit-*` headers and 429 once used up. Default
   * none: the guide promises updates "without limits".
   */
  rateLimit?: { limit: number; windowMs: number } | undefined;
}

/**
 * Typologies known to the mock. Ids from the portal's docs (14, 253, 254, 259) and a
 * third-party mapping; garages and parking spaces allow only the `Garage` size type,
 * coworking only `Ufficio` (office) and rent. The docs publish no id for a room (`Stanza`):
 * 4 stands for it here, for rent only, so a room for sale is refused as the portal refuses it.
 * Replace the table with your account's if it differs.
 */
export const DEFAULT_TYPOLOGIES: readonly MockTypology[] = [
  { id: 4, name: 'Stanza', contracts: ['R'] },
  { id: 14, name: 'Appartamento', contracts: ['S', 'R'] },
  { id: 15, name: 'Attico', contracts: ['S', 'R'] },
  { id: 16, name: 'Mansarda', contracts: ['S', 'R'] },
  { id: 17, name: 'Loft', contracts: ['S', 'R'] },
  { id: 21, name: 'Casa indipendente', contracts: ['S', 'R'] },
  { id: 23, name: 'Villa', contracts: ['S', 'R'] },
  { id: 26, name: 'Villa a schiera', contracts: ['S', 'R'] },
  { id: 28, name: 'Rustico', contracts: ['S', 'R'] },
  { id: 253, name: 'Box', contracts: ['S', 'R'], sizeType: 'Garage' },
  { id: 254, name: 'Posto auto', contracts: ['S', 'R'], sizeType: 'Garage' },
  { id: 258, name: 'Ufficio', contracts: ['S', 'R'] },
  { id: 259, name: 'Coworking', contracts: ['R'], sizeType: 'Ufficio' },
  { id: 261, name: 'Terreno', contracts: ['S', 'R'] },
  { id: 268, name: 'Negozio', contracts: ['S', 'R'] },
];

/** One libxml2 worker for every mock portal of the process, started by the first document. */
let sharedValidator: SchemaValidator | undefined;

/**
 * An in-memory Indomio import portal: checks credentials and the `X-IMMO-SOURCE`
 * header, validates every document against the import schema with libxml2 (the optional
 * peer `xmllint-wasm`) and then by the guide's rules, refuses with the portal's codes (the
 * `ErrorCode` in the `ServiceResponse`, a standard HTTP status beside it), applies the
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
  /** Requests allowed per window; `undefined`: no limit. */
  rateLimit: { limit: number; windowMs: number } | undefined;

  readonly #options: IndomioMockPortalOptions;
  readonly #listings = new Map<string, MockListing>();
  readonly #window = new MockRateWindow(() => this.rateLimit ?? { limit: Number.MAX_SAFE_INTEGER, windowMs: 60_000 });
  readonly #answers = new AnswerBuilder();
  #nextId = 100_000_001;

  /** @throws Error naming the optional peer `xmllint-wasm` when it is not installed. */
  constructor(options: IndomioMockPortalOptions = {}) {
    super();
    assertValidatorInstalled();
    this.#options = options;
    this.credentials = {
      username: options.username ?? 'user',
      password: options.password ?? 'secret',
      source: options.source ?? 'crm',
    };
    this.rateLimit = options.rateLimit;
    this.reset();
  }

  /** Back to the initial state: no listings, no requests, no faults, initial agencies and typologies. */
  reset(): void {
    this.resetMock();
    this.#listings.clear();
    this.#nextId = 100_000_001;
    this.#window.reset();
    this.#answers.reset();
    this.agencies.clear();
    const agencies = this.#options.agencies ?? ['agency@example.com'];
    agencies.forEach((a, i) => {
      this.addAgency(typeof a === 'string' ? { email: a, id: String(67_000 + i), online: true } : a);
    });
    this.typologies.clear();
    for (const t of this.#options.typologies ?? DEFAULT_TYPOLOGIES) this.typologies.set(t.id, t);
  }

  /** Adds or replaces an agency. */
  addAgency(agency: MockAgency): void {
    this.agencies.set(agency.email.toLowerCase(), { ...agency, uuid: agency.uuid ?? randomUUID() });
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
   * processing, with `errorCode` in the `ServiceResponse` (default: `GENERIC_ERROR` for a
   * 5xx or a 200 — answered as `Result=false` with a 200 —, else the status). A 429 carries
   * `Retry-After` and `X-RateLimit-*` headers announcing `retryAfterMs` (default 1 s), so a
   * client waits that long.
   *
   * @example
   * ```ts
   * portal.failNext(1, 429, { retryAfterMs: 200 });
   * portal.failNext(2, 200, ErrorCode.GENERIC_ERROR);
   * ```
   */
  failNext(count: number, status = 500, options?: number | IndomioFailNextOptions): void {
    const { errorCode, retryAfterMs } = typeof options === 'number' ? { errorCode: options } : (options ?? {});
    const generic = status === 200 || (status >= 500 && status <= 599);
    const detail = errorCode ?? (generic ? ErrorCode.GENERIC_ERROR : status);
    this.injectFailures(count, status, { retryAfterMs, detail });
  }

  /**
   * Answers one request to `…/property/{pathId}` as the handlers do: latency, the fault
   * switches, then {@link put} or {@link delete}. `'drop'` means the connection is dropped.
   * The body is read as bytes, so one that is not UTF-8 is refused, never repaired.
   */
  async serve(method: 'PUT' | 'DELETE', pathId: string, request: Request): Promise<'drop' | MockAnswer> {
    await this.applyLatency();
    const fault = this.takeFault(method, pathId);
    if (fault) return fault;
    return method === 'PUT'
      ? this.put(pathId, request.headers, new Uint8Array(await request.arrayBuffer()))
      : this.delete(pathId, request.headers);
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

  /** Answers a `PUT …/property/{id}` whose body is `body` (bytes as sent, or text). */
  async put(pathId: string, headers: Headers, body: Uint8Array | string): Promise<MockAnswer> {
    return this.#handle('PUT', pathId, headers, () => this.#write(pathId, body));
  }

  /** Answers a `DELETE …/property/{idListing}`. */
  async delete(pathId: string, headers: Headers): Promise<MockAnswer> {
    return this.#handle('DELETE', pathId, headers, async () => this.#remove(pathId));
  }

  #find(uniqueId: string): MockListing | undefined {
    for (const l of this.#listings.values()) if (l.uniqueId === uniqueId) return l;
    return undefined;
  }

  async #handle(method: string, pathId: string, headers: Headers, run: () => Promise<MockAnswer>): Promise<MockAnswer> {
    const answer = await this.#answer(headers, run);
    this.#log(method, pathId, answer);
    return answer;
  }

  #log(method: string, pathId: string, answer: MockAnswer): void {
    this.requests.push({
      method,
      path: `/ws/import/immobiliare/property/${pathId}`,
      status: answer.status,
      errorCode: answer.errorCode,
    });
  }

  /** An injected failure's answer; a 429 announces the wait the test chose. */
  #failure(failure: InjectedFailure<number>): MockAnswer {
    const answer = this.#answers.build({ errorCode: failure.detail ?? failure.status }, failure.status);
    if (failure.status !== 429) return answer;
    const window = this.rateLimit ? this.#window.peek() : undefined;
    const headers = injected429Headers(failure.retryAfterMs, Date.now(), window, RATE_HEADERS);
    return { ...answer, headers: { ...answer.headers, ...headers } };
  }

  async #answer(headers: Headers, run: () => Promise<MockAnswer>): Promise<MockAnswer> {
    const expected = `Basic ${Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString('base64')}`;
    if (headers.get('authorization') !== expected || headers.get('x-immo-source') !== this.credentials.source) {
      return {
        status: 401,
        body: 'Unauthorized: Basic credentials and the X-IMMO-SOURCE header are required',
        headers: { 'content-type': 'text/plain', 'www-authenticate': 'Basic realm="import"' },
      };
    }
    let limitHeaders: Record<string, string> = {};
    if (this.rateLimit) {
      const window = this.#window.take();
      limitHeaders = rateLimitHeaders(window, RATE_HEADERS);
      if (window.limited) {
        return { status: 429, body: 'Too Many Requests', headers: { 'content-type': 'text/plain', ...limitHeaders } };
      }
    }
    const failure = this.takeQueuedFailure();
    let answer: MockAnswer;
    if (failure) answer = this.#failure(failure);
    else {
      try {
        answer = await run();
      } catch (error) {
        if (!(error instanceof Refusal)) throw error;
        const extra = (error as Refusal & { extra?: Partial<AnswerFields> }).extra;
        answer = this.#answers.build({ ...extra, errorCode: error.code, errorMessage: error.message });
      }
    }
    // An injected 429's own headers win over the window's.
    return { ...answer, headers: { ...limitHeaders, ...answer.headers } };
  }

  async #write(pathId: string, body: Uint8Array | string): Promise<MockAnswer> {
    sharedValidator ??= new SchemaValidator();
    const root = await readDocument(body, sharedValidator);
    const operation = attr(root, 'operation') ?? 'write';
    const uniqueId = text(child(root, 'unique-id'));
    const agent = child(root, 'agent') ?? child(root, 'user');
    const email = text(child(agent, 'email')).toLowerCase();
    const typeText = attr(child(root, 'building'), 'IDType');
    if (!uniqueId) throw new Refusal(ErrorCode.MISSING_FIELD, 'unique-id is empty');
    if (!email) throw new Refusal(ErrorCode.MISSING_FIELD, 'agent/email is missing');
    if (typeText === undefined) throw new Refusal(ErrorCode.MISSING_FIELD, 'building/@IDType is missing');

    const realtor = child(child(agent, 'realtors'), 'realtor');
    const realtorId = attr(realtor, 'id');
    const named: Partial<AnswerFields> = {
      entityId: uniqueId,
      realEstate: email,
      realtorId: realtorId === undefined ? undefined : Number(realtorId),
      realtorUuid: attr(realtor, 'uuid'),
      realtorExternalId: attr(realtor, 'external-id'),
    };
    const agency = this.agencies.get(email);
    if (!agency) throw withExtra(new Refusal(ErrorCode.MISSING_RE, `agency ${email} not found`), named);
    const owner = { ...named, entityOwnerId: agency.id, agencyUuid: agency.uuid };
    if (!agency.online) throw withExtra(new Refusal(ErrorCode.OFFLINE_RE, `agency ${email} is offline`), owner);

    const typeId = Number(typeText);
    const typology = this.typologies.get(typeId);
    if (!typology) throw withExtra(new Refusal(ErrorCode.UNRESOLVED_TYPOLOGY, `typology ${typeText} not found`), owner);
    try {
      checkGuideRules(root, typology);
    } catch (error) {
      throw error instanceof Refusal ? withExtra(error, owner) : error;
    }

    const key = `${email}\u0000${uniqueId}`;
    const existing = this.#listings.get(key);
    if (pathId !== uniqueId && (!existing || String(existing.idListing) !== pathId)) {
      throw withExtra(new Refusal(ErrorCode.ID_MISMATCH, `id ${pathId} does not match unique-id ${uniqueId}`), owner);
    }
    const dateUpdated = text(child(root, 'date-updated'));
    const xml = typeof body === 'string' ? body : new TextDecoder().decode(body);
    if (existing) {
      const ids = { ...owner, idListing: existing.idListing, listingUuid: existing.uuid };
      if (existing.locked) throw withExtra(new Refusal(ErrorCode.LOCKED, 'listing is locked'), { ...ids, lock: true });
      if (operation === 'delete') {
        this.#listings.delete(key);
        return this.#answers.build({ ...ids, errorCode: 0, errorMessage: 'Success' });
      }
      if (xsDateTimeToMs(dateUpdated) <= xsDateTimeToMs(existing.dateUpdated)) {
        // The last-updated rule: not newer, so nothing changes, and the answer is still a success.
        return this.#answers.build({
          ...ids,
          errorCode: 0,
          errorMessage: 'Success (not updated: date-updated is not newer)',
        });
      }
      existing.dateUpdated = dateUpdated;
      existing.typeId = typeId;
      existing.writes++;
      existing.xml = xml;
      return this.#answers.build({ ...ids, errorCode: 0, errorMessage: 'Success' });
    }
    if (operation === 'delete') throw withExtra(new Refusal(ErrorCode.NOT_FOUND, 'listing not found'), owner);
    const listing: MockListing = {
      idListing: this.#nextId++,
      uuid: randomUUID(),
      uniqueId,
      agencyEmail: email,
      dateUpdated,
      typeId,
      locked: false,
      writes: 1,
      xml,
    };
    this.#listings.set(key, listing);
    return this.#answers.build({
      ...owner,
      idListing: listing.idListing,
      listingUuid: listing.uuid,
      errorCode: 0,
      errorMessage: 'Success',
    });
  }

  #remove(pathId: string): MockAnswer {
    if (!/^\d+$/.test(pathId)) throw new Refusal(ErrorCode.ID_MISMATCH, `"${pathId}" is not a numeric idListing`);
    for (const [key, listing] of this.#listings) {
      if (String(listing.idListing) !== pathId) continue;
      const agency = this.agencies.get(listing.agencyEmail);
      const ids = {
        idListing: listing.idListing,
        listingUuid: listing.uuid,
        entityId: listing.uniqueId,
        realEstate: listing.agencyEmail,
        entityOwnerId: agency?.id,
        agencyUuid: agency?.uuid,
      };
      if (listing.locked) throw withExtra(new Refusal(ErrorCode.LOCKED, 'listing is locked'), { ...ids, lock: true });
      this.#listings.delete(key);
      return this.#answers.build({ ...ids, errorCode: 0, errorMessage: 'Success' });
    }
    throw new Refusal(ErrorCode.NOT_FOUND, `listing ${pathId} not found`);
  }
}
