import {
  fingerprint,
  type HousingMarket,
  type InputIssue,
  InputValidationError,
  type Listing,
  ListingSchema,
  type ListingTypeKey,
  type PropertyCondition,
  parseInput,
} from '@sync/core';
import { PORTAL } from './portal.js';
import {
  type AnnouncementStatus,
  allowedSecondaryTypes,
  CURRENCIES,
  type Currency,
  DESCRIPTION_LENGTH,
  DOCUMENTED_SECONDARY_TYPES,
  MIN_PHOTOS_TO_PUBLISH,
  type PayPeriod,
  type PROPERTY_SECONDARY_TYPES,
  type PropertyType,
  type SecondaryTypeTable,
} from './schemas/common.js';
import { type ListingInput, ListingInputSchema } from './schemas/listing.js';

const OPERATION = 'fromListing';

export type { ListingTypeKey } from '@sync/core';

/** A Rentix property type with one of its secondary types. */
export type RentixTypeMapping = {
  [P in PropertyType]: { propertyType: P; propertySecondaryType: (typeof PROPERTY_SECONDARY_TYPES)[P][number] };
}[PropertyType];

/** Which Rentix property type and secondary type each kind of CRM listing becomes. */
export type RentixTypeTable = Readonly<Partial<Record<ListingTypeKey, RentixTypeMapping>>>;

/**
 * The default type table. Kinds missing here (an office filed as residential, a villa
 * filed as commercial…) are refused rather than filed under a guess; spread the table
 * into `options.types` to add or change entries.
 */
export const RENTIX_TYPES: RentixTypeTable = {
  'residential.apartment': { propertyType: 'residential', propertySecondaryType: 'apartment' },
  'residential.studio': { propertyType: 'residential', propertySecondaryType: 'apartment' },
  'residential.penthouse': { propertyType: 'residential', propertySecondaryType: 'apartment' },
  'residential.duplex': { propertyType: 'residential', propertySecondaryType: 'apartment' },
  'residential.house': { propertyType: 'residential', propertySecondaryType: 'house' },
  'residential.villa': { propertyType: 'residential', propertySecondaryType: 'house' },
  'residential.townhouse': { propertyType: 'residential', propertySecondaryType: 'house' },
  'residential.room': { propertyType: 'residential', propertySecondaryType: 'room' },
  'residential.land': { propertyType: 'residential', propertySecondaryType: 'residential-land' },
  'residential.garage': { propertyType: 'parking', propertySecondaryType: 'garage' },
  'commercial.office': { propertyType: 'commercial', propertySecondaryType: 'office' },
  'commercial.retail': { propertyType: 'commercial', propertySecondaryType: 'trade' },
  'commercial.warehouse': { propertyType: 'commercial', propertySecondaryType: 'warehouse' },
  'commercial.land': { propertyType: 'commercial', propertySecondaryType: 'commercial-land' },
  'commercial.garage': { propertyType: 'parking', propertySecondaryType: 'garage' },
};

/** Rentix's pay period for each rent period of a CRM listing; weekly and yearly rents have none. */
export const RENTIX_PAY_PERIODS: Readonly<Partial<Record<NonNullable<Listing['rentPeriod']>, PayPeriod>>> = {
  day: 'daily',
  month: 'monthly',
};

/** Rentix's status for each CRM status: an inactive listing is hidden, which keeps its history. */
export const RENTIX_STATUSES: Readonly<Record<Listing['status'], AnnouncementStatus>> = {
  active: 'active',
  inactive: 'hidden',
  draft: 'draft',
};

/**
 * Rentix's `propertyHousingMarket` for each housing market of a CRM listing. Rentix
 * publishes no full list; `new-build` is the value its docs show. A market missing
 * here is not sent (the field is optional); add entries with `options.housingMarkets`.
 */
export const RENTIX_HOUSING_MARKETS: Readonly<Partial<Record<HousingMarket, string>>> = {
  new: 'new-build',
};

/**
 * Rentix's `propertyVisualState` for each condition of a CRM listing. Rentix publishes
 * no full list; `euro-renovation` is the value its docs show. A condition missing here
 * is not sent; add entries with `options.visualStates`.
 */
export const RENTIX_VISUAL_STATES: Readonly<Partial<Record<PropertyCondition, string>>> = {
  renovated: 'euro-renovation',
};

/**
 * The languages tried first for `announcementDescription` when `options.languages` is
 * not given: Romanian, Russian, English. Rentix translates the text into its other
 * languages itself.
 */
export const RENTIX_DESCRIPTION_LANGUAGES: readonly string[] = ['ro', 'ru', 'en'];

