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
import { PropertyCreateInputSchema, PropertyUpdateInputSchema } from '../schemas/property.js';
import { type MockFieldError, MockHttpError } from './errors.js';
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

/** A property as the mock stores it: the response shape, plus `published_at` (by portal), which answers leave out. */
export type MockProperty = Record<string, unknown> & { id: number };

/** A record the mock serves read-only (landlord, lead, user, location). */
export type MockRecord = Record<string, unknown> & { id: number | string };

/** Property types of the mock account (as `OPTIONS /properties` lists them). */
export const MOCK_TYPES = [
  { id: 1, name: 'Apartment', category: 'residential', for_rent: true, for_sale: true },
  { id: 2, name: 'Villa', category: 'residential', for_rent: true, for_sale: true },
  { id: 3, name: 'Office', category: 'commercial', for_rent: true, for_sale: true },
  { id: 4, name: 'Land', category: 'residential', for_rent: false, for_sale: true },
] as const;

/** Amenities of the mock account. */
export const MOCK_AMENITIES = [
  { id: 1, name: 'Swimming pool', for_residential: true, for_commercial: true },
  { id: 2, name: 'Balcony', for_residential: true, for_commercial: false },
  { id: 3, name: 'Shared gym', for_residential: true, for_commercial: true },
  { id: 4, name: 'Conference room', for_residential: false, for_commercial: true },
] as const;

/** How long an upload token can be put in a property: 24 hours. */
export const UPLOAD_TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** The `freehold` values of a create, as the `free_hold` filter names them. */
const FREE_HOLD: Record<string, string> = { yes: 'Free-hold', no: 'Non Free-hold', lease_hold: 'Lease hold' };
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

/** What building a stored property needs from the account. */
export interface StoreContext {
  /** The mock's clock, in milliseconds. */
  now: number;
  /** Known locations. */
  locations: readonly MockRecord[];
  /** A fresh id for a new image. */
  nextImageId(): number;
}

/** Licenses as stored: each kind with a number gets a `state` (`manual` or `valid`). */
function storeLicenses(input: unknown, existing: unknown): Record<string, unknown> | undefined {
  if (!input || typeof input !== 'object') return existing as Record<string, unknown> | undefined;
  const out: Record<string, unknown> = {};
  for (const [kind, license] of Object.entries(input as Record<string, Record<string, unknown>>)) {
    if (!license || license.number === undefined) continue;
    out[kind] = { ...license, state: license.state ?? (license.validation === 'manual' ? 'manual' : 'valid') };
  }
  return out;
}

/** The stored (response-shaped) property for a validated create or update body. */
export function buildProperty(
  id: number,
  input: Record<string, unknown>,
  existing: MockProperty | undefined,
  ctx: StoreContext,
): MockProperty {
  const now = new Date(ctx.now).toISOString();
  const { languages, publication, images, user, landlord, price, type, amenities, location, licenses, ...rest } =
    input as Record<string, unknown> & {
      languages: Record<string, { title: string; description: string }>;
      publication?: Record<string, boolean>;
      images?: Array<{ token?: string; id?: number | string; order?: number }>;
      price: Record<string, unknown>;
      location: { id: string | number; latitude?: number; longitude?: number };
      amenities?: number[];
    };
  const published = new Set<string>((existing?.publication as string[] | undefined) ?? []);
  const publishedAt = { ...((existing?.published_at as Record<string, string> | undefined) ?? {}) };
  for (const [portal, on] of Object.entries(publication ?? {})) {
    if (on && !published.has(portal)) publishedAt[portal] = now;
    if (on) published.add(portal);
    else published.delete(portal);
  }
  const oldImages = (existing?.images as Array<{ id: number }> | undefined) ?? [];
  const place = ctx.locations.find((l) => String(l.id) === String(location.id));
  const kind = MOCK_TYPES.find((t) => t.id === type);
  const property: MockProperty = {
    ...rest,
    id,
    reference: (input.reference as string | null | undefined) ?? existing?.reference ?? `PF-${id}`,
    state: existing?.state ?? (input.draft ? 'draft' : 'pending'),
    type: { id: type, name: kind?.name ?? null },
    amenities: (amenities ?? []).map((a) => ({ id: a, name: MOCK_AMENITIES.find((m) => m.id === a)?.name ?? null })),
    location: {
      id: location.id,
      city: place?.city ?? null,
      community: place?.community ?? null,
      sub_community: place?.sub_community ?? null,
      tower: place?.tower ?? null,
      latitude: location.latitude ?? place?.latitude ?? null,
      longitude: location.longitude ?? place?.longitude ?? null,
    },
    licenses: storeLicenses(licenses, existing?.licenses) ?? {},
    user: typeof user === 'number' ? { id: user } : (existing?.user ?? { id: 1 }),
    landlord: typeof landlord === 'number' ? { id: landlord } : (existing?.landlord ?? null),
    lead: existing?.lead ?? null,
    price: price.offering === 'sale' ? { type: 'sale', ...price } : { type: 'rent', ...price },
    languages: Object.entries(languages).map(([lang, d]) => ({ lang, title: d.title, description: d.description })),
    publication: [...published],
    published_at: publishedAt,
    images: (images ?? []).map((image, i) => {
      if (image.token !== undefined) return { id: ctx.nextImageId(), order: image.order ?? i + 1, watermark: false };
      const kept = oldImages.find((o) => o.id === Number(image.id));
      return { ...(kept ?? { id: Number(image.id) }), order: image.order ?? i + 1 };
    }),
    floor_plans: (existing?.floor_plans as unknown[] | undefined) ?? [],
    verification: (existing?.verification as unknown[] | undefined) ?? [],
    duplicated_list: (existing?.duplicated_list as unknown[] | undefined) ?? [],
    listing_level: existing?.listing_level ?? null,
    quality_score: existing?.quality_score ?? 50,
    created_at: existing?.created_at ?? now,
    updated_at: now,
    deleted_at: null,
  };
  return property;
}

