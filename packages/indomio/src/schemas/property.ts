import { compiledPart } from '@sync/core';
import { z } from 'zod';
import { TYPOLOGY_SIZE_RULES } from '../typologies.js';
import { LISTING_AGENT_FIELDS, ListingAgentSchema } from './agent.js';
import { AuctionFeaturesSchema } from './auction.js';
import { BuildingSchema, RegistrarDataSchema } from './building.js';
import { DateTimeSchema, int32, keyMask, long, nonEmpty, text } from './common.js';
import { OwnershipTypeSchema } from './estates.js';
import { ExtendedSchema } from './extended.js';
import { CommonExtraFeaturesSchema, ExtraFeaturesSchema, RARE_EXTRA_FEATURES } from './extra-features.js';
import { FeaturesSchema, type SizeTypeSchema } from './features.js';
import { DocumentSchema, MAX_BLUEPRINTS, PictureSchema } from './media.js';
import { PROCESSABLE_SHAPE } from './processable.js';

export * from './agent.js';
export * from './auction.js';
export * from './building.js';
export {
  type Amount,
  AmountSchema,
  type Cost,
  CostSchema,
  CountSchema,
  CurrencyCodeSchema,
  type CustomField,
  CustomFieldSchema,
  DateTimeSchema,
  type DecimalAmount,
  DecimalAmountSchema,
  isUriReference,
  type LangText,
  LangTextSchema,
  type Language,
  LanguageSchema,
  type Leaf,
  type LeafShape,
  type LeafTable,
  toXsDateTime,
  XsDateSchema,
  XsTimeSchema,
  xsDateTimeToMs,
} from './common.js';
export * from './estates.js';
export * from './extended.js';
export * from './extra-features.js';
export * from './features.js';
export * from './location.js';
export * from './media.js';
export { type Realtor, type RealtorInput, RealtorSchema } from './realtor.js';
export * from './user.js';
export { hasInvalidXmlChars, type Operation, OperationSchema, UserLanguageSchema } from './xsd.js';

/** Kinds of extra visibility (`visibility`). */
export const VisibilityTypeSchema = z.enum(['basic', 'premium', 'top', 'showcase', 'star', 'alert-email-showcase']);

/** One portal's publication and extra visibility (`publish/portal`). */
export const PublishPortalSchema = z.strictObject({
  /** Portal id, e.g. `immobiliare.it`. */
  id: nonEmpty().default('immobiliare.it'),
  /** Whether the listing is published there. */
  status: z.boolean().default(true),
  /** When the listing was last brought back to the top of the results (`@refresh-date`). */
  refreshDate: DateTimeSchema.optional(),
  /** The portal's zone the publication is for (`@zone`). */
  zone: int32().optional(),
  /** Publication mode (`@mode`). */
  mode: z.enum(['premium', 'low']).optional(),
  visibilities: z
    .array(
      z.strictObject({
        type: VisibilityTypeSchema,
        /** `active` asks for the visibility, `remove` drops it. */
        op: z.enum(['active', 'remove']).default('active'),
        limit: z.int().min(1).optional(),
      }),
    )
    .min(1)
    .optional(),
});
/** One portal's publication and extra visibility. */
export type PublishPortal = z.infer<typeof PublishPortalSchema>;

/** A contract with its price (`transactions/transaction`). */
export const TransactionSchema = z.strictObject({
  /** `S` sale, `R` rent. */
  type: z.enum(['S', 'R']),
  /** Whole euros. */
  price: long(),
  /** The portal accepts only euros. */
  currency: z.literal('EUR', 'only EUR is accepted by the portal').default('EUR'),
  /** Hides the price. */
  reserved: z.boolean().optional(),
  auction: z.boolean().optional(),
  forRevenue: z.boolean().optional(),
  /** A rent-to-buy contract (`@on-redeem`). */
  onRedeem: z.boolean().optional(),
  ownership: OwnershipTypeSchema.optional(),
  /** The share sold, e.g. `1/2` (`@ownership-quota`). */
  ownershipQuota: text().optional(),
});
/** A contract with its price. */
export type Transaction = z.infer<typeof TransactionSchema>;

/** Typologies whose surfaces may only be of one kind: garages and parking spaces, coworking. */
export const TYPOLOGY_SIZE_TYPES: Readonly<Record<number, z.infer<typeof SizeTypeSchema>>> = Object.fromEntries(
  Object.entries(TYPOLOGY_SIZE_RULES).flatMap(([id, types]) => (types[0] ? [[id, types[0]]] : [])),
);