/** Options of {@link fromListing}. */
export interface RentixFromListingOptions {
  /** Type table (default {@link RENTIX_TYPES}); it replaces the default, so spread that to extend it. */
  types?: RentixTypeTable | undefined;
  /**
   * Languages to take the description from, most preferred first (default
   * {@link RENTIX_DESCRIPTION_LANGUAGES}). When the listing has none of them, its other
   * languages are tried in alphabetical order of their codes.
   */
  languages?: readonly string[] | undefined;
  /**
   * What to do with a description over 2,000 characters: `'error'` (default) refuses
   * the listing, `'truncate'` cuts it at the last word boundary and ends it with `…`.
   */
  longDescription?: 'error' | 'truncate' | undefined;
  /**
   * `'link'` (default) names the agent by the CRM's agent id (`user.externalUserId`),
   * which works once the agent is linked; `'omit'` leaves the agent out, so the listing
   * shows the agency.
   */
  agent?: 'link' | 'omit' | undefined;
  /**
   * The `externalFileId` of each photo (default: `photo-` and a hash of the listing id
   * and the URL, so the same photo keeps its id across syncs and Rentix reuses the
   * uploaded file). At most 255 characters.
   */
  photoId?: ((photo: Listing['photos'][number], listing: Listing) => string) | undefined;
  /**
   * Secondary types allowed per announcement type and property type (default
   * {@link DOCUMENTED_SECONDARY_TYPES}; `syncListings` passes the client's
   * `reference.secondaryTypes`, the portal's own once its schema was fetched). A kind
   * the table refuses for the offer (a residential land for rent) is refused here.
   */
  secondaryTypes?: SecondaryTypeTable | undefined;
  /** Housing market table (default {@link RENTIX_HOUSING_MARKETS}); it replaces the default. */
  housingMarkets?: Readonly<Partial<Record<HousingMarket, string>>> | undefined;
  /** Condition table (default {@link RENTIX_VISUAL_STATES}); it replaces the default. */
  visualStates?: Readonly<Partial<Record<PropertyCondition, string>>> | undefined;
}

function defaultPhotoId(photo: Listing['photos'][number], listing: Listing): string {
  return `photo-${fingerprint([listing.id, photo.url]).slice(0, 32)}`;
}

