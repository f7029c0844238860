import {
  type BatchProgress,
  type BatchReport,
  checkOptions,
  type InputIssue,
  InputValidationError,
  ownOption,
  PositiveIntegerSchema,
  parseInput,
  path,
  runBatches,
} from '@sync/core';
import { z } from 'zod';
import { sendOperationChunk } from '../bulk.js';
import { configurationIssues } from '../configuration.js';
import { describeOperation, operationIssues, type PropertyOperation } from '../operations.js';
import { type IterateOptions, type Page, paginate, toPage } from '../pagination.js';
import { type ParsedPropertyListParams, parsePropertyListParams, queryOfParsed } from '../query.js';
import { IdSchema } from '../schemas/common.js';
import { type Expand, ExpandSchema, type PropertyListParams } from '../schemas/filters.js';
import {
  normaliseProperty,
  type Property,
  type PropertyCreateInput,
  PropertyCreateInputSchema,
  type PropertyEmailInput,
  PropertyEmailInputSchema,
  type PropertyOptions,
  PropertyOptionsSchema,
  PropertySchema,
  type PropertyUpdateInput,
  PropertyUpdateInputSchema,
} from '../schemas/property.js';
import {
  expandHeaders,
  parseResponse,
  type ResponseMeta,
  type Transport,
  unwrapList,
  unwrapOne,
  type WithResponse,
  withMeta,
} from '../transport.js';

/** Chunk sizes and concurrency of bulk calls: whole numbers of at least 1. */
const ChunkedOptionsSchema = z.looseObject({
  chunkSize: PositiveIntegerSchema.optional(),
  concurrency: PositiveIntegerSchema.optional(),
});

const ONE_KEYS = ['property'] as const;
const LIST_KEYS = ['property', 'properties'] as const;

/** Options of a single-property read. */
export interface GetOptions {
  /** Expand related objects (`X-MyCRM-Expand-Data`): `true`, or a relation such as `user`. */
  expand?: Expand | undefined;
  /** Cancels the call. */
  signal?: AbortSignal | undefined;
}

/** Options of a call that only needs cancelling. */
export interface CallOptions {
  /** Cancels the call. */
  signal?: AbortSignal | undefined;
}

/** Options of a create or update. */
export interface WriteOptions extends CallOptions {
  /**
   * Account configuration to check the property against (type exists, offering allowed for
   * the type, amenities allowed for its category). Defaults to the configuration cached by
   * the last `options()` call, if any.
   */
  configuration?: PropertyOptions | undefined;
}

/** Options of {@link PropertiesResource.bulk}. */
export interface BulkOptions {
  /** Operations per `PATCH /properties` request (default 100). */
  chunkSize?: number | undefined;
  /** Requests in flight at once (default 1, so operations apply in order). */
  concurrency?: number | undefined;
  /** Stops the run: chunks not yet sent are reported skipped. */
  signal?: AbortSignal | undefined;
  /** Called after each chunk. */
  onProgress?: ((progress: BatchProgress) => void) | undefined;
}

/** Options of {@link PropertiesResource.deleteMany}. */
export interface DeleteManyOptions {
  /**
   * The API deletes EVERY property of the account when the list is empty. Pass
   * `all: true` with an empty list to mean exactly that; without it an empty list is refused.
   */
  all?: true | undefined;
  /** Ids per `DELETE /properties` request (default 100). */
  chunkSize?: number | undefined;
  /** Stops the run: chunks not yet sent are reported skipped. */
  signal?: AbortSignal | undefined;
}

/** Outcome of {@link PropertiesResource.deleteMany}: one outcome per id, and whether everything was deleted. */
export interface DeleteManyReport extends BatchReport<number, undefined> {
  /** `true` when the whole account was emptied (`{ all: true }`). */
  all: boolean;
}

/** Result of a call that returns no body. */
export interface Acknowledgement {
  /** The HTTP exchange. */
  lastResponse: ResponseMeta;
}

/** Parameters of {@link PropertiesResource.list} without `page` (iteration controls it). */
export type PropertyIterateParams = Omit<PropertyListParams, 'page'> & { page?: number | undefined };

const isIdempotent = (ops: readonly PropertyOperation[]) => ops.every((op) => describeOperation(op)?.idempotent);

/** The `properties` resource: reads with typed filters and sorts, writes, bulk actions, e-mail. */
export class PropertiesResource {
  readonly #t: Transport;

  /** @internal */
  constructor(transport: Transport) {
    this.#t = transport;
  }