/** A way to reach the advertiser of this listing (`contact-infos/contact-info`). */
export const ContactInfoSchema = z.strictObject({ value: text(), type: z.literal('email').optional() });
/** A way to reach the advertiser of this listing. */
export type ContactInfo = z.infer<typeof ContactInfoSchema>;

const PropertyObjectSchema = z.strictObject({
  ...PROCESSABLE_SHAPE,
  dateExpiration: DateTimeSchema.optional(),
  referenceCode: text().max(255).optional(),
  publish: z.array(PublishPortalSchema).min(1).optional(),
  transactions: z.array(TransactionSchema).min(1).max(3),
  building: compiledPart(BuildingSchema),
  features: compiledPart(FeaturesSchema),
  extraFeatures: compiledPart(ExtraFeaturesSchema).optional(),
  /** Amenities (`extended`). */
  extended: compiledPart(ExtendedSchema).optional(),
  /** The auction data of a listing sold at auction; it then needs `estates`. */
  auctionFeatures: compiledPart(AuctionFeaturesSchema).optional(),
  documents: z.array(DocumentSchema).min(1).optional(),
  blueprints: z.array(PictureSchema).min(1).max(MAX_BLUEPRINTS, `at most ${MAX_BLUEPRINTS} blueprints`).optional(),
  /** 360° photographs as taken, for the portal to stitch (`raw-360s/raw-360`); `[]` writes an empty list. */
  raw360s: z.array(PictureSchema).optional(),
  registrarData: compiledPart(RegistrarDataSchema).optional(),
  /** Project fields of a new construction: works' start and end, name, proposer, status. */
  workStartDate: DateTimeSchema.optional(),
  workEndDate: DateTimeSchema.optional(),
  projectName: text().optional(),
  proposer: text().optional(),
  projectStatus: text().optional(),
  contactInfos: z.array(ContactInfoSchema).min(1).optional(),
});

/** Whether a property is of a new construction: it carries one of the project fields. */
function isNewConstruction(p: PropertyShape): boolean {
  return (
    p.projectName !== undefined ||
    p.projectStatus !== undefined ||
    p.workStartDate !== undefined ||
    p.workEndDate !== undefined
  );
}

type PropertyShape = z.infer<typeof PropertyObjectSchema>;

/** Rules of the portal's guide that the XSD cannot express. */
function checkGuideRules(payload: z.core.ParsePayload<PropertyShape>): void {
  const p = payload.value;
  const issue = (path: PropertyKey[], message: string) => {
    payload.issues.push({ code: 'custom', input: p, path, message });
  };
  if ((p.agent === undefined) === (p.user === undefined)) {
    issue(
      [p.agent === undefined ? 'agent' : 'user'],
      p.agent === undefined
        ? 'give the agent (an agency) or the user (a private advertiser)'
        : 'give the agent or the user, not both',
    );
  }
  const loc = p.location.locality;
  const hasCoordinates = loc?.latitude !== undefined && loc.longitude !== undefined;
  if (!p.location.city.code && !hasCoordinates) {
    issue(['location', 'city', 'code'], 'give the ISTAT city code or the locality latitude and longitude');
  }
  if ((loc?.latitude === undefined) !== (loc?.longitude === undefined)) {
    issue(['location', 'locality'], 'latitude and longitude go together');
  }
  for (const kind of ['planimetria', 'ape'] as const) {
    const count = p.documents?.filter((d) => d.type === kind).length ?? 0;
    if (count > 1) {
      issue(['documents'], `at most one "${kind}" document (got ${count})`);
    }
  }
  const isRoom = p.extraFeatures?.rentRoom !== undefined || p.extraFeatures?.accommodationType !== undefined;
  if (isRoom) {
    p.transactions.forEach((t, i) => {
      if (t.type === 'S') {
        issue(['transactions', i, 'type'], 'a room cannot be for sale');
      }
    });
  }
  const only = TYPOLOGY_SIZE_TYPES[p.building.typeId];
  if (only) {
    p.features.sizes?.items.forEach((item, i) => {
      if (item.type !== only) {
        issue(
          ['features', 'sizes', 'items', i, 'type'],
          `typology ${p.building.typeId} allows only the "${only}" size type`,
        );
      }
    });
  }
  const isAuction = p.auctionFeatures !== undefined || p.transactions.some((t) => t.auction === true);
  if ((isAuction || isNewConstruction(p)) && p.estates === undefined) {
    issue(
      ['estates'],
      isAuction
        ? 'a listing sold at auction needs at least one property unit (estates)'
        : 'a listing of a new construction (project fields given) needs at least one property unit (estates)',
    );
  }
  const unitIds = new Set<string>();
  p.estates?.items.forEach((unit, i) => {
    if (unitIds.has(unit.uniqueId)) issue(['estates', 'items', i, 'uniqueId'], `unit "${unit.uniqueId}" given twice`);
    unitIds.add(unit.uniqueId);
  });
  const types = new Set<string>();
  p.transactions.forEach((t, i) => {
    if (types.has(t.type)) {
      issue(['transactions', i, 'type'], `contract "${t.type}" given twice`);
    }
    types.add(t.type);
  });
}

