import {
  FurnishedSchema,
  ListingLevelSchema,
  OccupancySchema,
  OfferingTypeSchema,
  PORTALS,
  PropertyStateSchema,
  PropertyStatusSchema,
  RenovationSchema,
  RentPeriodSchema,
} from '../schemas/common.js';
import { LicenseStateSchema } from '../schemas/filters.js';
import { MockHttpError } from './errors.js';
import {
  customFieldsRule,
  dayRule,
  enumRule,
  type FilterRecord,
  type FilterScope,
  type FilterTable,
  flagRule,
  idListRule,
  idRule,
  intervalRule,
  locationRule,
  nestedRule,
  num,
  numberRule,
  refId,
  type SortKey,
  textRule,
} from './filters.js';
import { FREE_HOLD, MOCK_TYPES } from './properties.js';

const LICENSE_KINDS = ['rera', 'rera_listing', 'dtcm'] as const;
const ROOMS = { min: 0, max: 12, integer: true };
const HOUR = 60 * 60 * 1000;

type Price = { type?: string; value?: number; cheques?: number; on_request?: boolean; prices?: unknown };
const priceOf = (p: FilterRecord): Price | undefined => p.price as Price | undefined;

/** The price a range filter and the price sort compare: a sale's value, a rent's default-period price. */
function priceValue(p: FilterRecord): number | undefined {
  const price = p.price as
    | { value?: number; prices?: Array<{ period: string; value: number }>; default_period?: string }
    | undefined;
  if (!price) return undefined;
  if (typeof price.value === 'number') return price.value;
  return (price.prices?.find((x) => x.period === price.default_period) ?? price.prices?.[0])?.value;
}

const locationId = (p: FilterRecord) => {
  const id = (p.location as { id?: unknown } | null | undefined)?.id;
  return id === undefined || id === null ? undefined : String(id);
};
/** Service charges: a fixed amount, given bare or as `{ value }`. */
const chargesOf = (p: FilterRecord) =>
  num(p.charges && typeof p.charges === 'object' ? (p.charges as { value?: unknown }).value : p.charges);
const categoryOf = (p: FilterRecord) => MOCK_TYPES.find((t) => t.id === refId(p.type))?.category;
const amenityIds = (p: FilterRecord) => ((p.amenities as unknown[] | undefined) ?? []).map(refId) as number[];
const rentPeriods = (p: FilterRecord) =>
  ((priceOf(p)?.prices as Array<{ period?: string }> | undefined) ?? []).map((x) => x.period);
const yearOf = (value: unknown) => (typeof value === 'string' ? num(value.slice(0, 4)) : num(value));
const publishedOn = (p: FilterRecord, portal: unknown) =>
  (p.published_at as Record<string, string> | undefined)?.[String(portal)];

type License = { number?: unknown; state?: string; expiry_date?: string };
/** The property's licenses with a number, of the `license_type` filter's kind when it is given. */
function licensesOf(p: FilterRecord, all: ReadonlyMap<string, unknown>): License[] {
  const licenses = (p.licenses as Record<string, License | undefined> | undefined) ?? {};
  const kinds = all.has('license_type') ? [all.get('license_type') as string] : LICENSE_KINDS;
  return kinds.map((k) => licenses[k]).filter((l): l is License => !!l && l.number !== undefined && l.number !== null);
}

const dayAt = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function licenseState(state: string, licenses: License[], now: number): boolean {
  if (state === 'no_license') return licenses.length === 0;
  const within = (hours: number) => (l: License) =>
    !!l.expiry_date && l.expiry_date >= dayAt(now) && l.expiry_date <= dayAt(now + hours * HOUR);
  const test: Record<string, (l: License) => boolean> = {
    license_validated: (l) => l.state === 'validated',
    license_valid: (l) => l.state === 'valid',
    license_manual: (l) => l.state === 'manual',
    expired: (l) => !!l.expiry_date && l.expiry_date < dayAt(now),
    expire_in_24_h: within(24),
    expire_in_48_h: within(48),
  };
  return licenses.some((l) => test[state]?.(l) ?? false);
}

const lastVerification = (p: FilterRecord) =>
  ((p.verification as Array<{ status?: string }> | undefined) ?? []).at(-1)?.status;

/** `filters[transaction][…]`: a property passes when one of its transactions passes them all. */
export const TRANSACTION_FILTERS: FilterTable = {
  rules: {
    user: idRule((t) => t.user),
    date: intervalRule((t) => t.date),
    category: enumRule(['residential', 'commercial'], (t) => t.category),
    offering_type: enumRule(OfferingTypeSchema.options, (t) => t.offering_type),
    type: idRule((t) => t.type),
    from_bedroom: numberRule('from', (t) => num(t.bedrooms), ROOMS),
    to_bedroom: numberRule('to', (t) => num(t.bedrooms), ROOMS),
    from_bathroom: numberRule('from', (t) => num(t.bathrooms), ROOMS),
    to_bathroom: numberRule('to', (t) => num(t.bathrooms), ROOMS),
  },
  ordered: [
    ['from_bedroom', 'to_bedroom'],
    ['from_bathroom', 'to_bathroom'],
  ],
};

