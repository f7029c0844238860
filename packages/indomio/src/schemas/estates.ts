import { z } from 'zod';
import { BuildingSchema, RegistrarDataSchema } from './building.js';
import { AmountSchema, CustomFieldSchema, long, nonEmpty, positive, text, XsDateSchema } from './common.js';
import { ExtendedSchema } from './extended.js';
import { ExtraFeaturesSchema } from './extra-features.js';
import { FeaturesSchema } from './features.js';
import { LocationSchema } from './location.js';
import { DocumentSchema, MAX_BLUEPRINTS, PictureSchema, VideoSchema } from './media.js';

/** Kinds of ownership of a unit or contract (`ownershipType`). */
export const OwnershipTypeSchema = z.enum([
  'intera proprietà',
  'nuda proprietà',
  'parziale proprietà',
  'usufrutto',
  'multiproprietà',
  'diritto di superficie',
]);

/** The cadastral filing a unit was registered with (`estate/bill`). */
export const EstateBillSchema = z.strictObject({
  type: z.enum(['protocollo', 'scheda', 'variazione']),
  year: positive().optional(),
  number: text().optional(),
  date: XsDateSchema.optional(),
});

/**
 * One property unit of a new construction or an auction (`estates/estate`): its own
 * `unique-id`, typology, place, features and price, as a listing of its own inside the listing.
 */
export const EstateSchema = z.strictObject({
  /** The portal's id of the unit (`@ID`). */
  id: long().optional(),
  /** The unit shown first (`@preferred`). */
  preferred: z.boolean().optional(),
  /** Display order (`@order`). */
  order: z.int32().optional(),
  /** The unit's id in the CRM, unique within the listing. */
  uniqueId: nonEmpty(),
  building: BuildingSchema,
  location: LocationSchema,
  pictures: z.array(PictureSchema).min(1).optional(),
  videos: z.array(VideoSchema).min(1).max(5).optional(),
  features: FeaturesSchema,
  extraFeatures: ExtraFeaturesSchema.optional(),
  extended: ExtendedSchema.optional(),
  registrarData: RegistrarDataSchema.optional(),
  /** The share sold, e.g. `1/2`. */
  ownershipQuota: text().optional(),
  ownershipType: OwnershipTypeSchema.optional(),
  documents: z.array(DocumentSchema).min(1).optional(),
  blueprints: z.array(PictureSchema).min(1).max(MAX_BLUEPRINTS, `at most ${MAX_BLUEPRINTS} blueprints`).optional(),
  bill: EstateBillSchema.optional(),
  customFields: z.array(CustomFieldSchema).optional(),
  price: AmountSchema.optional(),
  referenceCode: text().max(255).optional(),
});
/** One property unit of a new construction or an auction. */
export type Estate = z.infer<typeof EstateSchema>;

/** The units of a new construction or an auction (`estates`), with the counts of each kind. */
export const EstatesSchema = z.strictObject({
  /** How many units are residential. */
  residential: long().optional(),
  /** How many units are commercial. */
  commercial: long().optional(),
  items: z.array(EstateSchema).min(1, 'give at least one property unit'),
});
/** The units of a new construction or an auction, as accepted. */
export type EstatesInput = z.input<typeof EstatesSchema>;
/** The units of a new construction or an auction. */
export type Estates = z.infer<typeof EstatesSchema>;