/**
 * A listing as the portal's `<property>` element, camel-cased. Checks what the XSD checks
 * and the guide's rules it cannot express (EUR only, media limits, geography, room for
 * sale, garage and parking size types).
 */
// A check rather than `superRefine`: it stores no closure on zod's parse state, which V8
// would keep (with the parsed listing) past the young generation in a long feed.
export const PropertySchema = PropertyObjectSchema.check(checkGuideRules);

/**
 * The fields most listings leave out: the groups of new constructions and auctions, the
 * portal's own ids, publication per portal, documents and the other media lists, the
 * registrar's data, the dates of expiry and deletion, a private advertiser.
 *
 * @internal Validation's fast path, not part of the API.
 */
export const RARE_PROPERTY_FIELDS = [
  'id',
  'externalId',
  'uuid',
  'padlock',
  'publishedOn',
  'dateDeletion',
  'user',
  'videos',
  'visits',
  'estates',
  'fotoplan',
  'dateExpiration',
  'publish',
  'auctionFeatures',
  'documents',
  'blueprints',
  'raw360s',
  'registrarData',
  'workStartDate',
  'workEndDate',
  'projectName',
  'proposer',
  'projectStatus',
  'contactInfos',
] as const satisfies readonly (keyof PropertyShape)[];

/**
 * {@link PropertySchema} for a listing without the {@link RARE_PROPERTY_FIELDS}, whose agency
 * has only the {@link LISTING_AGENT_FIELDS} and whose extra features none of the
 * {@link RARE_EXTRA_FEATURES} ({@link isCommonProperty}): such a listing gets the same checks
 * and the same result from either, and this schema's generated validators are a fraction of
 * the size. Anything it refuses is validated again by the whole schema, whose issues are the
 * ones reported.
 *
 * @internal Validation's fast path, not part of the API.
 */
export const CommonPropertySchema = PropertyObjectSchema.omit(keyMask(RARE_PROPERTY_FIELDS))
  .extend({
    agent: compiledPart(ListingAgentSchema).optional(),
    extraFeatures: compiledPart(CommonExtraFeaturesSchema).optional(),
  })
  .check(checkGuideRules);

/** A listing, as accepted (dates as `Date` or ISO strings, defaults optional). */
export type PropertyInput = z.input<typeof PropertySchema>;
/** A listing of an agency (`agent` given, no `user`), as accepted. */
export type AgencyPropertyInput = PropertyInput & { agent: NonNullable<PropertyInput['agent']>; user?: undefined };
/** A listing after validation: defaults applied, dates as `xs:dateTime` text. */
export type Property = z.output<typeof PropertySchema>;

const LISTING_AGENT_KEYS: ReadonlySet<string> = new Set(LISTING_AGENT_FIELDS);

/**
 * Whether {@link CommonPropertySchema} can validate `input` (it may still refuse it).
 *
 * @internal Validation's fast path, not part of the API.
 */
export function isCommonProperty(input: object): boolean {
  const p = input as Record<string, unknown>;
  for (const key of RARE_PROPERTY_FIELDS) if (p[key] !== undefined) return false;
  const agent = p.agent;
  if (typeof agent === 'object' && agent !== null) {
    for (const key in agent) if (!LISTING_AGENT_KEYS.has(key)) return false;
  }
  const extra = p.extraFeatures as Record<string, unknown> | undefined;
  if (typeof extra === 'object' && extra !== null) {
    for (const key of RARE_EXTRA_FEATURES) if (extra[key] !== undefined) return false;
  }
  return true;
}