const related = (list: readonly FilterRecord[], id: number | undefined) =>
  id === undefined ? [] : list.filter((r) => r.id === id).map((r) => r.fields);

/**
 * Every filter of `GET /properties` (seed 004), by wire name: how its value is checked and
 * what it keeps. Text compares case-insensitively; `location_ids` keeps a location and the
 * ones below it (`are.3` keeps `are.3.12`).
 */
export const PROPERTY_FILTERS: FilterTable = {
  rules: {
    reference: textRule((p) => p.reference, 'exact'),
    pf_imported_reference: textRule(
      (p) => Object.values((p.import as Record<string, { reference?: unknown }> | null) ?? {}).map((i) => i?.reference),
      'exact',
    ),
    status: enumRule(PropertyStatusSchema.options, (p) => p.status),
    state: enumRule(PropertyStateSchema.options, (p) => p.state),
    offering_type: enumRule(OfferingTypeSchema.options, (p) => priceOf(p)?.type),
    furnished: enumRule(FurnishedSchema.options, (p) => p.furnished),
    category: enumRule(['commercial', 'residential'], categoryOf),
    type: idRule((p) => p.type),
    location_ids: locationRule((p) => locationId(p)),
    excluded_user: idRule((p) => p.user, true),
    user: idRule((p) => p.user),
    landlord: idRule((p) => p.landlord),
    lead: idRule((p) => p.lead),
    is_selected: flagRule((p) => refId(p.lead) !== undefined),
    from_price: numberRule('from', priceValue, { min: 0 }),
    to_price: numberRule('to', priceValue, { min: 0 }),
    from_bedroom: numberRule('from', (p) => num(p.bedrooms), ROOMS),
    to_bedroom: numberRule('to', (p) => num(p.bedrooms), ROOMS),
    from_bathroom: numberRule('from', (p) => num(p.bathrooms), ROOMS),
    to_bathroom: numberRule('to', (p) => num(p.bathrooms), ROOMS),
    amenities: idListRule('any', amenityIds),
    amenities_or: idListRule('any', amenityIds),
    amenities_and: idListRule('all', amenityIds),
    portal: enumRule(PORTALS, (p) => p.publication),
    created: intervalRule((p) => p.created_at),
    updated: intervalRule((p) => p.updated_at),
    unit_number: textRule((p) => p.unit_number),
    license_type: enumRule(['dtcm', 'rera', 'rera_listing'], (p, _s, all) =>
      licensesOf(p, all).length ? all.get('license_type') : undefined,
    ),
    license_permit: {
      read: (raw) =>
        typeof raw === 'string' && raw !== ''
          ? { value: raw }
          : { errors: [{ field: '', message: 'expected a permit number or is_null' }] },
      // Ignored when license_state is given, as documented.
      test: (p, v, _s, all) =>
        all.has('license_state') ||
        (v === 'is_null' ? licensesOf(p, all).length === 0 : licensesOf(p, all).some((l) => String(l.number) === v)),
    },
    license_state: enumRule(LicenseStateSchema.options, (p, s, all) =>
      LicenseStateSchema.options.filter((state) => licenseState(state, licensesOf(p, all), s.now)),
    ),
    cheques: numberRule('equal', (p) => num(priceOf(p)?.cheques), { min: 0, max: 12, integer: true }),
    views: textRule((p) => p.views as unknown[]),
    rent_period: enumRule(RentPeriodSchema.options, rentPeriods),
    developer: textRule((p) => p.developer),
    service_charge: numberRule('equal', chargesOf, { min: 0 }),
    price_on_request: flagRule((p) => priceOf(p)?.on_request === true),
    financial_status: enumRule(['cash', 'mortgage', 'other'], (p) => p.financial_status),
    from_floor: numberRule('from', (p) => num(p.floor_number), { min: -10, integer: true }),
    to_floor: numberRule('to', (p) => num(p.floor_number), { min: -10, max: 200, integer: true }),
    from_floors: numberRule('from', (p) => num(p.floors), { min: 1, integer: true }),
    to_floors: numberRule('to', (p) => num(p.floors), { min: 1, max: 200, integer: true }),
    free_hold: enumRule(Object.values(FREE_HOLD), (p) => FREE_HOLD[String(p.freehold)]),
    occupancy: enumRule(OccupancySchema.options, (p) => p.occupancy),
    renovation: enumRule(RenovationSchema.options, (p) => p.renovation),
    from_build_year: numberRule('from', (p) => yearOf(p.build_year), { min: 1900, integer: true }),
    to_build_year: numberRule('to', (p) => yearOf(p.build_year), {
      min: 1900,
      max: (s: FilterScope) => new Date(s.now).getUTCFullYear() + 10,
      integer: true,
    }),
    project_status: enumRule(['completed', 'off_plan'], (p) => String(p.project_status).replace(/_primary$/, '')),
    from_size: numberRule('from', (p) => num(p.size), { min: 0 }),
    to_size: numberRule('to', (p) => num(p.size), { min: 0 }),
    from_plot_size: numberRule('from', (p) => num(p.plot_size), { min: 0 }),
    to_plot_size: numberRule('to', (p) => num(p.plot_size), { min: 0 }),
    from_bua: numberRule('from', (p) => num(p.built_up_area), { min: 0 }),
    to_bua: numberRule('to', (p) => num(p.built_up_area), { min: 0 }),
    layout: textRule((p) => p.layout),
    plot_number: textRule((p) => p.plot_number),
    dewa_number: textRule((p) => p.dewa_number),
    project_name: textRule((p) => p.project_name),
    street_number: textRule((p) => p.street_number),
    street_name: textRule((p) => p.street_name),
    available_at: intervalRule((p) => p.available_from),
    exclusive_start: intervalRule((p) => (p.exclusivity as { start_at?: unknown } | null)?.start_at),
    exclusive_end: intervalRule((p) => (p.exclusivity as { end_at?: unknown } | null)?.end_at),
    property_fields: customFieldsRule((p) => [p.fields]),
    lead_fields: customFieldsRule((p, s) => related(s.leads, refId(p.lead))),
    landlord_fields: customFieldsRule((p, s) => related(s.landlords, refId(p.landlord))),
    listing_level: enumRule(ListingLevelSchema.options, (p) => p.listing_level),
    verified: flagRule((p) => ['success', 'verified'].includes(String(lastVerification(p)))),
    duplicated_list: flagRule((p) => ((p.duplicated_list as unknown[] | undefined) ?? []).length > 0),
    from_publication_date: dayRule('from', (p, _s, all) => publishedOn(p, all.get('portal'))),
    to_publication_date: dayRule('to', (p, _s, all) => publishedOn(p, all.get('portal'))),
    from_quality_score: numberRule('from', (p) => num(p.quality_score), { min: 0 }),
    to_quality_score: numberRule('to', (p) => num(p.quality_score), { min: 0 }),
    transaction: nestedRule(TRANSACTION_FILTERS, (p) => (p.transactions as unknown[] | undefined) ?? []),
  },
  ordered: [
    ['from_bedroom', 'to_bedroom'],
    ['from_bathroom', 'to_bathroom'],
  ],
  requires: { from_publication_date: 'portal', to_publication_date: 'portal' },
};

