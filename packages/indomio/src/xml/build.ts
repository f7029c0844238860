import { parseInput } from '@sync/core';
import { type Picture, type Property, type PropertyInput, PropertySchema } from '../schemas/property.js';
import { writeRealtors } from './realtor.js';
import { type XmlValue, XmlWriter } from './writer.js';

/** `xs:decimal` with at most 8 fraction digits and no exponent, as latitude and longitude need. */
function coordinate(n: number): string {
  const fixed = n.toFixed(8).replace(/\.?0+$/, '');
  return fixed === '-0' ? '0' : fixed;
}

const yesNo = (b: boolean | undefined) => (b === undefined ? undefined : b ? 'yes' : 'no');

function pictures(out: XmlWriter, list: readonly Picture[], name: string): void {
  for (let i = 0; i < list.length; i++) {
    const p = list[i] as Picture;
    out.start(name);
    out.attr('position', p.position ?? i + 1);
    out.attr('url', p.url);
    out.attr('etag', p.etag);
    out.attr('width', p.width);
    out.attr('height', p.height);
    out.end(name);
  }
}

function agentXml(out: XmlWriter, agent: NonNullable<Property['agent']>): void {
  out.start('agent');
  out.cdataElement('name', agent.name);
  out.cdataElement('office-name', agent.officeName);
  out.textElement('email', agent.email);
  out.cdataElement('phone', agent.phone);
  out.cdataElement('mobile-phone', agent.mobilePhone);
  if (agent.realtors) writeRealtors(out, agent.realtors);
  out.end('agent');
}

function userXml(out: XmlWriter, user: NonNullable<Property['user']>): void {
  const show = user.show;
  out.start('user');
  out.attr('uuid', user.uuid);
  out.attr('active', user.active);
  out.attr('group', user.group);
  out.cdataElement('id', user.id);
  out.cdataElement('name', user.name);
  out.cdataElement('surname', user.surname);
  out.cdataElement('phone', user.phone);
  out.cdataElement('mobile', user.mobile);
  out.textElement('email', user.email);
  out.textElement('show-name', show?.name);
  out.textElement('show-phone', show?.phone);
  out.textElement('show-mobile', show?.mobile);
  out.textElement('show-email', show?.email);
  out.textElement('show-avatar', show?.avatar);
  out.textElement('birth-date', user.birthDate);
  out.textElement('gender', user.gender);
  out.textElement('language', user.language);
  if (user.location) locationXml(out, user.location);
  out.textElement('registration-date', user.registrationDate);
  out.end('user');
}

/** An element with CDATA text and one attribute, or nothing for `undefined` text. */
function cdataWith(out: XmlWriter, name: string, text: string | undefined, attribute: string, value?: XmlValue): void {
  if (text === undefined) return;
  out.start(name);
  out.attr(attribute, value);
  out.cdata(text);
  out.end(name);
}

/** An element with escaped text and one attribute, or nothing for `undefined` text. */
function textWith(out: XmlWriter, name: string, text: XmlValue | undefined, attribute: string, value?: XmlValue): void {
  if (text === undefined) return;
  out.start(name);
  out.attr(attribute, value);
  out.text(text);
  out.end(name);
}

function locationXml(out: XmlWriter, location: Property['location']): void {
  out.start('location');
  out.textElement('country-code', location.countryCode);
  out.cdataElement('administrative-area', location.administrativeArea);
  const sub = location.subAdministrativeArea;
  if (sub) cdataWith(out, 'sub-administrative-area', sub.name, 'code', sub.code);
  cdataWith(out, 'city', location.city.name, 'code', location.city.code);
  const loc = location.locality;
  if (loc) {
    out.start('locality');
    out.attr('map', loc.map);
    if (loc.thoroughfare) {
      cdataWith(out, 'thoroughfare', loc.thoroughfare.value, 'display', yesNo(loc.thoroughfare.display));
    }
    out.cdataElement('street-number', loc.streetNumber);
    if (loc.addresses) {
      out.start('addresses');
      for (const address of loc.addresses) {
        out.start('address');
        out.attr('language', address.language);
        out.cdataElement('thoroughfare', address.thoroughfare);
        out.cdataElement('street-number', address.streetNumber);
        out.end('address');
      }
      out.end('addresses');
    }
    out.textElement('postal-code', loc.postalCode);
    if (loc.latitude !== undefined) out.textElement('latitude', coordinate(loc.latitude));
    if (loc.longitude !== undefined) out.textElement('longitude', coordinate(loc.longitude));
    out.end('locality');
  }
  out.end('location');
}

