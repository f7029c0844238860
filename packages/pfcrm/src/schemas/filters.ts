import { z } from 'zod';
import {
  CategorySchema,
  DateOnlySchema,
  FurnishedSchema,
  IdSchema,
  ListingLevelSchema,
  OccupancySchema,
  OfferingTypeSchema,
  PortalSchema,
  PropertyStateSchema,
  PropertyStatusSchema,
  RenovationSchema,
  RentPeriodSchema,
} from './common.js';

/** The latest build year the API accepts: the current year plus ten. */
export function maxBuildYear(now: Date = new Date()): number {
  return now.getFullYear() + 10;
}

/** A flag; sent as `1` or `0`, which PHP reads unambiguously (the string `false` is truthy there). */
export const FlagSchema = z.union([z.boolean(), z.literal(0), z.literal(1)]);
/** A flag: `true`/`false` or `1`/`0`. */
export type Flag = z.input<typeof FlagSchema>;

/** A date interval: `{ from, to }` (either may be left out) or the keyword `current_month`. */
export const DateIntervalSchema = z.union([
  z.literal('current_month'),
  z
    .strictObject({ from: DateOnlySchema.optional(), to: DateOnlySchema.optional() })
    .refine((v) => v.from !== undefined || v.to !== undefined, 'give from, to or both')
    .refine((v) => v.from === undefined || v.to === undefined || v.to >= v.from, {
      message: 'to must not be before from',
      path: ['to'],
    }),
]);
/** A date interval: `{ from, to }` or `'current_month'`. */
export type DateInterval = z.input<typeof DateIntervalSchema>;

/** Values of custom fields by field id: `{ 1: 'shi' }` is sent as `[1]=shi`. */
export const CustomFieldFiltersSchema = z
  .record(z.string().regex(/^\d+$/, 'custom field ids are numeric'), z.union([z.string(), z.number(), z.boolean()]))
  .refine((v) => Object.keys(v).length > 0, 'give at least one custom field, or leave the filter out');
/** Values of custom fields by field id. */
export type CustomFieldFilters = z.input<typeof CustomFieldFiltersSchema>;

const nonEmpty = <T extends z.ZodType>(item: T) =>
  z.array(item).min(1, 'an empty list filters nothing; leave the filter out');
const rooms = z.number().int().min(0).max(12);
const floor = z.number().int().min(-10).max(200);
const floors = z.number().int().min(1).max(200);
const area = z.number().min(0);
const buildYear = z
  .number()
  .int()
  .min(1900)
  .refine((v) => v <= maxBuildYear(), { error: () => `must be at most ${maxBuildYear()} (current year + 10)` });

type Issues = { issues: z.core.$ZodRawIssue[]; value: unknown };

function checkRanges(ctx: Issues, value: Record<string, unknown>, names: readonly string[]): void {
  for (const name of names) {
    const from = value[`from_${name}`];
    const to = value[`to_${name}`];
    if (typeof from === 'number' && typeof to === 'number' && to < from) {
      ctx.issues.push({
        code: 'custom',
        input: to,
        path: [`to_${name}`],
        message: `to_${name} (${to}) must not be below from_${name} (${from})`,
      });
    }
  }
}

/** Filters on a property's transactions (`filters[transaction][…]`). */
export const TransactionFiltersSchema = z
  .strictObject({
    user: IdSchema.optional(),
    date: DateIntervalSchema.optional(),
    category: CategorySchema.optional(),
    offering_type: OfferingTypeSchema.optional(),
    type: IdSchema.optional(),
    from_bedroom: rooms.optional(),
    to_bedroom: rooms.optional(),
    from_bathroom: rooms.optional(),
    to_bathroom: rooms.optional(),
  })
  .check((ctx) => checkRanges(ctx, ctx.value, ['bedroom', 'bathroom']));
/** Filters on a property's transactions. */
export type TransactionFilters = z.input<typeof TransactionFiltersSchema>;

/** License states a property can be filtered on. */
export const LicenseStateSchema = z.enum([
  'license_validated',
  'license_valid',
  'license_manual',
  'no_license',
  'expired',
  'expire_in_24_h',
  'expire_in_48_h',
]);
/** License state filter value. */
export type LicenseState = z.infer<typeof LicenseStateSchema>;

const RANGES = [
  'price',
  'bedroom',
  'bathroom',
  'floor',
  'floors',
  'build_year',
  'size',
  'plot_size',
  'bua',
  'quality_score',
] as const;

