import { type BaseSchema, baseSchemaSchema, type Currencies, currenciesSchema } from '../schemas/account.js';
import type { Transport } from '../transport.js';
import type { CallOptions } from './shared.js';

/** Reference data: allowed values and exchange rates. */
export class ReferenceResource {
  readonly #transport: Transport;

  /** @internal */
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /**
   * The base schema (`GET /reference/schema/base`): allowed values per field and the
   * secondary types per announcement and property type, as the portal currently has them.
   */
  async schema(options: CallOptions = {}): Promise<BaseSchema> {
    return this.#transport.call(baseSchemaSchema, {
      method: 'GET',
      path: '/reference/schema/base',
      operation: 'reference.schema',
      signal: options.signal,
    });
  }

  /** Exchange rates against the base currency (`GET /reference/currencies`). */
  async currencies(options: CallOptions = {}): Promise<Currencies> {
    return this.#transport.call(currenciesSchema, {
      method: 'GET',
      path: '/reference/currencies',
      operation: 'reference.currencies',
      signal: options.signal,
    });
  }
}
