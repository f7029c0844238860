import type { InputIssue } from '@sync/core';
import { z } from 'zod';
import { statusGuidance } from '../status.js';
import {
  ALL_PROPERTY_SECONDARY_TYPES,
  ANNOUNCEMENT_STATUSES,
  ANNOUNCEMENT_TYPES,
  allowedSecondaryTypes,
  CURRENCIES,
  DESCRIPTION_LENGTH,
  ExternalIdSchema,
  MIN_PHOTOS_TO_PUBLISH,
  PAY_PERIODS,
  PortalIdSchema,
  PROPERTY_SECONDARY_TYPES,
  PROPERTY_TYPES,
  type SecondaryTypeTable,
} from './common.js';

const nonNegative = z.number().finite().nonnegative();

/** One of `values`, with the allowed values in the message. */
function oneOf<const T extends readonly string[]>(values: T) {
  return z.literal(values, { error: `must be one of: ${values.join(', ')}` });
}

/** A photo given by URL; the same `externalFileId` reuses the file already uploaded. */
export const ListingFileInputSchema = z.object({
  /** Where the portal downloads the photo from. */
  url: z.url({ protocol: /^https?$/ }),
  /** The CRM's id of the photo. */
  externalFileId: ExternalIdSchema.optional(),
});

/** A photo of a listing input. */
export type ListingFileInput = z.input<typeof ListingFileInputSchema>;

/** The agent of a listing: the CRM's agent id (after linking) or the Rentix user id. */
export const ListingUserInputSchema = z
  .object({
    externalUserId: ExternalIdSchema.optional(),
    id: z.string().min(1).optional(),
  })
  .refine((u) => u.externalUserId !== undefined || u.id !== undefined, {
    message: 'give externalUserId or id',
  });

/** The agent of a listing input. */
export type ListingUserInput = z.input<typeof ListingUserInputSchema>;

/** Map coordinates; preferred to an address. */
export const CoordinatesSchema = z.object({
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
});

/** Map coordinates. */
export type Coordinates = z.infer<typeof CoordinatesSchema>;

/** The form fields of a listing, all optional so a partial upsert sends only what changed. */
export const listingFieldsShape = {
  announcementType: oneOf(ANNOUNCEMENT_TYPES).optional(),
  propertyType: oneOf(PROPERTY_TYPES).optional(),
  propertySecondaryType: oneOf(ALL_PROPERTY_SECONDARY_TYPES).optional(),
  announcementValue: nonNegative.optional(),
  announcementCurrency: oneOf(CURRENCIES).optional(),
  announcementPayPeriod: oneOf(PAY_PERIODS).optional(),
  propertyArea: nonNegative.optional(),
  propertyFloorNumber: nonNegative.optional(),
  propertyFloorsTotal: nonNegative.optional(),
  propertyQuantitySize: z.string().min(1).optional(),
  propertyQuantitySizeValue: nonNegative.optional(),
  propertyHousingMarket: z.string().min(1).optional(),
  propertyVisualState: z.string().min(1).optional(),
  propertyAddress: z.string().min(1).optional(),
  propertyCoordinates: CoordinatesSchema.optional(),
  announcementDescription: z
    .string()
    .min(DESCRIPTION_LENGTH.min, `must be at least ${DESCRIPTION_LENGTH.min} characters`)
    .max(DESCRIPTION_LENGTH.max, `must be at most ${DESCRIPTION_LENGTH.max} characters`)
    .optional(),
  files: z.array(ListingFileInputSchema).optional(),
  /** Ids of files already uploaded (`media.uploadFromUrl`, a signed upload), in order; shown before `files`. */
  fileIds: z.array(z.string().min(1)).optional(),
  user: ListingUserInputSchema.optional(),
  userId: z.string().min(1).optional(),
  announcementStatus: oneOf(ANNOUNCEMENT_STATUSES).optional(),
};

interface ListingRuleInput {
  announcementType?: string | undefined;
  propertyType?: string | undefined;
  propertySecondaryType?: string | undefined;
  announcementPayPeriod?: string | undefined;
  announcementStatus?: string | undefined;
  files?: readonly unknown[] | undefined;
  fileIds?: readonly unknown[] | undefined;
}

