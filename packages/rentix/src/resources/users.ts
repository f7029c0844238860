import {
  type CallOptions,
  type CollectOptions,
  callResource,
  collect,
  type HttpClient,
  type Page,
  parseInput,
  path,
} from '@sync/core';
import { type BulkLimits, type BulkOptions, type BulkReport, runBulk } from '../bulk.js';
import { userOps } from '../operations.js';
import { type NormalizePhoneOptions, normalizePhone } from '../phone.js';
import { PORTAL } from '../portal.js';
import { type UserOperation, UserOperationSchema } from '../schemas/bulk.js';
import { type LinkResult, LinkResultSchema, type UnlinkResult, UnlinkResultSchema } from '../schemas/listing.js';
import {
  type User,
  type UserCreateInput,
  UserCreateInputSchema,
  type UserInput,
  UserInputSchema,
  UserListSchema,
  UserSchema,
  type UserUpsertResult,
  UserUpsertResultSchema,
} from '../schemas/user.js';

/** An agent as the CRM knows it. */
export interface CrmAgent {
  /** The CRM's id of the agent; becomes the Rentix user's `externalId`. */
  id: string;
  /** The agent's phone, in any usual notation. */
  phone: string | null | undefined;
}

/** Options of {@link UsersResource.linkByPhone}. */
export interface LinkByPhoneOptions extends BulkOptions, NormalizePhoneOptions {}

/** What {@link UsersResource.linkByPhone} did with each CRM agent. */
export interface LinkByPhoneReport {
  /** Agents linked by this call: CRM id → Rentix user id. */
  linked: Array<{ crmId: string; userId: string }>;
  /** Agents whose Rentix user already carries their CRM id. */
  alreadyLinked: Array<{ crmId: string; userId: string }>;
  /** Agents whose phone matches no Rentix user (not invited or not registered yet). */
  unmatched: string[];
  /** Agents whose Rentix user is linked to another CRM id, or whose phone matches several users. */
  conflicts: Array<{ crmId: string; reason: string }>;
  /** Agents whose link operation the portal refused. */
  failed: Array<{ crmId: string; userId: string; message: string | undefined }>;
  /** The bulk report of the link operations sent (empty when none were needed). */
  report: BulkReport<UserOperation>;
}

/** Agents of the agency. They are invited through the Rentix web interface, then linked to CRM ids here. */
export class UsersResource {
  readonly #http: HttpClient;
  readonly #limits: BulkLimits;

  /** @internal */
  constructor(http: HttpClient, limits: BulkLimits) {
    this.#http = http;
    this.#limits = limits;
  }

  /** Every user of the agency (`GET /users`), as one page: Rentix does not page users. */
  async list(options: CallOptions = {}): Promise<Page<User>> {
    const { data } = await callResource(
      this.#http,
      { schema: UserListSchema, method: 'GET', path: '/users', operation: 'users.list' },
      options,
    );
    return { items: data.items, count: data.items.length, page: 1, perPage: data.items.length };
  }

  /** Every user of the agency, one at a time. */
  async *iterate(options: CallOptions = {}): AsyncGenerator<User, void, undefined> {
    yield* (await this.list(options)).items;
  }

  /** Every user of the agency as an array, or the first `limit`. */
  async collect(options: CollectOptions & CallOptions = {}): Promise<User[]> {
    return collect(this.iterate(options), options);
  }

  /** A user by Rentix id. */
  async get(id: string, options: CallOptions = {}): Promise<User> {
    return (
      await callResource(
        this.#http,
        {
          schema: UserSchema,
          method: 'GET',
          path: path`/users/${id}`,
          operation: 'users.get',
          itemId: id,
        },
        options,
      )
    ).data;
  }

  /** A user by the CRM's id. */
  async getByExternalId(externalId: string, options: CallOptions = {}): Promise<User> {
    return (
      await callResource(
        this.#http,
        {
          schema: UserSchema,
          method: 'GET',
          path: path`/users/external/${externalId}`,
          operation: 'users.getByExternalId',
          itemId: externalId,
        },
        options,
      )
    ).data;
  }

  /** Creates or updates a user (`PUT /users`), keyed by `id` or `externalId`, not both. */
  async upsert(user: UserInput, options: CallOptions = {}): Promise<UserUpsertResult> {
    const itemId = user.externalId ?? user.id;
    parseInput(UserInputSchema, user, { portal: PORTAL, operation: 'users.upsert', itemId });
    return (
      await callResource(
        this.#http,
        {
          schema: UserUpsertResultSchema,
          method: 'PUT',
          path: '/users',
          json: user,
          operation: 'users.upsert',
          itemId,
        },
        options,
      )
    ).data;
  }