function featuresXml(out: XmlWriter, features: Property['features']): void {
  out.start('features');
  const rooms = features.roomsDetail;
  if (rooms) {
    out.start('rooms-detail');
    out.textElement('amount-bedrooms', rooms.bedrooms);
    out.textElement('amount-other-rooms', rooms.otherRooms);
    out.textElement('kitchen', rooms.kitchen);
    out.end('rooms-detail');
  }
  if (features.size) textWith(out, 'size', features.size.value, 'unit', features.size.unit);
  if (features.sizes) {
    out.start('sizes');
    out.attr('unit', features.sizes.unit);
    for (const item of features.sizes.items) {
      out.start('size');
      out.attr('main', item.main);
      out.textElement('type', item.type);
      if (item.floor) textWith(out, 'floor', item.floor.value, 'type', item.floor.type);
      out.textElement('surface', item.surface);
      out.textElement('weight', item.weight);
      out.end('size');
    }
    out.end('sizes');
  }
  if (features.descriptions) {
    out.start('descriptions');
    for (const d of features.descriptions) {
      out.start('description');
      out.attr('language', d.language);
      out.attr('native', d.native ? 'yes' : undefined);
      out.cdataElement('title', d.title);
      out.cdataElement('content', d.content);
      out.end('description');
    }
    out.end('descriptions');
  }
  const e = features.energyClass;
  out.start('energy-class');
  out.attr('zero', e.zero);
  out.attr('scale', e.scale);
  out.attr('value', e.value);
  out.attr('certified', e.certified);
  for (const p of e.performance ?? []) {
    out.start('energy-performance');
    out.attr('unit', p.unit);
    out.attr('type', p.type);
    out.text(p.value);
    out.end('energy-performance');
  }
  for (const s of e.seasons ?? []) {
    out.start('energy-season');
    out.attr('season', s.season);
    out.attr('level', s.level);
    out.end('energy-season');
  }
  out.end('energy-class');
  const emissions = features.emissionsClass;
  if (emissions) {
    out.start('emissions-class');
    out.attr('value', emissions.value);
    const co2 = emissions.co2;
    if (co2) textWith(out, 'co2-emissions', co2.value, 'unit', co2.unit);
    out.end('emissions-class');
  }
  out.end('features');
}

function extraFeaturesXml(out: XmlWriter, x: NonNullable<Property['extraFeatures']>): void {
  out.start('extra-features');
  out.textElement('bathrooms', x.bathrooms);
  if (x.garage) textWith(out, 'garage', x.garage.count, 'type', x.garage.type);
  if (x.heating || x.airConditioning) {
    out.start('ambience');
    if (x.heating) {
      out.start('heating');
      out.attr('type', x.heating.type);
      out.textElement('system', x.heating.system);
      out.textElement('source', x.heating.source);
      out.end('heating');
    }
    if (x.airConditioning) {
      out.start('air-conditioning');
      out.attr('type', x.airConditioning.type);
      out.attr('present', x.airConditioning.present);
      out.textElement('effect', x.airConditioning.effect);
      out.end('air-conditioning');
    }
    out.end('ambience');
  }
  out.textElement('garden', x.garden);
  out.textElement('terrace', x.terrace);
  out.textElement('balcony', x.balcony);
  out.textElement('elevator', x.elevator);
  if (x.floor) textWith(out, 'floor', x.floor.value ?? '', 'type', x.floor.type);
  out.textElement('num-floors', x.numFloors);
  out.textElement('available-now', x.availableNow);
  out.cdataElement('virtual-tour', x.virtualTour);
  out.textElement('rent-contract', x.rentContract);
  out.textElement('furniture', x.furniture);
  out.textElement('build-year', x.buildYear);
  out.textElement('accommodation-type', x.accommodationType);
  if (x.rentRoom) {
    out.start('rent-room');
    out.textElement('furnished', x.rentRoom.furnished);
    out.textElement('private-bathroom', x.rentRoom.privateBathroom);
    out.textElement('private-entrance', x.rentRoom.privateEntrance);
    out.end('rent-room');
  }
  out.end('extra-features');
}

/**
 * Writes the `<property>` element of an already validated property into `out`, children in
 * the XSD's order, free text in CDATA and every other value escaped; without an XML declaration.
 */
export function writeProperty(out: XmlWriter, p: Property): void {
  out.start('property');
  out.attr('operation', p.operation);
  out.cdataElement('unique-id', p.uniqueId);
  out.textElement('published-on', p.publishedOn);
  out.textElement('date-updated', p.dateUpdated);
  if (p.agent) agentXml(out, p.agent);
  else if (p.user) userXml(out, p.user);
  locationXml(out, p.location);
  if (p.pictures) {
    out.start('pictures');
    pictures(out, p.pictures, 'picture');
    out.end('pictures');
  }
  if (p.videos) {
    out.start('videos');
    for (const v of p.videos) textWith(out, 'video', v.url, 'type', v.type);
    out.end('videos');
  }
  out.textElement('date-expiration', p.dateExpiration);
  out.cdataElement('reference-code', p.referenceCode);
  if (p.publish) {
    out.start('publish');
    for (const portal of p.publish) {
      out.start('portal');
      out.attr('status', portal.status);
      out.attr('id', portal.id);
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
  out.start('transactions');
  for (const t of p.transactions) {
    out.start('transaction');
    out.attr('type', t.type);
    out.attr('auction', t.auction);
    out.attr('for-revenue', t.forRevenue);
    out.attr('ownership', t.ownership);
    out.start('price');
    out.attr('currency', t.currency);
    out.attr('reserved', t.reserved ?? false);
    out.text(t.price);
    out.end('price');
    out.end('transaction');
  }
  out.end('transactions');
  out.start('building');
  out.attr('IDType', p.building.typeId);
  out.textElement('status', p.building.status);
  out.textElement('class', p.building.class);
  out.end('building');
  featuresXml(out, p.features);
  if (p.extraFeatures) extraFeaturesXml(out, p.extraFeatures);
  if (p.documents) {
    out.start('documents');
    p.documents.forEach((d, i) => {
      out.start('document');
      out.attr('position', d.position ?? i + 1);
      out.attr('mimetype', d.mimeType);
      out.attr('url', d.url);
      out.attr('type', d.type);
      if (d.title !== undefined) out.cdata(d.title);
      out.end('document');
    });
    out.end('documents');
  }
  if (p.blueprints) {
    out.start('blueprints');
    pictures(out, p.blueprints, 'blueprint');
    out.end('blueprints');
  }
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
