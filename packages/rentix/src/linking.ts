import type { Listing as CrmListing } from '@sync/core';
import { RENTIX_TYPES, type RentixTypeTable } from './from-listing.js';
import type { Listing } from './schemas/listing.js';

/** Options of the initial linking (`listings.linkExisting`). */
export interface InitialLinkingOptions {
  /** Type table used to compare kinds (default `RENTIX_TYPES`, as `fromListing` files them). */
  types?: RentixTypeTable | undefined;
  /** Two coordinates this close, in metres, are the same place (default 50). */
  maxDistanceM?: number | undefined;
  /** Match and report, link nothing (default `false`). */
  dryRun?: boolean | undefined;
}

/** What the initial linking did with one CRM listing. */
export interface LinkOutcome {
  /** The CRM listing's id. */
  crmId: string;
  /**
   * `linked` (this call linked it), `matched` (a confident match, not linked because of
   * `dryRun`), `alreadyLinked` (a Rentix listing carries this CRM id already),
   * `ambiguous` (several Rentix listings fit, or the one that fits fits another CRM
   * listing too), `unmatched` (none fits) or `failed` (the portal refused the link).
   */
  outcome: 'linked' | 'matched' | 'alreadyLinked' | 'ambiguous' | 'unmatched' | 'failed';
  /** The Rentix listing it is (or would be) linked to. */
  rentixId: string | undefined;
  /** Rentix listings that fit, for an ambiguous outcome. */
  candidates: string[];
  /** Why, in words: which rules matched or failed. */
  reason: string;
}

/** A confident match, to be linked. */
export interface PlannedLink {
  crmId: string;
  rentixId: string;
}

/** The matching of CRM listings to Rentix listings, before anything is linked. */
export interface LinkPlan {
  /** One outcome per CRM listing, in input order (`matched` for the links to make). */
  outcomes: LinkOutcome[];
  /** The links to make. */
  links: PlannedLink[];
  /** Rentix listings without a CRM id that no CRM listing matched. */
  unclaimed: string[];
}

/** Lower case, no accents, no punctuation, single spaces: `Str. Pușkin, 22` → `str puskin 22`. */
export function normalizeAddress(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function distanceM(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Whether a Rentix listing is at the CRM listing's place: coordinates when both have them, else the address. */
function samePlace(crm: CrmListing, rentix: Listing, maxDistanceM: number): boolean {
  const { latitude, longitude, street, streetNumber } = crm.address;
  const coordinates = rentix.formData.propertyCoordinates;
  if (latitude !== undefined && longitude !== undefined && coordinates) {
    return distanceM({ lat: latitude, lng: longitude }, coordinates) <= maxDistanceM;
  }
  const address = rentix.formData.propertyAddress;
  if (typeof address !== 'string' || address.trim() === '') return false;
  const theirs = ` ${normalizeAddress(address)} `;
  // The street and number identify the building; a city alone identifies nothing.
  const ours = street ? [street, streetNumber].filter(Boolean).join(' ') : undefined;
  if (!ours) return false;
  return theirs.includes(` ${normalizeAddress(ours)} `);
}

function samePrice(crm: CrmListing, rentix: Listing): boolean {
  const data = rentix.formData;
  return data.announcementValue === crm.price && data.announcementCurrency === crm.currency;
}

function sameKind(crm: CrmListing, rentix: Listing, types: RentixTypeTable): boolean {
  const data = rentix.formData;
  if (data.announcementType !== crm.offer) return false;
  const type = types[`${crm.category}.${crm.type}`];
  if (!type) return true;
  if (data.propertyType && data.propertyType !== type.propertyType) return false;
  if (data.propertySecondaryType && data.propertySecondaryType !== type.propertySecondaryType) return false;
  return true;
}

const ids = (listings: readonly Listing[]) => listings.map((l) => l.id);

/**
 * Matches CRM listings to the agency's Rentix listings without a CRM id, by the rules
 * Rentix's linking guide gives — the same place (coordinates within `maxDistanceM`, or
 * the street and number in the Rentix address), the same price and currency, and the
 * same offer and kind. A match is confident only when exactly one Rentix listing fits
 * and it fits no other CRM listing. Pure: nothing is read or linked.
 */
export function planInitialLinks(
  crmListings: readonly CrmListing[],
  rentixListings: readonly Listing[],
  options: InitialLinkingOptions = {},
): LinkPlan {
  const types = options.types ?? RENTIX_TYPES;
  const maxDistanceM = options.maxDistanceM ?? 50;
  const linkedTo = new Map<string, string>();
  for (const l of rentixListings) if (l.externalId !== null) linkedTo.set(l.externalId, l.id);
  const open = rentixListings.filter((l) => l.externalId === null);

  const fits = new Map<string, Listing[]>();
  const outcomes: LinkOutcome[] = crmListings.map((crm): LinkOutcome => {
    const already = linkedTo.get(crm.id);
    if (already !== undefined) {
      return {
        crmId: crm.id,
        outcome: 'alreadyLinked',
        rentixId: already,
        candidates: [],
        reason: `Rentix listing ${already} carries this id`,
      };
    }
    const place = open.filter((l) => samePlace(crm, l, maxDistanceM));
    const price = open.filter((l) => samePrice(crm, l));
    const all = place.filter((l) => samePrice(crm, l) && sameKind(crm, l, types));
    fits.set(crm.id, all);
    if (all.length === 1) {
      return {
        crmId: crm.id,
        outcome: 'matched',
        rentixId: all[0]?.id,
        candidates: ids(all),
        reason: 'same place, price and kind',
      };
    }
    if (all.length > 1) {
      return {
        crmId: crm.id,
        outcome: 'ambiguous',
        rentixId: undefined,
        candidates: ids(all),
        reason: `${all.length} Rentix listings have the same place, price and kind`,
      };
    }
    const near = place.filter((l) => samePrice(crm, l));
    const reason =
      near.length > 0
        ? `same place and price as ${ids(near).join(', ')}, but another offer or kind`
        : place.length > 0
          ? `same place as ${ids(place).join(', ')}, but another price`
          : price.length > 0
            ? `same price as ${ids(price).join(', ')}, but another place`
            : 'no Rentix listing without a CRM id has the same place or price';
    return { crmId: crm.id, outcome: 'unmatched', rentixId: undefined, candidates: [], reason };
  });

  // A Rentix listing that is the one fit of several CRM listings links none of them.
  const claims = new Map<string, string[]>();
  for (const o of outcomes)
    if (o.outcome === 'matched' && o.rentixId) claims.set(o.rentixId, [...(claims.get(o.rentixId) ?? []), o.crmId]);
  const links: PlannedLink[] = [];
  for (const o of outcomes) {
    if (o.outcome !== 'matched' || !o.rentixId) continue;
    const claimants = claims.get(o.rentixId) ?? [];
    if (claimants.length > 1) {
      o.outcome = 'ambiguous';
      o.reason = `Rentix listing ${o.rentixId} fits ${claimants.filter((c) => c !== o.crmId).join(', ')} as well`;
      o.rentixId = undefined;
    } else links.push({ crmId: o.crmId, rentixId: o.rentixId });
  }
  const claimed = new Set([...fits.values()].flat().map((l) => l.id));
  return { outcomes, links, unclaimed: open.filter((l) => !claimed.has(l.id)).map((l) => l.id) };
}
