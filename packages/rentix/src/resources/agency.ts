import { type CallOptions, callResource, type HttpClient } from '@sync/core';
import { type Agency, AgencySchema } from '../schemas/account.js';

/** The agency the API key belongs to. */
export class AgencyResource {
  readonly #http: HttpClient;

  /** @internal */
  constructor(http: HttpClient) {
    this.#http = http;
  }

  /**
   * The agency, its status and its monthly listing limit. The cheapest way to check
   * that the API key works: a bad key throws `AuthenticationError`, a suspended agency
   * or a disabled CRM throws `PermissionError`, each with Rentix's message.
   */
  async get(options: CallOptions = {}): Promise<Agency> {
    return (
      await callResource(
        this.#http,
        {
          schema: AgencySchema,
          method: 'GET',
          path: '/agency',
          operation: 'agency.get',
        },
        options,
      )
    ).data;
  }
}
