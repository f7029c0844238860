import { z } from 'zod';

const text = z.string();
const num = z.number();

/** A landlord as the API returns it. Unknown fields pass through. */
export const LandlordSchema = z.looseObject({
  id: num,
  first_name: text.nullish(),
  last_name: text.nullish(),
  email: text.nullish(),
  mobile: text.nullish(),
  nationality: text.nullish(),
  user: z.union([num, z.looseObject({ id: num })]).nullish(),
  created_at: text.nullish(),
  updated_at: text.nullish(),
});
/** A landlord. */
export type Landlord = z.infer<typeof LandlordSchema>;

/** A lead as the API returns it. Unknown fields pass through. */
export const LeadSchema = z.looseObject({
  id: num,
  user: z.union([num, z.looseObject({ id: num })]).nullish(),
  first_name: text.nullish(),
  last_name: text.nullish(),
  email: text.nullish(),
  phone: text.nullish(),
  preferences: z.array(z.unknown()).nullish(),
});
/** A lead. */
export type Lead = z.infer<typeof LeadSchema>;

/** A user (agent) of the account. Unknown fields pass through. */
export const UserSchema = z.looseObject({
  id: num,
  first_name: text.nullish(),
  last_name: text.nullish(),
  email: text.nullish(),
  phone: text.nullish(),
});
/** A user (agent) of the account. */
export type User = z.infer<typeof UserSchema>;

/** Kinds of file `POST /upload` accepts. */
export const UploadTypeSchema = z.enum([
  'property_image',
  'landlord_document',
  'user_avatar',
  'client_logo',
  'client_watermark',
]);
/** Kind of an uploaded file. */
export type UploadType = z.infer<typeof UploadTypeSchema>;

/** An uploaded file: its `token` goes into a property's `images` (valid 24 h). */
export const UploadSchema = z.looseObject({
  token: text,
  type: text.nullish(),
  link: text.nullish(),
  thumbnails: z
    .array(z.looseObject({ format: text, link: text, width: num.nullish(), height: num.nullish() }))
    .nullish(),
  created_at: text.nullish(),
});
/** An uploaded file. */
export type Upload = z.infer<typeof UploadSchema>;

/** Answer of the OAuth2 token endpoint. */
export const TokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.number().positive().optional(),
});
