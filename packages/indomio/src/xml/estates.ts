import type { CustomField } from '../schemas/common.js';
import type { Estate, Estates } from '../schemas/estates.js';
import { buildingXml, registrarDataXml } from './building.js';
import { extendedXml, extraFeaturesXml, featuresXml } from './features.js';
import { locationXml } from './location.js';
import { amountXml, documentsXml, pictureList, videosXml } from './parts.js';
import type { XmlWriter } from './writer.js';

/** Writes `custom-fields`, or nothing for `undefined`. */
export function customFieldsXml(out: XmlWriter, list: readonly CustomField[] | undefined): void {
  if (!list) return;
  out.start('custom-fields');
  for (const f of list) {
    out.start('custom-field');
    out.attr('name', f.name);
    out.cdata(f.value);
    out.end('custom-field');
  }
  out.end('custom-fields');
}

function estateXml(out: XmlWriter, e: Estate): void {
  out.start('estate');
  out.attr('ID', e.id);
  out.attr('preferred', e.preferred);
  out.attr('order', e.order);
  out.cdataElement('unique-id', e.uniqueId);
  buildingXml(out, e.building);
  locationXml(out, e.location);
  pictureList(out, e.pictures, 'pictures', 'picture');
  videosXml(out, e.videos);
  featuresXml(out, e.features);
  if (e.extraFeatures) extraFeaturesXml(out, e.extraFeatures);
  if (e.extended) extendedXml(out, e.extended);
  if (e.registrarData) registrarDataXml(out, e.registrarData);
  out.cdataElement('ownership-quota', e.ownershipQuota);
  out.textElement('ownership-type', e.ownershipType);
  documentsXml(out, e.documents);
  pictureList(out, e.blueprints, 'blueprints', 'blueprint');
  const bill = e.bill;
  if (bill) {
    out.start('bill');
    out.attr('type', bill.type);
    out.textElement('year', bill.year);
    out.cdataElement('number', bill.number);
    out.textElement('date', bill.date);
    out.end('bill');
  }
  customFieldsXml(out, e.customFields);
  amountXml(out, 'price', e.price);
  out.cdataElement('reference-code', e.referenceCode);
  out.end('estate');
}

/** Writes `estates`: the counts, then one `estate` per unit. */
export function estatesXml(out: XmlWriter, estates: Estates): void {
  out.start('estates');
  out.textElement('residential', estates.residential);
  out.textElement('commercial', estates.commercial);
  for (const e of estates.items) estateXml(out, e);
  out.end('estates');
}
