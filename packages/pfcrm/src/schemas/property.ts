import { z } from 'zod';
import {
  DateOnlySchema,
  FurnishedSchema,
  IdSchema,
  LanguageCodeSchema,
  OccupancySchema,
  PortalSchema,
  PropertyStatusSchema,
  RenovationSchema,
  RentPeriodSchema,
} from './common.js';

// ---------------------------------------------------------------- responses

const num = z.number();
const text = z.string();
const numOrText = z.union([z.number(), z.string()]);

/** One language of a property as responses carry it. */
export const PropertyLanguageSchema = z.looseObject({
  lang: z.string(),
  title: text.nullish(),
  description: text.nullish(),
});
/** One language of a property as responses carry it. */
export type PropertyLanguage = z.infer<typeof PropertyLanguageSchema>;

/** Turns the request form `{ en: { title } }` into the response form `[{ lang: 'en', title }]`. */
export function languagesAsArray(value: unknown): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value as Record<string, unknown>).map(([lang, details]) => ({
      lang,
      ...(details && typeof details === 'object' ? details : {}),
    }));
  }
  return value;
}

/** A location as the API returns it. */
export const LocationSchema = z.looseObject({
  id: numOrText,
  city: text.nullish(),
  community: text.nullish(),
  sub_community: text.nullish(),
  tower: text.nullish(),
  latitude: num.nullish(),
  longitude: num.nullish(),
});
/** A location as the API returns it. */
export type Location = z.infer<typeof LocationSchema>;

/** Price data of a property as responses carry it (sale or rent). */
export const PropertyPriceSchema = z.looseObject({
  type: text.nullish(),
  offering: text.nullish(),
  period: text.nullish(),
  default_period: text.nullish(),
  cheques: num.nullish(),
  value: num.nullish(),
  on_request: z.boolean().nullish(),
  prices: z.array(z.looseObject({ period: text, value: num.nullish(), price: num.nullish() })).nullish(),
});
/** Price data of a property. */
export type PropertyPrice = z.infer<typeof PropertyPriceSchema>;

/** An image of a property (expanded responses only). */
export const PropertyImageSchema = z.looseObject({
  id: num,
  order: num.nullish(),
});
/** An image of a property. */
export type PropertyImage = z.infer<typeof PropertyImageSchema>;

/** A floor plan attached to a property. */
export const FloorPlanSchema = z.looseObject({
  id: num,
  type: text.nullish(),
  display_on: z.array(text).nullish(),
});
/** A floor plan attached to a property. */
export type FloorPlan = z.infer<typeof FloorPlanSchema>;

const RefSchema = z.looseObject({ id: num });

/** PHP encodes an empty associative array as `[]`: read that as "none" where an object is expected. */
const phpObject = <S extends z.ZodType>(schema: S) =>
  z.preprocess((v) => (Array.isArray(v) && v.length === 0 ? null : v), schema.nullish());

/** A property's type as responses carry it: `{ id, name }` (e.g. `{ id: 2, name: 'Villa' }`). */
export const PropertyTypeRefSchema = z.looseObject({ id: num, name: text.nullish() });
/** A property's type in a response. */
export type PropertyTypeRef = z.infer<typeof PropertyTypeRefSchema>;

/** An amenity of a property as responses carry it: `{ id, name }`. */
export const AmenityRefSchema = z.looseObject({ id: num, name: text.nullish() });
/** An amenity in a response. */
export type AmenityRef = z.infer<typeof AmenityRefSchema>;

/** A transaction of a property (expanded responses only). */
export const PropertyTransactionSchema = z.looseObject({
  id: numOrText,
  date: text.nullish(),
  reference: text.nullish(),
  type: z.unknown().optional(),
});
/** A transaction of a property. */
export type PropertyTransaction = z.infer<typeof PropertyTransactionSchema>;

/** A license of a property as responses carry it (`state` such as `valid` or `manual`). */
export const PropertyLicenseSchema = z.looseObject({
  number: numOrText.nullish(),
  issue_date: text.nullish(),
  expiry_date: text.nullish(),
  state: text.nullish(),
});

/**
 * A property as the API returns it, unwrapped from `{ property: … }`, with
 * `languages` always an array. Unknown fields pass through.
 */
