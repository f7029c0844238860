import type { AuctionFeatures, Court } from '../schemas/auction.js';
import { descriptionXml } from './features.js';
import { locationXml } from './location.js';
import { amountXml, pictures } from './parts.js';
import type { XmlWriter } from './writer.js';

/** Writes `court`, the court of a judicial sale. */
export function courtXml(out: XmlWriter, c: Court): void {
  out.start('court');
  out.attr('name', c.name);
  out.attr('type', c.type);
  const info = c.info;
  if (info) {
    out.start('court-info');
    out.attr('ID', info.externalId);
    out.attr('source', info.source);
    out.cdataElement('address', info.address);
    out.cdataElement('zip-code', info.zipCode);
    if (info.picture) pictures(out, [info.picture], 'picture');
    if (info.location) locationXml(out, info.location);
    if (info.description) descriptionXml(out, info.description, 'description');
    out.cdataElement('extra-info', info.extraInfo);
    if (info.contactData) {
      out.start('contact-data');
      for (const d of info.contactData) {
        out.start('contact-detail');
        out.attr('type', d.type);
        out.attr('value', d.value);
        out.attr('main', d.main);
        out.end('contact-detail');
      }
      out.end('contact-data');
    }
    out.end('court-info');
  }
  out.end('court');
}

/** Writes `actors`, the people of an auction. */
export function actorsXml(out: XmlWriter, actors: NonNullable<AuctionFeatures['actors']>): void {
  out.start('actors');
  out.attr('ws-leads', actors.wsLeads);
  for (const a of actors.items) {
    out.start('actor');
    out.attr('ID', a.externalId);
    out.attr('type', a.type);
    out.cdataElement('name', a.name);
    out.cdataElement('lastname', a.lastname);
    out.cdataElement('tax-code', a.taxCode);
    out.cdataElement('phone', a.phone);
    out.cdataElement('mobile', a.mobile);
    out.textElement('email', a.email);
    out.cdataElement('fax', a.fax);
    out.textElement('selling-operations', a.sellingOperations);
    out.textElement('estate-journey', a.estateJourney);
    out.end('actor');
  }
  out.end('actors');
}

/** Writes `auction-features`: sessions, prices, court, file reference, people and notes. */
export function auctionFeaturesXml(out: XmlWriter, a: AuctionFeatures): void {
  out.start('auction-features');
  out.attr('type', a.type);
  out.start('auctions');
  for (const e of a.auctions) {
    out.start('auction');
    out.attr('type', e.type);
    out.attr('status', e.status);
    out.attr('mode', e.mode);
    out.textElement('date', e.date);
    amountXml(out, 'starting-price', e.startingPrice);
    out.end('auction');
  }
  out.end('auctions');
  amountXml(out, 'starting-price', a.startingPrice);
  amountXml(out, 'minimum-bid', a.minimumBid);
  amountXml(out, 'success-price', a.successPrice);
  if (a.court) courtXml(out, a.court);
  const r = a.reference;
  if (r) {
    out.start('reference');
    out.attr('year', r.year);
    out.attr('number', r.number);
    if (r.value !== '') out.cdata(r.value);
    out.end('reference');
  }
  if (a.actors) actorsXml(out, a.actors);
  out.cdataElement('notes', a.notes);
  out.end('auction-features');
}