  /**
   * Creates an agent from the CRM (`PUT /users` with `externalId`, `name` and `phone`),
   * as Rentix's newer docs allow. The phone is sent in international format
   * (`+37369123456`), normalised as Rentix does ({@link normalizePhone}), so later
   * reads and {@link UsersResource.linkByPhone} see the same number; Rentix enables
   * every contact channel of a new agent. An `externalId` Rentix knows already updates
   * that agent (`updated: true`).
   *
   * @example
   * const { id } = await rentix.users.create({ externalId: 'agent-7', name: 'Ana Rusu', phone: '069 123 456' });
   */
  async create(user: UserCreateInput, options: CallOptions & NormalizePhoneOptions = {}): Promise<UserUpsertResult> {
    const context = { portal: PORTAL, operation: 'users.create', itemId: user.externalId };
    const body = parseInput(UserCreateInputSchema, user, context);
    const digits = normalizePhone(body.phone, options);
    return (
      await callResource(
        this.#http,
        {
          schema: UserUpsertResultSchema,
          method: 'PUT',
          path: '/users',
          json: { ...body, phone: digits === undefined ? body.phone : `+${digits}` },
          operation: 'users.create',
          itemId: body.externalId,
        },
        options,
      )
    ).data;
  }

  /** Attaches the CRM id `externalId` to the Rentix user `id`. */
  async link(id: string, externalId: string, options: CallOptions = {}): Promise<LinkResult> {
    parseInput(UserOperationSchema, userOps.link(id, externalId), {
      portal: PORTAL,
      operation: 'users.link',
      itemId: externalId,
    });
    return (
      await callResource(
        this.#http,
        {
          schema: LinkResultSchema,
          method: 'POST',
          path: path`/users/${id}/link`,
          json: { externalId },
          idempotent: true,
          operation: 'users.link',
          itemId: externalId,
        },
        options,
      )
    ).data;
  }

  /** Removes the CRM id of the Rentix user `id`. */
  async unlink(id: string, options: CallOptions = {}): Promise<UnlinkResult> {
    return (
      await callResource(
        this.#http,
        {
          schema: UnlinkResultSchema,
          method: 'DELETE',
          path: path`/users/${id}/link`,
          operation: 'users.unlink',
          itemId: id,
        },
        options,
      )
    ).data;
  }

  /** Sends link/unlink operations (`userOps`) to `POST /users/bulk`, with one report in input order. */
  async bulk(operations: readonly UserOperation[], options: BulkOptions = {}): Promise<BulkReport<UserOperation>> {
    return runBulk(
      this.#http,
      {
        path: '/users/bulk',
        operation: 'users.bulk',
        schema: UserOperationSchema,
        idempotent: () => true,
      },
      operations,
      this.#limits,
      options,
    );
  }

  /**
   * Links CRM agents to the Rentix users with the same phone number, compared after
   * {@link normalizePhone}. Users that already carry an external id are left alone.
   * Agents that match nobody are listed, not failed: they may not have accepted their
   * invitation yet, and listings can be published without an agent meanwhile.
   */
  async linkByPhone(agents: readonly CrmAgent[], options: LinkByPhoneOptions = {}): Promise<LinkByPhoneReport> {
    const users = await this.collect({ signal: options.signal });
    const byPhone = new Map<string, User[]>();
    for (const user of users) {
      const phone = normalizePhone(user.phone, options);
      if (phone === undefined) continue;
      byPhone.set(phone, [...(byPhone.get(phone) ?? []), user]);
    }
    const out: Omit<LinkByPhoneReport, 'report'> = {
      linked: [],
      alreadyLinked: [],
      unmatched: [],
      conflicts: [],
      failed: [],
    };
    const operations: UserOperation[] = [];
    const claimed = new Map<string, string>();
    for (const agent of agents) {
      const phone = normalizePhone(agent.phone, options);
      const matches = phone === undefined ? [] : (byPhone.get(phone) ?? []);
      const match = matches[0];
      if (!match) {
        out.unmatched.push(agent.id);
      } else if (matches.length > 1) {
        out.conflicts.push({ crmId: agent.id, reason: `${matches.length} Rentix users have the phone ${phone}` });
      } else if (match.externalId === agent.id) {
        out.alreadyLinked.push({ crmId: agent.id, userId: match.id });
      } else if (match.externalId) {
        out.conflicts.push({ crmId: agent.id, reason: `user ${match.id} is linked to "${match.externalId}"` });
      } else if (claimed.has(match.id)) {
        out.conflicts.push({ crmId: agent.id, reason: `user ${match.id} also matches "${claimed.get(match.id)}"` });
      } else {
        claimed.set(match.id, agent.id);
        operations.push(userOps.link(match.id, agent.id));
      }
    }
    const report = await this.bulk(operations, options);
    for (const result of report.results) {
      const op = result.operation;
      const crmId = op.externalId ?? '';
      const userId = op.id ?? '';
      if (result.success) out.linked.push({ crmId, userId });
      else out.failed.push({ crmId, userId, message: result.message });
    }
    return { ...out, report };
  }
}
