import type { z } from 'zod';
import { FurnishedSchema, OfferingTypeSchema, PropertyStateSchema, PropertyStatusSchema } from '../schemas/common.js';
import {
  type PropertyCreateInput,
  PropertyCreateInputSchema,
  PropertyEmailInputSchema,
  PropertyUpdateInputSchema,
} from '../schemas/property.js';
import { type MockFieldError, MockHttpError } from './errors.js';
import { refId } from './filters.js';

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

/** The `freehold` values of a create, as the `free_hold` filter names them. */
export const FREE_HOLD: Record<string, string> = { yes: 'Free-hold', no: 'Non Free-hold', lease_hold: 'Lease hold' };
/** What `addProperty` fills in when a test leaves it out: a valid apartment for sale in JLT. */
export const DEFAULT_PROPERTY: PropertyCreateInput = {
  draft: false,
  size: 100,
  type: 1,
  status: 'available',
  bedrooms: 1,
  bathrooms: 1,
  languages: { en: { title: 'A property', description: 'A description' } },
  location: { id: 'are.3.12' },
  price: { offering: 'sale', value: 1_000_000 },
};

/** The `OPTIONS /properties` body of the mock account. */
export function propertyOptions(): Record<string, unknown> {
  return {
    configuration: {
      type: MOCK_TYPES.map((t) => ({ ...t })),
      amenity: MOCK_AMENITIES.map((a) => ({ ...a })),
      category: ['residential', 'commercial'],
      state: PropertyStateSchema.options,
      status: PropertyStatusSchema.options,
      furnished: FurnishedSchema.options,
      freehold: Object.values(FREE_HOLD),
      offering_type: OfferingTypeSchema.options,
    },
    methods: {
      GET: { description: 'Get a single property' },
      POST: { description: 'Create a property' },
      PATCH: { description: 'Apply an action on a property' },
      PUT: { description: 'Update a property' },
      DELETE: { description: 'Delete a property' },
    },
  };
}

/** How long an upload token can be put in a property: 24 hours. */
export const UPLOAD_TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000;

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

/** Validates a `POST /properties/email` body: 422 with field errors, 404 for unknown properties. */
export function validateEmail(
  body: unknown,
  properties: ReadonlyMap<number, unknown>,
): z.output<typeof PropertyEmailInputSchema> {
  const wrapped = body && typeof body === 'object' ? (body as { email?: unknown }).email : undefined;
  const result = PropertyEmailInputSchema.safeParse(wrapped);
  if (!result.success) {
    throw new MockHttpError(
      422,
      'validation failed',
      result.error.issues.map((i) => ({ field: i.path.map(String).join('.'), message: i.message })),
    );
  }
  const missing = result.data.properties.filter((id) => !properties.has(id));
  if (missing.length) throw new MockHttpError(404, `properties not found: ${missing.join(', ')}`);
  return { ...result.data };
}
