import { parseInput, path } from '@sync/core';
import { z } from 'zod';
import type { Page } from '../pagination.js';
import { queryOfParsed } from '../query.js';
import { IdSchema } from '../schemas/common.js';
import { PerPageSchema } from '../schemas/filters.js';
import { type User, UserSchema } from '../schemas/resources.js';
import { parseResponse, type Transport, unwrapList, unwrapOne, type WithResponse, withMeta } from '../transport.js';
import type { CallOptions } from './properties.js';

/** Parameters of `users.list`. */
export const UserListParamsSchema = z.strictObject({
  page: z.number().int().min(1).optional(),
  perPage: PerPageSchema.optional(),
});
/** Parameters of `users.list`. */
export type UserListParams = z.input<typeof UserListParamsSchema>;

/** The `users` resource: the agents of the account. */
export class UsersResource {
  readonly #t: Transport;

  /** @internal */
  constructor(transport: Transport) {
    this.#t = transport;
  }

  /** One page of users. */
  async list(params: UserListParams = {}, options: CallOptions = {}): Promise<Page<User>> {
    const parsed = parseInput(UserListParamsSchema, params, { portal: 'pfcrm', operation: 'users.list' });
    const { response, meta } = await this.#t.send<unknown>({
      method: 'GET',
      path: '/users',
      query: queryOfParsed(parsed, 'users.list'),
      operation: 'users.list',
      signal: options.signal,
    });
    const raw = unwrapList(response.data, ['users', 'user'], 'users.list');
    const items = raw.items.map((item) => parseResponse(UserSchema, item, 'users.list'));
    return {
      items,
      count: raw.count,
      page: raw.page ?? parsed.page ?? 1,
      perPage: raw.perPage ?? parsed.perPage ?? items.length,
      warning: meta.warning,
      lastResponse: meta,
    };
  }

  /** One user by id. */
  async get(id: number, options: CallOptions = {}): Promise<WithResponse<User>> {
    const itemId = String(id);
    parseInput(IdSchema, id, { portal: 'pfcrm', operation: 'users.get', itemId });
    const { response, meta } = await this.#t.send<unknown>({
      method: 'GET',
      path: path`/users/${id}`,
      operation: 'users.get',
      itemId,
      signal: options.signal,
    });
    const raw = unwrapOne(response.data, ['user'], 'users.get', itemId);
    return withMeta(parseResponse(UserSchema, raw, 'users.get', itemId), meta);
  }
}