export const PropertySchema = z.looseObject({
  id: num,
  reference: text.nullish(),
  /** Ids and references on other portals, by portal: `{ propertyfinder: { id, reference } }`. */
  import: phpObject(z.record(z.string(), z.unknown())),
  title_deed: text.nullish(),
  developer: text.nullish(),
  charges: z.unknown().optional(),
  parking: num.nullish(),
  exclusivity: phpObject(z.looseObject({ start_at: text.nullish(), end_at: text.nullish() })),
  location: LocationSchema.nullish(),
  size: num.nullish(),
  bedrooms: num.nullish(),
  bathrooms: num.nullish(),
  status: text.nullish(),
  available_from: text.nullish(),
  state: text.nullish(),
  amenities: z.array(AmenityRefSchema).nullish(),
  view_360: text.nullish(),
  floor_number: num.nullish(),
  unit_number: numOrText.nullish(),
  street_number: numOrText.nullish(),
  street_name: text.nullish(),
  furnished: text.nullish(),
  type: PropertyTypeRefSchema.nullish(),
  price: PropertyPriceSchema.nullish(),
  user: z.union([num, RefSchema]).nullish(),
  landlord: z.union([num, RefSchema]).nullish(),
  /** Always an array; a keyed object from the server is converted first (see {@link normaliseProperty}). */
  languages: z.array(PropertyLanguageSchema).optional(),
  publication: z.unknown().optional(),
  /** One transaction or a list of them (expanded responses only). */
  transactions: z.union([PropertyTransactionSchema, z.array(PropertyTransactionSchema)]).nullish(),
  images: z.array(PropertyImageSchema).nullish(),
  created_at: text.nullish(),
  updated_at: text.nullish(),
  deleted_at: text.nullish(),
  views: z.array(text).nullish(),
  floor_plans: z.array(FloorPlanSchema).nullish(),
  price_inclusive: z.boolean().nullish(),
  listing_level: text.nullish(),
  listing_level_date: text.nullish(),
  quality_score: num.nullish(),
  duplicated_list: z.array(numOrText).nullish(),
  verification: z.array(z.looseObject({ status: text.nullish(), processed_at: text.nullish() })).nullish(),
  /** Custom field values by field id. */
  fields: phpObject(z.record(z.string(), z.unknown())),
  licenses: phpObject(z.record(z.string(), phpObject(PropertyLicenseSchema))),
});
/** A property as the API returns it. */
export type Property = z.infer<typeof PropertySchema>;

/** Normalises a raw property (languages keyed by code become an array) before {@link PropertySchema} checks it. */
export function normaliseProperty(value: unknown): unknown {
  if (value && typeof value === 'object') {
    const languages = (value as { languages?: unknown }).languages;
    if (languages && typeof languages === 'object' && !Array.isArray(languages)) {
      return { ...value, languages: languagesAsArray(languages) };
    }
  }
  return value;
}

// ---------------------------------------------------------------- requests

/** Title and description of one language. */
export const LanguageDetailsSchema = z.strictObject({
  title: z.string().trim().min(1),
  description: z.string().trim().min(1),
});

/** Languages of a property in requests: `{ en: { title, description }, ar: …, fr: … }`, at least one. */
export const LanguagesInputSchema = z
  .strictObject({
    en: LanguageDetailsSchema.optional(),
    ar: LanguageDetailsSchema.optional(),
    fr: LanguageDetailsSchema.optional(),
  })
  .refine((v) => LanguageCodeSchema.options.some((code) => v[code] !== undefined), 'give at least one language');
/** Languages of a property in requests. */
export type LanguagesInput = z.input<typeof LanguagesInputSchema>;

/** Sale price: one value. */
export const SalePriceInputSchema = z.strictObject({
  offering: z.literal('sale'),
  value: z.number().int().min(0),
  on_request: z.boolean().optional(),
});
/** Rent price: a list of prices by period, with the default period among them. */
export const RentPriceInputSchema = z
  .strictObject({
    offering: z.literal('rent'),
    cheques: z.number().int().min(0).max(12).optional(),
    on_request: z.boolean().optional(),
    default_period: RentPeriodSchema,
    prices: z
      .array(z.strictObject({ period: RentPeriodSchema, value: z.number().int().min(0) }))
      .min(1, 'a rent needs at least one price'),
  })
  .check((ctx) => {
    const { prices, default_period } = ctx.value;
    if (!prices.some((p) => p.period === default_period)) {
      ctx.issues.push({
        code: 'custom',
        input: default_period,
        path: ['default_period'],
        message: `no price is given for the default period "${default_period}"`,
      });
    }
    const seen = new Set<string>();
    prices.forEach((p, i) => {
      if (seen.has(p.period))
        ctx.issues.push({ code: 'custom', input: p.period, path: ['prices', i, 'period'], message: 'period repeated' });
      seen.add(p.period);
    });
  });
