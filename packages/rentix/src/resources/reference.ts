import { type CallOptions, callResource, type HttpClient } from '@sync/core';
import { type Currencies, CurrenciesSchema } from '../schemas/account.js';
import { DOCUMENTED_SECONDARY_TYPES, type SecondaryTypeTable } from '../schemas/common.js';
import {
  type BaseSchema,
  BaseSchemaSchema,
  type ContextSchema,
  ContextSchemaSchema,
  secondaryTypesOf,
} from '../schemas/reference.js';

/** Options of {@link ReferenceResource.schema}. */
export interface SchemaOptions extends CallOptions {
  /** Ask the portal again instead of answering from the copy fetched earlier. */
  refresh?: boolean | undefined;
}

/** Reference data: allowed values and exchange rates. */
export class ReferenceResource {
  readonly #http: HttpClient;
  #schema: Promise<BaseSchema> | undefined;
  #secondaryTypes: SecondaryTypeTable = DOCUMENTED_SECONDARY_TYPES;

  /** @internal */
  constructor(http: HttpClient) {
    this.#http = http;
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
      const { refresh: _refresh, ...call } = options;
      const pending = callResource(
        this.#http,
        { schema: BaseSchemaSchema, method: 'GET', path: '/reference/schema/base', operation: 'reference.schema' },
        call,
      ).then((r) => r.data);
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
    return (
      await callResource(
        this.#http,
        {
          schema: ContextSchemaSchema,
          method: 'GET',
          path: '/reference/schema',
          query: { announcementType, propertyType },
          operation: 'reference.context',
          itemId: `${announcementType}.${propertyType}`,
        },
        options,
      )
    ).data;
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
