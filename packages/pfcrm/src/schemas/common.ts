import { z } from 'zod';

/** Portals a property can be published on. */
export const PORTALS = [
  'propertyfinder',
  'dubizzle',
  'justrentals',
  'justproperty',
  'bayut',
  'gulfnews',
  'whitelabel',
] as const;
/** A portal code, e.g. `propertyfinder`. */
export const PortalSchema = z.enum(PORTALS);
/** A portal code, e.g. `propertyfinder`. */
export type Portal = z.infer<typeof PortalSchema>;

/** Commercial status of a property. */
export const PropertyStatusSchema = z.enum(['draft', 'available', 'rented', 'under offer', 'reserved', 'sold']);
/** Commercial status of a property. */
export type PropertyStatus = z.infer<typeof PropertyStatusSchema>;

/** Workflow state of a property. */
export const PropertyStateSchema = z.enum(['draft', 'pending', 'approved', 'refused', 'archived']);
/** Workflow state of a property. */
export type PropertyState = z.infer<typeof PropertyStateSchema>;

/** Rent or sale. */
export const OfferingTypeSchema = z.enum(['rent', 'sale']);
/** Rent or sale. */
export type OfferingType = z.infer<typeof OfferingTypeSchema>;

/** Furnishing of a property. */
export const FurnishedSchema = z.enum(['furnished', 'unfurnished', 'semi-furnished']);
/** Furnishing of a property. */
export type Furnished = z.infer<typeof FurnishedSchema>;

/** Residential or commercial. */
export const CategorySchema = z.enum(['residential', 'commercial']);
/** Residential or commercial. */
export type Category = z.infer<typeof CategorySchema>;

/** Period a rent price is quoted for. */
export const RentPeriodSchema = z.enum(['year', 'month', 'week', 'day']);
/** Period a rent price is quoted for. */
export type RentPeriod = z.infer<typeof RentPeriodSchema>;

/** Listing level bought on the portal. */
export const ListingLevelSchema = z.enum(['standard', 'premium', 'featured']);
/** Listing level bought on the portal. */
export type ListingLevel = z.infer<typeof ListingLevelSchema>;

/** Occupancy of a property. */
export const OccupancySchema = z.enum(['owner_occupied', 'investment', 'vacant', 'tenanted']);
/** Occupancy of a property. */
export type Occupancy = z.infer<typeof OccupancySchema>;

/** Renovation level of a property. */
export const RenovationSchema = z.enum([
  'fully_upgraded_indoor',
  'fully_upgraded_outdoor',
  'fully_upgraded_both',
  'partially_upgraded_indoor',
  'partially_upgraded_outdoor',
  'partially_upgraded_both',
]);
/** Renovation level of a property. */
export type Renovation = z.infer<typeof RenovationSchema>;

/** Language of a title/description pair (and of an e-mail). */
export const LanguageCodeSchema = z.enum(['en', 'ar', 'fr']);
/** Language of a title/description pair (and of an e-mail). */
export type LanguageCode = z.infer<typeof LanguageCodeSchema>;

/** A calendar date `YYYY-MM-DD`; a `Date` is accepted and sent as its UTC date. */
export const DateOnlySchema = z.union([
  z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD'),
  z.date().transform((d) => d.toISOString().slice(0, 10)),
]);
/** A calendar date `YYYY-MM-DD` (or a `Date`). */
export type DateOnly = z.input<typeof DateOnlySchema>;

/** A positive integer id of a portal record. */
export const IdSchema = z.number().int().positive();