const SORTS: Record<string, SortKey> = {
  color: (p) => p.color,
  id: (p) => p.id,
  offering_type: (p) => priceOf(p)?.type,
  category: categoryOf,
  location: locationId,
  user: (p) => refId(p.user),
  price: priceValue,
  state: (p) => p.state,
  created: (p) => p.created_at,
  updated: (p) => p.updated_at,
  publication: (p, _s, filters) => publishedOn(p, filters.get('portal')),
  quality_score: (p) => num(p.quality_score),
  size: (p) => num(p.size),
  listing_expiry_date: (p) => p.listing_expiry_date,
};

/**
 * The key of a documented sort; `amenity(1,2,3)` puts the properties with most of those
 * amenities first. Throws a 400 for an unknown sort, and for `publication` without the portal filter.
 */
export function propertySort(sort: string, filters: ReadonlyMap<string, unknown>): SortKey {
  const amenity = /^amenity\((\d+(?:,\d+)*)\)$/.exec(sort);
  if (amenity?.[1]) {
    const wanted = amenity[1].split(',').map(Number);
    return (p) => wanted.filter((id) => !amenityIds(p).includes(id)).length;
  }
  const key = Object.hasOwn(SORTS, sort) ? SORTS[sort] : undefined;
  if (!key) {
    throw new MockHttpError(400, 'invalid sort', [
      { field: 'sort', message: `must be one of ${Object.keys(SORTS).join(', ')} or amenity(1,2,3)` },
    ]);
  }
  if (sort === 'publication' && !filters.has('portal')) {
    throw new MockHttpError(400, 'invalid sort', [
      { field: 'sort', message: 'sorting by publication can only be used with the portal filter' },
    ]);
  }
  return key;
}
