import { z } from 'zod';

const optionalText = z
  .string()
  .nullish()
  .transform((v) => v ?? undefined);

/**
 * A company (agency) of a group, as `GET /ws/export/group/{groupName}/company` lists it: the
 * portal's `id` is what `GET /ws/export/company/{companyId}` and `agent/@id` take, and
 * `username` is the agency's `agent/email`.
 */
export const CompanySchema = z.looseObject({
  /** The company's id on the portal. */
  id: z.int(),
  /** The portal's uuid of the company. */
  uuid: optionalText,
  /** The company's id in the management system, when it has one. */
  externalId: optionalText,
  /** The company's name. */
  name: optionalText,
  /** The agency's username: the `agent/email` of its listings. */
  username: z.string(),
  /** The group the company belongs to. */
  group: optionalText,
  /** The company's status on the portal, as the portal words it. */
  status: optionalText,
});
/** A company of a group. */
export type Company = z.output<typeof CompanySchema>;

/** A group's companies: a JSON array, or an object holding it as `companies`. */
export const CompanyListSchema = z.array(CompanySchema);

/**
 * A realtor of a company, as `GET /ws/export/company/{companyId}` lists it: `externalId` is
 * the CRM id a listing names the realtor by (`agent/realtors/realtor/@external-id`), `id` the
 * portal's (`@id`).
 */
export const CompanyRealtorSchema = z.looseObject({
  /** The realtor's id on the portal. */
  id: z.int(),
  /** The portal's uuid of the realtor. */
  uuid: optionalText,
  /** The realtor's id in the CRM, when it was created with one. */
  externalId: optionalText,
  /** The realtor's e-mail address. */
  email: optionalText,
  firstName: optionalText,
  lastName: optionalText,
  /** Whether the realtor owns the company. */
  owner: z
    .boolean()
    .nullish()
    .transform((v) => v ?? false),
  /** The realtor's status on the portal, as the portal words it. */
  status: optionalText,
});
/** A realtor of a company. */
export type CompanyRealtor = z.output<typeof CompanyRealtorSchema>;

/** A company's realtors: a JSON array, or an object holding it as `realtors`. */
export const CompanyRealtorListSchema = z.array(CompanyRealtorSchema);
