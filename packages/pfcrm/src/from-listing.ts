import {
  type InputIssue,
  InputValidationError,
  type Listing,
  type ListingAddress,
  type ListingAgent,
  type ListingPhoto,
  ListingSchema,
  type ListingTypeKey,
  type PropertyType,
  parseInput,
} from '@sync/core';
import { configurationIssues } from './configuration.js';
import { PORTAL } from './portal.js';
import { type LanguageCode, LanguageCodeSchema, type PropertyStatus } from './schemas/common.js';
import {
  type ImageInput,
  type LanguagesInput,
  type PriceInput,
  type PropertyCreateInput,
  PropertyCreateInputSchema,
  type PropertyOptions,
  type PropertyUpdateInput,
  PropertyUpdateInputSchema,
} from './schemas/property.js';

const OPERATION = 'fromListing';

export type { ListingTypeKey } from '@sync/core';

/** Property Finder type ids by kind of CRM listing, for an account whose ids you know. */
export type PfTypeTable = Readonly<Partial<Record<ListingTypeKey, number>>>;

/** Names of Property Finder types to look for in the account's configuration, per kind of property. */
export type PfTypeNameTable = Readonly<Partial<Record<PropertyType, readonly string[]>>>;

/**
 * The type names looked up (case-insensitively, in this order, among the account's types
 * of the listing's category) when the type id comes from the configuration. A kind
 * with no name here, or whose names the account lacks, is refused.
 */
export const PF_TYPE_NAMES: PfTypeNameTable = {
  apartment: ['Apartment'],
  studio: ['Apartment'],
  penthouse: ['Penthouse'],
  duplex: ['Duplex'],
  house: ['House', 'Villa'],
  villa: ['Villa'],
  townhouse: ['Townhouse'],
  land: ['Land', 'Plot'],
  office: ['Office Space', 'Office'],
  retail: ['Retail', 'Shop'],
  warehouse: ['Warehouse'],
  garage: ['Garage', 'Parking'],
  room: ['Room'],
};

/** The `draft` flag and commercial status a CRM status becomes. */
export interface PfStatusMapping {
  /** Whether the property is kept as a draft (not published). */
  draft: boolean;
  /** The commercial status. */
  status: PropertyStatus;
}

/**
 * Default statuses: an active listing is an available, published property; a draft or
 * inactive one is kept as a draft, off the portals.
 */
export const PF_STATUSES: Readonly<Record<Listing['status'], PfStatusMapping>> = {
  active: { draft: false, status: 'available' },
  draft: { draft: true, status: 'draft' },
  inactive: { draft: true, status: 'draft' },
};

/** Square feet in a square metre, for accounts that measure in square feet. */
export const SQUARE_FEET_PER_SQUARE_METRE = 10.763_910_4;

/** A Property Finder location id, e.g. `are.3.12`. */
export type PfLocationId = string | number;

/**
 * Location ids by place: keys are `city` or `city/district` (the district key wins),
 * spelled as in the CRM, e.g. `{ 'Dubai/Dubai Marina': 'are.3.15', Dubai: 'are.3' }`.
 */
export type PfLocationTable = Readonly<Record<string, PfLocationId>>;

/** Finds the location id of an address, e.g. from results of `pf.locations.search` fetched beforehand. */
export type PfLocationResolver = (address: ListingAddress, listing: Listing) => PfLocationId | undefined;

/** Property Finder user ids by CRM agent id. */
export type PfAgentTable = Readonly<Record<string, number>>;

/** Finds the Property Finder user id of a CRM agent. */
export type PfAgentResolver = (agent: ListingAgent, listing: Listing) => number | undefined;

/** An uploaded image: an upload token (from `pf.uploads.create`) or the id of an image already on the property. */
export type PfImageRef = { token: string } | { id: number };

/** Uploaded images by photo URL. */
export type PfImageTable = Readonly<Record<string, PfImageRef>>;

