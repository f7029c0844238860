import { parseInput } from '@sync/core';
import { type Picture, type Property, type PropertyInput, PropertySchema } from '../schemas/property.js';
import { attr, cdata, cdataElement, element, textElement } from './writer.js';

/** `xs:decimal` with at most 8 fraction digits and no exponent, as latitude and longitude need. */
function coordinate(n: number): string {
  const fixed = n.toFixed(8).replace(/\.?0+$/, '');
  return fixed === '-0' ? '0' : fixed;
}

const yesNo = (b: boolean | undefined) => (b === undefined ? undefined : b ? 'yes' : 'no');

function pictures(list: readonly Picture[], name: string): string {
  let out = '';
  list.forEach((p, i) => {
    out += `<${name}${attr('position', p.position ?? i + 1)}${attr('url', p.url)}${attr('etag', p.etag)}${attr('width', p.width)}${attr('height', p.height)}/>`;
  });
  return out;
}

function agentXml(agent: NonNullable<Property['agent']>): string {
  let out =
    cdataElement('name', agent.name) +
    cdataElement('office-name', agent.officeName) +
    textElement('email', agent.email) +
    cdataElement('phone', agent.phone) +
    cdataElement('mobile-phone', agent.mobilePhone);
  if (agent.realtors) {
    let realtors = '';
    for (const r of agent.realtors) {
      realtors += element(
        'realtor',
        cdataElement('firstname', r.firstName) + cdataElement('surname', r.surname) + textElement('role', r.role),
        attr('external-id', r.externalId) + attr('id', r.id),
      );
    }
    out += element('realtors', realtors);
  }
  return element('agent', out);
}

function userXml(user: NonNullable<Property['user']>): string {
  const show = user.show;
  return element(
    'user',
    cdataElement('id', user.id) +
      cdataElement('name', user.name) +
      cdataElement('surname', user.surname) +
      cdataElement('phone', user.phone) +
      cdataElement('mobile', user.mobile) +
      textElement('email', user.email) +
      textElement('show-name', show?.name) +
      textElement('show-phone', show?.phone) +
      textElement('show-mobile', show?.mobile) +
      textElement('show-email', show?.email) +
      textElement('show-avatar', show?.avatar) +
      textElement('birth-date', user.birthDate) +
      textElement('gender', user.gender) +
      textElement('language', user.language) +
      textElement('registration-date', user.registrationDate),
    attr('uuid', user.uuid) + attr('active', user.active) + attr('group', user.group),
  );
}

function locationXml(location: Property['location']): string {
  let out =
    textElement('country-code', location.countryCode) +
    cdataElement('administrative-area', location.administrativeArea);
  const sub = location.subAdministrativeArea;
  if (sub) out += cdataElement('sub-administrative-area', sub.name, attr('code', sub.code));
  out += cdataElement('city', location.city.name, attr('code', location.city.code));
  const loc = location.locality;
  if (loc) {
    let locality = '';
    if (loc.thoroughfare) {
      locality += cdataElement(
        'thoroughfare',
        loc.thoroughfare.value,
        attr('display', yesNo(loc.thoroughfare.display)),
      );
    }
    locality += cdataElement('street-number', loc.streetNumber);
    if (loc.addresses) {
      let addresses = '';
      for (const address of loc.addresses) {
        addresses += element(
          'address',
          cdataElement('thoroughfare', address.thoroughfare) + cdataElement('street-number', address.streetNumber),
          attr('language', address.language),
        );
      }
      locality += element('addresses', addresses);
    }
    locality += textElement('postal-code', loc.postalCode);
    if (loc.latitude !== undefined) locality += textElement('latitude', coordinate(loc.latitude));
    if (loc.longitude !== undefined) locality += textElement('longitude', coordinate(loc.longitude));
    out += element('locality', locality, attr('map', loc.map));
  }
  return element('location', out);
}

function featuresXml(features: Property['features']): string {
  let out = '';
  const rooms = features.roomsDetail;
  if (rooms) {
    out += element(
      'rooms-detail',
      textElement('amount-bedrooms', rooms.bedrooms) +
        textElement('amount-other-rooms', rooms.otherRooms) +
        textElement('kitchen', rooms.kitchen),
    );
  }
  if (features.size) out += textElement('size', features.size.value, attr('unit', features.size.unit));
  if (features.sizes) {
    let sizes = '';
    for (const item of features.sizes.items) {
      sizes += element(
        'size',
        textElement('type', item.type) +
          (item.floor ? textElement('floor', item.floor.value, attr('type', item.floor.type)) : '') +
          textElement('surface', item.surface) +
          textElement('weight', item.weight),
        attr('main', item.main),
      );
    }
    out += element('sizes', sizes, attr('unit', features.sizes.unit));
  }
  if (features.descriptions) {
    let descriptions = '';
    for (const d of features.descriptions) {
      descriptions += element(
        'description',
        cdataElement('title', d.title) + cdataElement('content', d.content),
        attr('language', d.language) + attr('native', d.native ? 'yes' : undefined),
      );
    }
    out += element('descriptions', descriptions);
  }
  const e = features.energyClass;
  let energy = '';
  for (const p of e.performance ?? []) {
    energy += textElement('energy-performance', p.value, attr('unit', p.unit) + attr('type', p.type));
  }
  for (const s of e.seasons ?? []) energy += `<energy-season${attr('season', s.season)}${attr('level', s.level)}/>`;
  out += element(
    'energy-class',
    energy,
    attr('zero', e.zero) + attr('scale', e.scale) + attr('value', e.value) + attr('certified', e.certified),
  );
  const emissions = features.emissionsClass;
  if (emissions) {
    const co2 = emissions.co2;
    out += element(
      'emissions-class',
      co2 ? textElement('co2-emissions', co2.value, attr('unit', co2.unit)) : '',
      attr('value', emissions.value),
    );
  }
  return element('features', out);
}

