import { z } from 'zod';

/** Text in several languages, keyed by ISO 639-1 code: `{ en: '…', ro: '…' }`. */
export const LocalizedTextSchema = z
  .record(z.string().regex(/^[a-z]{2}$/, 'language codes are ISO 639-1, e.g. "en"'), z.string().min(1))
  .refine((value) => Object.keys(value).length > 0, 'give the text in at least one language');
/** Text in several languages, keyed by ISO 639-1 code. */
export type LocalizedText = z.infer<typeof LocalizedTextSchema>;

/** Kinds of property a CRM lists; each portal package maps them onto its own typology. */
export const PROPERTY_TYPES = [
  'apartment',
  'studio',
  'penthouse',
  'duplex',
  'house',
  'villa',
  'townhouse',
  'land',
  'office',
  'retail',
  'warehouse',
  'garage',
  'room',
] as const;
/** A kind of property. */
export type PropertyType = (typeof PROPERTY_TYPES)[number];

/** Residential or commercial use: some portals file the same type under either. */
export const PROPERTY_CATEGORIES = ['residential', 'commercial'] as const;
/** Residential or commercial use. */
export type PropertyCategory = (typeof PROPERTY_CATEGORIES)[number];

/** A listing's kind as `category.type`, e.g. `residential.villa`: how portal packages key their type tables. */
export type ListingTypeKey = `${PropertyCategory}.${PropertyType}`;

/** Whether a home is sold or let for the first time (`new`, a new build) or again (`secondary`). */
export const HOUSING_MARKETS = ['new', 'secondary'] as const;
/** New build or resale. */
export type HousingMarket = (typeof HOUSING_MARKETS)[number];

/** The state a property is in, as a visitor sees it; portal packages map it onto their own scales. */
export const PROPERTY_CONDITIONS = ['new', 'renovated', 'good', 'needs-renovation', 'unfinished'] as const;
/** The state a property is in. */
export type PropertyCondition = (typeof PROPERTY_CONDITIONS)[number];

/** Where the property is. */
export const ListingAddressSchema = z.object({
  /** ISO 3166-1 alpha-2 country code. */
  country: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code, e.g. "IT"'),
  region: z.string().min(1).optional(),
  city: z.string().min(1),
  district: z.string().min(1).optional(),
  street: z.string().min(1).optional(),
  streetNumber: z.string().min(1).optional(),
  postalCode: z.string().min(1).optional(),
  latitude: z.number().min(-90).max(90).optional(),
  longitude: z.number().min(-180).max(180).optional(),
});
/** Where the property is. */
export type ListingAddress = z.infer<typeof ListingAddressSchema>;

/** One photo, by a URL the portal can download. */
export const ListingPhotoSchema = z.object({
  url: z.url({ protocol: /^https?$/ }),
  caption: z.string().optional(),
});
/** One photo. */
export type ListingPhoto = z.infer<typeof ListingPhotoSchema>;

/** The agent responsible for the listing. */
export const ListingAgentSchema = z.object({
  /** The CRM's id of the agent. */
  id: z.string().min(1),
  name: z.string().min(1),
  email: z.email().optional(),
  phone: z.string().min(3).optional(),
});
/** The agent responsible for the listing. */
export type ListingAgent = z.infer<typeof ListingAgentSchema>;

/**
 * A listing as a CRM knows it, independent of any portal. Portal packages turn it
 * into their own model with `fromListing`, refusing what they cannot map.
 */
export const ListingSchema = z
  .object({
    /** The CRM's id: the external id on every portal. */
    id: z.string().min(1).max(255),
    offer: z.literal(['sale', 'rent']),
    price: z.number().nonnegative(),
    currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code, e.g. "EUR"'),
    /** How often the rent is due; only for `offer: 'rent'`. */
    rentPeriod: z.literal(['day', 'week', 'month', 'year']).optional(),
    category: z.literal(PROPERTY_CATEGORIES),
    type: z.literal(PROPERTY_TYPES),
    rooms: z.number().int().nonnegative().optional(),
    bedrooms: z.number().int().nonnegative().optional(),
    bathrooms: z.number().int().nonnegative().optional(),
    /** Floor area in square metres. */
    area: z.number().positive(),
    /** Floor of the unit (0 = ground floor, negative = basement). */
    floor: z.number().int().optional(),
    /** Floors of the whole building. */
    floorsTotal: z.number().int().positive().optional(),
    /** New build or resale. */
    housingMarket: z.literal(HOUSING_MARKETS).optional(),
    /** The visual state of the property (`renovated`, `needs-renovation`…). */
    condition: z.literal(PROPERTY_CONDITIONS).optional(),
    address: ListingAddressSchema,
    title: LocalizedTextSchema,
    description: LocalizedTextSchema,
    photos: z.array(ListingPhotoSchema),
    agent: ListingAgentSchema.optional(),
    status: z.literal(['active', 'inactive', 'draft']),
    updatedAt: z.iso.datetime({ offset: true }),
  })
  .superRefine((listing, ctx) => {
    if (listing.offer === 'sale' && listing.rentPeriod !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['rentPeriod'], message: 'a rent period only applies to rentals' });
    }
    if (listing.floor !== undefined && listing.floorsTotal !== undefined && listing.floor > listing.floorsTotal) {
      ctx.addIssue({
        code: 'custom',
        path: ['floor'],
        message: `floor ${listing.floor} is above the building's ${listing.floorsTotal} floors`,
      });
    }
    if (listing.offer === 'rent' && listing.rentPeriod === undefined) {
      ctx.addIssue({ code: 'custom', path: ['rentPeriod'], message: 'a rental needs a rent period' });
    }
  });
/** A listing as a CRM knows it. */
export type Listing = z.infer<typeof ListingSchema>;
