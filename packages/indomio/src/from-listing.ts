import {
  type InputIssue,
  InputValidationError,
  type Listing,
  type ListingAddress,
  ListingSchema,
  type ListingTypeKey,
  type PropertyCondition,
  parseInput,
} from '@sync/core';
import { PORTAL } from './portal.js';
import {
  type AgencyPropertyInput,
  type Agent,
  type Building,
  type Description,
  type EnergyClass,
  type ExtendedInput,
  type ExtraFeatures,
  hasInvalidXmlChars,
  type Language,
  LanguageSchema,
  type Location,
  type Operation,
  toXsDateTime,
} from './schemas/property.js';
import { INDOMIO_DEFAULT_TYPOLOGIES, type IndomioTypologyTable, typologyById } from './typologies.js';
import { validateProperty } from './xml/build.js';

const OPERATION = 'fromListing';

export type { ListingTypeKey } from '@sync/core';

export type { IndomioTypologyTable } from './typologies.js';

/**
 * The default typology mapping, {@link INDOMIO_DEFAULT_TYPOLOGIES} (kept under this name,
 * which earlier releases gave the two ids of the docs' examples).
 */
export const INDOMIO_DOCUMENTED_TYPOLOGIES: IndomioTypologyTable = INDOMIO_DEFAULT_TYPOLOGIES;

/**
 * What each CRM status becomes: an active listing is written; draft and inactive
 * listings have no place on the portal — `syncListings` reports them skipped, and
 * deletes the ones an earlier round published.
 */
export const INDOMIO_OPERATIONS: Readonly<Record<Listing['status'], Operation | undefined>> = {
  active: 'write',
  inactive: undefined,
  draft: undefined,
};

/**
 * The building's state (`building/status`) for each condition of a CRM listing. A new-build
 * listing (`housingMarket: 'new'`) with no condition is `nuovo`.
 */
export const INDOMIO_BUILDING_STATUSES: Readonly<Record<PropertyCondition, NonNullable<Building['status']>>> = {
  new: 'nuovo',
  renovated: 'ristrutturato',
  good: 'buono',
  'needs-renovation': 'da ristrutturare',
  unfinished: 'in costruzione',
};

/** Floor kinds (`extra-features/floor/@type`) of the basement floors the XSD names, by floor number. */
export const INDOMIO_BASEMENT_FLOORS: Readonly<Record<number, NonNullable<ExtraFeatures['floor']>['type']>> = {
  [-1]: 'Interrato(-1)',
  [-2]: 'Interrato(-2)',
  [-3]: 'Interrato(-3)',
  [-4]: 'Interrato(-4)',
  [-5]: 'Interrato(-5)',
};

/**
 * The floor kind of a unit: ground floor at 0, the basement floors of
 * {@link INDOMIO_BASEMENT_FLOORS} (deeper ones `Interrato`), the top floor `Ultimo` when the
 * building's floors are known, `Intermedio` between; unknown otherwise.
 */
function floorType(floor: number, floorsTotal: number | undefined): NonNullable<ExtraFeatures['floor']>['type'] {
  if (floor === 0) return 'PianoTerra';
  if (floor < 0) return INDOMIO_BASEMENT_FLOORS[floor] ?? 'Interrato';
  if (floorsTotal === undefined) return undefined;
  return floor >= floorsTotal ? 'Ultimo' : 'Intermedio';
}

/** A floor with its kind, the kind left out when unknown. */
function withType(
  value: number,
  type: NonNullable<ExtraFeatures['floor']>['type'],
): NonNullable<ExtraFeatures['floor']> {
  return type === undefined ? { value } : { value, type };
}

/** ISTAT municipality codes by city name as the CRM spells it, e.g. `{ Jesi: '042021' }`. */
export type IndomioIstatTable = Readonly<Record<string, string>>;

/** Finds the ISTAT municipality code of an address. */
export type IndomioIstatResolver = (address: ListingAddress, listing: Listing) => string | undefined;

