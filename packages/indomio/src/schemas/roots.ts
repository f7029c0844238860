import { z } from 'zod';
import { AgentSchema } from './agent.js';
import {
  AuctionActorSchema,
  AuctionEventSchema,
  AuctionExecutionTypeSchema,
  AuctionReferenceSchema,
  CourtSchema,
} from './auction.js';
import { BuildingSchema } from './building.js';
import {
  AmountSchema,
  CountSchema,
  CustomFieldSchema,
  DateTimeSchema,
  DecimalAmountSchema,
  double,
  int32,
  LangTextSchema,
  long,
  nonEmpty,
  text,
  uri,
} from './common.js';
import { EstatesSchema } from './estates.js';
import { ExtendedSchema, LinkSchema } from './extended.js';
import { DescriptionSchema, EmissionsClassSchema, EnergyClassSchema, SizeUnitSchema } from './features.js';
import { LocationSchema } from './location.js';
import { DocumentSchema, PictureSchema } from './media.js';
import { PROCESSABLE_SHAPE } from './processable.js';
import { ContactInfoSchema, PublishPortalSchema } from './property.js';
import { OperationSchema, UuidSchema } from './xsd.js';

/** One kind of unit of a project (`lots/lot`): its typology, price, size and counts. */
export const LotSchema = z.strictObject({
  id: long().optional(),
  /** Units of this kind (`@total`). */
  total: long().optional(),
  /** Units of this kind still for sale (`@forsale`). */
  forSale: long().optional(),
  uniqueId: nonEmpty(),
  building: BuildingSchema,
  price: AmountSchema,
  size: z.strictObject({ value: long(), unit: SizeUnitSchema.optional() }),
  rooms: CountSchema.optional(),
  bathrooms: CountSchema.optional(),
  floor: z
    .strictObject({
      value: int32().optional(),
      type: z
        .enum([
          'Intermedio',
          'Interrato',
          'Seminterrato',
          'PianoTerra',
          'Rialzato',
          'PianoNobile',
          'Multipiano',
          'Ultimo',
          'Attico',
          'Scantinato',
          'Ammezzato',
        ])
        .optional(),
    })
    .optional(),
  garage: z.strictObject({ value: int32().optional(), type: z.enum(['No', 'Box', 'PostoAuto']).optional() }).optional(),
  description: LangTextSchema.optional(),
  specification: text().optional(),
  pictures: z.array(PictureSchema).min(1).optional(),
  documents: z.array(DocumentSchema).min(1).optional(),
});
/** One kind of unit of a project. */
export type Lot = z.infer<typeof LotSchema>;

/** The features of a project (`features-project`): works, name, texts and energy data. */
export const ProjectFeaturesSchema = z.strictObject({
  buildingStatus: text().optional(),
  startDate: DateTimeSchema.optional(),
  endDate: DateTimeSchema.optional(),
  name: text().optional(),
  specification: text().optional(),
  floorplannerUrl: z.strictObject({ url: text(), id: text().optional() }).optional(),
  virtualTour: text().optional(),
  descriptions: z.array(DescriptionSchema).max(25).optional(),
  energyClass: EnergyClassSchema,
  emissionsClass: EmissionsClassSchema.optional(),
});

function oneAdvertiser(payload: z.core.ParsePayload<{ agent?: unknown; user?: unknown }>): void {
  const p = payload.value;
  if ((p.agent === undefined) === (p.user === undefined)) {
    payload.issues.push({
      code: 'custom',
      input: p,
      path: [p.agent === undefined ? 'agent' : 'user'],
      message: p.agent === undefined ? 'give the agent or the user' : 'give the agent or the user, not both',
    });
  }
}

/**
 * A new construction as the portal's `<project>` root: the listing of a whole development,
 * with its kinds of unit (`lots`) and amenities (`extended`, required by the XSD).
 */
export const ProjectSchema = z
  .strictObject({
    ...PROCESSABLE_SHAPE,
    referenceCode: text().max(255).optional(),
    publish: z.array(PublishPortalSchema).min(1).optional(),
    features: ProjectFeaturesSchema,
    extended: ExtendedSchema,
    lots: z.strictObject({ residential: long(), commercial: long(), items: z.array(LotSchema) }).optional(),
    documents: z.array(DocumentSchema).min(1).optional(),
    raw360s: z.array(PictureSchema).optional(),
  })
  .check(oneAdvertiser);
