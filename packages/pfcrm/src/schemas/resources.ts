import { z } from 'zod';

const text = z.string();
const num = z.number();
const numOrText = z.union([z.number(), z.string()]);

const ref = z.union([num, z.looseObject({ id: num })]);
/** A contact person of a lead or landlord (legal representative, second buyer). */
export const ContactPersonSchema = z.looseObject({
  name: text.nullish(),
  mobile: text.nullish(),
  email: text.nullish(),
});
/** PHP encodes an empty associative array as `[]`: read that as "none" where an object is expected. */
const phpObject = <S extends z.ZodType>(schema: S) =>
  z.preprocess((v) => (Array.isArray(v) && v.length === 0 ? null : v), schema.nullish());
const fields = phpObject(z.record(z.string(), z.unknown()));

/** A landlord as the API returns it. Unknown fields pass through. */
export const LandlordSchema = z.looseObject({
  id: num,
  first_name: text.nullish(),
  last_name: text.nullish(),
  email: text.nullish(),
  mobile: text.nullish(),
  phone: text.nullish(),
  nationality: text.nullish(),
  user: ref.nullish(),
  identity_number: text.nullish(),
  passport: text.nullish(),
  passport_expire: text.nullish(),
  birthdate: text.nullish(),
  address: text.nullish(),
  pobox: text.nullish(),
  city: text.nullish(),
  country: text.nullish(),
  legal_representative: phpObject(ContactPersonSchema),
  family_info: phpObject(
    z.looseObject({ name: text.nullish(), children: num.nullish(), marital_status: text.nullish() }),
  ),
  second_buyer: phpObject(ContactPersonSchema.extend({ relation: text.nullish() })),
  /** Custom field values by field id. */
  fields,
  created_at: text.nullish(),
  updated_at: text.nullish(),
});
/** A landlord. */
export type Landlord = z.infer<typeof LandlordSchema>;

/** A lead as the API returns it. Unknown fields pass through. */
export const LeadSchema = z.looseObject({
  id: num,
  user: ref.nullish(),
  first_name: text.nullish(),
  last_name: text.nullish(),
  email: text.nullish(),
  phone: text.nullish(),
  mobile: text.nullish(),
  /** `notYetContacted`, `prospect`, `qualified`, … (see `LeadStatusSchema`). */
  status: text.nullish(),
  /** `propertyfinder`, `portal`, `socialMedia`, `online`, `offline` or `other`. */
  source: text.nullish(),
  channel: text.nullish(),
  legal_representative: phpObject(ContactPersonSchema),
  passport: text.nullish(),
  passport_expire: text.nullish(),
  time_frame_from: text.nullish(),
  financial: text.nullish(),
  /** Custom field values by field id. */
  fields,
  preferences: z.array(z.unknown()).nullish(),
  created_at: text.nullish(),
  updated_at: text.nullish(),
});
/** A lead. */
export type Lead = z.infer<typeof LeadSchema>;

/** A portal of the account in its settings: whether publishing there is enabled, and the feed's last runs. */
export const ClientPortalSchema = z.looseObject({
  code: text,
  enabled: z.union([z.boolean(), z.literal(0), z.literal(1)]).nullish(),
  last_generated: text.nullish(),
  last_fetched: text.nullish(),
});
/** A portal of the account in its settings. */
export type ClientPortal = z.infer<typeof ClientPortalSchema>;

/** The watermark the account puts on uploaded images: a text or an image, placed and faded. */
export const WatermarkSchema = z.looseObject({
  /** `text` or `image`. */
  type: text.nullish(),
  position: text.nullish(),
  opacity: num.nullish(),
  image: phpObject(z.looseObject({ image: text.nullish(), size: num.nullish() })),
  text: phpObject(z.looseObject({ text: text.nullish(), font: text.nullish(), font_ratio: num.nullish() })),
});
/** The account's watermark. */
export type Watermark = z.infer<typeof WatermarkSchema>;

/**
 * The account's settings (`GET /clients/settings`): identity and contact, licences (RERA,
 * DTCM and their expiries, the licensing authority), the rights group, the portals it may
 * publish on, and the watermark. Unknown fields pass through.
 */
export const ClientSettingsSchema = z.looseObject({
  id: num,
  name: text.nullish(),
  description: text.nullish(),
  logo: z.unknown().optional(),
  email: text.nullish(),
  phone: text.nullish(),
  fax: text.nullish(),
  rera: numOrText.nullish(),
  rera_expiry: text.nullish(),
  dtcm: numOrText.nullish(),
  dtcm_expiry: text.nullish(),
  license_authority: text.nullish(),
  address: text.nullish(),
  pobox: numOrText.nullish(),
  city: text.nullish(),
  country: text.nullish(),
  /** `fulladmin`, `open`, `restrictive` or `customize`. */
  group: text.nullish(),
  portals: z.array(ClientPortalSchema).nullish(),
  watermark: phpObject(WatermarkSchema),
});
/** The account's settings. */
export type ClientSettings = z.infer<typeof ClientSettingsSchema>;

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
