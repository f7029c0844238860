import { parseInput } from '@sync/core';
import { PORTAL } from '../portal.js';
import { type PartialUpdate, type PartialUpdateInput, PartialUpdateSchema } from '../schemas/partial.js';
import type { Picture } from '../schemas/property.js';
import { XmlWriter } from './writer.js';

/** The XML declaration every document starts with. */
const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

function pictureList(out: XmlWriter, list: readonly Picture[], name: string): void {
  list.forEach((p, i) => {
    out.start(name);
    out.attr('position', p.position ?? i + 1);
    out.attr('url', p.url);
    out.attr('etag', p.etag);
    out.attr('width', p.width);
    out.attr('height', p.height);
    out.end(name);
  });
}

/**
 * Writes the `<partial>` root of an already validated media-only update into `out`: the
 * identifiers, then the one kind of media, in the XSD's order.
 */
export function writePartial(out: XmlWriter, p: PartialUpdate): void {
  const i = p.identifiers;
  out.start('partial');
  out.start('identifiers');
  out.textElement('listing-id', i.listingId);
  out.textElement('agency-id', i.agencyId);
  out.cdataElement('agency-username', i.agencyUsername);
  out.cdataElement('listing-external-id', i.listingExternalId);
  out.cdataElement('listing-uuid', i.listingUuid);
  out.cdataElement('agency-uuid', i.agencyUuid);
  out.cdataElement('agency-external-id', i.agencyExternalId);
  out.end('identifiers');
  out.textElement('resource-type', p.resourceType);
  out.textElement('certified', p.certified);
  if (p.virtualTour !== undefined) {
    out.start('virtual-tours');
    out.cdataElement('url-virtual-tour', p.virtualTour);
    out.end('virtual-tours');
  } else if (p.pictures) {
    out.start('pictures');
    pictureList(out, p.pictures, 'picture');
    out.end('pictures');
  } else if (p.documents) {
    out.start('documents');
    p.documents.forEach((d, n) => {
      out.start('document');
      out.attr('position', d.position ?? n + 1);
      out.attr('mimetype', d.mimeType);
      out.attr('url', d.url);
      out.attr('type', d.type);
      if (d.title !== undefined) out.cdata(d.title);
      out.end('document');
    });
    out.end('documents');
  } else if (p.blueprints) {
    out.start('blueprints');
    pictureList(out, p.blueprints, 'blueprint');
    out.end('blueprints');
  }
  out.end('partial');
}

/** Validates a media-only update; throws an `InputValidationError` naming the listing and every faulty field. */
export function validatePartialUpdate(input: PartialUpdateInput, operation = 'properties.partial'): PartialUpdate {
  const ids = (input as { identifiers?: { listingExternalId?: unknown; listingId?: unknown } } | null)?.identifiers;
  const itemId =
    typeof ids?.listingExternalId === 'string'
      ? ids.listingExternalId
      : typeof ids?.listingId === 'number'
        ? String(ids.listingId)
        : undefined;
  return parseInput(PartialUpdateSchema, input, { portal: PORTAL, operation, itemId });
}

/** The XML document of an already validated media-only update. */
export function partialDocument(update: PartialUpdate): string {
  const out = new XmlWriter();
  out.raw(XML_DECLARATION);
  writePartial(out, update);
  return out.toString();
}

/**
 * Validates a media-only update and writes it as a `<partial>` document valid against the
 * portal's XSD.
 *
 * @example
 * ```ts
 * const xml = buildPartialXml({ identifiers: { listingId: 164578906 }, virtualTour: 'https://tour.example.com/1' });
 * ```
 */
export function buildPartialXml(update: PartialUpdateInput): string {
  return partialDocument(validatePartialUpdate(update, 'buildPartialXml'));
}
