import { type CallOptions, callResource, path } from '@sync/core';
import { PORTAL } from '../portal.js';
import { type Company, CompanyListSchema } from '../schemas/company.js';
import type { ResourceContext } from './context.js';
import { listOf } from './realtors.js';
import { serviceError } from './service-call.js';

/** The companies (agencies) of a group on the portal, with the ids the other exports take. */
export class CompaniesResource {
  readonly #client: ResourceContext;

  /** @internal */
  constructor(client: ResourceContext) {
    this.#client = client;
  }

  /**
   * The companies of a group (`GET /ws/export/group/{groupName}/company`): each with its portal
   * `id` (what `realtors.list` takes), uuid, `externalId`, name, `username` (the `agent/email`
   * of its listings), group and status.
   *
   * @example
   * ```ts
   * for (const company of await indomio.companies.list('my-group')) {
   *   console.info(company.username, (await indomio.realtors.list(company.id)).length);
   * }
   * ```
   */
  async list(groupName: string, options: CallOptions = {}): Promise<Company[]> {
    const urlPath = path`/ws/export/group/${groupName}/company`;
    try {
      const { data } = await callResource(
        this.#client.http,
        {
          schema: CompanyListSchema,
          unwrap: listOf('companies'),
          method: 'GET',
          path: urlPath,
          operation: 'companies.list',
          itemId: groupName,
        },
        options,
      );
      return data;
    } catch (error) {
      throw serviceError(error, {
        portal: PORTAL,
        operation: 'companies.list',
        itemId: groupName,
        method: 'GET',
        url: `${this.#client.http.baseUrl}${urlPath}`,
      });
    }
  }
}
