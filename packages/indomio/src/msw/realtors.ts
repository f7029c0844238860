import { randomUUID } from 'node:crypto';
import { ErrorCode } from '../error-codes.js';
import { ConnectionTypeSchema, RealtorRoleSchema } from '../schemas/realtor.js';
import { UserLanguageSchema } from '../schemas/xsd.js';
import type { AnswerFields } from './answer.js';
import { attr, child, children, childrenOf, nameOf, OPERATIONS, Refusal, text, withExtra } from './document.js';

/** A company (agency) as the mock's exports list it. */
export interface MockCompany {
  /** The company's id on the portal (the agency's `EntityOwnerID`). */
  id: number;
  uuid: string;
  externalId: string | undefined;
  name: string;
  /** The agency's username (its `agent/email`). */
  username: string;
  group: string;
  /** `ACTIVE`, or `OFFLINE` for an agency taken offline. */
  status: string;
}

/** A realtor of an agency stored by the mock. */
export interface MockRealtor {
  /** The realtor's id on the portal. */
  id: number;
  uuid: string;
  /** The realtor's id in the CRM (`@external-id`). */
  externalId: string | undefined;
  firstName: string | undefined;
  lastName: string | undefined;
  /** The first `email` connection. */
  email: string | undefined;
  role: string | undefined;
  avatar: string | undefined;
  language: string | undefined;
  connections: Array<{ type: string | undefined; value: string }>;
  /** Whether the realtor owns the company (role `owner`). */
  owner: boolean;
  status: string;
  /** Realtor writes applied to it. */
  writes: number;
}

/** What the mock needs to know of the portal's agencies. */
export interface MockAgencyLookup {
  /** An agency by username (lower case), with its id and whether it is online. */
  agency(email: string): { email: string; id: string; online: boolean } | undefined;
  /** Every agency. */
  agencies(): Iterable<{ email: string; id: string; online: boolean }>;
  /** Reads a realtor API body as the portal does (UTF-8, one `<agent>` root, valid against the XSD); refusals are thrown. */
  read(body: Uint8Array | string): Promise<Record<string, unknown>>;
}

/** An answer of the realtor API or the exports: `ServiceResponse` fields, or a JSON body. */
export type RealtorAnswer = { fields: AnswerFields } | { json: unknown; status?: number };

/** A `<realtor>` of a realtor write, as read. */
interface ParsedRealtor {
  externalId: string | undefined;
  id: number | undefined;
  operation: string;
  firstName: string | undefined;
  lastName: string | undefined;
  avatar: string | undefined;
  role: string | undefined;
  language: string | undefined;
  connections: Array<{ type: string | undefined; value: string }> | undefined;
}

/** The group every agency belongs to unless {@link IndomioMockRealtors.setGroup} says otherwise. */
export const DEFAULT_GROUP = 'default';

const REALTOR_CHILDREN = new Set(['firstname', 'surname', 'avatar', 'role', 'connections', 'language']);
const ROLES = new Set<string>(RealtorRoleSchema.options);
const LANGUAGES = new Set<string>(UserLanguageSchema.options);
const CONNECTION_TYPES = new Set<string>(ConnectionTypeSchema.options);
const UUID = /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/;

/**
 * The mock portal's realtors and companies: the realtor API (`PUT /ws/import/ies/company/realtor`),
 * the exports (`GET /ws/export/group/{groupName}/company`, `GET /ws/export/company/{companyId}`),
 * and the rule listings obey — a listing may only name (by `@external-id` or `@id`) a realtor its
 * agency has, or it is refused with `MISSING_REALTOR` (445).
 */
export class IndomioMockRealtors {
  readonly #agencies: MockAgencyLookup;
  /** Realtors by agency username, then by portal id. */
  readonly #realtors = new Map<string, Map<number, MockRealtor>>();
  readonly #groups = new Map<string, string>();
  readonly #uuids = new Map<string, string>();
  #nextId = 5_000_001;