/** The agency publishing the listings: `email` is its username on the portal. */
export type IndomioAgency = Omit<Agent, 'realtors'>;

/** Options of {@link fromListing}. */
export interface IndomioFromListingOptions {
  /** The agency (`agent` of every property); its `email` identifies it to the portal. */
  agency: IndomioAgency;
  /**
   * Typology ids by CRM kind, in place of the default {@link INDOMIO_DEFAULT_TYPOLOGIES} (built
   * from the package's table, `INDOMIO_TYPOLOGIES`); spread the default to add or change a few,
   * e.g. `{ ...INDOMIO_DEFAULT_TYPOLOGIES, studio: 14 }`.
   */
  typologies?: IndomioTypologyTable | undefined;
  /**
   * ISTAT codes of cities, by name or by a resolver. The portal places a listing by its
   * coordinates or, without them, by the city's ISTAT code: a listing with neither is refused.
   */
  istatCodes?: IndomioIstatTable | IndomioIstatResolver | undefined;
  /** Portal ids of agents by CRM agent id; the CRM id always goes as the realtor's external id. */
  realtorIds?: Readonly<Record<string, number>> | undefined;
  /** `'realtor'` (default) names the listing's agent as a realtor of the agency; `'omit'` leaves it out. */
  agent?: 'realtor' | 'omit' | undefined;
  /** How precisely the portal shows the position (`locality/@map`). */
  map?: 'exact' | 'near' | 'no' | undefined;
  /**
   * The energy class of a listing. The CRM listing has none, and the XSD requires the
   * element, so without this option an empty `energy-class` (nothing declared) is sent.
   */
  energyClass?: EnergyClass | ((listing: Listing) => EnergyClass | undefined) | undefined;
  /**
   * The amenities of a listing (`extended`: pool, lift access, fibre, views…), which the CRM
   * listing does not carry: give them here, or as a function of the listing.
   */
  extended?: ExtendedInput | ((listing: Listing) => ExtendedInput | undefined) | undefined;
  /** Round prices to whole euros; by default a price with cents is refused. */
  roundPrice?: boolean | undefined;
}

const LANGUAGES: readonly string[] = LanguageSchema.options;

/**
 * Turns a CRM listing into an Indomio property (what `properties.put`, `properties.sync`
 * and `writeFeed` take; `syncListings` calls it for you), with the CRM id as `unique-id` and `updatedAt` as `date-updated`.
 * The result passes the package's own validation, so its XML is valid against the XSD.
 *
 * Pure: no call is made. What cannot be mapped — a currency other than EUR, a rent not
 * quoted per month, a kind missing from the typology table, a room for sale, a place
 * with neither coordinates nor an ISTAT code, no text in a language the portal knows,
 * a draft or inactive listing — throws one `InputValidationError` naming the listing
 * (`itemId`) and each field of the listing at fault.
 *
 * @throws InputValidationError when the listing is invalid or cannot be mapped.
 *
 * @example
 * const property = fromListing(listing, {
 *   agency: { email: 'agency@example.com' },
 *   typologies: { ...INDOMIO_DEFAULT_TYPOLOGIES, studio: 14 },
 * });
 * await indomio.properties.put(property);
 */