/** Finds the uploaded image of a photo. */
export type PfImageResolver = (photo: ListingPhoto, index: number, listing: Listing) => PfImageRef | undefined;

/** Options of {@link fromListing}. */
export interface PfFromListingOptions {
  /**
   * The account's currency (e.g. `AED`). Property Finder prices carry no currency, so
   * a listing priced in another currency is refused rather than sent with a wrong figure.
   */
  currency: string;
  /** The unit the account measures `size` in: the listing's square metres are converted to square feet for `sqft`. */
  sizeUnit: 'sqm' | 'sqft';
  /** Where the property is: a table by city (and district) or a resolver. Never guessed. */
  locations: PfLocationTable | PfLocationResolver;
  /**
   * The account's configuration, from `pf.properties.options()`: type ids are found by
   * name ({@link PF_TYPE_NAMES}) and checked to allow the offering (rent or sale).
   */
  configuration?: PropertyOptions | undefined;
  /** Type ids by kind; wins over the configuration's names. Give this or `configuration`. */
  types?: PfTypeTable | undefined;
  /** Names looked up in the configuration (default {@link PF_TYPE_NAMES}). */
  typeNames?: PfTypeNameTable | undefined;
  /**
   * The user each agent's listings are assigned to. A listing with an agent the option
   * cannot resolve is refused; `'omit'` leaves the user out (the property stays with the
   * API user).
   */
  agents?: PfAgentTable | PfAgentResolver | 'omit' | undefined;
  /**
   * Property Finder takes images as upload tokens or image ids, not URLs: upload the
   * photos (`pf.uploads.create`) and map their URLs here. A listing with photos and no
   * `images` option is refused; `'omit'` sends no images (and leaves the property's
   * images as they are).
   */
  images?: PfImageTable | PfImageResolver | 'omit' | undefined;
  /** Statuses (default {@link PF_STATUSES}). */
  statuses?: Readonly<Record<Listing['status'], PfStatusMapping>> | undefined;
  /** Round prices to whole amounts; by default a price with a fraction is refused. */
  roundPrice?: boolean | undefined;
  /** The property's id on Property Finder: given, the result is an update input (`PUT /properties`). */
  id?: number | undefined;
}

/** Whether a text is missing or blank: the API refuses blank titles and descriptions. */
const blank = (s: string | undefined) => s === undefined || s.trim() === '';

function typeFromConfiguration(
  l: Listing,
  configuration: PropertyOptions,
  names: PfTypeNameTable,
): { id?: number; problem?: string } {
  const wanted = names[l.type];
  if (!wanted || wanted.length === 0) return { problem: `no Property Finder type name is known for ${l.type}` };
  const types = configuration.configuration.type.filter((t) => !t.category || t.category === l.category);
  for (const name of wanted) {
    const found = types.find((t) => t.name.trim().toLowerCase() === name.toLowerCase());
    if (found) return { id: found.id };
  }
  return { problem: `the account has no ${l.category} type named ${wanted.map((n) => `"${n}"`).join(' or ')}` };
}

function locationOf(l: Listing, locations: PfFromListingOptions['locations']): PfLocationId | undefined {
  if (typeof locations === 'function') return locations(l.address, l);
  const { city, district } = l.address;
  const keys = district === undefined ? [city] : [`${city}/${district}`, city];
  for (const key of keys) if (Object.hasOwn(locations, key)) return locations[key];
  return undefined;
}