/** The rules that tie listing fields together; checked on what the input carries. */
function checkListingRules(value: ListingRuleInput, ctx: z.RefinementCtx): void {
  const { propertyType, propertySecondaryType } = value;
  if (propertyType && propertySecondaryType) {
    const allowed: readonly string[] = PROPERTY_SECONDARY_TYPES[propertyType as keyof typeof PROPERTY_SECONDARY_TYPES];
    if (!allowed.includes(propertySecondaryType)) {
      ctx.addIssue({
        code: 'custom',
        path: ['propertySecondaryType'],
        message: `"${propertySecondaryType}" is not a secondary type of ${propertyType} (allowed: ${allowed.join(', ')})`,
      });
    }
  }
  if (value.announcementPayPeriod !== undefined && value.announcementType === 'sale') {
    ctx.addIssue({
      code: 'custom',
      path: ['announcementPayPeriod'],
      message: 'a pay period is only allowed when announcementType is rent',
    });
  }
  const photos = value.files || value.fileIds ? (value.files?.length ?? 0) + (value.fileIds?.length ?? 0) : undefined;
  if (value.announcementStatus === 'active' && photos !== undefined && photos < MIN_PHOTOS_TO_PUBLISH) {
    ctx.addIssue({
      code: 'custom',
      path: [value.files ? 'files' : 'fileIds'],
      message: `publishing (announcementStatus active) needs at least ${MIN_PHOTOS_TO_PUBLISH} photos, got ${photos}`,
    });
  }
}

function checkKey(value: { id?: string | undefined; externalId?: string | undefined }, ctx: z.RefinementCtx): void {
  if (value.id === undefined && value.externalId === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['externalId'],
      message: 'give externalId (or id) to say which listing this is',
    });
  }
}

/**
 * A listing to create or update (`PUT /listings`), keyed by `externalId` or `id`.
 * Only the key is required: omitted fields keep their value on the portal. When
 * `files` is given with `announcementStatus: 'active'`, it needs at least 3 photos
 * (without `files`, the photos already on the portal count). Fields not listed here
 * are sent as they are.
 */
export const ListingInputSchema = z
  .object({
    id: z.string().min(1).optional(),
    externalId: ExternalIdSchema.optional(),
    ...listingFieldsShape,
  })
  .superRefine((value, ctx) => {
    checkKey(value, ctx);
    checkListingRules(value, ctx);
  });

/** The fields of a listing to create or update, as the schema reads them (either key may be absent). */
export type ListingFields = z.input<typeof ListingInputSchema>;

/**
 * A listing to create or update: it names itself by `externalId` (the CRM's id) or `id`
 * (Rentix's), so a listing with neither is a compile error, not only a refusal at run time.
 */
export type ListingInput = ListingFields & ({ externalId: string } | { id: string });

/** A photo of a listing as the portal returns it (`size` is a string here). */
export const ListingFileSchema = z.looseObject({
  id: PortalIdSchema,
  externalId: z.string().nullable().optional(),
  contentType: z.string().nullable().optional(),
  size: z.union([z.string(), z.number()]).nullable().optional(),
  optimization: z.unknown().optional(),
});

/** A photo of a listing. */
export type ListingFile = z.infer<typeof ListingFileSchema>;

/** A user as embedded in a listing. */
export const ListingUserSchema = z.looseObject({
  id: PortalIdSchema,
  externalId: z.string().nullable().optional(),
  name: z.string().nullable().optional(),
  phone: z.string().nullable().optional(),
  role: z.string().nullable().optional(),
});

/** A user as embedded in a listing. */
export type ListingUser = z.infer<typeof ListingUserSchema>;

/** The form data of a stored listing; fields not described here pass through. */
export const ListingFormDataSchema = z.looseObject({
  id: PortalIdSchema.optional(),
  announcementStatus: z.string().optional(),
  announcementType: z.string().nullable().optional(),
  propertyType: z.string().nullable().optional(),
  propertySecondaryType: z.string().nullable().optional(),
  propertyCoordinates: z.looseObject({ lat: z.number(), lng: z.number() }).nullable().optional(),
  announcementValue: z.number().nullable().optional(),
  announcementCurrency: z.string().nullable().optional(),
  announcementDescription: z.string().nullable().optional(),
});

/** The form data of a stored listing. */
export type ListingFormData = z.infer<typeof ListingFormDataSchema>;

/** A listing as stored on the portal (`GET /listings/:id`), with `next`: what its status asks for. */
export const ListingSchema = z
  .looseObject({
    id: PortalIdSchema,
    externalId: z.string().nullable(),
    publicUrl: z.string().nullable().optional(),
    createdAt: z.string().optional(),
    updatedAt: z.string().optional(),
    lastSyncedAt: z.string().nullable().optional(),
    formData: ListingFormDataSchema,
    user: ListingUserSchema.nullable().optional(),
    files: z.array(ListingFileSchema).optional(),
  })
  .transform((listing) => Object.assign(listing, { next: statusGuidance(listing.formData.announcementStatus) }));

/** A listing as stored on the portal. */
export type Listing = z.infer<typeof ListingSchema>;

/** `GET /listings` response. */
export const ListingListSchema = z.looseObject({ items: z.array(ListingSchema) });

