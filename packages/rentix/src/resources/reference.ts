import { type CallOptions, callResource, type HttpClient } from '@sync/core';
import { type BaseSchema, BaseSchemaSchema, type Currencies, CurrenciesSchema } from '../schemas/account.js';

/** Reference data: allowed values and exchange rates. */
export class ReferenceResource {
  readonly #http: HttpClient;

  /** @internal */
  constructor(http: HttpClient) {
    this.#http = http;
  }

  /**
   * The base schema (`GET /reference/schema/base`): allowed values per field and the
   * secondary types per announcement and property type, as the portal currently has them.
   */
  async schema(options: CallOptions = {}): Promise<BaseSchema> {
    return (
      await callResource(
        this.#http,
        {
          schema: BaseSchemaSchema,
          method: 'GET',
          path: '/reference/schema/base',
          operation: 'reference.schema',
        },
        options,
      )
    ).data;
  }

  /** Exchange rates against the base currency (`GET /reference/currencies`). */
  async currencies(options: CallOptions = {}): Promise<Currencies> {
    return (
      await callResource(
        this.#http,
        {
          schema: CurrenciesSchema,
          method: 'GET',
          path: '/reference/currencies',
          operation: 'reference.currencies',
        },
        options,
      )
    ).data;
  }
}
