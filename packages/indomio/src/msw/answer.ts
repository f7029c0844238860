import { randomUUID } from 'node:crypto';
import { create } from 'xmlbuilder2';
import { errorCodeInfo } from '../error-codes.js';

/** An answer of the mock portal. */
export interface MockAnswer {
  status: number;
  /** `ServiceResponse` XML, JSON for the exports, or plain text for authentication failures. */
  body: string;
  headers: Record<string, string>;
  errorCode?: number | undefined;
}

/** The fields of a `ServiceResponse` the mock answers with; the realtor ones only when set. */
export interface ServiceResponseFields {
  errorCode: number;
  errorMessage?: string | undefined;
  entityId?: string | undefined;
  entityOwnerId?: string | undefined;
  realEstate?: string | undefined;
  idListing?: number | undefined;
  lock?: boolean | undefined;
  realtorId?: number | undefined;
  realtorUuid?: string | undefined;
  realtorExternalId?: string | undefined;
}

/**
 * A `ServiceResponse` answer with every node the portal always sends, the realtor ones when
 * set, and a fresh `RequestID`. The portal does not guarantee node order: `turn` (a counter of
 * answers) rotates it, so clients that rely on an order fail in tests.
 */
export function serviceResponseAnswer(fields: ServiceResponseFields, status: number, turn: number): MockAnswer {
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
  if (fields.realtorId !== undefined) nodes.push(['RealtorId', String(fields.realtorId)]);
  if (fields.realtorUuid !== undefined) nodes.push(['RealtorUuid', fields.realtorUuid]);
  if (fields.realtorExternalId !== undefined) nodes.push(['RealtorExternalId', fields.realtorExternalId]);
  const shift = turn % nodes.length;
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
