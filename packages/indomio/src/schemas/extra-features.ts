import { z } from 'zod';
import {
  AmountSchema,
  CostSchema,
  DateTimeSchema,
  DecimalAmountSchema,
  double,
  int32,
  keyMask,
  type LeafTable,
  leafShape,
  long,
  nonEmpty,
  text,
  XsTimeSchema,
} from './common.js';
import { DescriptionSchema, FloorTypeSchema, SizeUnitSchema } from './features.js';
import { PictureSchema } from './media.js';

/**
 * The single-value elements of `extra-features`, by model key: `[XSD name, value]`. The
 * elements with attributes or children are the named fields of {@link ExtraFeaturesSchema}.
 */
export const EXTRA_FEATURES_LEAVES = {
  lastBusiness: ['last-business', int32()],
  commercialBuilding: ['commercial-building', z.boolean()],
  workshop: ['workshop', z.boolean()],
  equipment: ['equipment', z.enum(['included', 'partially-included', 'not-included'])],
  numShowcases: ['num-showcases', int32()],
  showcasesSize: ['showcases-size', int32()],
  garden: ['garden', z.enum(['Privato', 'Comune', 'Nessuno', 'Entrambi'])],
  terrace: ['terrace', z.boolean()],
  balcony: ['balcony', z.boolean()],
  elevator: ['elevator', z.boolean()],
  numElevators: ['num-elevators', int32()],
  numFloors: ['num-floors', int32()],
  forRevenue: ['for-revenue', z.boolean()],
  availableNow: ['available-now', z.boolean()],
  rentContract: [
    'rent-contract',
    z.enum(['3+2', '4+4', '6+6', '9+9', 'Transitorio', 'Concordato', 'Libero', 'Studenti']),
  ],
  furniture: ['furniture', z.enum(['Arredato', 'Non Arredato', 'Parzialmente Arredato', 'Solo Cucina Arredata'])],
  securityAlarm: ['security-alarm', z.boolean()],
  reception: ['reception', z.boolean()],
  net: ['net', z.boolean()],
  overheadCrane: ['overhead-crane', z.enum(['SI', 'NO', 'MENSOLA'])],
  overheadCraneNum: ['overhead-crane-num', int32()],
  overheadCraneMaxCapacity: ['overhead-crane-max-capacity', int32()],
  beamHeight: ['beam-height', double()],
  roomHeight: ['room-height', double()],
  shedHeight: ['shed-height', double()],
  pillars: ['pillars', z.boolean()],
  spanNum: ['span-num', int32()],
  loadingDockNum: ['loading-dock-num', int32()],
  slope: ['slope', z.enum(['light', 'medium', 'strong'])],
  buildingArea: ['building-area', int32()],
  buildingHeight: ['building-height', double()],
  accessType: ['access-type', z.enum(['not-present', 'on-dirt-road', 'on-paved-road', 'on-highway'])],
  docSpecification: ['doc-specification', text(), 'cdata'],
  docDescription: ['doc-description', text(), 'cdata'],
  availableDate: ['available-date', DateTimeSchema],
  minimumStay: ['minimum-stay', int32()],
  sleepingAccommodation: ['sleeping-accommodation', int32()],
  priceReferenceIndex: ['price-reference-index', double()],
  commissionPaidBy: [
    'commission-paid-by',
    z.enum(['buyer', 'seller', 'buyer/seller', 'tenant', 'lessee', 'tenant/lessee']),
  ],
  thermalInsulation: ['thermal-insulation', z.enum(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I'])],
} as const satisfies LeafTable;

/** A cost given as an amount or as a percentage (`value-or-ratio`). */
export const ValueOrRatioSchema = z.union([
  z.strictObject({ cost: CostSchema }),
  z.strictObject({ /** Percentage, 0–100. */ ratio: z.number().min(0).max(100) }),
]);
/** A cost given as an amount or as a percentage. */
export type ValueOrRatio = z.infer<typeof ValueOrRatioSchema>;

/** A space of a coworking offer (`workspaces/workspace`). */
export const WorkspaceSchema = z.strictObject({
  type: z.enum(['private-office', 'meeting-room', 'hot-desk', 'dedicated-desk']),
  /** How many such spaces there are. */
  amount: int32().optional(),
  /** The CRM's reference of the space. */
  reference: text().optional(),
  pictures: z.array(PictureSchema).min(1).optional(),
  descriptions: z.array(DescriptionSchema).max(25).optional(),
  capacityFrom: int32().optional(),
  capacityTo: int32().optional(),
  rentFrom: DecimalAmountSchema,
  rentTo: DecimalAmountSchema,
});
/** A space of a coworking offer. */
export type Workspace = z.infer<typeof WorkspaceSchema>;

/** Opening hours of one day of the week (`opening-times/opening-time`). */
export const OpeningTimeSchema = z.strictObject({
  weekDay: z.enum(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']),
  closed: z.boolean().optional(),
  opening: XsTimeSchema.optional(),
  closing: XsTimeSchema.optional(),
});
/** Opening hours of one day of the week. */
export type OpeningTime = z.infer<typeof OpeningTimeSchema>;

/**
 * The extra features (`extra-features`): every element of the XSD's group — the single values
 * of {@link EXTRA_FEATURES_LEAVES} and the structured ones below. `heating` and
 * `airConditioning` are the XSD's `ambience`.
 */
export const ExtraFeaturesSchema = z.strictObject({
  ...leafShape(EXTRA_FEATURES_LEAVES),
  /** The business for sale with a commercial listing (`business`). */
  business: z
    .strictObject({
      /** The portal's business type id. */
      type: int32(),
      lastYearTurnover: DecimalAmountSchema.optional(),
      openForYears: int32().optional(),
    })
    .optional(),
  bathrooms: int32().optional(),
  /** The bathrooms' count in words (`bathrooms/@literal-value`). */
  bathroomsLiteral: text().optional(),
  garage: z.strictObject({ count: int32(), type: z.enum(['No', 'Box', 'Rimessa', 'PostoAuto']).optional() }).optional(),
  heating: z
    .strictObject({
      type: z.enum(['Assente', 'Autonomo', 'Centralizzato']).optional(),
      system: z.enum(['A radiatori', 'A pavimento', 'Ad aria', 'A stufa']).optional(),
      source: z
        .enum([
          'Gas',
          'Metano',
          'GPL',
          'Gasolio',
          'Pellet',
          'Legna',
          'Solare',
          'Fotovoltaico',
          'Teleriscaldamento',
          'Pompa di calore',
          'Elettrica',
        ])
        .optional(),
    })
    .optional(),
  airConditioning: z
    .strictObject({
      type: z.enum(['Autonomo', 'Centralizzato', 'Predisposizione impianto', 'Assente']).optional(),
      present: z.boolean().optional(),
      effect: z.enum(['Freddo', 'Caldo', 'Freddo/Caldo']).optional(),
    })
    .optional(),
  floor: z.strictObject({ value: int32().optional(), type: FloorTypeSchema.optional() }).optional(),
  /** URL of a virtual tour. */
  virtualTour: nonEmpty().optional(),
  additionalCosts: CostSchema.optional(),
  additionalHeatingCosts: CostSchema.optional(),
  externalArea: z.strictObject({ value: long(), unit: z.enum(['m2', 'sft', 'ha']).optional() }).optional(),
  buildYear: z.int().min(1000).max(3000).optional(),
  /** When the property becomes free (`free-conditions`, with `@free`). */
  freeConditions: z.strictObject({ value: text().default(''), free: z.boolean().optional() }).optional(),
  officeSize: z.strictObject({ value: long(), unit: SizeUnitSchema.optional() }).optional(),
  /** A Floorplanner plan (`floorplanner-url`, with its `@id`). */
  floorplannerUrl: z.strictObject({ url: text(), id: text().optional() }).optional(),
  /** The bills a rent includes (`bills-included`). */
  billsIncluded: z
    .strictObject({
      powerline: z.boolean().optional(),
      gas: z.boolean().optional(),
      phone: z.boolean().optional(),
      internet: z.boolean().optional(),
      water: z.boolean().optional(),
      wasteTax: z.boolean().optional(),
    })
    .optional(),
  costs: z
    .strictObject({
      services: AmountSchema.optional(),
      other: AmountSchema.optional(),
      deposit: AmountSchema.optional(),
    })
    .optional(),
  /** Who the flatmates should be, for a room let on its own (`flatmate`). */
  flatmate: z
    .strictObject({
      gender: z.enum(['DoesntMatter', 'Male', 'Female']).optional(),
      couples: z.boolean().optional(),
      smoker: z.boolean().optional(),
      pets: z.enum(['true', 'false', 'doesnt-matter', 'cat', 'dog']).optional(),
      age: z
        .strictObject({ from: z.int().min(18).max(80).optional(), to: z.int().min(18).max(80).optional() })
        .optional(),
    })
    .optional(),
  /** Set for a room let on its own: such a listing cannot be for sale. */
  accommodationType: z.enum(['single', 'double', 'triple', 'multiple']).optional(),
  /** Set for a room let on its own: such a listing cannot be for sale. */
  rentRoom: z
    .strictObject({
      furnished: z.boolean().optional(),
      bedlinen: z.boolean().optional(),
      privateBathroom: z.boolean().optional(),
      parquet: z.boolean().optional(),
      telephoneSocket: z.boolean().optional(),
      tv: z.boolean().optional(),
      privateEntrance: z.boolean().optional(),
      wardrobe: z.boolean().optional(),
      moquette: z.boolean().optional(),
    })
    .optional(),
  workspaces: z.array(WorkspaceSchema).min(1).optional(),
  /** Opening hours (`opening-times`); `[]` writes an empty list. */
  openingTimes: z.array(OpeningTimeSchema).optional(),
  vatApplied: ValueOrRatioSchema.optional(),
  agencyCommission: ValueOrRatioSchema.optional(),
  notaryCommission: ValueOrRatioSchema.optional(),
  bankGuarantee: ValueOrRatioSchema.optional(),
  /** Net energy need (`net-energy-need`, an `xs:decimal` with its unit). */
  netEnergyNeed: z.strictObject({ value: double(), unit: z.literal('kWh/m²an').optional() }).optional(),
});
/** The extra features, as accepted. */
export type ExtraFeaturesInput = z.input<typeof ExtraFeaturesSchema>;
/** The extra features. */
export type ExtraFeatures = z.infer<typeof ExtraFeaturesSchema>;

/**
 * Extra features of particular kinds of listing: businesses, offices and coworking, rooms and
 * flatmates, auctions' and new constructions' costs and commissions.
 *
 * @internal Validation's fast path, not part of the API.
 */
export const RARE_EXTRA_FEATURES = [
  'business',
  'freeConditions',
  'officeSize',
  'floorplannerUrl',
  'billsIncluded',
  'costs',
  'flatmate',
  'accommodationType',
  'rentRoom',
  'workspaces',
  'openingTimes',
  'vatApplied',
  'agencyCommission',
  'notaryCommission',
  'bankGuarantee',
] as const satisfies readonly (keyof ExtraFeatures)[];

/**
 * {@link ExtraFeaturesSchema} without the {@link RARE_EXTRA_FEATURES}: under half its validator.
 *
 * @internal Validation's fast path, not part of the API.
 */
export const CommonExtraFeaturesSchema = ExtraFeaturesSchema.omit(keyMask(RARE_EXTRA_FEATURES));