function extraFeaturesXml(x: NonNullable<Property['extraFeatures']>): string {
  let out = textElement('bathrooms', x.bathrooms);
  if (x.garage) out += textElement('garage', x.garage.count, attr('type', x.garage.type));
  if (x.heating || x.airConditioning) {
    let ambience = '';
    if (x.heating) {
      ambience += element(
        'heating',
        textElement('system', x.heating.system) + textElement('source', x.heating.source),
        attr('type', x.heating.type),
      );
    }
    if (x.airConditioning) {
      ambience += element(
        'air-conditioning',
        textElement('effect', x.airConditioning.effect),
        attr('type', x.airConditioning.type) + attr('present', x.airConditioning.present),
      );
    }
    out += element('ambience', ambience);
  }
  out +=
    textElement('garden', x.garden) +
    textElement('terrace', x.terrace) +
    textElement('balcony', x.balcony) +
    textElement('elevator', x.elevator);
  if (x.floor) out += textElement('floor', x.floor.value ?? '', attr('type', x.floor.type));
  out +=
    textElement('num-floors', x.numFloors) +
    textElement('available-now', x.availableNow) +
    cdataElement('virtual-tour', x.virtualTour) +
    textElement('rent-contract', x.rentContract) +
    textElement('furniture', x.furniture) +
    textElement('build-year', x.buildYear) +
    textElement('accommodation-type', x.accommodationType);
  if (x.rentRoom) {
    out += element(
      'rent-room',
      textElement('furnished', x.rentRoom.furnished) +
        textElement('private-bathroom', x.rentRoom.privateBathroom) +
        textElement('private-entrance', x.rentRoom.privateEntrance),
    );
  }
  return element('extra-features', out);
}

/**
 * The `<property>` element of an already validated property, children in the XSD's order,
 * free text in CDATA and every other value escaped; without an XML declaration.
 */
export function propertyFragment(p: Property): string {
  let out =
    cdataElement('unique-id', p.uniqueId) +
    textElement('published-on', p.publishedOn) +
    textElement('date-updated', p.dateUpdated) +
    (p.agent ? agentXml(p.agent) : p.user ? userXml(p.user) : '') +
    locationXml(p.location);
  if (p.pictures) out += element('pictures', pictures(p.pictures, 'picture'));
  if (p.videos) {
    let videos = '';
    for (const v of p.videos) videos += textElement('video', v.url, attr('type', v.type));
    out += element('videos', videos);
  }
  out += textElement('date-expiration', p.dateExpiration) + cdataElement('reference-code', p.referenceCode);
  if (p.publish) {
    let portals = '';
    for (const portal of p.publish) {
      let visibilities = '';
      for (const v of portal.visibilities ?? []) {
        visibilities += textElement('visibility', v.type, attr('op', v.op) + attr('limit', v.limit));
      }
      portals += element(
        'portal',
        portal.visibilities ? element('visibilities', visibilities) : '',
        attr('status', portal.status) + attr('id', portal.id),
      );
    }
    out += element('publish', portals);
  }
  let transactions = '';
  for (const t of p.transactions) {
    transactions += element(
      'transaction',
      textElement('price', t.price, attr('currency', t.currency) + attr('reserved', t.reserved ?? false)),
      attr('type', t.type) +
        attr('auction', t.auction) +
        attr('for-revenue', t.forRevenue) +
        attr('ownership', t.ownership),
    );
  }
  out += element('transactions', transactions);
  out += element(
    'building',
    textElement('status', p.building.status) + textElement('class', p.building.class),
    attr('IDType', p.building.typeId),
  );
  out += featuresXml(p.features);
  if (p.extraFeatures) out += extraFeaturesXml(p.extraFeatures);
  if (p.documents) {
    let documents = '';
    p.documents.forEach((d, i) => {
      documents += element(
        'document',
        d.title === undefined ? '' : cdata(d.title),
        attr('position', d.position ?? i + 1) +
          attr('mimetype', d.mimeType) +
          attr('url', d.url) +
          attr('type', d.type),
      );
    });
    out += element('documents', documents);
  }
  if (p.blueprints) out += element('blueprints', pictures(p.blueprints, 'blueprint'));
  return element('property', out, attr('operation', p.operation));
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
 */
export function buildPropertyXml(property: PropertyInput): string {
  return propertyDocument(validateProperty(property, 'buildPropertyXml'));
}

/** The XML document of an already validated property. */
export function propertyDocument(property: Property): string {
  return XML_DECLARATION + propertyFragment(property);
}
