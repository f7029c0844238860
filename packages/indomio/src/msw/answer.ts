import { randomUUID } from 'node:crypto';
import { create } from 'xmlbuilder2';
import { ErrorCode, errorCodeInfo } from '../error-codes.js';

/** An answer of the mock portal. */
export interface MockAnswer {
  status: number;
  /** `ServiceResponse` XML, or plain text for authentication failures. */
  body: string;
  headers: Record<string, string>;
  errorCode?: number | undefined;
}

/** The fields of a `ServiceResponse`; the optional nodes are sent only when given. */
export interface AnswerFields {
  errorCode: number;
  errorMessage?: string | undefined;
  entityId?: string | undefined;
  entityOwnerId?: string | undefined;
  realEstate?: string | undefined;
  idListing?: number | undefined;
  lock?: boolean | undefined;
  listingUuid?: string | undefined;
  agencyUuid?: string | undefined;
  realtorId?: number | undefined;
  realtorUuid?: string | undefined;
  realtorExternalId?: string | undefined;
}

/**
 * The standard HTTP status the mock sends with an `ErrorCode`: 200 for success, 403 for a
 * locked listing or an agency whose status forbids it (offline, wrong status), 404 for a
 * listing or agency that does not exist, 5xx for a generic error, 400 for every refusal of
 * the document itself. The `ErrorCode` in the body says which; clients read that.
 */
export function httpStatusOf(errorCode: number): number {
  switch (errorCode) {
    case ErrorCode.SUCCESS:
      return 200;
    case ErrorCode.LOCKED:
    case ErrorCode.OFFLINE_RE:
    case ErrorCode.WRONG_STATUS:
      return 403;
    case ErrorCode.NOT_FOUND:
    case ErrorCode.MISSING_RE:
    case ErrorCode.MISSING_REALTOR:
      return 404;
    default:
      return errorCode >= 500 && errorCode <= 599 ? errorCode : 400;
  }
}

const OPTIONAL_NODES = [
  ['ListingUuid', 'listingUuid'],
  ['AgencyUuid', 'agencyUuid'],
  ['RealtorId', 'realtorId'],
  ['RealtorUuid', 'realtorUuid'],
  ['RealtorExternalId', 'realtorExternalId'],
] as const;

/**
 * Builds `ServiceResponse` answers. The portal does not guarantee the nodes' order, so each
 * answer starts its nodes at a different place.
 */
export class AnswerBuilder {
  #answers = 0;

  /** Starts again from the first order. */
  reset(): void {
    this.#answers = 0;
  }

  /** A `ServiceResponse` with `fields`, sent with `status` (default: {@link httpStatusOf} its code). */
  build(fields: AnswerFields, status = httpStatusOf(fields.errorCode)): MockAnswer {
    const nodes: [string, string][] = [
      ['Result', String(fields.errorCode === 0)],
      ['EntityID', fields.entityId ?? ''],
      ['EntityOwnerID', fields.entityOwnerId ?? ''],
      ['RealEstate', fields.realEstate ?? ''],
      ['ErrorCode', String(fields.errorCode)],
      ['ErrorMessage', fields.errorMessage ?? errorCodeInfo(fields.errorCode).meaning],
      ['idListing', fields.idListing === undefined ? '' : String(fields.idListing)],
      ['lock', String(fields.lock ?? false)],
      ['RequestID', randomUUID().toUpperCase()],
    ];
    for (const [node, key] of OPTIONAL_NODES) {
      const value = fields[key];
      if (value !== undefined && value !== '') nodes.push([node, String(value)]);
    }
    const shift = this.#answers++ % nodes.length;
    const ordered = [...nodes.slice(shift), ...nodes.slice(0, shift)];
    const doc = create({ version: '1.0', encoding: 'UTF-8' }).ele('ServiceResponse');
    for (const [name, value] of ordered) doc.ele(name).txt(value).up();
    return {
      status,
      body: doc.end(),
      headers: { 'content-type': 'application/xml; charset=utf-8' },
      errorCode: fields.errorCode,
    };
  }
}