/**
 * Every filter of `GET /properties`, by its wire name. Bounds and cross-field rules
 * are checked before any call; the query is built by {@link propertiesQuery}.
 */
export const PropertyFiltersSchema = z
  .strictObject({
    reference: z.string().min(1).optional(),
    pf_imported_reference: z.string().min(1).optional(),
    status: PropertyStatusSchema.optional(),
    state: PropertyStateSchema.optional(),
    offering_type: OfferingTypeSchema.optional(),
    furnished: FurnishedSchema.optional(),
    category: CategorySchema.optional(),
    type: IdSchema.optional(),
    location_ids: nonEmpty(z.string().min(1)).optional(),
    excluded_user: IdSchema.optional(),
    user: IdSchema.optional(),
    landlord: IdSchema.optional(),
    lead: IdSchema.optional(),
    is_selected: FlagSchema.optional(),
    from_price: z.number().min(0).optional(),
    to_price: z.number().min(0).optional(),
    from_bedroom: rooms.optional(),
    to_bedroom: rooms.optional(),
    from_bathroom: rooms.optional(),
    to_bathroom: rooms.optional(),
    /** @deprecated use `amenities_or`; sent as `amenities_or`. */
    amenities: nonEmpty(IdSchema).optional(),
    amenities_or: nonEmpty(IdSchema).optional(),
    amenities_and: nonEmpty(IdSchema).optional(),
    portal: PortalSchema.optional(),
    created: DateIntervalSchema.optional(),
    updated: DateIntervalSchema.optional(),
    unit_number: z.string().min(1).optional(),
    license_type: z.enum(['dtcm', 'rera', 'rera_listing']).optional(),
    /** A permit number, or `null` for properties without one (`is_null`). Ignored when `license_state` is set. */
    license_permit: z.union([z.string().min(1), z.number(), z.null()]).optional(),
    license_state: LicenseStateSchema.optional(),
    cheques: z.number().int().min(0).max(12).optional(),
    views: z.string().min(1).optional(),
    rent_period: RentPeriodSchema.optional(),
    developer: z.string().min(1).optional(),
    service_charge: z.number().min(0).optional(),
    price_on_request: FlagSchema.optional(),
    financial_status: z.enum(['cash', 'mortgage', 'other']).optional(),
    from_floor: floor.optional(),
    to_floor: floor.optional(),
    from_floors: floors.optional(),
    to_floors: floors.optional(),
    free_hold: z.enum(['Free-hold', 'Non Free-hold', 'Lease hold']).optional(),
    occupancy: OccupancySchema.optional(),
    renovation: RenovationSchema.optional(),
    from_build_year: buildYear.optional(),
    to_build_year: buildYear.optional(),
    project_status: z.enum(['completed', 'off_plan']).optional(),
    from_size: area.optional(),
    to_size: area.optional(),
    from_plot_size: area.optional(),
    to_plot_size: area.optional(),
    from_bua: area.optional(),
    to_bua: area.optional(),
    layout: z.string().min(1).optional(),
    plot_number: z.string().min(1).optional(),
    dewa_number: z.string().min(1).optional(),
    project_name: z.string().min(1).optional(),
    street_number: z.string().min(1).optional(),
    street_name: z.string().min(1).optional(),
    available_at: DateIntervalSchema.optional(),
    exclusive_start: DateIntervalSchema.optional(),
    exclusive_end: DateIntervalSchema.optional(),
    property_fields: CustomFieldFiltersSchema.optional(),
    lead_fields: CustomFieldFiltersSchema.optional(),
    landlord_fields: CustomFieldFiltersSchema.optional(),
    listing_level: ListingLevelSchema.optional(),
    verified: FlagSchema.optional(),
    duplicated_list: FlagSchema.optional(),
    from_publication_date: DateOnlySchema.optional(),
    to_publication_date: DateOnlySchema.optional(),
    from_quality_score: z.number().min(0).max(100).optional(),
    to_quality_score: z.number().min(0).max(100).optional(),
    transaction: TransactionFiltersSchema.optional(),
  })
  .check((ctx) => {
    const v = ctx.value;
    checkRanges(ctx, v, RANGES);
    for (const name of ['from_publication_date', 'to_publication_date'] as const) {
      if (v[name] !== undefined && v.portal === undefined) {
        ctx.issues.push({
          code: 'custom',
          input: v[name],
          path: [name],
          message: `${name} can only be used together with the portal filter`,
        });
      }
    }
    if (
      typeof v.from_publication_date === 'string' &&
      typeof v.to_publication_date === 'string' &&
      v.to_publication_date < v.from_publication_date
    ) {
      ctx.issues.push({
        code: 'custom',
        input: v.to_publication_date,
        path: ['to_publication_date'],
        message: 'to_publication_date must not be before from_publication_date',
      });
    }
  });