function truncate(text: string, max: number): string {
  const cut = text.slice(0, max - 1);
  const space = cut.search(/\s\S*$/);
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** The description's language: the preferred ones in order, then the others alphabetically. */
function descriptionLanguage(description: Listing['description'], preferred: readonly string[]): string | undefined {
  const available = Object.keys(description);
  return preferred.find((l) => available.includes(l)) ?? available.sort()[0];
}

/** `street number, district, city`: the parts the listing has. */
function address(a: Listing['address']): string {
  const street = [a.street, a.streetNumber].filter(Boolean).join(' ');
  return [street, a.district, a.city].filter(Boolean).join(', ');
}

/**
 * Turns a CRM listing into a Rentix listing input (what `listings.upsert`, `upsertMany`
 * and `ops.upsert` take; `syncListings` calls it for you), keyed by the CRM id as `externalId`.
 *
 * Pure: no call is made. What Rentix cannot take — a currency other than EUR, USD or
 * MDL, a weekly or yearly rent, a kind missing from the type table, a basement floor,
 * a description outside 40–2,000 characters, an active listing with fewer than 3
 * photos — throws one `InputValidationError` naming the listing (`itemId`) and every
 * field of the listing at fault (`currency`, `rentPeriod`, `type`, `photos`…).
 *
 * @throws InputValidationError when the listing is invalid or cannot be mapped.
 *
 * @example
 * const input = fromListing(listing, { languages: ['ro', 'ru'] });
 * await rentix.listings.upsert(input);
 */
export function fromListing(listing: Listing, options: RentixFromListingOptions = {}): ListingInput {
  const id = (listing as { id?: unknown } | null | undefined)?.id;
  const itemId = typeof id === 'string' ? id : undefined;
  const context = { portal: PORTAL, operation: OPERATION, itemId };
  const l = parseInput(ListingSchema, listing, context);
  const issues: InputIssue[] = [];
  const refuse = (path: string, message: string) => issues.push({ path, message, code: 'custom' });

  const kind: ListingTypeKey = `${l.category}.${l.type}`;
  const type = (options.types ?? RENTIX_TYPES)[kind];
  if (!type) refuse('type', `no Rentix type for a ${l.category} ${l.type}: add "${kind}" to options.types`);
  else {
    const allowed = allowedSecondaryTypes(
      options.secondaryTypes ?? DOCUMENTED_SECONDARY_TYPES,
      l.offer,
      type.propertyType,
    );
    if (allowed && !allowed.includes(type.propertySecondaryType)) {
      refuse(
        'type',
        `Rentix has no ${type.propertyType} ${type.propertySecondaryType} for ${l.offer} (allowed: ${allowed.join(', ')})`,
      );
    }
  }

  if (!(CURRENCIES as readonly string[]).includes(l.currency)) {
    refuse('currency', `Rentix takes prices in ${CURRENCIES.join(', ')}, not ${l.currency}`);
  }
  let payPeriod: PayPeriod | undefined;
  if (l.offer === 'rent' && l.rentPeriod !== undefined) {
    payPeriod = RENTIX_PAY_PERIODS[l.rentPeriod];
    if (!payPeriod) refuse('rentPeriod', `Rentix has daily and monthly rents only, not per ${l.rentPeriod}`);
  }
  if (l.floor !== undefined && l.floor < 0) refuse('floor', `Rentix has no basement floors (got ${l.floor})`);

  let coordinates: { lat: number; lng: number } | undefined;
  const { latitude, longitude } = l.address;
  if (latitude !== undefined && longitude !== undefined) coordinates = { lat: latitude, lng: longitude };
  else if (latitude !== undefined) refuse('address.longitude', 'a latitude needs a longitude');
  else if (longitude !== undefined) refuse('address.latitude', 'a longitude needs a latitude');

  const language = descriptionLanguage(l.description, options.languages ?? RENTIX_DESCRIPTION_LANGUAGES);
  let description = language === undefined ? undefined : l.description[language];
  if (description !== undefined) {
    const path = `description.${language}`;
    if (description.length < DESCRIPTION_LENGTH.min) {
      refuse(path, `Rentix needs at least ${DESCRIPTION_LENGTH.min} characters (got ${description.length})`);
    } else if (description.length > DESCRIPTION_LENGTH.max) {
      if (options.longDescription === 'truncate') description = truncate(description, DESCRIPTION_LENGTH.max);
      else {
        refuse(
          path,
          `Rentix takes at most ${DESCRIPTION_LENGTH.max} characters (got ${description.length}); pass longDescription: 'truncate' to cut it`,
        );
      }
    }
  }

  const photoId = options.photoId ?? defaultPhotoId;
  const seen = new Map<string, number>();
  const files = l.photos.map((photo, i) => {
    const first = seen.get(photo.url);
    if (first !== undefined) refuse(`photos.${i}.url`, `the same photo as photos.${first}`);
    else seen.set(photo.url, i);
    return { url: photo.url, externalFileId: photoId(photo, l) };
  });
  const status = RENTIX_STATUSES[l.status];
  if (status === 'active' && files.length < MIN_PHOTOS_TO_PUBLISH) {
    refuse('photos', `publishing on Rentix needs at least ${MIN_PHOTOS_TO_PUBLISH} photos (got ${files.length})`);
  }

  if (issues.length > 0) throw new InputValidationError(issues, context);

  const housingMarket = l.housingMarket && (options.housingMarkets ?? RENTIX_HOUSING_MARKETS)[l.housingMarket];
  const visualState = l.condition && (options.visualStates ?? RENTIX_VISUAL_STATES)[l.condition];
  const input: ListingInput = {
    externalId: l.id,
    announcementType: l.offer,
    ...type,
    announcementValue: l.price,
    announcementCurrency: l.currency as Currency,
    ...(payPeriod && { announcementPayPeriod: payPeriod }),
    propertyArea: l.area,
    ...(l.floor !== undefined && { propertyFloorNumber: l.floor }),
    ...(l.floorsTotal !== undefined && { propertyFloorsTotal: l.floorsTotal }),
    ...(housingMarket !== undefined && { propertyHousingMarket: housingMarket }),
    ...(visualState !== undefined && { propertyVisualState: visualState }),
    ...(l.rooms !== undefined && { propertyQuantitySize: 'custom-value', propertyQuantitySizeValue: l.rooms }),
    propertyAddress: address(l.address),
    ...(coordinates && { propertyCoordinates: coordinates }),
    ...(description !== undefined && { announcementDescription: description }),
    files,
    ...(l.agent && options.agent !== 'omit' && { user: { externalUserId: l.agent.id } }),
    announcementStatus: status,
  };
  // The model's own rules have the last word (e.g. a custom photoId that is too long).
  parseInput(ListingInputSchema, input, context);
  return input;
}
