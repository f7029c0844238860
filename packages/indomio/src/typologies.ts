import type { ListingTypeKey, PropertyType } from '@sync/core';

/** Where a typology's id comes from: the portal's own docs, or a third-party mapping not checked against the portal. */
export type TypologySource = 'docs' | 'third-party';

/** A typology of the portal (`building/@IDType`) and the rules that go with it. */
export interface IndomioTypology {
  /** The id sent as `building/@IDType`. */
  readonly id: number;
  /** The portal's (Italian) name. */
  readonly name: string;
  /** Contracts the typology takes: `S` sale, `R` rent. */
  readonly contracts: readonly ('S' | 'R')[];
  /**
   * The only kinds of surface (`features/sizes/size/type`) the typology takes, when it is
   * restricted: garages and parking spaces `Garage`, coworking `Ufficio` (office).
   */
  readonly sizeTypes?: readonly ('Garage' | 'Ufficio')[] | undefined;
  /** The CRM kinds (`Listing.type`, or `category.type`) that map to it by default. */
  readonly listingTypes: readonly (PropertyType | ListingTypeKey)[];
  /** Where the id comes from. */
  readonly source: TypologySource;
}

/**
 * The typologies known of the portal, with their contract and size-type rules: 14
 * (apartment, the docs' example), 253 (garage), 254 (parking space) and 259 (coworking) from
 * the portal's docs; the others from a third-party mapping that was not checked against the
 * portal (`source: 'third-party'`). Accounts can differ: the portal answers
 * `UNRESOLVED_TYPOLOGY` (455) for an id it does not have for the agency, and a sync reports
 * that listing failed. `fromListing` maps by {@link INDOMIO_DEFAULT_TYPOLOGIES}, built from
 * this table; the bundled mock knows exactly these typologies.
 */
export const INDOMIO_TYPOLOGIES: readonly IndomioTypology[] = [
  { id: 14, name: 'Appartamento', contracts: ['S', 'R'], listingTypes: ['apartment'], source: 'docs' },
  { id: 15, name: 'Attico', contracts: ['S', 'R'], listingTypes: ['penthouse'], source: 'third-party' },
  { id: 16, name: 'Mansarda', contracts: ['S', 'R'], listingTypes: [], source: 'third-party' },
  { id: 17, name: 'Loft', contracts: ['S', 'R'], listingTypes: [], source: 'third-party' },
  { id: 21, name: 'Casa indipendente', contracts: ['S', 'R'], listingTypes: ['house'], source: 'third-party' },
  { id: 23, name: 'Villa', contracts: ['S', 'R'], listingTypes: ['villa'], source: 'third-party' },
  { id: 26, name: 'Villa a schiera', contracts: ['S', 'R'], listingTypes: ['townhouse'], source: 'third-party' },
  { id: 28, name: 'Rustico', contracts: ['S', 'R'], listingTypes: [], source: 'third-party' },
  { id: 253, name: 'Box', contracts: ['S', 'R'], sizeTypes: ['Garage'], listingTypes: ['garage'], source: 'docs' },
  { id: 254, name: 'Posto auto', contracts: ['S', 'R'], sizeTypes: ['Garage'], listingTypes: [], source: 'docs' },
  { id: 258, name: 'Ufficio', contracts: ['S', 'R'], listingTypes: ['office'], source: 'third-party' },
  { id: 259, name: 'Coworking', contracts: ['R'], sizeTypes: ['Ufficio'], listingTypes: [], source: 'docs' },
  { id: 261, name: 'Terreno', contracts: ['S', 'R'], listingTypes: ['land'], source: 'third-party' },
  { id: 268, name: 'Negozio', contracts: ['S', 'R'], listingTypes: ['retail'], source: 'third-party' },
];

/** A typology of {@link INDOMIO_TYPOLOGIES} by id, or `undefined` for an id the table does not know. */
export function typologyById(id: number): IndomioTypology | undefined {
  return INDOMIO_TYPOLOGIES.find((t) => t.id === id);
}

/**
 * Indomio typology ids (`building/@IDType`) by kind of CRM listing: keyed by
 * `category.type` (e.g. `commercial.garage`) or by type alone (e.g. `villa`); the
 * `category.type` key wins.
 */
export type IndomioTypologyTable = Readonly<Partial<Record<ListingTypeKey | PropertyType, number>>>;

/**
 * What `fromListing` maps CRM kinds to by default, from {@link INDOMIO_TYPOLOGIES}: apartment
 * 14, penthouse 15, house 21, villa 23, townhouse 26, garage 253, office 258, land 261, retail
 * 268. Studios, duplexes, warehouses and rooms have no default: give their ids in
 * `options.typologies`, e.g. `{ ...INDOMIO_DEFAULT_TYPOLOGIES, studio: 14 }`.
 */
export const INDOMIO_DEFAULT_TYPOLOGIES: IndomioTypologyTable = Object.freeze(
  Object.fromEntries(INDOMIO_TYPOLOGIES.flatMap((t) => t.listingTypes.map((kind) => [kind, t.id]))),
);

/** Surface kinds each restricted typology takes, by id (garages and parking spaces, coworking). */
export const TYPOLOGY_SIZE_RULES: Readonly<Record<number, readonly ('Garage' | 'Ufficio')[]>> = Object.freeze(
  Object.fromEntries(INDOMIO_TYPOLOGIES.flatMap((t) => (t.sizeTypes ? [[t.id, t.sizeTypes]] : []))),
);
