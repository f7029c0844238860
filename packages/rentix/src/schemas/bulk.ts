import { z } from 'zod';
import { ExternalIdSchema, PortalIdSchema } from './common.js';
import { checkListingKey, checkListingRules, listingFieldsShape } from './listing.js';

const keyShape = {
  id: z.string().min(1).optional(),
  externalId: ExternalIdSchema.optional(),
};

/** Bulk `upsert`: create or update the listing keyed by `externalId` (or `id`); partial updates allowed. */
export const UpsertOperationSchema = z
  .object({ op: z.literal('upsert'), ...keyShape, ...listingFieldsShape })
  .superRefine((value, ctx) => {
    checkListingKey(value, ctx);
    checkListingRules(value, ctx);
  });

/** Bulk `validate`: check a listing as `upsert` would, without saving it. */
export const ValidateOperationSchema = z
  .object({ op: z.literal('validate'), ...keyShape, ...listingFieldsShape })
  .superRefine((value, ctx) => {
    checkListingKey(value, ctx);
    checkListingRules(value, ctx);
  });

/** Bulk `link`: attach a CRM id to the portal record `id`. */
export const LinkOperationSchema = z.object({
  op: z.literal('link'),
  id: z.string().min(1),
  externalId: ExternalIdSchema,
});

function checkOneKey(value: { id?: string | undefined; externalId?: string | undefined }, ctx: z.RefinementCtx) {
  if (value.id === undefined && value.externalId === undefined) {
    ctx.addIssue({ code: 'custom', path: ['id'], message: 'give id or externalId' });
  }
}

/** Bulk `unlink`: remove the CRM id of a record, found by `id` or `externalId`. */
export const UnlinkOperationSchema = z.object({ op: z.literal('unlink'), ...keyShape }).superRefine(checkOneKey);

/** Bulk `delete`: delete a listing found by `id` or `externalId`. */
export const DeleteOperationSchema = z.object({ op: z.literal('delete'), ...keyShape }).superRefine(checkOneKey);

/** Any operation of `POST /listings/bulk`. */
export const ListingOperationSchema = z.discriminatedUnion('op', [
  UpsertOperationSchema,
  ValidateOperationSchema,
  LinkOperationSchema,
  UnlinkOperationSchema,
  DeleteOperationSchema,
]);

/** Bulk `upsert` of a listing. */
export type UpsertOperation = z.input<typeof UpsertOperationSchema>;
/** Bulk `validate` of a listing. */
export type ValidateOperation = z.input<typeof ValidateOperationSchema>;
/** Bulk `link`. */
export type LinkOperation = z.input<typeof LinkOperationSchema>;
/** Bulk `unlink`. */
export type UnlinkOperation = z.input<typeof UnlinkOperationSchema>;
/** Bulk `delete`. */
export type DeleteOperation = z.input<typeof DeleteOperationSchema>;
/** Any operation of `POST /listings/bulk`. */
export type ListingOperation = z.input<typeof ListingOperationSchema>;

/** Any operation of `POST /users/bulk`: link or unlink an agent. */
export const UserOperationSchema = z.discriminatedUnion('op', [LinkOperationSchema, UnlinkOperationSchema]);

/** Any operation of `POST /users/bulk`. */
export type UserOperation = z.input<typeof UserOperationSchema>;

/** One operation's outcome in a bulk response. */
export const BulkItemResultSchema = z.looseObject({
  externalId: z.string().nullable().optional(),
  id: PortalIdSchema.nullable().optional(),
  success: z.boolean(),
  error: z
    .looseObject({ message: z.union([z.string(), z.array(z.string())]).optional() })
    .nullable()
    .optional(),
});

/** One operation's outcome in a bulk response. */
export type BulkItemResult = z.infer<typeof BulkItemResultSchema>;

/** The answer to a bulk request. */
export const BulkResponseSchema = z.looseObject({
  summary: z.looseObject({ total: z.number().optional(), succeeded: z.number(), failed: z.number() }),
  results: z.array(BulkItemResultSchema),
});

/** The answer to a bulk request. */
export type BulkResponse = z.infer<typeof BulkResponseSchema>;

/** @deprecated Renamed {@link UpsertOperationSchema}, as every schema of the SDK is named. */
export const upsertOperationSchema: typeof UpsertOperationSchema = UpsertOperationSchema;
/** @deprecated Renamed {@link ValidateOperationSchema}, as every schema of the SDK is named. */
export const validateOperationSchema: typeof ValidateOperationSchema = ValidateOperationSchema;
/** @deprecated Renamed {@link LinkOperationSchema}, as every schema of the SDK is named. */
export const linkOperationSchema: typeof LinkOperationSchema = LinkOperationSchema;
/** @deprecated Renamed {@link UnlinkOperationSchema}, as every schema of the SDK is named. */
export const unlinkOperationSchema: typeof UnlinkOperationSchema = UnlinkOperationSchema;
/** @deprecated Renamed {@link DeleteOperationSchema}, as every schema of the SDK is named. */
export const deleteOperationSchema: typeof DeleteOperationSchema = DeleteOperationSchema;
/** @deprecated Renamed {@link ListingOperationSchema}, as every schema of the SDK is named. */
export const listingOperationSchema: typeof ListingOperationSchema = ListingOperationSchema;
/** @deprecated Renamed {@link UserOperationSchema}, as every schema of the SDK is named. */
export const userOperationSchema: typeof UserOperationSchema = UserOperationSchema;
/** @deprecated Renamed {@link BulkItemResultSchema}, as every schema of the SDK is named. */
export const bulkItemResultSchema: typeof BulkItemResultSchema = BulkItemResultSchema;
/** @deprecated Renamed {@link BulkResponseSchema}, as every schema of the SDK is named. */
export const bulkResponseSchema: typeof BulkResponseSchema = BulkResponseSchema;
