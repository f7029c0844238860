import { type Agency, agencySchema } from '../schemas/account.js';
import type { Transport } from '../transport.js';
import type { CallOptions } from './shared.js';

/** The agency the API key belongs to. */
export class AgencyResource {
  readonly #transport: Transport;

  /** @internal */
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /**
   * The agency, its status and its monthly listing limit. The cheapest way to check
   * that the API key works: a bad key throws `AuthenticationError`, a suspended agency
   * or a disabled CRM throws `PermissionError`, each with Rentix's message.
   */
  async get(options: CallOptions = {}): Promise<Agency> {
    return this.#transport.call(agencySchema, {
      method: 'GET',
      path: '/agency',
      operation: 'agency.get',
      signal: options.signal,
    });
  }
}
