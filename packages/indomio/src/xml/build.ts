import { compiledSchema, parseInput } from '@sync/core';
import {
  CommonPropertySchema,
  isCommonProperty,
  type Property,
  type PropertyInput,
  PropertySchema,
  type PublishPortal,
} from '../schemas/property.js';
import { agentXml } from './agent.js';
import { auctionFeaturesXml } from './auction.js';
import { buildingXml, registrarDataXml } from './building.js';
import { estatesXml } from './estates.js';
import { extendedXml, extraFeaturesXml, featuresXml } from './features.js';
import { locationXml, userXml } from './location.js';
import { contactInfosXml, documentsXml, pictureList, videosXml } from './parts.js';
import { XmlWriter } from './writer.js';

/** What {@link writeProcessable} reads: the fields a property and a project share. */
export type Processable = Pick<
  Property,
  | 'operation'
  | 'id'
  | 'externalId'
  | 'uuid'
  | 'padlock'
  | 'uniqueId'
  | 'publishedOn'
  | 'dateUpdated'
  | 'dateDeletion'
  | 'agent'
  | 'user'
  | 'location'
  | 'pictures'
  | 'videos'
  | 'visits'
  | 'estates'
  | 'fotoplan'
>;

/** The parts a property and a project share (the XSD's `processable`): its attributes, then the children up to `fotoplan`. */
export function writeProcessable(out: XmlWriter, p: Processable): void {
  out.attr('operation', p.operation);
  out.attr('ID', p.id);
  out.attr('external-id', p.externalId);
  out.attr('uuid', p.uuid);
  out.attr('padlock', p.padlock);
  out.cdataElement('unique-id', p.uniqueId);
  out.textElement('published-on', p.publishedOn);
  out.textElement('date-updated', p.dateUpdated);
  out.textElement('date-deletion', p.dateDeletion);
  if (p.agent) agentXml(out, p.agent);
  else if (p.user) userXml(out, p.user);
  locationXml(out, p.location);
  pictureList(out, p.pictures, 'pictures', 'picture');
  videosXml(out, p.videos);
  out.textElement('visits', p.visits);
  if (p.estates) estatesXml(out, p.estates);
  out.textElement('fotoplan', p.fotoplan);
}

/** Writes `publish`: each portal's publication and extra visibility; nothing for `undefined`. */
export function publishXml(out: XmlWriter, list: readonly PublishPortal[] | undefined): void {
  if (!list) return;
  out.start('publish');
  for (const portal of list) {
    out.start('portal');
    out.attr('refresh-date', portal.refreshDate);
    out.attr('status', portal.status);
    out.attr('id', portal.id);
    out.attr('zone', portal.zone);
    out.attr('mode', portal.mode);
    if (portal.visibilities) {
      out.start('visibilities');
      for (const v of portal.visibilities) {
        out.start('visibility');
        out.attr('op', v.op);
        out.attr('limit', v.limit);
        out.text(v.type);
        out.end('visibility');
      }
      out.end('visibilities');
    }
    out.end('portal');
  }
  out.end('publish');
}

/**
 * Writes the `<property>` element of an already validated property into `out`, children in
 * the XSD's order, free text in CDATA and every other value escaped; without an XML declaration.
 */
export function writeProperty(out: XmlWriter, p: Property): void {
  out.start('property');
  writeProcessable(out, p);
  out.textElement('date-expiration', p.dateExpiration);
  out.cdataElement('reference-code', p.referenceCode);
  publishXml(out, p.publish);
  out.start('transactions');
  for (const t of p.transactions) {
    out.start('transaction');
    out.attr('type', t.type);
    out.attr('auction', t.auction);
    out.attr('for-revenue', t.forRevenue);
    out.attr('on-redeem', t.onRedeem);
    out.attr('ownership', t.ownership);
    out.attr('ownership-quota', t.ownershipQuota);
    out.start('price');
    out.attr('currency', t.currency);
    out.attr('reserved', t.reserved ?? false);
    out.text(t.price);
    out.end('price');
    out.end('transaction');
  }
  out.end('transactions');
  buildingXml(out, p.building);
  featuresXml(out, p.features);
  if (p.extraFeatures) extraFeaturesXml(out, p.extraFeatures);
  if (p.extended) extendedXml(out, p.extended);
  if (p.auctionFeatures) auctionFeaturesXml(out, p.auctionFeatures);
  documentsXml(out, p.documents);
  pictureList(out, p.blueprints, 'blueprints', 'blueprint');
  pictureList(out, p.raw360s, 'raw-360s', 'raw-360');
  if (p.registrarData) registrarDataXml(out, p.registrarData);
  out.textElement('work-start-date', p.workStartDate);
  out.textElement('work-end-date', p.workEndDate);
  out.cdataElement('project-name', p.projectName);
  out.cdataElement('proposer', p.proposer);
  out.cdataElement('project-status', p.projectStatus);
  contactInfosXml(out, p.contactInfos);
  out.end('property');
}

/**
 * The `<property>` element of an already validated property, children in the XSD's order,
 * free text in CDATA and every other value escaped; without an XML declaration.
 */
export function propertyFragment(p: Property): string {
  const out = new XmlWriter();
  writeProperty(out, p);
  return out.toString();
}

/** Validates a property; throws an `InputValidationError` naming the listing and every faulty field. */
export function validateProperty(input: PropertyInput | Property, operation = 'properties.validate'): Property {
  if (typeof input === 'object' && input !== null && isCommonProperty(input)) {
    // Most listings: a validator half the size, so less to run and less for V8 to compile.
    const common = compiledSchema(CommonPropertySchema).safeParse(input);
    if (common.success) return common.data as Property;
  }
  const itemId = typeof input === 'object' && input && typeof input.uniqueId === 'string' ? input.uniqueId : undefined;
  return parseInput(PropertySchema, input, { portal: 'indomio', operation, itemId });
}

/** The XML declaration every document starts with. */
export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/**
 * Validates a property and writes it as a UTF-8 XML document valid against the portal's
 * XSD: children in the XSD's order, free text in CDATA, attributes escaped.
 *
 * @example
 * ```ts
 * const xml = buildPropertyXml(fromListing(listing, { agency, typologies: INDOMIO_DOCUMENTED_TYPOLOGIES }));
 * ```
 */
export function buildPropertyXml(property: PropertyInput): string {
  return propertyDocument(validateProperty(property, 'buildPropertyXml'));
}

/** The XML document of an already validated property. */
export function propertyDocument(property: Property): string {
  const out = new XmlWriter();
  out.raw(XML_DECLARATION);
  writeProperty(out, property);
  return out.toString();
}