/** What validating a create or update needs from the account. */
export interface ValidateContext {
  /** The mock's clock, in milliseconds. */
  now: number;
  /** Known locations. */
  locations: readonly MockRecord[];
  /** When each upload token was issued, in milliseconds. */
  uploadedAt(token: string): number | undefined;
}

/**
 * Validates a create (or update) body as the API does and returns the property data;
 * throws 400 for a body that is not `{ property }`, 422 with field errors otherwise —
 * including `views` and `fields`, mandatory in the seed's table, and expired upload tokens.
 */
export function validateProperty(body: unknown, update: boolean, ctx: ValidateContext): Record<string, unknown> {
  const wrapped = body && typeof body === 'object' ? (body as { property?: unknown }).property : undefined;
  if (!wrapped || typeof wrapped !== 'object' || Array.isArray(wrapped)) {
    throw new MockHttpError(400, 'the body must be { "property": { … } }');
  }
  const errors: MockFieldError[] = [];
  for (const field of ['views', 'fields']) {
    if (!(field in wrapped)) errors.push({ field, message: `${field} is mandatory (send an empty one for none)` });
  }
  const result = (update ? PropertyUpdateInputSchema : PropertyCreateInputSchema).safeParse(wrapped);
  if (!result.success) {
    for (const issue of result.error.issues)
      errors.push({ field: issue.path.map(String).join('.'), message: issue.message });
    throw new MockHttpError(422, 'validation failed', errors);
  }
  const data = result.data as Record<string, unknown> & {
    type: number;
    amenities?: number[];
    location: { id: string | number };
    images?: Array<{ token?: string }>;
  };
  if (!MOCK_TYPES.some((t) => t.id === data.type)) errors.push({ field: 'type', message: 'unknown property type' });
  (data.amenities ?? []).forEach((id, i) => {
    if (!MOCK_AMENITIES.some((a) => a.id === id)) errors.push({ field: `amenities.${i}`, message: 'unknown amenity' });
  });
  if (!ctx.locations.some((l) => String(l.id) === String(data.location.id))) {
    errors.push({ field: 'location.id', message: 'unknown location' });
  }
  (data.images ?? []).forEach((image, i) => {
    if (image.token === undefined) return;
    const at = ctx.uploadedAt(image.token);
    if (at === undefined || ctx.now - at >= UPLOAD_TOKEN_LIFETIME_MS) {
      errors.push({ field: `images.${i}.token`, message: 'unknown or expired upload token' });
    }
  });
  if (errors.length) throw new MockHttpError(422, 'validation failed', errors);
  return data;
}

/** A property as the API sends it: images, transactions and matching scores only when expanded, the user in full then. */
export function presentProperty(
  property: MockProperty,
  expand: string | null,
  users: readonly MockRecord[],
): Record<string, unknown> {
  const { published_at: _published, ...shown } = property;
  if (expand && expand !== 'false' && expand !== '0') {
    const user = users.find((u) => u.id === refId(shown.user));
    return { ...shown, user: user ?? shown.user };
  }
  const { images: _images, transactions: _transactions, matching_scores: _scores, ...rest } = shown;
  return rest;
}
