import { z } from 'zod';
import { email, text, XsDateSchema } from './common.js';
import { LocationSchema } from './location.js';
import { UserLanguageSchema } from './xsd.js';

/**
 * A private advertiser publishing the listing (`user`), the alternative to an agency's
 * {@link AgentSchema | agent}; `email` identifies the account.
 */
export const UserSchema = z.strictObject({
  email: email(),
  /** The user's id in the CRM. */
  id: text().optional(),
  /** The portal's uuid of the user (`@uuid`). */
  uuid: text().optional(),
  /** Whether the account is active (`@active`). */
  active: z.boolean().optional(),
  /** Group of the account (`@group`). */
  group: text().optional(),
  name: text().optional(),
  surname: text().optional(),
  phone: text().optional(),
  mobile: text().optional(),
  /** Which contacts the portal shows on the listing. */
  show: z
    .strictObject({
      name: z.boolean().optional(),
      phone: z.boolean().optional(),
      mobile: z.boolean().optional(),
      email: z.boolean().optional(),
      avatar: z.boolean().optional(),
    })
    .optional(),
  birthDate: XsDateSchema.optional(),
  gender: z.enum(['M', 'F']).optional(),
  language: UserLanguageSchema.optional(),
  /** Where the advertiser lives; the listing's own place is the property's `location`. */
  location: LocationSchema.optional(),
  registrationDate: XsDateSchema.optional(),
});
/** A private advertiser. */
export type User = z.infer<typeof UserSchema>;
