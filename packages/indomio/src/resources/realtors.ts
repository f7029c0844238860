import { type CallOptions, callResource, path } from '@sync/core';
import { PORTAL } from '../portal.js';
import { type CompanyRealtor, CompanyRealtorListSchema } from '../schemas/company.js';
import type { RealtorsUpdateInput } from '../schemas/realtor.js';
import type { ServiceResponse } from '../schemas/service-response.js';
import { realtorsDocument, validateRealtorsUpdate } from '../xml/realtor.js';
import type { ResourceContext } from './context.js';
import { sendXml, serviceError } from './service-call.js';

/** Kind of the realtor entries in the identifier map: `agency username + external id → portal id`. */
export const REALTOR_KIND = 'realtor';

/**
 * Key of a realtor in the identifier map: realtors are the agency's, so the agency is part of it.
 * Written as a JSON pair, so no username or id can run into the other, and every store (PostgreSQL's
 * text refuses a NUL) can hold it.
 */
export function realtorKey(agencyEmail: string, externalId: string): string {
  return JSON.stringify([agencyEmail.toLowerCase(), externalId]);
}

/** What a successful realtor write returns. */
export interface RealtorsPutResult {
  /** The external ids written, in the order sent. */
  externalIds: string[];
  /** The realtor the portal named in its answer (its id, uuid and external id), when it named one. */
  realtor: { id: number | undefined; uuid: string | undefined; externalId: string | undefined } | undefined;
  /** The portal's full answer. */
  response: ServiceResponse;
}

/**
 * Unwraps a list the export answers with: the array itself, or the array held by `key` (the
 * docs name the fields of each entry, not the envelope).
 */
export function listOf(key: string): (data: unknown) => unknown {
  return (data) =>
    data !== null &&
    typeof data === 'object' &&
    !Array.isArray(data) &&
    Array.isArray((data as Record<string, unknown>)[key])
      ? (data as Record<string, unknown>)[key]
      : data;
}

/**
 * The agency's realtors (its agents). The portal takes a listing that names a realtor
 * (`agent/realtors/realtor`, by `externalId` or `id`) only when the agency already has it —
 * otherwise it answers `MISSING_REALTOR` (445) — so create realtors here first. Realtors are
 * never part of the batch feed.
 */
export class RealtorsResource {
  readonly #client: ResourceContext;

  /** @internal */
  constructor(client: ResourceContext) {
    this.#client = client;
  }

  /**
   * Creates or updates realtors of an agency (`PUT /ws/import/ies/company/realtor` with
   * `<agent><email/><realtors><realtor external-id=…>`): the portal matches each by its
   * `externalId`. Validated before any call (`InputValidationError` naming the field); the
   * portal id of the realtor it names in its answer is remembered in the identifier map.
   *
   * @example
   * ```ts
   * await indomio.realtors.put({
   *   agencyEmail: 'agency@example.com',
   *   realtors: [{ externalId: 'crm-agent-7', firstName: 'Giulia', surname: 'Bianchi', role: 'agent' }],
   * });
   * ```
   */
  async put(update: RealtorsUpdateInput, options: CallOptions = {}): Promise<RealtorsPutResult> {
    const valid = validateRealtorsUpdate(update, 'realtors.put');
    const externalIds = valid.realtors.map((r) => r.externalId);
    const response = await sendXml(
      this.#client,
      {
        method: 'PUT',
        path: '/ws/import/ies/company/realtor',
        body: realtorsDocument(valid),
        operation: 'realtors.put',
        itemId: externalIds.join(','),
      },
      options,
    );
    const named = response.realtorExternalId ?? (externalIds.length === 1 ? externalIds[0] : undefined);
    if (named !== undefined && response.realtorId !== undefined) {
      await this.#client.idMap.set(
        PORTAL,
        REALTOR_KIND,
        realtorKey(valid.agencyEmail, named),
        String(response.realtorId),
      );
    }
    const realtor =
      response.realtorId !== undefined || response.realtorUuid !== undefined || response.realtorExternalId !== undefined
        ? { id: response.realtorId, uuid: response.realtorUuid, externalId: response.realtorExternalId }
        : undefined;
    return { externalIds, realtor, response };
  }

  /**
   * Removes a realtor from an agency: a realtor write with `@operation="delete"`. Listings that
   * still name it are refused with `MISSING_REALTOR` afterwards.
   */
  async delete(agencyEmail: string, externalId: string, options: CallOptions = {}): Promise<RealtorsPutResult> {
    const result = await this.put({ agencyEmail, realtors: [{ externalId, operation: 'delete' }] }, options);
    await this.#client.idMap.delete(PORTAL, REALTOR_KIND, realtorKey(agencyEmail, externalId));
    return result;
  }

  /**
   * The realtors of a company (`GET /ws/export/company/{companyId}`), by the company's portal id
   * (see `companies.list`): each with its portal `id`, `externalId`, name, e-mail, whether it
   * owns the company, and its status.
   */
  async list(companyId: number | string, options: CallOptions = {}): Promise<CompanyRealtor[]> {
    const urlPath = path`/ws/export/company/${companyId}`;
    try {
      const { data } = await callResource(
        this.#client.http,
        {
          schema: CompanyRealtorListSchema,
          unwrap: listOf('realtors'),
          method: 'GET',
          path: urlPath,
          operation: 'realtors.list',
          itemId: String(companyId),
        },
        options,
      );
      return data;
    } catch (error) {
      throw serviceError(error, {
        portal: PORTAL,
        operation: 'realtors.list',
        itemId: String(companyId),
        method: 'GET',
        url: `${this.#client.http.baseUrl}${urlPath}`,
      });
    }
  }
}
