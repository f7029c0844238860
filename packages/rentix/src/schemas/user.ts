import { z } from 'zod';
import { ExternalIdSchema, PortalIdSchema } from './common.js';

const settingValue = z.union([z.string(), z.boolean()]).nullable();

/**
 * An agent to create or update (`PUT /users`), keyed by `id` or `externalId` — not
 * both. `description` is a text or a text per language.
 */
export const UserInputSchema = z
  .object({
    id: z.string().min(1).optional(),
    externalId: ExternalIdSchema.optional(),
    name: z.string().min(1).optional(),
    phone: z.string().min(1).optional(),
    description: z.union([z.string(), z.record(z.string(), z.string())]).optional(),
    avatar: z.union([z.object({ url: z.url() }), z.object({ id: z.string().min(1) }), z.null()]).optional(),
    instagram: z.string().optional(),
    youtube: z.string().optional(),
    tiktok: z.string().optional(),
    settings: z
      .object({
        posting_type: z.string().optional(),
        contact_phone: settingValue.optional(),
        contact_whatsapp: settingValue.optional(),
        contact_viber: settingValue.optional(),
        contact_telegram: settingValue.optional(),
      })
      .optional(),
  })
  .superRefine((value, ctx) => {
    if (value.id === undefined && value.externalId === undefined) {
      ctx.addIssue({ code: 'custom', path: ['externalId'], message: 'give externalId or id' });
    }
    if (value.id !== undefined && value.externalId !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['id'], message: 'give id or externalId, not both' });
    }
  });

/** An agent to create or update. */
export type UserInput = z.input<typeof UserInputSchema>;

/** A Rentix user (agent); fields not described here pass through. */
export const UserSchema = z.looseObject({
  id: PortalIdSchema,
  externalId: z.string().nullable().optional(),
  name: z.string().nullable().optional(),
  phone: z.string().nullable().optional(),
  role: z.string().nullable().optional(),
});

/** A Rentix user (agent). */
export type User = z.infer<typeof UserSchema>;

/** `GET /users` response. */
export const UserListSchema = z.looseObject({ items: z.array(UserSchema) });

/** The answer to `PUT /users`. */
export const UserUpsertResultSchema = z.looseObject({
  id: PortalIdSchema,
  externalId: z.string().nullable().optional(),
  created: z.boolean().optional(),
  updated: z.boolean().optional(),
});

/** The answer to `PUT /users`. */
export type UserUpsertResult = z.infer<typeof UserUpsertResultSchema>;

/** @deprecated Renamed {@link UserInputSchema}, as every schema of the SDK is named. */
export const userInputSchema: typeof UserInputSchema = UserInputSchema;
/** @deprecated Renamed {@link UserSchema}, as every schema of the SDK is named. */
export const userSchema: typeof UserSchema = UserSchema;
/** @deprecated Renamed {@link UserListSchema}, as every schema of the SDK is named. */
export const userListSchema: typeof UserListSchema = UserListSchema;
/** @deprecated Renamed {@link UserUpsertResultSchema}, as every schema of the SDK is named. */
export const userUpsertResultSchema: typeof UserUpsertResultSchema = UserUpsertResultSchema;