/** Price of a property in requests: sale or rent. */
export const PriceInputSchema = z.discriminatedUnion('offering', [SalePriceInputSchema, RentPriceInputSchema]);
/** Price of a property in requests. */
export type PriceInput = z.input<typeof PriceInputSchema>;

const LicenseDetailsSchema = z
  .strictObject({
    number: z.union([z.string().min(1), z.number().int()]),
    issue_date: DateOnlySchema.optional(),
    expiry_date: DateOnlySchema.optional(),
    validation: z.enum(['manual', 'automatic']).optional(),
    state: z.string().optional(),
  })
  .check((ctx) => {
    const v = ctx.value;
    if (v.validation === undefined && v.state === undefined) {
      ctx.issues.push({
        code: 'custom',
        input: v,
        path: ['validation'],
        message: 'give validation: manual or automatic',
      });
    }
    const manual = v.validation === 'manual' || v.state === 'manual';
    for (const key of ['issue_date', 'expiry_date'] as const) {
      if (manual && v[key] === undefined) {
        ctx.issues.push({
          code: 'custom',
          input: v,
          path: [key],
          message: `${key} is required when validation is manual`,
        });
      }
    }
  });
/** One license (permit) of a property; an empty object leaves it unset. */
export const LicenseInputSchema = z.union([z.strictObject({}), LicenseDetailsSchema]);
/** Licenses of a property by kind. */
export const LicensesInputSchema = z.strictObject({
  rera: LicenseInputSchema.optional(),
  rera_listing: LicenseInputSchema.optional(),
  dtcm: LicenseInputSchema.optional(),
});
/** Licenses of a property by kind. */
export type LicensesInput = z.input<typeof LicensesInputSchema>;

/** An image in a create/update: a new upload by `token`, or an existing image by `id`. */
export const ImageInputSchema = z.union([
  z.strictObject({ token: z.string().min(1), order: z.number().int().min(0).optional() }),
  z.strictObject({ id: z.union([IdSchema, z.string().regex(/^\d+$/)]), order: z.number().int().min(0).optional() }),
]);
/** An image in a create/update. */
export type ImageInput = z.input<typeof ImageInputSchema>;

/** Publication wishes: `true` publishes on the portal, `false` removes it, a missing portal is left as is. */
export const PublicationInputSchema = z.partialRecord(PortalSchema, z.boolean());
/** Publication wishes by portal. */
export type PublicationInput = z.input<typeof PublicationInputSchema>;

/** Service charges: a fixed amount or a percentage. */
export const ChargesInputSchema = z.union([
  z.number().int().min(0),
  z.strictObject({ value: z.number().int().min(0) }),
  z.strictObject({ percentage: z.number().int().min(0).max(100) }),
]);

const propertyInputShape = {
  user: IdSchema.optional(),
  landlord: IdSchema.optional(),
  reference: z.string().min(1).nullable().optional(),
  draft: z.boolean(),
  bathrooms: z.number().int().min(0).max(12).optional(),
  bedrooms: z.number().int().min(0).max(12).optional(),
  size: z.number().positive(),
  type: IdSchema,
  status: PropertyStatusSchema,
  available_from: DateOnlySchema.optional(),
  languages: LanguagesInputSchema,
  developer: z.string().optional(),
  exclusivity: z
    .strictObject({ start_at: DateOnlySchema.nullable().optional(), end_at: DateOnlySchema.nullable().optional() })
    .optional(),
  amenities: z.array(IdSchema).optional(),
  floor_number: z.number().int().min(-10).max(200).optional(),
  unit_number: z.string().optional(),
  street_number: z.union([z.string(), z.number().int()]).optional(),
  street_name: z.string().optional(),
  furnished: FurnishedSchema.optional(),
  location: z.strictObject({
    id: z.union([z.string().min(1), IdSchema]),
    latitude: z.number().min(-90).max(90).optional(),
    longitude: z.number().min(-180).max(180).optional(),
  }),
  parking: z.number().int().min(0).max(8).optional(),
  charges: ChargesInputSchema.optional(),
  view_360: z.url().optional(),
  price: PriceInputSchema,
  publication: PublicationInputSchema.optional(),
  images: z.array(ImageInputSchema).optional(),
  notes: z.array(z.union([z.string(), z.looseObject({})])).optional(),
  licenses: LicensesInputSchema.optional(),
  floors: z.number().int().min(1).max(200).nullable().optional(),
  freehold: z.enum(['yes', 'no']).nullable().optional(),
  occupancy: OccupancySchema.nullable().optional(),
  renovation: RenovationSchema.nullable().optional(),
  project_status: z.enum(['completed', 'off_plan', 'completed_primary', 'off_plan_primary']).nullable().optional(),
  financial_status: z.enum(['cash', 'mortgage']).nullable().optional(),
  build_year: DateOnlySchema.optional(),
  built_up_area: z.number().positive().optional(),
  plot_size: z.number().positive().optional(),
  /** Mandatory on the wire; defaults to an empty list. */
  views: z.array(z.string().min(1)).default([]),
  /** Custom field values by field id; mandatory on the wire, defaults to none. */
  fields: z
    .record(z.string().regex(/^\d+$/, 'custom field ids are numeric'), z.union([z.string(), z.number(), z.boolean()]))
    .default({}),
  price_inclusive: z.boolean().optional(),
  title_deed: z.string().optional(),
  street_direction: z
    .enum(['North', 'South', 'West', 'East', 'Northeast', 'Northwest', 'Southeast', 'Southwest'])
    .optional(),
  matching_scores: z.looseObject({}).optional(),
};