/** Every filter of `GET /properties`, by its wire name. */
export type PropertyFilters = z.input<typeof PropertyFiltersSchema>;

/** Fields `GET /properties` can be sorted on. */
export const PropertySortFieldSchema = z.enum([
  'color',
  'id',
  'offering_type',
  'category',
  'location',
  'user',
  'price',
  'state',
  'created',
  'updated',
  'publication',
  'quality_score',
  'size',
  'listing_expiry_date',
]);
/** A field `GET /properties` can be sorted on. */
export type PropertySortField = z.infer<typeof PropertySortFieldSchema>;

const AMENITY_SORT = /^amenity\(\d+(,\d+)*\)$/;

/**
 * A sort: a field name, `amenity(1,2,3)` or `{ amenity: [1, 2, 3] }` (properties with
 * those amenities first). `publication` needs the `portal` filter.
 */
export const PropertySortSchema = z.union([
  PropertySortFieldSchema,
  z.templateLiteral(['amenity(', z.string(), ')']).refine((s) => AMENITY_SORT.test(s), 'expected amenity(1,2,3)'),
  z.strictObject({ amenity: nonEmpty(IdSchema) }).transform((v) => `amenity(${v.amenity.join(',')})` as const),
]);
/** A sort of `GET /properties`. */
export type PropertySort = z.input<typeof PropertySortSchema>;

/** Direction of a sort (the API's default is `ASC`). */
export const SortOrderSchema = z
  .enum(['ASC', 'DESC', 'asc', 'desc'])
  .transform((v) => v.toUpperCase() as 'ASC' | 'DESC');
/** Direction of a sort. */
export type SortOrder = z.input<typeof SortOrderSchema>;

/** What the `X-MyCRM-Expand-Data` header asks for: `true` for every relation, or a relation name such as `user`. */
export const ExpandSchema = z.union([
  z.boolean(),
  z.string().regex(/^[a-z_,]+$/, 'expected a relation name like user'),
]);
/** What the `X-MyCRM-Expand-Data` header asks for. */
export type Expand = z.input<typeof ExpandSchema>;

/** Page size: the API serves at most 100 items per page. */
export const PerPageSchema = z.number().int().min(1).max(100);

/** Parameters of `properties.list` and `properties.iterate`. */
export const PropertyListParamsSchema = z
  .strictObject({
    filters: PropertyFiltersSchema.optional(),
    sort: PropertySortSchema.optional(),
    sortOrder: SortOrderSchema.optional(),
    page: z.number().int().min(1).optional(),
    perPage: PerPageSchema.optional(),
    expand: ExpandSchema.optional(),
  })
  .check((ctx) => {
    if (ctx.value.sort === 'publication' && ctx.value.filters?.portal === undefined) {
      ctx.issues.push({
        code: 'custom',
        input: ctx.value.sort,
        path: ['sort'],
        message: 'sorting by publication needs the portal filter',
      });
    }
    if (ctx.value.sortOrder !== undefined && ctx.value.sort === undefined) {
      ctx.issues.push({
        code: 'custom',
        input: ctx.value.sortOrder,
        path: ['sortOrder'],
        message: 'sortOrder needs a sort',
      });
    }
  });
/** Parameters of `properties.list` and `properties.iterate`. */
export type PropertyListParams = z.input<typeof PropertyListParamsSchema>;

const text = z.string().min(1);

/** Sub-filters on a contact person of a lead or landlord (`legal_representative[name]=…`). */
export const ContactFiltersSchema = z
  .strictObject({ name: text.optional(), mobile: text.optional(), email: text.optional() })
  .refine((v) => Object.keys(v).length > 0, 'give name, mobile or email, or leave the filter out');
/** Sub-filters on a contact person. */
export type ContactFilters = z.input<typeof ContactFiltersSchema>;

