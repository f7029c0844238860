import { z } from 'zod';
import { externalIdSchema, portalIdSchema } from './common.js';
import { checkListingKey, checkListingRules, listingFieldsShape } from './listing.js';

const keyShape = {
  id: z.string().min(1).optional(),
  externalId: externalIdSchema.optional(),
};

/** Bulk `upsert`: create or update the listing keyed by `externalId` (or `id`); partial updates allowed. */
export const upsertOperationSchema = z
  .object({ op: z.literal('upsert'), ...keyShape, ...listingFieldsShape })
  .superRefine((value, ctx) => {
    checkListingKey(value, ctx);
    checkListingRules(value, ctx);
  });

/** Bulk `validate`: check a listing as `upsert` would, without saving it. */
export const validateOperationSchema = z
  .object({ op: z.literal('validate'), ...keyShape, ...listingFieldsShape })
  .superRefine((value, ctx) => {
    checkListingKey(value, ctx);
    checkListingRules(value, ctx);
  });

/** Bulk `link`: attach a CRM id to the portal record `id`. */
export const linkOperationSchema = z.object({
  op: z.literal('link'),
  id: z.string().min(1),
  externalId: externalIdSchema,
});

function checkOneKey(value: { id?: string | undefined; externalId?: string | undefined }, ctx: z.RefinementCtx) {
  if (value.id === undefined && value.externalId === undefined) {
    ctx.addIssue({ code: 'custom', path: ['id'], message: 'give id or externalId' });
  }
}

/** Bulk `unlink`: remove the CRM id of a record, found by `id` or `externalId`. */
export const unlinkOperationSchema = z.object({ op: z.literal('unlink'), ...keyShape }).superRefine(checkOneKey);

/** Bulk `delete`: delete a listing found by `id` or `externalId`. */
export const deleteOperationSchema = z.object({ op: z.literal('delete'), ...keyShape }).superRefine(checkOneKey);

/** Any operation of `POST /listings/bulk`. */
export const listingOperationSchema = z.discriminatedUnion('op', [
  upsertOperationSchema,
  validateOperationSchema,
  linkOperationSchema,
  unlinkOperationSchema,
  deleteOperationSchema,
]);

/** Bulk `upsert` of a listing. */
export type UpsertOperation = z.input<typeof upsertOperationSchema>;
/** Bulk `validate` of a listing. */
export type ValidateOperation = z.input<typeof validateOperationSchema>;
/** Bulk `link`. */
export type LinkOperation = z.input<typeof linkOperationSchema>;
/** Bulk `unlink`. */
export type UnlinkOperation = z.input<typeof unlinkOperationSchema>;
/** Bulk `delete`. */
export type DeleteOperation = z.input<typeof deleteOperationSchema>;
/** Any operation of `POST /listings/bulk`. */
export type ListingOperation = z.input<typeof listingOperationSchema>;

/** Any operation of `POST /users/bulk`: link or unlink an agent. */
export const userOperationSchema = z.discriminatedUnion('op', [linkOperationSchema, unlinkOperationSchema]);

/** Any operation of `POST /users/bulk`. */
export type UserOperation = z.input<typeof userOperationSchema>;

/** One operation's outcome in a bulk response. */
export const bulkItemResultSchema = z.looseObject({
  externalId: z.string().nullable().optional(),
  id: portalIdSchema.nullable().optional(),
  success: z.boolean(),
  error: z
    .looseObject({ message: z.union([z.string(), z.array(z.string())]).optional() })
    .nullable()
    .optional(),
});

/** One operation's outcome in a bulk response. */
export type BulkItemResult = z.infer<typeof bulkItemResultSchema>;

/** The answer to a bulk request. */
export const bulkResponseSchema = z.looseObject({
  summary: z.looseObject({ total: z.number().optional(), succeeded: z.number(), failed: z.number() }),
  results: z.array(bulkItemResultSchema),
});

/** The answer to a bulk request. */
export type BulkResponse = z.infer<typeof bulkResponseSchema>;
