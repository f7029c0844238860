import { z } from 'zod';
import { EmailSchema, OperationSchema, UserLanguageSchema, UuidSchema, xmlText } from './xsd.js';

/** How a realtor can be reached (`connection/@type`). */
export const ConnectionTypeSchema = z.enum(['phone', 'mobile', 'fax', 'email', 'im']);
/** How a realtor can be reached. */
export type ConnectionType = z.infer<typeof ConnectionTypeSchema>;

/**
 * One way to reach a realtor (`connections/connection`): the address or number, and what it
 * is. Realtors with connections are also offered to the portal's auctions catalogue.
 */
export const RealtorConnectionSchema = z.strictObject({
  /** What the value is; the XSD leaves it optional. */
  type: ConnectionTypeSchema.optional(),
  /** The address, number or handle. */
  value: xmlText(),
});
/** One way to reach a realtor. */
export type RealtorConnection = z.infer<typeof RealtorConnectionSchema>;

/** A realtor's role in the agency (`realtor/role`). */
export const RealtorRoleSchema = z.enum(['owner', 'admin', 'secretary', 'agent', 'business manager']);
/** A realtor's role in the agency. */
export type RealtorRole = z.infer<typeof RealtorRoleSchema>;

/**
 * A realtor of an agency (the XSD's `realtor`), as the realtor API writes it and as a listing
 * names its agents in `agent/realtors`: every child and attribute of the element. A listing may
 * only name a realtor the agency already has (by `externalId` or `id`): the portal answers
 * `MISSING_REALTOR` otherwise, so create realtors with the realtor API first.
 *
 * @example
 * ```ts
 * const realtor = RealtorSchema.parse({
 *   externalId: 'crm-agent-7',
 *   firstName: 'Giulia',
 *   surname: 'Bianchi',
 *   role: 'agent',
 *   connections: [{ type: 'email', value: 'giulia@agency.example' }],
 * });
 * ```
 */
export const RealtorSchema = z.strictObject({
  /** The realtor's id on the portal (`@id`, an `xs:int`). */
  id: z.int32().optional(),
  /** The realtor's id in the CRM (`@external-id`). */
  externalId: xmlText().optional(),
  /** The portal's uuid of the realtor (`@uuid`). */
  uuid: UuidSchema.optional(),
  /** What the portal should do with the realtor (`@operation`); the portal's default is a write. */
  operation: OperationSchema.optional(),
  /** First name (`firstname`). */
  firstName: xmlText().optional(),
  /** Surname (`surname`). */
  surname: xmlText().optional(),
  /** The realtor's picture, as a URL the portal downloads (`avatar`). */
  avatar: xmlText().optional(),
  /** The realtor's role in the agency (`role`). */
  role: RealtorRoleSchema.optional(),
  /** Ways to reach the realtor (`connections/connection`), in order; `[]` writes an empty list. */
  connections: z.array(RealtorConnectionSchema).optional(),
  /** The language the portal speaks to the realtor in (`language`). */
  language: UserLanguageSchema.optional(),
});
/** A realtor of an agency, validated. */
export type Realtor = z.infer<typeof RealtorSchema>;
/** A realtor of an agency, as given to the SDK. */
export type RealtorInput = z.input<typeof RealtorSchema>;

/**
 * The body of the realtor API (`PUT /ws/import/ies/company/realtor`): the agency, by its
 * username, and the realtors to create or update in it, each with its CRM id, which is how the
 * portal matches a realtor it already has and how listings name it afterwards.
 */
export const RealtorsUpdateSchema = z.strictObject({
  /** The agency's username (`agent/email`). */
  agencyEmail: EmailSchema,
  /** The agency's id on the portal (`agent/@id`), when known. */
  agencyId: z.int().min(0).optional(),
  /** The realtors, each with an `externalId`. */
  realtors: z
    .array(
      RealtorSchema.extend({
        externalId: xmlText().refine((s) => s.trim() !== '', 'must not be empty'),
      }),
    )
    .min(1),
});
/** The body of the realtor API, validated. */
export type RealtorsUpdate = z.infer<typeof RealtorsUpdateSchema>;
/** The body of the realtor API, as given to the SDK. */
export type RealtorsUpdateInput = z.input<typeof RealtorsUpdateSchema>;