/** Filters of `GET /landlords`, by wire name. */
export const LandlordFiltersSchema = z.strictObject({
  excluded_user: IdSchema.optional(),
  user: IdSchema.optional(),
  query: text.optional(),
  id: IdSchema.optional(),
  name: text.optional(),
  mobile: text.optional(),
  email: text.optional(),
  created: DateIntervalSchema.optional(),
  updated: DateIntervalSchema.optional(),
  identity_number: text.optional(),
  passport: text.optional(),
  passport_expire: DateIntervalSchema.optional(),
  birthdate: DateIntervalSchema.optional(),
  address: text.optional(),
  pobox: text.optional(),
  city: text.optional(),
  country: text.optional(),
  nationality: text.optional(),
  legal_representative: ContactFiltersSchema.optional(),
  family_info: z
    .strictObject({
      name: text.optional(),
      children: z.number().int().min(0).optional(),
      marital_status: text.optional(),
    })
    .refine((v) => Object.keys(v).length > 0, 'give name, children or marital_status, or leave the filter out')
    .optional(),
  second_buyer: z
    .strictObject({ name: text.optional(), mobile: text.optional(), email: text.optional(), relation: text.optional() })
    .refine((v) => Object.keys(v).length > 0, 'give name, mobile, email or relation, or leave the filter out')
    .optional(),
  /** Custom fields of the landlord's properties. */
  property_fields: CustomFieldFiltersSchema.optional(),
  /** Custom fields of the landlord. */
  landlord_fields: CustomFieldFiltersSchema.optional(),
});
/** Filters of `GET /landlords`. */
export type LandlordFilters = z.input<typeof LandlordFiltersSchema>;

/** Statuses of a lead. */
export const LeadStatusSchema = z.enum([
  'notYetContacted',
  'calledNoReply',
  'prospect',
  'qualified',
  'viewingsInProgress',
  'contractSent',
  'contractSigned',
  'notReady',
  'notInterested',
]);
/** Status of a lead. */
export type LeadStatus = z.infer<typeof LeadStatusSchema>;

/** Where a lead came from. */
export const LeadSourceSchema = z.enum(['propertyfinder', 'portal', 'socialMedia', 'online', 'offline', 'other']);
/** Where a lead came from. */
export type LeadSource = z.infer<typeof LeadSourceSchema>;

/** How a lead pays. */
export const LeadFinancialSchema = z.enum(['cash', 'mortgage', 'other']);

/** Filters of `GET /leads`, by wire name. `channel` belongs to a source, so it needs `source`. */
export const LeadFiltersSchema = z
  .strictObject({
    excluded_user: IdSchema.optional(),
    user: IdSchema.optional(),
    query: text.optional(),
    id: IdSchema.optional(),
    name: text.optional(),
    mobile: text.optional(),
    email: text.optional(),
    status: LeadStatusSchema.optional(),
    source: LeadSourceSchema.optional(),
    channel: text.optional(),
    created: DateIntervalSchema.optional(),
    updated: DateIntervalSchema.optional(),
    /** Leads that selected this property. */
    property: IdSchema.optional(),
    legal_representative: ContactFiltersSchema.optional(),
    passport: text.optional(),
    passport_expire: DateIntervalSchema.optional(),
    time_frame_from: DateIntervalSchema.optional(),
    financial: LeadFinancialSchema.optional(),
    lead_fields: CustomFieldFiltersSchema.optional(),
  })
  .check((ctx) => {
    if (ctx.value.channel !== undefined && ctx.value.source === undefined) {
      ctx.issues.push({
        code: 'custom',
        input: ctx.value.channel,
        path: ['channel'],
        message: 'channel must match a source: give the source filter with it',
      });
    }
  });
/** Filters of `GET /leads`. */
export type LeadFilters = z.input<typeof LeadFiltersSchema>;

/** Parameters of a landlords list. */
export const LandlordListParamsSchema = z.strictObject({
  filters: LandlordFiltersSchema.optional(),
  page: z.number().int().min(1).optional(),
  perPage: PerPageSchema.optional(),
  expand: ExpandSchema.optional(),
});
/** Parameters of a landlords list. */
export type LandlordListParams = z.input<typeof LandlordListParamsSchema>;

/** Parameters of a leads list. */
export const LeadListParamsSchema = z.strictObject({
  filters: LeadFiltersSchema.optional(),
  page: z.number().int().min(1).optional(),
  perPage: PerPageSchema.optional(),
  expand: ExpandSchema.optional(),
});
/** Parameters of a leads list. */
export type LeadListParams = z.input<typeof LeadListParamsSchema>;