/** A project, as accepted. */
export type ProjectInput = z.input<typeof ProjectSchema>;
/** A project, validated. */
export type Project = z.output<typeof ProjectSchema>;

/**
 * A sale at auction as the portal's `<auction>` root (the auctions catalogue): prices,
 * sessions, court and people, and the units sold (`estates`, at least one).
 */
export const AuctionSchema = z.strictObject({
  /** Required by the XSD on this root. */
  operation: OperationSchema.default('write'),
  id: long().optional(),
  uuid: UuidSchema.optional(),
  sourceType: z.enum(['giudiziaria', 'altra vendita']).optional(),
  type: AuctionExecutionTypeSchema.optional(),
  /** The data are not complete yet (`@incomplete`). */
  incomplete: z.boolean().optional(),
  padlock: z.enum(['open', 'closed', 'native']).optional(),
  uniqueId: nonEmpty(),
  referenceCode: text().max(255).optional(),
  publishedOn: DateTimeSchema.optional(),
  dateUpdated: DateTimeSchema,
  agent: AgentSchema,
  descriptions: z.array(DescriptionSchema).max(25).optional(),
  startingPrice: DecimalAmountSchema,
  minimumBid: DecimalAmountSchema.optional(),
  minimumBidChallenge: DecimalAmountSchema.optional(),
  successPrice: DecimalAmountSchema.optional(),
  court: CourtSchema.optional(),
  reference: AuctionReferenceSchema.optional(),
  actors: z.strictObject({ wsLeads: z.boolean().optional(), items: z.array(AuctionActorSchema) }).optional(),
  notes: text().optional(),
  lotNumber: text().optional(),
  sellingMarket: text().optional(),
  sellingPlace: LocationSchema.optional(),
  depotConditions: text().optional(),
  depotOutOfDate: DateTimeSchema.optional(),
  depotBills: double().optional(),
  realValue: double().optional(),
  ransom: double().optional(),
  ransomBill: double().optional(),
  /** The court's file (`practice`, with the CRM's `@ID`). */
  practice: z.strictObject({ value: text(), externalId: text().optional() }).optional(),
  showPlace: text().optional(),
  referenceInfo: text().optional(),
  events: z.array(AuctionEventSchema).min(1).optional(),
  documents: z.array(DocumentSchema).min(1).optional(),
  raw360s: z.array(PictureSchema).optional(),
  publish: z.array(PublishPortalSchema).min(1).optional(),
  estates: EstatesSchema,
  register: z
    .enum([
      'procedure concorsuali',
      'esecuzioni civili immobiliari',
      'esecuzioni civili mobiliari',
      'volontaria giurisdizione',
      'contenzioso civile',
      'liquidazione volontaria - giudiziale',
      'esecuzione coattiva per inadempimento compratore',
      'cose depositate',
      'pegno non possessorio',
      'esecuzioni esattoriali immobiliari',
      'esecuzioni esattoriali mobiliari',
    ])
    .optional(),
  legalCategory: z
    .enum([
      'immobile residenziale',
      'immobile commerciale',
      'immobile industriale',
      'impianto sportivo',
      'altra categoria',
    ])
    .optional(),
  legalFee: z
    .strictObject({
      free: text().optional(),
      scheduledInDebt: z.boolean().default(false),
      acquitted: z.boolean().default(false),
    })
    .optional(),
  links: z.array(LinkSchema).min(1).optional(),
  customFields: z.array(CustomFieldSchema).optional(),
  fotoplan: uri().optional(),
  contactInfos: z.array(ContactInfoSchema).min(1).optional(),
});
/** An auction, as accepted. */
export type AuctionInput = z.input<typeof AuctionSchema>;
/** An auction, validated. */
export type Auction = z.output<typeof AuctionSchema>;

/** A feed's sections other than the properties: agencies' profiles, projects and auctions. */
export const FeedSectionsSchema = z.strictObject({
  agents: z.array(AgentSchema).optional(),
  projects: z.array(ProjectSchema).optional(),
  auctions: z.array(AuctionSchema).optional(),
});
/** A feed's other sections, as accepted. */
export type FeedSectionsInput = z.input<typeof FeedSectionsSchema>;