  constructor(agencies: MockAgencyLookup) {
    this.#agencies = agencies;
  }

  /** Back to no realtors, every agency in {@link DEFAULT_GROUP}. */
  reset(): void {
    this.#realtors.clear();
    this.#groups.clear();
    this.#nextId = 5_000_001;
  }

  /** Puts an agency in a group, as the exports list it. */
  setGroup(agencyEmail: string, group: string): void {
    this.#groups.set(agencyEmail.toLowerCase(), group);
  }

  /** A realtor the portal has just created: new ids, nothing else known yet. */
  #fresh(): MockRealtor {
    return {
      id: this.#nextId++,
      uuid: randomUUID(),
      externalId: undefined,
      firstName: undefined,
      lastName: undefined,
      email: undefined,
      role: undefined,
      avatar: undefined,
      language: undefined,
      connections: [],
      owner: false,
      status: 'ACTIVE',
      writes: 0,
    };
  }

  /** Adds a realtor to an agency as the portal's panel would; returns it with its portal id. */
  add(agencyEmail: string, realtor: Partial<Omit<MockRealtor, 'id' | 'uuid' | 'writes'>>): MockRealtor {
    const email = agencyEmail.toLowerCase();
    if (!this.#agencies.agency(email)) throw new Error(`unknown agency ${agencyEmail}`);
    const stored: MockRealtor = { ...this.#fresh(), ...realtor, writes: 0 };
    this.#of(email).set(stored.id, stored);
    return { ...stored };
  }

  /** The realtors of an agency. */
  list(agencyEmail: string): MockRealtor[] {
    return [...(this.#realtors.get(agencyEmail.toLowerCase())?.values() ?? [])].map((r) => ({ ...r }));
  }

  /** A realtor of an agency by its CRM id. */
  byExternalId(agencyEmail: string, externalId: string): MockRealtor | undefined {
    const found = this.#findExternal(agencyEmail.toLowerCase(), externalId);
    return found && { ...found };
  }

  /** The company record of an agency. */
  company(agencyEmail: string): MockCompany | undefined {
    const agency = this.#agencies.agency(agencyEmail.toLowerCase());
    return agency && this.#company(agency);
  }

  /**
   * Refuses a listing whose `agent/realtors` names a realtor the agency does not have, as the
   * portal does: `MISSING_REALTOR`, naming the realtor.
   */
  checkListing(agencyEmail: string, agent: Record<string, unknown> | undefined, extra: object): void {
    const email = agencyEmail.toLowerCase();
    for (const r of children(child(agent, 'realtors'), 'realtor')) {
      const externalId = attr(r, 'external-id');
      const idText = attr(r, 'id');
      const found =
        (externalId !== undefined && this.#findExternal(email, externalId)) ||
        (idText !== undefined && this.#realtors.get(email)?.get(Number(idText)));
      if (found) continue;
      const named = externalId !== undefined ? `external-id "${externalId}"` : `id ${idText ?? '(none)'}`;
      throw withExtra(new Refusal(ErrorCode.MISSING_REALTOR, `realtor ${named} not found in agency ${email}`), {
        ...extra,
        realtorExternalId: externalId,
        realtorId: idText === undefined ? undefined : Number(idText),
      });
    }
  }

  /** Answers a request to the realtor API or the exports, after authentication; refusals are thrown. */
  async serve(method: string, path: string, body: Uint8Array | string): Promise<RealtorAnswer> {
    if (method === 'PUT' && path === '/ws/import/ies/company/realtor')
      return this.#put(await this.#agencies.read(body));
    const group = method === 'GET' ? /^\/ws\/export\/group\/([^/]+)\/company$/.exec(path) : null;
    if (group) {
      const name = decodeURIComponent(group[1] ?? '');
      const companies = [...this.#agencies.agencies()].map((a) => this.#company(a)).filter((c) => c.group === name);
      if (companies.length === 0) throw new Refusal(ErrorCode.NOT_FOUND, `group ${name} not found`);
      return { json: companies };
    }
    const company = method === 'GET' ? /^\/ws\/export\/company\/([^/]+)$/.exec(path) : null;
    if (company) {
      const id = decodeURIComponent(company[1] ?? '');
      const agency = [...this.#agencies.agencies()].find((a) => a.id === id);
      if (!agency) throw new Refusal(ErrorCode.NOT_FOUND, `company ${id} not found`);
      const realtors = [...(this.#realtors.get(agency.email.toLowerCase())?.values() ?? [])].map((r) => ({
        id: r.id,
        uuid: r.uuid,
        externalId: r.externalId ?? null,
        email: r.email ?? null,
        firstName: r.firstName ?? null,
        lastName: r.lastName ?? null,
        owner: r.owner,
        status: r.status,
      }));
      return { json: realtors };
    }
    throw new Refusal(ErrorCode.NOT_FOUND, `no resource at ${method} ${path}`);
  }

  #of(email: string): Map<number, MockRealtor> {
    let map = this.#realtors.get(email);
    if (!map) {
      map = new Map();
      this.#realtors.set(email, map);
    }
    return map;
  }

  #findExternal(email: string, externalId: string): MockRealtor | undefined {
    for (const r of this.#realtors.get(email)?.values() ?? []) if (r.externalId === externalId) return r;
    return undefined;
  }

  #company(agency: { email: string; id: string; online: boolean }): MockCompany {
    const email = agency.email.toLowerCase();
    let uuid = this.#uuids.get(email);
    if (!uuid) {
      uuid = randomUUID();
      this.#uuids.set(email, uuid);
    }
    return {
      id: Number(agency.id),
      uuid,
      externalId: undefined,
      name: email.split('@')[0] ?? email,
      username: email,
      group: this.#groups.get(email) ?? DEFAULT_GROUP,
      status: agency.online ? 'ACTIVE' : 'OFFLINE',
    };
  }

  /** `PUT /ws/import/ies/company/realtor`: `<agent><email/><realtors><realtor external-id=…>…`. */
  #put(root: Record<string, unknown>): RealtorAnswer {
    const email = text(child(root, 'email')).toLowerCase();
    if (!email) throw new Refusal(ErrorCode.MISSING_FIELD, 'agent/email is missing');
    const list = children(child(root, 'realtors'), 'realtor');
    if (list.length === 0) throw new Refusal(ErrorCode.BAD_JAXB_REQUEST, 'agent/realtors must hold a realtor');
    const extra = { realEstate: email };
    const agency = this.#agencies.agency(email);
    if (!agency) throw withExtra(new Refusal(ErrorCode.MISSING_RE, `agency ${email} not found`), extra);
    const owner = { ...extra, entityOwnerId: agency.id };
    if (!agency.online) throw withExtra(new Refusal(ErrorCode.OFFLINE_RE, `agency ${email} is offline`), owner);
    const parsed = list.map((r) => this.#read(r, owner));
    let last: MockRealtor | undefined;
    for (const r of parsed) last = this.#apply(email, r, owner);
    return {
      fields: {
        ...owner,
        errorCode: 0,
        errorMessage: 'Success',
        entityId: last?.externalId,
        realtorId: last?.id,
        realtorUuid: last?.uuid,
        realtorExternalId: last?.externalId,
      },
    };
  }

  /** One `<realtor>`, checked as the XSD checks it. */
  #read(node: Record<string, unknown>, extra: object): ParsedRealtor {
    const externalId = attr(node, 'external-id');
    const idText = attr(node, 'id');
    const uuid = attr(node, 'uuid');
    const operation = attr(node, 'operation') ?? 'write';
    const refuse = (code: number, message: string) =>
      withExtra(new Refusal(code, message), { ...extra, realtorExternalId: externalId });
    if (!OPERATIONS.has(operation)) throw refuse(ErrorCode.UNKNOWN_CMD, `unknown operation "${operation}"`);
    if (idText !== undefined && !/^-?\d+$/.test(idText)) throw refuse(ErrorCode.BAD_JAXB_REQUEST, 'realtor/@id');
    if (uuid !== undefined && !UUID.test(uuid)) throw refuse(ErrorCode.BAD_JAXB_REQUEST, 'realtor/@uuid');
    if (externalId === undefined && idText === undefined) {
      throw refuse(ErrorCode.MISSING_FIELD, 'realtor/@external-id is required to create or update a realtor');
    }
    const seen = new Set<string>();
    for (const c of childrenOf(node)) {
      const name = nameOf(c);
      if (name === undefined) continue;
      if (!REALTOR_CHILDREN.has(name)) throw refuse(ErrorCode.BAD_JAXB_REQUEST, `unexpected element <${name}>`);
      if (seen.has(name)) throw refuse(ErrorCode.BAD_JAXB_REQUEST, `element <${name}> repeated`);
      seen.add(name);
    }
    const role = child(node, 'role') ? text(child(node, 'role')) : undefined;
    if (role !== undefined && !ROLES.has(role)) throw refuse(ErrorCode.BAD_JAXB_REQUEST, `role "${role}"`);
    const language = child(node, 'language') ? text(child(node, 'language')) : undefined;
    if (language !== undefined && !LANGUAGES.has(language)) {
      throw refuse(ErrorCode.BAD_JAXB_REQUEST, `language "${language}"`);
    }
    const connections = children(child(node, 'connections'), 'connection').map((c) => {
      const type = attr(c, 'type');
      if (type !== undefined && !CONNECTION_TYPES.has(type)) {
        throw refuse(ErrorCode.BAD_JAXB_REQUEST, `connection type "${type}"`);
      }
      return { type, value: text(c) };
    });
    const optional = (name: string) => (child(node, name) ? text(child(node, name)) : undefined);
    return {
      externalId,
      id: idText === undefined ? undefined : Number(idText),
      operation,
      firstName: optional('firstname'),
      lastName: optional('surname'),
      avatar: optional('avatar'),
      role,
      language,
      connections: child(node, 'connections') ? connections : undefined,
    };
  }

  #apply(email: string, r: ParsedRealtor, extra: object): MockRealtor {
    const realtors = this.#of(email);
    const existing =
      (r.externalId !== undefined ? this.#findExternal(email, r.externalId) : undefined) ??
      (r.id !== undefined ? realtors.get(r.id) : undefined);
    if (r.operation === 'delete') {
      if (!existing) {
        throw withExtra(new Refusal(ErrorCode.MISSING_REALTOR, `realtor ${r.externalId ?? r.id} not found`), {
          ...extra,
          realtorExternalId: r.externalId,
        });
      }
      realtors.delete(existing.id);
      return existing;
    }
    if (!existing && r.externalId === undefined) {
      throw withExtra(new Refusal(ErrorCode.MISSING_REALTOR, `realtor ${r.id} not found`), extra);
    }
    const target: MockRealtor = existing ?? { ...this.#fresh(), externalId: r.externalId };
    if (r.externalId !== undefined) target.externalId = r.externalId;
    if (r.firstName !== undefined) target.firstName = r.firstName;
    if (r.lastName !== undefined) target.lastName = r.lastName;
    if (r.avatar !== undefined) target.avatar = r.avatar;
    if (r.role !== undefined) {
      target.role = r.role;
      target.owner = r.role === 'owner';
    }
    if (r.language !== undefined) target.language = r.language;
    if (r.connections !== undefined) {
      target.connections = r.connections;
      target.email = r.connections.find((c) => c.type === 'email')?.value;
    }
    target.writes++;
    realtors.set(target.id, target);
    return target;
  }
}