function checkProperty(ctx: { value: { status: string; available_from?: unknown }; issues: z.core.$ZodRawIssue[] }) {
  if (ctx.value.available_from !== undefined && ctx.value.status !== 'available') {
    ctx.issues.push({
      code: 'custom',
      input: ctx.value.available_from,
      path: ['available_from'],
      message: `available_from is only allowed when status is "available" (status is "${ctx.value.status}")`,
    });
  }
}

/** Body of `POST /properties`: every mandatory field of the API, checked before sending. */
export const PropertyCreateInputSchema = z.strictObject(propertyInputShape).check(checkProperty);
/** A property to create. */
export type PropertyCreateInput = z.input<typeof PropertyCreateInputSchema>;

/** A floor plan in an update: a Property Finder plan by id, or one of the property's documents by id or upload token. */
export const FloorPlanInputSchema = z
  .strictObject({
    type: z.enum(['my_floor_plan', 'pf_floor_plan']),
    id: IdSchema.optional(),
    token: z.string().min(1).optional(),
    display_on: z.array(z.enum(['pdf', 'public-page'])),
  })
  .check((ctx) => {
    const v = ctx.value;
    if (v.token !== undefined && v.type !== 'my_floor_plan') {
      ctx.issues.push({
        code: 'custom',
        input: v.token,
        path: ['token'],
        message: 'a token only goes with my_floor_plan',
      });
    }
    if (v.id === undefined && v.token === undefined) {
      ctx.issues.push({
        code: 'custom',
        input: v,
        path: ['id'],
        message: 'give the floor plan id (or an upload token)',
      });
    }
  });
/** A floor plan in an update. */
export type FloorPlanInput = z.input<typeof FloorPlanInputSchema>;

/** Body of `PUT /properties`: the property id, the same mandatory fields as a create, and floor plans. */
export const PropertyUpdateInputSchema = z
  .strictObject({ ...propertyInputShape, id: IdSchema, floor_plans: z.array(FloorPlanInputSchema).optional() })
  .check(checkProperty);
/** A property to update. */
export type PropertyUpdateInput = z.input<typeof PropertyUpdateInputSchema>;

/** `OPTIONS /properties`: the account's configuration (types, amenities, enumerations) and methods. */
export const PropertyOptionsSchema = z.looseObject({
  configuration: z.looseObject({
    type: z
      .array(
        z.looseObject({
          id: num,
          name: text,
          category: text.nullish(),
          for_rent: z.boolean().nullish(),
          for_sale: z.boolean().nullish(),
        }),
      )
      .default([]),
    amenity: z
      .array(
        z.looseObject({
          id: num,
          name: text,
          for_residential: z.boolean().nullish(),
          for_commercial: z.boolean().nullish(),
        }),
      )
      .default([]),
    category: z.array(text).default([]),
    state: z.array(text).default([]),
    status: z.array(text).default([]),
    furnished: z.array(text).default([]),
    freehold: z.array(text).default([]),
    offering_type: z.array(text).default([]),
  }),
  methods: z.record(z.string(), z.looseObject({ description: text.nullish() })).optional(),
});
/** The account's property configuration. */
export type PropertyOptions = z.infer<typeof PropertyOptionsSchema>;

/** Body of `POST /properties/email`. */
export const PropertyEmailInputSchema = z.strictObject({
  properties: z.array(IdSchema).min(1),
  mls_properties: z.array(z.union([IdSchema, z.string().min(1)])).optional(),
  to: z.array(z.email()).min(1),
  subject: z.string().trim().min(1),
  body: z.string().trim().min(1),
  copy: z.boolean(),
  language: LanguageCodeSchema,
});
/** Parameters of `properties.email`. */
export type PropertyEmailInput = z.input<typeof PropertyEmailInputSchema>;