export function fromListing(listing: Listing, options: IndomioFromListingOptions): AgencyPropertyInput {
  const rawId = (listing as { id?: unknown } | null | undefined)?.id;
  const itemId = typeof rawId === 'string' ? rawId : undefined;
  const context = { portal: PORTAL, operation: OPERATION, itemId };
  const l = parseInput(ListingSchema, listing, context);
  const issues: InputIssue[] = [];
  const refuse = (path: string, message: string) => issues.push({ path, message, code: 'custom' });
  /** Text the XML can carry, within `max` characters. */
  const text = (path: string, value: string | undefined, max = Number.POSITIVE_INFINITY) => {
    if (value === undefined) return undefined;
    if (hasInvalidXmlChars(value)) refuse(path, 'contains characters XML cannot carry');
    else if (value.length > max) refuse(path, `Indomio takes at most ${max} characters (got ${value.length})`);
    return value;
  };

  if (l.id.trim() === '') refuse('id', 'the unique-id must not be blank');
  text('id', l.id);

  const operation = INDOMIO_OPERATIONS[l.status];
  if (!operation) {
    refuse('status', `a ${l.status} listing is not published on Indomio: syncListings leaves it off, or delete it`);
  }

  // Contract and price.
  if (l.currency !== 'EUR') refuse('currency', `Indomio takes prices in EUR only, not ${l.currency}`);
  if (l.offer === 'rent' && l.rentPeriod !== 'month') {
    refuse('rentPeriod', `Indomio quotes rents per month, not per ${l.rentPeriod}`);
  }
  let price = l.price;
  if (!Number.isInteger(price)) {
    if (options.roundPrice) price = Math.round(price);
    else refuse('price', `Indomio takes whole euros (got ${l.price}); pass roundPrice: true to round`);
  }

  // Typology.
  const kind: ListingTypeKey = `${l.category}.${l.type}`;
  const typologies = options.typologies ?? INDOMIO_DEFAULT_TYPOLOGIES;
  const typeId = typologies[kind] ?? typologies[l.type];
  if (typeId === undefined) {
    refuse(
      'type',
      `no Indomio typology for a ${l.category} ${l.type}: add "${kind}" or "${l.type}" to options.typologies`,
    );
  }
  const typology = typeId === undefined ? undefined : typologyById(typeId);
  const contract = l.offer === 'sale' ? 'S' : 'R';
  if (typology && !typology.contracts.includes(contract)) {
    refuse('offer', `Indomio typology ${typology.id} (${typology.name}) is not offered for ${l.offer}`);
  }
  if (l.type === 'room' && l.offer === 'sale') refuse('offer', 'Indomio does not take a room for sale');

  // Location: coordinates, or the city's ISTAT code.
  const a = l.address;
  const hasCoordinates = a.latitude !== undefined && a.longitude !== undefined;
  if ((a.latitude === undefined) !== (a.longitude === undefined)) {
    refuse(a.latitude === undefined ? 'address.latitude' : 'address.longitude', 'latitude and longitude go together');
  }
  const istat = options.istatCodes;
  const code =
    typeof istat === 'function' ? istat(a, l) : istat && Object.hasOwn(istat, a.city) ? istat[a.city] : undefined;
  if (!hasCoordinates && (code === undefined || code.trim() === '')) {
    refuse(
      'address.city',
      `Indomio places a listing by its coordinates or its city's ISTAT code: give address.latitude and longitude, or an ISTAT code for ${a.city} in options.istatCodes`,
    );
  }
  const locality: NonNullable<Location['locality']> = {
    ...(options.map && { map: options.map }),
    ...(a.district !== undefined && {
      neighbourhood: { name: text('address.district', a.district) ?? a.district, type: 'district' as const },
    }),
    ...(a.postalCode !== undefined && { postalCode: text('address.postalCode', a.postalCode, 5) }),
    ...(hasCoordinates && { latitude: a.latitude, longitude: a.longitude }),
    ...(a.street !== undefined && { thoroughfare: { value: text('address.street', a.street, 200) ?? '' } }),
    ...(a.streetNumber !== undefined && { streetNumber: text('address.streetNumber', a.streetNumber, 10) }),
  };
  const location: Location = {
    countryCode: a.country,
    ...(a.region !== undefined && { administrativeArea: text('address.region', a.region) }),
    city: { name: text('address.city', a.city) ?? a.city, ...(code !== undefined && { code }) },
    ...(Object.keys(locality).length > 0 && { locality }),
  };

  // Texts: every language the portal knows, each with its description.
  const descriptions: Description[] = [];
  for (const lang of Object.keys(l.title)) {
    if (LANGUAGES.includes(lang) && l.description[lang] === undefined) {
      refuse(`description.${lang}`, `a title in ${lang} needs a description in ${lang}`);
    }
  }
  for (const [lang, content] of Object.entries(l.description)) {
    if (!LANGUAGES.includes(lang)) continue;
    const title = text(`title.${lang}`, l.title[lang], 255);
    descriptions.push({
      language: lang as Language,
      ...(title !== undefined && { title }),
      content: text(`description.${lang}`, content) ?? content,
    });
  }
  if (descriptions.length === 0 && !issues.some((i) => i.path.startsWith('description.'))) {
    refuse(
      'description',
      `Indomio needs a description in one of ${LANGUAGES.join(', ')}; the listing has ${Object.keys(l.description).join(', ')}`,
    );
  }

  // Size and rooms.
  const size = Math.round(l.area);
  if (size < 1) refuse('area', `Indomio takes whole square metres; ${l.area} rounds to ${size}`);
  let roomsDetail: { bedrooms?: number; otherRooms?: number } | undefined;
  if (l.rooms !== undefined || l.bedrooms !== undefined) {
    if (l.rooms !== undefined && l.bedrooms === undefined) {
      refuse('bedrooms', 'Indomio counts bedrooms and other rooms apart: give bedrooms along with rooms');
    } else if (l.rooms !== undefined && l.bedrooms !== undefined && l.rooms < l.bedrooms) {
      refuse('rooms', `fewer rooms (${l.rooms}) than bedrooms (${l.bedrooms})`);
    } else {
      roomsDetail = {
        ...(l.bedrooms !== undefined && { bedrooms: l.bedrooms }),
        ...(l.rooms !== undefined && l.bedrooms !== undefined && { otherRooms: l.rooms - l.bedrooms }),
      };
    }
  }
  const extraFeatures: ExtraFeatures = {
    ...(l.bathrooms !== undefined && { bathrooms: l.bathrooms }),
    ...(l.floor !== undefined && { floor: withType(l.floor, floorType(l.floor, l.floorsTotal)) }),
    ...(l.floorsTotal !== undefined && { numFloors: l.floorsTotal }),
  };

  // Agent.
  const agent: Agent = { ...options.agency };
  if (l.agent && options.agent !== 'omit') {
    const ids = options.realtorIds;
    const realtorId = ids && Object.hasOwn(ids, l.agent.id) ? ids[l.agent.id] : undefined;
    agent.realtors = [
      { externalId: text('agent.id', l.agent.id) ?? l.agent.id, ...(realtorId !== undefined && { id: realtorId }) },
    ];
  }

  const energy = typeof options.energyClass === 'function' ? options.energyClass(l) : options.energyClass;
  const extended = typeof options.extended === 'function' ? options.extended(l) : options.extended;
  const status =
    l.condition !== undefined
      ? INDOMIO_BUILDING_STATUSES[l.condition]
      : l.housingMarket === 'new'
        ? INDOMIO_BUILDING_STATUSES.new
        : undefined;

  if (issues.length > 0) throw new InputValidationError(issues, context);

  const property: AgencyPropertyInput = {
    operation: operation as Operation,
    uniqueId: l.id,
    dateUpdated: toXsDateTime(new Date(l.updatedAt)),
    agent,
    location,
    ...(l.photos.length > 0 && { pictures: l.photos.map((p, i) => ({ url: p.url, position: i + 1 })) }),
    transactions: [{ type: l.offer === 'sale' ? 'S' : 'R', price, currency: 'EUR' }],
    building: { typeId: typeId as number, ...(status !== undefined && { status }) },
    features: {
      ...(roomsDetail && Object.keys(roomsDetail).length > 0 && { roomsDetail }),
      size: { value: size, unit: 'm2' },
      descriptions,
      energyClass: energy ?? {},
    },
    ...(Object.keys(extraFeatures).length > 0 && { extraFeatures }),
    ...(extended !== undefined && { extended }),
  };
  // The package's own validation has the last word (agency e-mail, typology id range…).
  validateProperty(property, OPERATION);
  return property;
}
