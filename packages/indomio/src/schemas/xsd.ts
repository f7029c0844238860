import { z } from 'zod';

// Simple types of the import schema that several of its elements share (`property`, `agent`,
// `realtor`, `partial`): one definition each, so every element model checks them alike.

/** Characters XML 1.0 excludes outright: C0 controls other than tab, LF and CR; U+FFFE and U+FFFF. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching the control characters XML forbids is the point.
const XML_EXCLUDED = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

/** Whether `s` holds a character XML 1.0 cannot carry at all, even escaped (lone surrogates included). */
export function hasInvalidXmlChars(s: string): boolean {
  // Both checks run natively: this is called for every text field of every listing.
  return XML_EXCLUDED.test(s) || !s.isWellFormed();
}

/** Text that fits in an XML document (`xs:string`), refused with the reason when it cannot. */
export const xmlText = () => z.string().refine((s) => !hasInvalidXmlChars(s), 'contains characters XML cannot carry');

/** `@operation` of a property, an agent or a realtor: what the portal should do with the element. */
export const OperationSchema = z.enum(['write', 'force', 'delete', 'archive', 'partial', 'secret']);
/** What the portal should do with an element. */
export type Operation = z.infer<typeof OperationSchema>;

/** Languages of an account: a private advertiser, an agency or a realtor (`user-language`). */
export const UserLanguageSchema = z.enum([
  'de-DE',
  'el-GR',
  'en-GB',
  'es-ES',
  'fr-FR',
  'it-IT',
  'pt-PT',
  'ru-RU',
  'hr-HR',
  'sl-SI',
  'sr-RS',
]);
/** A language the portal speaks to an account in. */
export type UserLanguage = z.infer<typeof UserLanguageSchema>;

/** A uuid as the XSD's `uuidType` writes it (8-4-4-4-12 hexadecimal digits). */
export const UuidSchema = z
  .string()
  .regex(/^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/, 'must be a uuid');

/** An agency username or a contact address (the XSD's `emailType`). */
export const EmailSchema = z
  .string()
  .regex(/^[^@]+@[^.]+\..+$/, 'must be an e-mail address')
  .refine((s) => !hasInvalidXmlChars(s), 'contains characters XML cannot carry');
