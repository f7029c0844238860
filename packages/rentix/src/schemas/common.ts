import { z } from 'zod';

/** Announcement types: `rent` (daily or monthly) or `sale`. */
export const ANNOUNCEMENT_TYPES = ['rent', 'sale'] as const;

/** Property types. */
export const PROPERTY_TYPES = ['residential', 'commercial', 'parking'] as const;

/** The secondary types each property type allows. */
export const PROPERTY_SECONDARY_TYPES = {
  residential: ['apartment', 'house', 'room', 'residential-land', 'other'],
  commercial: ['office', 'trade', 'warehouse', 'production', 'business', 'commercial-land', 'other'],
  parking: ['underground-parking', 'open-parking', 'garage', 'covered-parking', 'other'],
} as const satisfies Record<(typeof PROPERTY_TYPES)[number], readonly string[]>;

/** Allowed secondary types per announcement type, then property type: `table.rent.residential`. */
export type SecondaryTypeTable = Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;

/**
 * The secondary types Rentix allows per announcement type and property type, as its
 * documentation shows them: a rent has no `residential-land`; what the docs leave open
 * (the rest of the rent lists, every sale list) is the full list of the property type.
 * The live answer of `GET /reference/schema/base` replaces it once fetched.
 */
export const DOCUMENTED_SECONDARY_TYPES = {
  rent: {
    residential: ['apartment', 'house', 'room', 'other'],
    commercial: PROPERTY_SECONDARY_TYPES.commercial,
    parking: PROPERTY_SECONDARY_TYPES.parking,
  },
  sale: PROPERTY_SECONDARY_TYPES,
} as const satisfies Record<
  (typeof ANNOUNCEMENT_TYPES)[number],
  Record<(typeof PROPERTY_TYPES)[number], readonly string[]>
>;

/**
 * The secondary types `table` allows for an announcement type and property type;
 * `undefined` when the table does not know the pair (nothing can be said then).
 */
export function allowedSecondaryTypes(
  table: SecondaryTypeTable,
  announcementType: string,
  propertyType: string,
): readonly string[] | undefined {
  const byType = Object.hasOwn(table, announcementType) ? table[announcementType] : undefined;
  return byType && Object.hasOwn(byType, propertyType) ? byType[propertyType] : undefined;
}

/** Every secondary type of any property type. */
export const ALL_PROPERTY_SECONDARY_TYPES = [
  ...new Set(Object.values(PROPERTY_SECONDARY_TYPES).flat()),
] as (typeof PROPERTY_SECONDARY_TYPES)[keyof typeof PROPERTY_SECONDARY_TYPES][number][];

/** Currencies a price may be given in. */
export const CURRENCIES = ['EUR', 'USD', 'MDL'] as const;

/** Pay periods of a rent. */
export const PAY_PERIODS = ['monthly', 'daily'] as const;

/** Statuses of a listing. */
export const ANNOUNCEMENT_STATUSES = [
  'draft',
  'pending_active',
  'active',
  'hidden',
  'expired',
  'completed',
  'publish_failed',
  'blocked',
] as const;

/** Statuses whose required fields the portal checks fully. */
export const FULLY_CHECKED_STATUSES = ['active', 'expired', 'completed'] as const;

/** Photos a listing needs before it can be published. */
export const MIN_PHOTOS_TO_PUBLISH = 3;

/** Length bounds of `announcementDescription`. */
export const DESCRIPTION_LENGTH = { min: 40, max: 2000 } as const;

/** Longest external id the portal stores. */
export const MAX_EXTERNAL_ID_LENGTH = 255;

/** Most operations in one bulk request. */
export const MAX_BULK_OPERATIONS = 100;

/** Largest request body the portal accepts, in bytes (512 KB); a larger one gets a 413. */
export const MAX_BODY_BYTES = 512 * 1024;

/** An announcement type. */
export type AnnouncementType = (typeof ANNOUNCEMENT_TYPES)[number];
/** A property type. */
export type PropertyType = (typeof PROPERTY_TYPES)[number];
/** A secondary property type (of any property type). */
export type PropertySecondaryType = (typeof ALL_PROPERTY_SECONDARY_TYPES)[number];
/** A currency code. */
export type Currency = (typeof CURRENCIES)[number];
/** A pay period. */
export type PayPeriod = (typeof PAY_PERIODS)[number];
/** A listing status. */
export type AnnouncementStatus = (typeof ANNOUNCEMENT_STATUSES)[number];

/** A portal identifier as sent by the server; numbers are read as strings so ids have one type. */
export const PortalIdSchema = z.union([z.string(), z.number()]).transform((v) => String(v));

/** A CRM identifier: 1–255 characters. */
export const ExternalIdSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(MAX_EXTERNAL_ID_LENGTH, `must be at most ${MAX_EXTERNAL_ID_LENGTH} characters`);

/** Rentix's error body: `message` is a string, or an array of messages for validation errors. */
export const ErrorBodySchema = z.looseObject({
  statusCode: z.number().optional(),
  message: z.union([z.string(), z.array(z.string())]).optional(),
  error: z.string().optional(),
});

/** Rentix's error body. */
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** @deprecated Renamed {@link PortalIdSchema}, as every schema of the SDK is named. */
export const portalIdSchema: typeof PortalIdSchema = PortalIdSchema;
/** @deprecated Renamed {@link ExternalIdSchema}, as every schema of the SDK is named. */
export const externalIdSchema: typeof ExternalIdSchema = ExternalIdSchema;
/** @deprecated Renamed {@link ErrorBodySchema}, as every schema of the SDK is named. */
export const errorBodySchema: typeof ErrorBodySchema = ErrorBodySchema;
