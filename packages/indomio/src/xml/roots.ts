// Writers of the import schema's other roots, `<project>` and `<auction>`, and of the feed's
// sections other than the properties.
import { parseInput } from '@sync/core';
import { PORTAL } from '../portal.js';
import type { Agent } from '../schemas/agent.js';
import {
  type Auction,
  type AuctionInput,
  AuctionSchema,
  type Lot,
  type Project,
  type ProjectInput,
  ProjectSchema,
} from '../schemas/roots.js';
import { agentXml } from './agent.js';
import { actorsXml, courtXml } from './auction.js';
import { publishXml, writeProcessable, XML_DECLARATION } from './build.js';
import { buildingXml } from './building.js';
import { customFieldsXml, estatesXml } from './estates.js';
import { descriptionsXml, energyXml, extendedXml } from './features.js';
import { locationXml } from './location.js';
import {
  amountXml,
  cdataWith,
  contactInfosXml,
  documentsXml,
  langTextXml,
  linksXml,
  pictureList,
  textWith,
} from './parts.js';
import { XmlWriter } from './writer.js';

function lotXml(out: XmlWriter, lot: Lot): void {
  out.start('lot');
  out.attr('total', lot.total);
  out.attr('forsale', lot.forSale);
  out.attr('ID', lot.id);
  out.cdataElement('unique-id', lot.uniqueId);
  buildingXml(out, lot.building);
  amountXml(out, 'price', lot.price);
  textWith(out, 'size', lot.size.value, 'unit', lot.size.unit);
  if (lot.rooms) textWith(out, 'rooms', lot.rooms.value, 'literal-value', lot.rooms.literal);
  if (lot.bathrooms) textWith(out, 'bathrooms', lot.bathrooms.value, 'literal-value', lot.bathrooms.literal);
  if (lot.floor) textWith(out, 'floor', lot.floor.value ?? '', 'type', lot.floor.type);
  if (lot.garage) textWith(out, 'garage', lot.garage.value ?? '', 'type', lot.garage.type);
  langTextXml(out, 'description', lot.description);
  out.cdataElement('specification', lot.specification);
  pictureList(out, lot.pictures, 'pictures', 'picture');
  documentsXml(out, lot.documents);
  out.end('lot');
}

/** Writes the `<project>` element of an already validated project into `out`, children in the XSD's order. */
export function writeProject(out: XmlWriter, p: Project): void {
  out.start('project');
  writeProcessable(out, p);
  out.cdataElement('reference-code', p.referenceCode);
  publishXml(out, p.publish);
  const f = p.features;
  out.start('features');
  out.cdataElement('building-status', f.buildingStatus);
  out.textElement('start-date', f.startDate);
  out.textElement('end-date', f.endDate);
  out.cdataElement('name', f.name);
  out.cdataElement('specification', f.specification);
  if (f.floorplannerUrl) textWith(out, 'floorplanner-url', f.floorplannerUrl.url, 'id', f.floorplannerUrl.id);
  out.cdataElement('virtual-tour', f.virtualTour);
  descriptionsXml(out, f.descriptions);
  energyXml(out, f);
  out.end('features');
  extendedXml(out, p.extended);
  if (p.lots) {
    out.start('lots');
    out.textElement('residential', p.lots.residential);
    out.textElement('commercial', p.lots.commercial);
    for (const lot of p.lots.items) lotXml(out, lot);
    out.end('lots');
  }
  documentsXml(out, p.documents);
  pictureList(out, p.raw360s, 'raw-360s', 'raw-360');
  out.end('project');
}

