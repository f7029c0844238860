import { z } from 'zod';

const bool = z
  .union([z.boolean(), z.enum(['true', 'false', 'TRUE', 'FALSE', 'True', 'False'])])
  .transform((v) => (typeof v === 'boolean' ? v : v.toLowerCase() === 'true'));
const integer = z.union([z.int(), z.string().regex(/^-?\d+$/, 'must be an integer')]).transform(Number);
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
