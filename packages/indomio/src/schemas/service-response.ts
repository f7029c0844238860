import { z } from 'zod';

// Text first: the parser always hands over text, and a union stops at the first match.
const bool = z
  .union([z.enum(['true', 'false', 'TRUE', 'FALSE', 'True', 'False']), z.boolean()])
  .transform((v) => (typeof v === 'boolean' ? v : v.toLowerCase() === 'true'));
const integer = z.union([z.string().regex(/^-?\d+$/, 'must be an integer'), z.int()]).transform(Number);
const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));
const optionalInteger = z
  .union([integer, z.literal('')])
  .optional()
  .transform((v) => (v === '' ? undefined : v));

/**
 * The portal's answer to every call (`ServiceResponse`), typed: numbers are numbers,
 * booleans are booleans. Unknown nodes pass through.
 */
export const ServiceResponseSchema = z.looseObject({
  /** Whether the request succeeded. */
  result: bool,
  /** The listing's id in the management system (the `unique-id`). */
  entityId: optionalText,
  /** The agency's id in the management system. */
  entityOwnerId: optionalText,
  /** The agency's username. */
  realEstate: optionalText,
  /** See {@link ErrorCode}. */
  errorCode: integer,
  errorMessage: optionalText,
  /** The portal's listing id: what a later DELETE needs. */
  idListing: optionalInteger,
  /** The listing is protected and can only be changed from the portal's panel. */
  lock: bool.optional().transform((v) => v ?? false),
  /** The portal's id of the request, for support. */
  requestId: optionalText,
  listingUuid: optionalText,
  agencyUuid: optionalText,
  realtorId: optionalInteger,
  realtorUuid: optionalText,
  realtorExternalId: optionalText,
});

/** The portal's answer to a call. */
export type ServiceResponse = z.output<typeof ServiceResponseSchema>;

/** XML node names of a `ServiceResponse` and the model's names for them. */
export const SERVICE_RESPONSE_NODES: Readonly<Record<string, string>> = {
  Result: 'result',
  EntityID: 'entityId',
  EntityOwnerID: 'entityOwnerId',
  RealEstate: 'realEstate',
  ErrorCode: 'errorCode',
  ErrorMessage: 'errorMessage',
  idListing: 'idListing',
  lock: 'lock',
  RequestID: 'requestId',
  ListingUuid: 'listingUuid',
  AgencyUuid: 'agencyUuid',
  RealtorId: 'realtorId',
  RealtorUuid: 'realtorUuid',
  RealtorExternalId: 'realtorExternalId',
};

const TEXT_FIELDS = [
  'entityId',
  'entityOwnerId',
  'realEstate',
  'errorMessage',
  'requestId',
  'listingUuid',
  'agencyUuid',
  'realtorUuid',
  'realtorExternalId',
] as const;
const BOOLEAN_TEXT = /^(?:true|false|TRUE|FALSE|True|False)$/;
const INTEGER_TEXT = /^-?\d+$/;

/**
 * @internal {@link ServiceResponseSchema} for nodes read as text, in one pass and without
 * allocations for the common answer; gives the schema's exact output. `undefined` when a
 * value is anything but the plain text the schema accepts, so the schema decides (and
 * words the error).
 */
export function serviceResponseFromText(raw: Readonly<Record<string, unknown>>): ServiceResponse | undefined {
  const { result, errorCode, lock, idListing, realtorId } = raw;
  if (typeof result !== 'string' || !BOOLEAN_TEXT.test(result)) return undefined;
  if (typeof errorCode !== 'string' || !INTEGER_TEXT.test(errorCode)) return undefined;
  if (lock !== undefined && (typeof lock !== 'string' || !BOOLEAN_TEXT.test(lock))) return undefined;
  for (const value of [idListing, realtorId]) {
    if (value !== undefined && value !== '' && (typeof value !== 'string' || !INTEGER_TEXT.test(value))) {
      return undefined;
    }
  }
  const out: Record<string, unknown> = { ...raw };
  for (const key of TEXT_FIELDS) {
    const value = out[key];
    if (value === undefined) continue;
    if (typeof value !== 'string') return undefined;
    const trimmed = value.trim();
    out[key] = trimmed === '' ? undefined : trimmed;
  }
  out.result = result.toLowerCase() === 'true';
  out.errorCode = Number(errorCode);
  out.lock = typeof lock === 'string' && lock.toLowerCase() === 'true';
  if (idListing !== undefined) out.idListing = idListing === '' ? undefined : Number(idListing);
  if (realtorId !== undefined) out.realtorId = realtorId === '' ? undefined : Number(realtorId);
  return out as ServiceResponse;
}