/** The answer to `PUT /listings`: `created` or `updated`, with a job when publishing started, and `next` for its status. */
export const ListingUpsertResultSchema = z
  .looseObject({
    id: PortalIdSchema,
    externalId: z.string().nullable().optional(),
    status: z.string().optional(),
    publicUrl: z.string().nullable().optional(),
    created: z.boolean().optional(),
    updated: z.boolean().optional(),
    jobId: PortalIdSchema.nullable().optional(),
  })
  .transform((result) => Object.assign(result, { next: statusGuidance(result.status) }));

/** The answer to `PUT /listings`. */
export type ListingUpsertResult = z.infer<typeof ListingUpsertResultSchema>;

/** The answer to linking an external id to a listing or user. */
export const LinkResultSchema = z.looseObject({
  id: PortalIdSchema,
  externalId: z.string().nullable().optional(),
  linked: z.boolean().optional(),
});

/** The answer to linking. */
export type LinkResult = z.infer<typeof LinkResultSchema>;

/** The answer to unlinking. */
export const UnlinkResultSchema = z.looseObject({
  id: PortalIdSchema,
  externalId: z.string().nullable().optional(),
  unlinked: z.boolean().optional(),
});

/** The answer to unlinking. */
export type UnlinkResult = z.infer<typeof UnlinkResultSchema>;

/**
 * Checks the announcement type × property type × secondary type combination of a
 * listing (or bulk operation) against `table` — the documented one, or the portal's
 * own from `GET /reference/schema/base` — as the portal would: a rent has no
 * `residential-land`, for example. Says nothing when the input lacks one of the three
 * (a partial update) or the table does not know the pair.
 */
export function checkSecondaryType(
  value: { announcementType?: unknown; propertyType?: unknown; propertySecondaryType?: unknown },
  table: SecondaryTypeTable,
): InputIssue[] {
  const { announcementType, propertyType, propertySecondaryType } = value;
  if (typeof announcementType !== 'string' || typeof propertyType !== 'string') return [];
  if (typeof propertySecondaryType !== 'string') return [];
  const allowed = allowedSecondaryTypes(table, announcementType, propertyType);
  if (!allowed || allowed.includes(propertySecondaryType)) return [];
  return [
    {
      path: 'propertySecondaryType',
      message: `"${propertySecondaryType}" is not allowed for a ${announcementType} of ${propertyType} (allowed: ${allowed.join(', ')})`,
      code: 'custom',
    },
  ];
}

export { checkKey as checkListingKey, checkListingRules };

/** @deprecated Renamed {@link ListingFileInputSchema}, as every schema of the SDK is named. */
export const listingFileInputSchema: typeof ListingFileInputSchema = ListingFileInputSchema;
/** @deprecated Renamed {@link ListingUserInputSchema}, as every schema of the SDK is named. */
export const listingUserInputSchema: typeof ListingUserInputSchema = ListingUserInputSchema;
/** @deprecated Renamed {@link CoordinatesSchema}, as every schema of the SDK is named. */
export const coordinatesSchema: typeof CoordinatesSchema = CoordinatesSchema;
/** @deprecated Renamed {@link ListingInputSchema}, as every schema of the SDK is named. */
export const listingInputSchema: typeof ListingInputSchema = ListingInputSchema;
/** @deprecated Renamed {@link ListingFileSchema}, as every schema of the SDK is named. */
export const listingFileSchema: typeof ListingFileSchema = ListingFileSchema;
/** @deprecated Renamed {@link ListingUserSchema}, as every schema of the SDK is named. */
export const listingUserSchema: typeof ListingUserSchema = ListingUserSchema;
/** @deprecated Renamed {@link ListingFormDataSchema}, as every schema of the SDK is named. */
export const listingFormDataSchema: typeof ListingFormDataSchema = ListingFormDataSchema;
/** @deprecated Renamed {@link ListingSchema}, as every schema of the SDK is named. */
export const listingSchema: typeof ListingSchema = ListingSchema;
/** @deprecated Renamed {@link ListingListSchema}, as every schema of the SDK is named. */
export const listingListSchema: typeof ListingListSchema = ListingListSchema;
/** @deprecated Renamed {@link ListingUpsertResultSchema}, as every schema of the SDK is named. */
export const listingUpsertResultSchema: typeof ListingUpsertResultSchema = ListingUpsertResultSchema;
/** @deprecated Renamed {@link LinkResultSchema}, as every schema of the SDK is named. */
export const linkResultSchema: typeof LinkResultSchema = LinkResultSchema;
/** @deprecated Renamed {@link UnlinkResultSchema}, as every schema of the SDK is named. */
export const unlinkResultSchema: typeof UnlinkResultSchema = UnlinkResultSchema;
