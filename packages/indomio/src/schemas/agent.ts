import { z } from 'zod';
import {
  CustomFieldSchema,
  DateTimeSchema,
  email,
  int32,
  keyMask,
  LangTextSchema,
  LanguageSchema,
  long,
  text,
  uri,
} from './common.js';
import { OpeningTimeSchema } from './extra-features.js';
import { DescriptionSchema } from './features.js';
import { LocationSchema } from './location.js';
import { RealtorSchema } from './realtor.js';
import { OperationSchema, UserLanguageSchema, UuidSchema } from './xsd.js';

/** The agency's name in one language (`company-names/company-name`). */
export const CompanyNameSchema = z.strictObject({ value: text(), language: LanguageSchema });

/** The agency's sales office (`sales-office`): where buyers of a new construction are received. */
export const SalesOfficeSchema = z.strictObject({
  countryCode: z
    .string()
    .regex(/^[a-zA-Z]{2}$/, 'must be a two-letter country code')
    .optional(),
  administrativeArea: text().optional(),
  subAdministrativeArea: text().optional(),
  city: z.strictObject({ name: text(), code: text().optional() }).optional(),
  /** The street address (`locality/thoroughfare`), which the XSD requires. */
  thoroughfare: text(),
  phone: text().optional(),
  mobile: text().optional(),
});

/** The agency's contact person (`contact`). */
export const AgentContactSchema = z.strictObject({
  firstName: text().optional(),
  surname: text().optional(),
  phone: text().optional(),
});

/** One extra-visibility contract of the agency (`contract-data/*`, the XSD's `contract-type`). */
export const VisibilityContractSchema = z.strictObject({
  active: z.boolean(),
  start: DateTimeSchema.optional(),
  end: DateTimeSchema.optional(),
  numRent: int32().optional(),
  numSale: int32().optional(),
  numProject: int32().optional(),
  numTotal: int32().optional(),
});

/** Where the agency's listings come from on a partner portal (`import-sources/import-source`). */
export const ImportSourceSchema = z.strictObject({
  portal: z.enum(['enalquiler', 'ventadepisos', 'masprofesional']),
  source: z.enum(['manual', 'partner']),
});

/** A service of the agency's contract, by name (`extra-services/extra-service`). */
export const ExtraServiceSchema = z.strictObject({ name: text(), value: int32().optional() });

/**
 * The agency publishing the listing (`agent`); `email` is the agency's username and
 * identifies it. Every child and attribute of the XSD's `agent`: its names, contacts, place,
 * offices, contracts and links. In a listing only `email` is needed; the agency's profile
 * is written as given, and the portal keeps what a listing leaves out.
 */
export const AgentSchema = z.strictObject({
  /** The agency's id on the portal (`@id`). */
  id: long().optional(),
  /** The agency's id in the CRM (`@external-id`). */
  externalId: text().optional(),
  uuid: UuidSchema.optional(),
  /** The partner the agency comes through (`@partner`). */
  partner: text().optional(),
  dateUpdated: DateTimeSchema.optional(),
  publishedOn: DateTimeSchema.optional(),
  /** The agency's group on the portal (`@group`). */
  group: text().optional(),
  /** Whether the portal watermarks the agency's pictures (`@watermark`). */
  watermark: z.boolean().optional(),
  /** Turns off the portal's virtual visits for the agency (`@no-virtual-visit`). */
  noVirtualVisit: z.boolean().optional(),
  /** What the portal should do with the agency's profile (`@operation`). */
  operation: OperationSchema.optional(),
  email: email(),
  name: text().optional(),
  /** The agency's name by language (at most 25). */
  companyNames: z.array(CompanyNameSchema).max(25).optional(),
  officeName: text().optional(),
  franchising: text().optional(),
  phone: text().optional(),
  mobilePhone: text().optional(),
  fax: text().optional(),
  description: LangTextSchema.optional(),
  descriptions: z.array(DescriptionSchema).max(25).optional(),
  vat: text().optional(),
  fiscalCode: text().optional(),
  web: text().optional(),
  /** The agency builds what it sells. */
  builder: z.boolean().optional(),
  location: LocationSchema.optional(),
  /** URL of the agency's logo. */
  logo: text().optional(),
  salesOffice: SalesOfficeSchema.optional(),
  priceProposalEnabled: z.boolean().optional(),
  visitRequestEnabled: z.boolean().optional(),
  contact: AgentContactSchema.optional(),
  /**
   * The listing's agents (`realtors/realtor`), named by the ids the agency already has for
   * them: create them with the realtor API first. Not for the batch feed.
   */
  realtors: z.array(RealtorSchema).min(1).optional(),
  contractData: z
    .strictObject({
      premium: VisibilityContractSchema.optional(),
      top: VisibilityContractSchema.optional(),
      showcase: VisibilityContractSchema.optional(),
      star: VisibilityContractSchema.optional(),
    })
    .optional(),
  importSources: z.array(ImportSourceSchema).optional(),
  status: z.enum(['active', 'idle', 'terminated', 'to-approve', 'deleted']).optional(),
  extensionStatus: z
    .enum([
      'prova',
      'contratto',
      'sospeso',
      'Sospeso',
      'omaggio',
      'no interesse',
      'freemium',
      'Attivo',
      'Disattivo',
      'In attesa',
      'Cancellato',
      'Free',
      'Pre-moroso',
      'Test',
      'Non valido',
      'Duplicato',
      'Cessato',
      'Nuovo',
      'Moroso',
    ])
    .optional(),
  customFields: z.array(CustomFieldSchema).optional(),
  mortgageEvaluateUrl: uri().optional(),
  mortgageConsultingUrl: uri().optional(),
  facebookUrl: uri().optional(),
  instagramUrl: uri().optional(),
  linkedinUrl: uri().optional(),
  twitterUrl: uri().optional(),
  association: text().optional(),
  language: UserLanguageSchema.optional(),
  /** `[]` writes an empty list. */
  openingTimes: z.array(OpeningTimeSchema).optional(),
  extraServices: z.array(ExtraServiceSchema).min(1).optional(),
  officeManager: text().optional(),
});
/** The agency publishing the listing, as accepted. */
export type AgentInput = z.input<typeof AgentSchema>;
/** The agency publishing the listing. */
export type Agent = z.infer<typeof AgentSchema>;

/**
 * The fields of the agency a listing usually carries: who it is and how to reach it. The rest
 * (its profile, offices, contracts, realtors) is rare in a listing.
 *
 * @internal Validation's fast path, not part of the API.
 */
export const LISTING_AGENT_FIELDS = [
  'id',
  'externalId',
  'email',
  'name',
  'officeName',
  'phone',
  'mobilePhone',
  'fax',
  'web',
  'logo',
] as const satisfies readonly (keyof Agent)[];

/**
 * {@link AgentSchema} with only the {@link LISTING_AGENT_FIELDS}: a twentieth of its validator.
 *
 * @internal Validation's fast path, not part of the API.
 */
export const ListingAgentSchema = AgentSchema.pick(keyMask(LISTING_AGENT_FIELDS));