/** Writes the `<auction>` element of an already validated auction into `out`. */
export function writeAuction(out: XmlWriter, a: Auction): void {
  out.start('auction');
  out.attr('ID', a.id);
  out.attr('operation', a.operation);
  out.attr('uuid', a.uuid);
  out.attr('source-type', a.sourceType);
  out.attr('type', a.type);
  out.attr('incomplete', a.incomplete);
  out.attr('padlock', a.padlock);
  out.cdataElement('unique-id', a.uniqueId);
  out.cdataElement('reference-code', a.referenceCode);
  out.textElement('published-on', a.publishedOn);
  out.textElement('date-updated', a.dateUpdated);
  agentXml(out, a.agent);
  descriptionsXml(out, a.descriptions);
  amountXml(out, 'starting-price', a.startingPrice);
  amountXml(out, 'minimum-bid', a.minimumBid);
  amountXml(out, 'minimum-bid-challenge', a.minimumBidChallenge);
  amountXml(out, 'success-price', a.successPrice);
  if (a.court) courtXml(out, a.court);
  if (a.reference) {
    out.start('reference');
    out.attr('year', a.reference.year);
    out.attr('number', a.reference.number);
    if (a.reference.value !== '') out.cdata(a.reference.value);
    out.end('reference');
  }
  if (a.actors) actorsXml(out, a.actors);
  out.cdataElement('notes', a.notes);
  out.cdataElement('lot-number', a.lotNumber);
  out.cdataElement('selling-market', a.sellingMarket);
  if (a.sellingPlace) locationXml(out, a.sellingPlace, 'selling-place');
  out.cdataElement('depot-conditions', a.depotConditions);
  out.textElement('depot-out-of-date', a.depotOutOfDate);
  out.textElement('depot-bills', a.depotBills);
  out.textElement('real-value', a.realValue);
  out.textElement('ransom', a.ransom);
  out.textElement('ransom-bill', a.ransomBill);
  if (a.practice) cdataWith(out, 'practice', a.practice.value, 'ID', a.practice.externalId);
  out.cdataElement('show-place', a.showPlace);
  out.cdataElement('reference-info', a.referenceInfo);
  if (a.events) {
    out.start('events');
    for (const e of a.events) {
      out.start('event');
      out.attr('type', e.type);
      out.attr('status', e.status);
      out.attr('mode', e.mode);
      out.textElement('date', e.date);
      amountXml(out, 'starting-price', e.startingPrice);
      out.end('event');
    }
    out.end('events');
  }
  documentsXml(out, a.documents);
  pictureList(out, a.raw360s, 'raw-360s', 'raw-360');
  publishXml(out, a.publish);
  estatesXml(out, a.estates);
  out.textElement('register', a.register);
  out.textElement('legal-category', a.legalCategory);
  if (a.legalFee) {
    out.start('legal-fee');
    out.cdataElement('free', a.legalFee.free);
    out.textElement('scheduled-in-debt', a.legalFee.scheduledInDebt);
    out.textElement('acquitted', a.legalFee.acquitted);
    out.end('legal-fee');
  }
  linksXml(out, a.links);
  customFieldsXml(out, a.customFields);
  out.textElement('fotoplan', a.fotoplan);
  contactInfosXml(out, a.contactInfos);
  out.end('auction');
}

const context = (operation: string, itemId?: string) => ({ portal: PORTAL, operation, itemId });
const idOf = (input: unknown) =>
  typeof input === 'object' && input !== null && typeof (input as { uniqueId?: unknown }).uniqueId === 'string'
    ? (input as { uniqueId: string }).uniqueId
    : undefined;

/**
 * Validates a project (a new construction) and writes it as a `<project>` document valid
 * against the XSD; throws an `InputValidationError` naming the project and every faulty field.
 *
 * @example
 * ```ts
 * const xml = buildProjectXml({
 *   uniqueId: 'prj-1',
 *   dateUpdated: new Date(),
 *   agent: { email: 'agency@example.com' },
 *   location: { city: { name: 'Jesi', code: '042021' } },
 *   features: { name: 'Residenza Parco', energyClass: { value: 'A4' } },
 *   extended: { swimmingPool: true },
 * });
 * ```
 */
export function buildProjectXml(project: ProjectInput): string {
  const p = parseInput(ProjectSchema, project, context('buildProjectXml', idOf(project)));
  const out = new XmlWriter();
  out.raw(XML_DECLARATION);
  writeProject(out, p);
  return out.toString();
}

/**
 * Validates an auction and writes it as an `<auction>` document valid against the XSD;
 * throws an `InputValidationError` naming the auction and every faulty field.
 *
 * @example
 * ```ts
 * const xml = buildAuctionXml({
 *   uniqueId: 'auc-1',
 *   dateUpdated: new Date(),
 *   agent: { email: 'agency@example.com' },
 *   startingPrice: { value: 85_000.5, currency: 'EUR' },
 *   estates: { items: [unit] },
 * });
 * ```
 */
export function buildAuctionXml(auction: AuctionInput): string {
  const a = parseInput(AuctionSchema, auction, context('buildAuctionXml', idOf(auction)));
  const out = new XmlWriter();
  out.raw(XML_DECLARATION);
  writeAuction(out, a);
  return out.toString();
}

/** The feed's sections other than the properties, already validated. */
export interface FeedSections {
  agents?: readonly Agent[] | undefined;
  projects?: readonly Project[] | undefined;
  auctions?: readonly Auction[] | undefined;
}

/** Writes a feed's `agents`, `projects` or `auctions` section, or nothing for `undefined`. */
export function writeSection<T>(
  out: XmlWriter,
  name: string,
  list: readonly T[] | undefined,
  write: (out: XmlWriter, item: T) => void,
): void {
  if (!list) return;
  out.start(name);
  for (const item of list) write(out, item);
  out.end(name);
}

/** Writes the `agents`, `projects` and `auctions` sections of a feed that are given. */
export function writeFeedSections(out: XmlWriter, sections: FeedSections): void {
  writeSection(out, 'agents', sections.agents, agentXml);
  writeSection(out, 'projects', sections.projects, writeProject);
  writeSection(out, 'auctions', sections.auctions, writeAuction);
}