/**
 * Turns a CRM listing into a Property Finder create input (`pf.properties.create`), or
 * an update input when `options.id` is given (`pf.properties.update`), with the CRM id
 * as `reference`.
 *
 * Pure: no call is made, so fetch what it needs first — the configuration
 * (`pf.properties.options()`), location ids (`pf.locations.search`), uploaded images
 * (`pf.uploads.create`). What cannot be mapped — another currency than the account's,
 * a kind without a type, a place without a location id, a title without its
 * description in English, Arabic or French, more than 12 bedrooms… — throws one
 * `InputValidationError` naming the listing (`itemId`) and each field of the listing
 * at fault.
 *
 * @throws InputValidationError when the listing is invalid or cannot be mapped.
 *
 * @example
 * const input = fromListing(listing, {
 *   currency: 'AED',
 *   sizeUnit: 'sqft',
 *   configuration: await pf.properties.options(),
 *   locations: { Dubai: 'are.3' },
 *   agents: 'omit',
 *   images: 'omit',
 * });
 * await pf.properties.create(input);
 */
export function fromListing(listing: Listing, options: PfFromListingOptions & { id: number }): PropertyUpdateInput;
export function fromListing(listing: Listing, options: PfFromListingOptions): PropertyCreateInput;
export function fromListing(
  listing: Listing,
  options: PfFromListingOptions,
): PropertyCreateInput | PropertyUpdateInput {
  const rawId = (listing as { id?: unknown } | null | undefined)?.id;
  const itemId = typeof rawId === 'string' ? rawId : undefined;
  const context = { portal: PORTAL, operation: OPERATION, itemId };
  const l = parseInput(ListingSchema, listing, context);
  const issues: InputIssue[] = [];
  const refuse = (path: string, message: string) => issues.push({ path, message, code: 'custom' });

  // Type: an explicit id wins; else the configuration's type of that name.
  const kind: ListingTypeKey = `${l.category}.${l.type}`;
  let type = options.types?.[kind];
  if (type === undefined) {
    if (options.configuration) {
      const found = typeFromConfiguration(l, options.configuration, options.typeNames ?? PF_TYPE_NAMES);
      type = found.id;
      if (found.problem) refuse('type', `${found.problem}: add "${kind}" to options.types`);
    } else {
      refuse(
        'type',
        `no type id for ${kind}: pass options.types, or options.configuration from pf.properties.options()`,
      );
    }
  }
  if (type !== undefined && options.configuration) {
    const offering = { type, price: { offering: l.offer } };
    for (const issue of configurationIssues(offering, options.configuration)) {
      refuse(issue.path === 'price.offering' ? 'offer' : 'type', issue.message);
    }
  }

  // Price.
  if (l.currency !== options.currency) {
    refuse('currency', `the account prices in ${options.currency}, not ${l.currency}`);
  }
  let amount = l.price;
  if (!Number.isInteger(amount)) {
    if (options.roundPrice) amount = Math.round(amount);
    else refuse('price', `Property Finder takes whole amounts (got ${l.price}); pass roundPrice: true to round`);
  }
  // Property Finder quotes rents per year, month, week or day: every period of a listing.
  const period = l.rentPeriod;
  const price: PriceInput =
    l.offer === 'rent' && period !== undefined
      ? { offering: 'rent', default_period: period, prices: [{ period, value: amount }] }
      : { offering: 'sale', value: amount };

  // Rooms and floor, within the API's bounds.
  for (const field of ['bedrooms', 'bathrooms'] as const) {
    const value = l[field];
    if (value !== undefined && value > 12) refuse(field, `Property Finder counts at most 12 ${field} (got ${value})`);
  }
  if (l.floor !== undefined && (l.floor < -10 || l.floor > 200)) {
    refuse('floor', `Property Finder floors go from -10 to 200 (got ${l.floor})`);
  }
  if (l.floorsTotal !== undefined && l.floorsTotal > 200) {
    refuse('floorsTotal', `Property Finder buildings have at most 200 floors (got ${l.floorsTotal})`);
  }
  const size = options.sizeUnit === 'sqft' ? Math.round(l.area * SQUARE_FEET_PER_SQUARE_METRE * 100) / 100 : l.area;
  if (!(size > 0)) refuse('area', `the size rounds to ${size} ${options.sizeUnit}`);

  // Languages: English, Arabic and French, each with a title and a description.
  const languages: Partial<Record<LanguageCode, { title: string; description: string }>> = {};
  for (const code of LanguageCodeSchema.options) {
    const title = l.title[code];
    const description = l.description[code];
    if (blank(title) && blank(description)) continue;
    if (blank(title)) refuse(`title.${code}`, `a description in ${code} needs a title in ${code}`);
    else if (blank(description)) refuse(`description.${code}`, `a title in ${code} needs a description in ${code}`);
    else if (title !== undefined && description !== undefined) languages[code] = { title, description };
  }
  if (Object.keys(languages).length === 0 && !issues.some((i) => /^(title|description)\./.test(i.path))) {
    refuse(
      'description',
      `Property Finder needs a title and a description in ${LanguageCodeSchema.options.join(', ')}; the listing has ${Object.keys(l.description).join(', ')}`,
    );
  }

  // Location.
  const locationId = locationOf(l, options.locations);
  if (locationId === undefined || locationId === '') {
    const place = [l.address.district, l.address.city].filter(Boolean).join(', ');
    refuse('address.city', `no Property Finder location id for ${place}: add it to options.locations`);
  }
  const { latitude, longitude } = l.address;
  if ((latitude === undefined) !== (longitude === undefined)) {
    refuse(latitude === undefined ? 'address.latitude' : 'address.longitude', 'latitude and longitude go together');
  }

  // Agent.
  let user: number | undefined;
  if (l.agent && options.agents !== 'omit') {
    const agents = options.agents;
    user =
      typeof agents === 'function'
        ? agents(l.agent, l)
        : agents && Object.hasOwn(agents, l.agent.id)
          ? agents[l.agent.id]
          : undefined;
    if (user === undefined) {
      refuse(
        'agent.id',
        `no Property Finder user for agent ${l.agent.id}: add it to options.agents (or agents: 'omit')`,
      );
    }
  }

  // Images.
  let images: ImageInput[] | undefined;
  if (l.photos.length > 0 && options.images !== 'omit') {
    const table = options.images;
    if (table === undefined) {
      refuse(
        'photos',
        'Property Finder takes images as upload tokens, not URLs: upload them and pass options.images (or images: omit)',
      );
    } else {
      images = [];
      l.photos.forEach((photo, i) => {
        const ref =
          typeof table === 'function'
            ? table(photo, i, l)
            : Object.hasOwn(table, photo.url)
              ? table[photo.url]
              : undefined;
        if (ref === undefined) refuse(`photos.${i}.url`, 'no uploaded image for this photo in options.images');
        else images?.push({ ...ref, order: i + 1 });
      });
    }
  }

  const status = (options.statuses ?? PF_STATUSES)[l.status];

  if (issues.length > 0) throw new InputValidationError(issues, context);

  const { street, streetNumber } = l.address;
  const input: PropertyCreateInput = {
    reference: l.id,
    ...(user !== undefined && { user }),
    draft: status.draft,
    status: status.status,
    type: type as number,
    size,
    ...(l.bedrooms !== undefined && { bedrooms: l.bedrooms }),
    ...(l.bathrooms !== undefined && { bathrooms: l.bathrooms }),
    ...(l.floor !== undefined && { floor_number: l.floor }),
    ...(l.floorsTotal !== undefined && { floors: l.floorsTotal }),
    ...(street !== undefined && { street_name: street }),
    ...(streetNumber !== undefined && { street_number: streetNumber }),
    languages: languages as LanguagesInput,
    location: {
      id: locationId as PfLocationId,
      ...(latitude !== undefined && longitude !== undefined && { latitude, longitude }),
    },
    price,
    ...(images && { images }),
  };
  // The model's own rules have the last word (e.g. a location id or user id of the wrong shape).
  if (options.id !== undefined) {
    const update: PropertyUpdateInput = { ...input, id: options.id };
    parseInput(PropertyUpdateInputSchema, update, context);
    return update;
  }
  parseInput(PropertyCreateInputSchema, input, context);
  return input;
}
