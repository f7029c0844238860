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

/**
 * A new agent (`PUT /users` with an `externalId` Rentix does not know yet): the CRM id,
 * the name and the phone, in any usual notation — Rentix stores it in international
 * format and switches every contact channel on.
 */
export const UserCreateInputSchema = z.object({
  externalId: ExternalIdSchema,
  name: z.string().trim().min(1, 'must not be empty'),
  phone: z.string().regex(/(\d\D*){6,}/, 'must be a phone number'),
  description: z.union([z.string(), z.record(z.string(), z.string())]).optional(),
  avatar: z.union([z.object({ url: z.url() }), z.object({ id: z.string().min(1) })]).optional(),
  instagram: z.string().optional(),
  youtube: z.string().optional(),
  tiktok: z.string().optional(),
});

/** A new agent. */
export type UserCreateInput = z.input<typeof UserCreateInputSchema>;

/** An agent's photo as Rentix returns it: the stored file with its sizes. */
export const UserAvatarSchema = z.looseObject({
  id: PortalIdSchema,
  contentType: z.string().nullable().optional(),
  variants: z.array(z.looseObject({ url: z.string(), variantSize: z.string() })).optional(),
});

/** An agent's photo. */
export type UserAvatar = z.infer<typeof UserAvatarSchema>;

/** An agent's contact settings: how listings show them and which channels are on. */
export const UserSettingsSchema = z.looseObject({
  posting_type: z.string().nullable().optional(),
  contact_phone: settingValue.optional(),
  contact_whatsapp: settingValue.optional(),
  contact_viber: settingValue.optional(),
  contact_telegram: settingValue.optional(),
});

/** An agent's contact settings. */
export type UserSettings = z.infer<typeof UserSettingsSchema>;

/** A Rentix user (agent), as `GET /users/:id` describes it; fields not described here pass through. */
export const UserSchema = z.looseObject({
  id: PortalIdSchema,
  externalId: z.string().nullable().optional(),
  name: z.string().nullable().optional(),
  phone: z.string().nullable().optional(),
  role: z.string().nullable().optional(),
  avatar: UserAvatarSchema.nullable().optional(),
  description: z
    .union([z.string(), z.record(z.string(), z.string())])
    .nullable()
    .optional(),
  instagram: z.string().nullable().optional(),
  youtube: z.string().nullable().optional(),
  tiktok: z.string().nullable().optional(),
  settings: UserSettingsSchema.nullable().optional(),
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
