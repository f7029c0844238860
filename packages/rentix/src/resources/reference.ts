import { type Currencies, currenciesSchema } from '../schemas/account.js';
import { DOCUMENTED_SECONDARY_TYPES, type SecondaryTypeTable } from '../schemas/common.js';
import {
  type BaseSchema,
  baseSchemaSchema,
  type ContextSchema,
  contextSchemaSchema,
  secondaryTypesOf,
} from '../schemas/reference.js';
import type { Transport } from '../transport.js';
import type { CallOptions } from './shared.js';

/** Options of {@link ReferenceResource.schema}. */
export interface SchemaOptions extends CallOptions {
  /** Ask the portal again instead of answering from the copy fetched earlier. */
  refresh?: boolean | undefined;
}

/** Reference data: allowed values and exchange rates. */
export class ReferenceResource {
  readonly #transport: Transport;
  #schema: Promise<BaseSchema> | undefined;
  #secondaryTypes: SecondaryTypeTable = DOCUMENTED_SECONDARY_TYPES;

  /** @internal */
  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /**
   * The base schema (`GET /reference/schema/base`), keyed as Rentix sends it
   * (`propertySecondaryType.rent.residential`, `formFields`, `constraints`…). Fetched
   * once and kept: later calls answer from that copy unless `refresh` is set. Once
   * fetched, listings are validated against its secondary types before they are sent
   * (see {@link ReferenceResource.secondaryTypes}).
   */
  async schema(options: SchemaOptions = {}): Promise<BaseSchema> {
    if (!this.#schema || options.refresh) {
      const pending = this.#transport.call(baseSchemaSchema, {
        method: 'GET',
        path: '/reference/schema/base',
        operation: 'reference.schema',
        signal: options.signal,
      });
      this.#schema = pending;
      // A failed fetch is not kept: the next call asks again.
      pending.then(
        (schema) => {
          if (this.#schema === pending) this.#secondaryTypes = secondaryTypesOf(schema);
        },
        () => {
          if (this.#schema === pending) this.#schema = undefined;
        },
      );
    }
    return this.#schema;
  }

  /**
   * The contextual schema: the exact fields and options for one announcement type and
   * property type (`GET /reference/schema?announcementType=&propertyType=`).
   */
  async context(announcementType: string, propertyType: string, options: CallOptions = {}): Promise<ContextSchema> {
    return this.#transport.call(contextSchemaSchema, {
      method: 'GET',
      path: '/reference/schema',
      query: { announcementType, propertyType },
      operation: 'reference.context',
      itemId: `${announcementType}.${propertyType}`,
      signal: options.signal,
    });
  }

  /**
   * The secondary types allowed per announcement type and property type that listings
   * are checked against before sending: {@link DOCUMENTED_SECONDARY_TYPES} until
   * {@link ReferenceResource.schema} has been fetched, the portal's own lists after.
   */
  get secondaryTypes(): SecondaryTypeTable {
    return this.#secondaryTypes;
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