  /** One property by id. */
  async get(id: number, options: GetOptions = {}): Promise<WithResponse<Property>> {
    const itemId = String(id);
    parseInput(IdSchema, id, { portal: 'pfcrm', operation: 'properties.get', itemId });
    const expand = parseInput(ExpandSchema.optional(), options.expand, {
      portal: 'pfcrm',
      operation: 'properties.get',
    });
    const { response, meta } = await this.#t.send<unknown>({
      method: 'GET',
      path: path`/properties/${id}`,
      headers: expandHeaders(expand),
      operation: 'properties.get',
      itemId,
      signal: options.signal,
    });
    const raw = unwrapOne(response.data, ONE_KEYS, 'properties.get', itemId);
    return withMeta(parseResponse(PropertySchema, normaliseProperty(raw), 'properties.get', itemId), meta);
  }

  /**
   * One page of properties. Filters and sorts are checked before the call; the
   * query is exactly {@link propertiesQuery}'s.
   */
  async list(params: PropertyListParams = {}, options: CallOptions = {}): Promise<Page<Property>> {
    const parsed = parsePropertyListParams(params);
    return this.#page(
      parsed,
      queryOfParsed(parsed, 'properties.list'),
      parsed.page ?? 1,
      options.signal,
      'properties.list',
    );
  }

  /**
   * Every property matching `params`, page after page (100 per page unless
   * `perPage` says otherwise), holding at most two pages in memory.
   *
   * @example
   * for await (const p of pf.properties.iterate({ filters: { state: 'approved' } })) console.info(p.id);
   */
  iterate(params: PropertyIterateParams = {}, options: IterateOptions = {}): AsyncGenerator<Property, void, undefined> {
    const parsed = parsePropertyListParams({ perPage: 100, ...params }, 'properties.iterate');
    const perPage = parsed.perPage ?? 100;
    // Checked now, so an oversized query is refused before the first page is asked for.
    queryOfParsed({ ...parsed, page: parsed.page ?? 1 }, 'properties.iterate');
    return paginate(
      (page, signal) =>
        this.#page(
          parsed,
          queryOfParsed({ ...parsed, page }, 'properties.iterate'),
          page,
          signal,
          'properties.iterate',
        ),
      parsed.page ?? 1,
      perPage,
      options.signal,
    );
  }

  async #page(
    parsed: ParsedPropertyListParams,
    query: string,
    page: number,
    signal: AbortSignal | undefined,
    operation: string,
  ): Promise<Page<Property>> {
    const { response, meta } = await this.#t.send<unknown>({
      method: 'GET',
      path: '/properties',
      query,
      headers: expandHeaders(parsed.expand),
      operation,
      signal,
    });
    const raw = unwrapList(response.data, LIST_KEYS, operation);
    const items = raw.items.map((item) => parseResponse(PropertySchema, normaliseProperty(item), operation));
    return toPage(raw, items, { page, perPage: parsed.perPage }, meta);
  }

  /**
   * The account's configuration (`OPTIONS /properties`): property types with their
   * category and offerings, amenities, enumerations. Cached for the checks of `create` and `update`.
   */
  async options(options: CallOptions = {}): Promise<WithResponse<PropertyOptions>> {
    const { response, meta } = await this.#t.send<unknown>({
      method: 'OPTIONS',
      path: '/properties',
      operation: 'properties.options',
      signal: options.signal,
    });
    const parsed = parseResponse(PropertyOptionsSchema, response.data, 'properties.options');
    this.#t.configuration = parsed;
    return withMeta(parsed, meta);
  }

  #checkConfiguration(
    input: { type: number; price: { offering: 'sale' | 'rent' }; amenities?: number[] | undefined },
    operation: string,
    itemId: string | undefined,
    configuration: PropertyOptions | undefined,
  ): void {
    const config = configuration ?? (this.#t.configuration as PropertyOptions | undefined);
    if (!config) return;
    const issues = configurationIssues(input, config);
    if (issues.length > 0) throw new InputValidationError(issues, { portal: 'pfcrm', operation, itemId });
  }

  /**
   * Creates a property. The input is checked in full first (mandatory fields, bounds,
   * rent vs sale prices, languages); `languages` is sent keyed by language. Never
   * retried automatically: a repeated create would make a duplicate.
   */
  async create(input: PropertyCreateInput, options: WriteOptions = {}): Promise<WithResponse<Property>> {
    const itemId = typeof input?.reference === 'string' ? input.reference : undefined;
    const body = parseInput(PropertyCreateInputSchema, input, {
      portal: 'pfcrm',
      operation: 'properties.create',
      itemId,
    });
    this.#checkConfiguration(body, 'properties.create', itemId, options.configuration);
    const { response, meta } = await this.#t.send<unknown>({
      method: 'POST',
      path: '/properties',
      json: { property: body },
      operation: 'properties.create',
      itemId,
      signal: options.signal,
    });
    const raw = unwrapOne(response.data, ONE_KEYS, 'properties.create', itemId);
    return withMeta(parseResponse(PropertySchema, normaliseProperty(raw), 'properties.create', itemId), meta);
  }

  /** Replaces a property (`PUT /properties`, id in the body); same checks as {@link create}. */
  async update(input: PropertyUpdateInput, options: WriteOptions = {}): Promise<WithResponse<Property>> {
    const itemId = input && typeof input.id === 'number' ? String(input.id) : undefined;
    const body = parseInput(PropertyUpdateInputSchema, input, {
      portal: 'pfcrm',
      operation: 'properties.update',
      itemId,
    });
    this.#checkConfiguration(body, 'properties.update', itemId, options.configuration);
    const { response, meta } = await this.#t.send<unknown>({
      method: 'PUT',
      path: '/properties',
      json: { property: body },
      operation: 'properties.update',
      itemId,
      signal: options.signal,
    });
    const raw = unwrapOne(response.data, ONE_KEYS, 'properties.update', itemId);
    return withMeta(parseResponse(PropertySchema, normaliseProperty(raw), 'properties.update', itemId), meta);
  }

  /** Deletes one property. */
  async delete(id: number, options: CallOptions = {}): Promise<Acknowledgement> {
    const itemId = String(id);
    parseInput(IdSchema, id, { portal: 'pfcrm', operation: 'properties.delete', itemId });
    const { meta } = await this.#t.send<unknown>({
      method: 'DELETE',
      path: path`/properties/${id}`,
      operation: 'properties.delete',
      itemId,
      signal: options.signal,
    });
    return { lastResponse: meta };
  }

  /** Throws an `InputValidationError` listing every faulty operation (`operations.3.value.reason`). */
  #validateOperations(operations: readonly unknown[], operation: string): void {
    if (!Array.isArray(operations)) {
      throw new InputValidationError([{ path: 'operations', message: 'expected an array', code: 'invalid_type' }], {
        portal: 'pfcrm',
        operation,
      });
    }
    const issues: InputIssue[] = [];
    operations.forEach((op, i) => {
      for (const issue of operationIssues(op)) {
        issues.push({ ...issue, path: issue.path ? `operations.${i}.${issue.path}` : `operations.${i}` });
      }
    });
    if (issues.length > 0) throw new InputValidationError(issues, { portal: 'pfcrm', operation });
  }

  /**
   * Applies bulk actions (build them with `ops`). Every operation is checked before
   * anything is sent; large lists go in chunks, and the report has one outcome per
   * operation in input order. Verification submissions go to `PATCH /properties/{id}`
   * as documented, one request each. A chunk is retried after a transient failure only
   * when all its operations are harmless to repeat (no duplicate, no verification). When
   * the API refuses a chunk (422) naming the culprits, each of them fails with its own
   * reason and the rest is sent again without them (or reported skipped, not applied,
   * when one of them is not harmless to repeat).
   */
  async bulk(
    operations: readonly PropertyOperation[],
    options: BulkOptions = {},
  ): Promise<BatchReport<PropertyOperation, undefined>> {
    this.#validateOperations(operations, 'properties.bulk');
    checkOptions(ChunkedOptionsSchema, options, { portal: 'pfcrm', operation: 'properties.bulk' });
    const size = options.chunkSize ?? 100;
    const split = (items: readonly PropertyOperation[]): PropertyOperation[][] => {
      const groups: PropertyOperation[][] = [];
      let current: PropertyOperation[] = [];
      for (const op of items) {
        if (describeOperation(op)?.kind === 'verification') {
          if (current.length) groups.push(current);
          groups.push([op]);
          current = [];
          continue;
        }
        current.push(op);
        if (current.length >= size) {
          groups.push(current);
          current = [];
        }
      }
      if (current.length) groups.push(current);
      return groups;
    };
    return runBatches(
      operations,
      { split, concurrency: options.concurrency ?? 1, signal: options.signal, onProgress: options.onProgress },
      (batch, context) =>
        sendOperationChunk(batch, context.offset, (ops) => this.#patchChunk(ops, context.signal), 'properties.bulk'),
    );
  }

  /** One `PATCH` of a bulk run: a lone verification goes to `/properties/{id}`, anything else to `/properties`. */
  #patchChunk(batch: PropertyOperation[], signal: AbortSignal | undefined) {
    const first = batch[0];
    const target = first ? describeOperation(first) : undefined;
    const single = batch.length === 1 && target?.kind === 'verification' && typeof target.id === 'number';
    return this.#t.send<unknown>({
      method: 'PATCH',
      path: single && target ? path`/properties/${target.id as number}` : '/properties',
      json: { operations: batch },
      idempotent: isIdempotent(batch),
      operation: 'properties.bulk',
      itemId: single && target ? String(target.id) : undefined,
      signal,
    });
  }

  /** Applies operations to one property through `PATCH /properties/{id}` (e.g. a verification submission). */
  async patch(
    id: number,
    operations: readonly PropertyOperation[],
    options: CallOptions = {},
  ): Promise<Acknowledgement> {
    const itemId = String(id);
    parseInput(IdSchema, id, { portal: 'pfcrm', operation: 'properties.patch', itemId });
    this.#validateOperations(operations, 'properties.patch');
    if (operations.length === 0) {
      throw new InputValidationError(
        [{ path: 'operations', message: 'give at least one operation', code: 'too_small' }],
        {
          portal: 'pfcrm',
          operation: 'properties.patch',
          itemId,
        },
      );
    }
    const { meta } = await this.#t.send<unknown>({
      method: 'PATCH',
      path: path`/properties/${id}`,
      json: { operations },
      idempotent: isIdempotent(operations),
      operation: 'properties.patch',
      itemId,
      signal: options.signal,
    });
    return { lastResponse: meta };
  }

  /**
   * Deletes the given properties (`DELETE /properties`), in chunks.
   *
   * The API deletes every property of the account when the list is empty, so an empty
   * list is refused before any request unless `{ all: true }` says that is the intent.
   */
  async deleteMany(ids: readonly number[], options: DeleteManyOptions = {}): Promise<DeleteManyReport> {
    const context = { portal: 'pfcrm', operation: 'properties.deleteMany' };
    checkOptions(ChunkedOptionsSchema, options, context);
    const list = parseInput(z.array(IdSchema), ids, context);
    // Own property only: an `all` inherited from a polluted prototype must not delete everything.
    const all = ownOption(options, 'all');
    if (list.length === 0 && all !== true) {
      throw new InputValidationError(
        [
          {
            path: 'ids',
            message:
              'an empty list would delete EVERY property of the account; pass { all: true } if that is really meant',
            code: 'delete_all_refused',
          },
        ],
        context,
      );
    }
    if (list.length > 0 && all === true) {
      throw new InputValidationError(
        [
          {
            path: 'all',
            message: '{ all: true } deletes every property; it cannot go with a list of ids',
            code: 'invalid_value',
          },
        ],
        context,
      );
    }
    if (list.length === 0) {
      await this.#t.send<unknown>({
        method: 'DELETE',
        path: '/properties',
        json: { properties: [] },
        operation: 'properties.deleteMany',
        signal: options.signal,
      });
      return { total: 0, succeeded: 0, failed: 0, skipped: 0, items: [], all: true };
    }
    const report = await runBatches(
      list,
      { size: options.chunkSize ?? 100, signal: options.signal },
      async (batch, ctx) => {
        // Chunks are never empty: runBatches only forms non-empty groups.
        await this.#t.send<unknown>({
          method: 'DELETE',
          path: '/properties',
          json: { properties: batch },
          operation: 'properties.deleteMany',
          signal: ctx.signal,
        });
        return batch.map(() => ({ status: 'succeeded' as const, value: undefined }));
      },
    );
    return { ...report, all: false };
  }

  /** E-mails properties to recipients (`POST /properties/email`). Never retried: a repeat would send the mail twice. */
  async email(params: PropertyEmailInput, options: CallOptions = {}): Promise<Acknowledgement> {
    const email = parseInput(PropertyEmailInputSchema, params, { portal: 'pfcrm', operation: 'properties.email' });
    const { meta } = await this.#t.send<unknown>({
      method: 'POST',
      path: '/properties/email',
      json: { email },
      operation: 'properties.email',
      signal: options.signal,
    });
    return { lastResponse: meta };
  }
}
