// An independent writer of `<property>` on xmlbuilder2's DOM: the tests compare the package's
// string writer with it, so a field the fast writer dropped or mangled shows up as a difference.
import { create } from 'xmlbuilder2';

type XMLBuilder = ReturnType<typeof create>;

import type { Picture, Property } from '../src/index.js';

type Attrs = Record<string, string | number | boolean | undefined>;

function attrs(values: Attrs): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) if (value !== undefined) out[key] = String(value);
  return out;
}

/** Adds `text` as CDATA; a `]]>` inside is split across two sections so the text survives intact. */
function cdata(node: XMLBuilder, text: string): XMLBuilder {
  const parts = text.split(']]>');
  parts.forEach((part, i) => {
    const piece = `${i > 0 ? '>' : ''}${part}${i < parts.length - 1 ? ']]' : ''}`;
    if (piece !== '' || parts.length === 1) node.dat(piece);
  });
  return node;
}

/** An element with CDATA text. */
function freeText(parent: XMLBuilder, name: string, text: string | undefined, attributes: Attrs = {}): void {
  if (text === undefined) return;
  cdata(parent.ele(name, attrs(attributes)), text).up();
}

/** An element with plain (escaped) text. */
function value(parent: XMLBuilder, name: string, text: string | number | boolean | undefined, attributes: Attrs = {}) {
  if (text === undefined) return;
  parent
    .ele(name, attrs(attributes))
    .txt(typeof text === 'number' ? formatNumber(text) : String(text))
    .up();
}

function formatNumber(n: number): string {
  return String(n);
}

/** `xs:decimal` with at most 8 fraction digits and no exponent, as latitude and longitude need. */
function coordinate(n: number): string {
  const fixed = n.toFixed(8).replace(/\.?0+$/, '');
  return fixed === '-0' ? '0' : fixed;
}

const yesNo = (b: boolean | undefined) => (b === undefined ? undefined : b ? 'yes' : 'no');

function pictures(parent: XMLBuilder, list: readonly Picture[], name: string): void {
  list.forEach((p, i) => {
    parent
      .ele(name, attrs({ position: p.position ?? i + 1, url: p.url, etag: p.etag, width: p.width, height: p.height }))
      .up();
  });
}

function writeAgent(parent: XMLBuilder, agent: NonNullable<Property['agent']>): void {
  const a = parent.ele('agent');
  freeText(a, 'name', agent.name);
  freeText(a, 'office-name', agent.officeName);
  value(a, 'email', agent.email);
  freeText(a, 'phone', agent.phone);
  freeText(a, 'mobile-phone', agent.mobilePhone);
  if (agent.realtors) {
    const rs = a.ele('realtors');
    for (const r of agent.realtors) {
      const el = rs.ele('realtor', attrs({ 'external-id': r.externalId, id: r.id }));
      freeText(el, 'firstname', r.firstName);
      freeText(el, 'surname', r.surname);
      value(el, 'role', r.role);
      el.up();
    }
    rs.up();
  }
  a.up();
}

function writeUser(parent: XMLBuilder, user: NonNullable<Property['user']>): void {
  const u = parent.ele('user', attrs({ uuid: user.uuid, active: user.active, group: user.group }));
  freeText(u, 'id', user.id);
  freeText(u, 'name', user.name);
  freeText(u, 'surname', user.surname);
  freeText(u, 'phone', user.phone);
  freeText(u, 'mobile', user.mobile);
  value(u, 'email', user.email);
  value(u, 'show-name', user.show?.name);
  value(u, 'show-phone', user.show?.phone);
  value(u, 'show-mobile', user.show?.mobile);
  value(u, 'show-email', user.show?.email);
  value(u, 'show-avatar', user.show?.avatar);
  value(u, 'birth-date', user.birthDate);
  value(u, 'gender', user.gender);
  value(u, 'language', user.language);
  if (user.location) writeLocation(u, user.location);
  value(u, 'registration-date', user.registrationDate);
  u.up();
}

function writeLocation(parent: XMLBuilder, location: Property['location']): void {
  const l = parent.ele('location');
  value(l, 'country-code', location.countryCode);
  freeText(l, 'administrative-area', location.administrativeArea);
  if (location.subAdministrativeArea) {
    freeText(l, 'sub-administrative-area', location.subAdministrativeArea.name, {
      code: location.subAdministrativeArea.code,
    });
  }
  freeText(l, 'city', location.city.name, { code: location.city.code });
  const loc = location.locality;
  if (loc) {
    const el = l.ele('locality', attrs({ map: loc.map }));
    if (loc.thoroughfare) {
      freeText(el, 'thoroughfare', loc.thoroughfare.value, { display: yesNo(loc.thoroughfare.display) });
    }
    freeText(el, 'street-number', loc.streetNumber);
    if (loc.addresses) {
      const as = el.ele('addresses');
      for (const address of loc.addresses) {
        const ad = as.ele('address', attrs({ language: address.language }));
        freeText(ad, 'thoroughfare', address.thoroughfare);
        freeText(ad, 'street-number', address.streetNumber);
        ad.up();
      }
      as.up();
    }
    value(el, 'postal-code', loc.postalCode);
    if (loc.latitude !== undefined) value(el, 'latitude', coordinate(loc.latitude));
    if (loc.longitude !== undefined) value(el, 'longitude', coordinate(loc.longitude));
    el.up();
  }
  l.up();
}

function writeFeatures(parent: XMLBuilder, features: Property['features']): void {
  const f = parent.ele('features');
  const rooms = features.roomsDetail;
  if (rooms) {
    const r = f.ele('rooms-detail');
    value(r, 'amount-bedrooms', rooms.bedrooms);
    value(r, 'amount-other-rooms', rooms.otherRooms);
    value(r, 'kitchen', rooms.kitchen);
    r.up();
  }
  if (features.size) value(f, 'size', features.size.value, { unit: features.size.unit });
  if (features.sizes) {
    const s = f.ele('sizes', attrs({ unit: features.sizes.unit }));
    for (const item of features.sizes.items) {
      const el = s.ele('size', attrs({ main: item.main }));
      value(el, 'type', item.type);
      if (item.floor) value(el, 'floor', item.floor.value, { type: item.floor.type });
      value(el, 'surface', item.surface);
      value(el, 'weight', item.weight);
      el.up();
    }
    s.up();
  }
  if (features.descriptions) {
    const ds = f.ele('descriptions');
    for (const d of features.descriptions) {
      const el = ds.ele('description', attrs({ language: d.language, native: d.native ? 'yes' : undefined }));
      freeText(el, 'title', d.title);
      freeText(el, 'content', d.content);
      el.up();
    }
    ds.up();
  }
  const e = features.energyClass;
  const ec = f.ele('energy-class', attrs({ zero: e.zero, scale: e.scale, value: e.value, certified: e.certified }));
  for (const p of e.performance ?? []) value(ec, 'energy-performance', p.value, { unit: p.unit, type: p.type });
  for (const s of e.seasons ?? []) ec.ele('energy-season', attrs({ season: s.season, level: s.level })).up();
  ec.up();
  if (features.emissionsClass) {
    const em = f.ele('emissions-class', attrs({ value: features.emissionsClass.value }));
    const co2 = features.emissionsClass.co2;
    if (co2) value(em, 'co2-emissions', co2.value, { unit: co2.unit });
    em.up();
  }
  f.up();
}

function writeExtraFeatures(parent: XMLBuilder, x: NonNullable<Property['extraFeatures']>): void {
  const el = parent.ele('extra-features');
  value(el, 'bathrooms', x.bathrooms);
  if (x.garage) value(el, 'garage', x.garage.count, { type: x.garage.type });
  if (x.heating || x.airConditioning) {
    const amb = el.ele('ambience');
    if (x.heating) {
      const h = amb.ele('heating', attrs({ type: x.heating.type }));
      value(h, 'system', x.heating.system);
      value(h, 'source', x.heating.source);
      h.up();
    }
    if (x.airConditioning) {
      const ac = amb.ele(
        'air-conditioning',
        attrs({ type: x.airConditioning.type, present: x.airConditioning.present }),
      );
      value(ac, 'effect', x.airConditioning.effect);
      ac.up();
    }
    amb.up();
  }
  value(el, 'garden', x.garden);
  value(el, 'terrace', x.terrace);
  value(el, 'balcony', x.balcony);
  value(el, 'elevator', x.elevator);
  if (x.floor) value(el, 'floor', x.floor.value ?? '', { type: x.floor.type });
  value(el, 'num-floors', x.numFloors);
  value(el, 'available-now', x.availableNow);
  freeText(el, 'virtual-tour', x.virtualTour);
  value(el, 'rent-contract', x.rentContract);
  value(el, 'furniture', x.furniture);
  value(el, 'build-year', x.buildYear);
  value(el, 'accommodation-type', x.accommodationType);
  if (x.rentRoom) {
    const rr = el.ele('rent-room');
    value(rr, 'furnished', x.rentRoom.furnished);
    value(rr, 'private-bathroom', x.rentRoom.privateBathroom);
    value(rr, 'private-entrance', x.rentRoom.privateEntrance);
    rr.up();
  }
  el.up();
}

function appendProperty(parent: XMLBuilder, p: Property): void {
  const el = parent.ele('property', attrs({ operation: p.operation }));
  freeText(el, 'unique-id', p.uniqueId);
  value(el, 'published-on', p.publishedOn);
  value(el, 'date-updated', p.dateUpdated);
  if (p.agent) writeAgent(el, p.agent);
  if (p.user) writeUser(el, p.user);
  writeLocation(el, p.location);
  if (p.pictures) {
    const ps = el.ele('pictures');
    pictures(ps, p.pictures, 'picture');
    ps.up();
  }
  if (p.videos) {
    const vs = el.ele('videos');
    for (const v of p.videos) value(vs, 'video', v.url, { type: v.type });
    vs.up();
  }
  value(el, 'date-expiration', p.dateExpiration);
  freeText(el, 'reference-code', p.referenceCode);
  if (p.publish) {
    const pub = el.ele('publish');
    for (const portal of p.publish) {
      const po = pub.ele('portal', attrs({ status: portal.status, id: portal.id }));
      if (portal.visibilities) {
        const vis = po.ele('visibilities');
        for (const v of portal.visibilities) value(vis, 'visibility', v.type, { op: v.op, limit: v.limit });
        vis.up();
      }
      po.up();
    }
    pub.up();
  }
  const ts = el.ele('transactions');
  for (const t of p.transactions) {
    const tr = ts.ele(
      'transaction',
      attrs({ type: t.type, auction: t.auction, 'for-revenue': t.forRevenue, ownership: t.ownership }),
    );
    value(tr, 'price', t.price, { currency: t.currency, reserved: t.reserved ?? false });
    tr.up();
  }
  ts.up();
  const b = el.ele('building', attrs({ IDType: p.building.typeId }));
  value(b, 'status', p.building.status);
  value(b, 'class', p.building.class);
  b.up();
  writeFeatures(el, p.features);
  if (p.extraFeatures) writeExtraFeatures(el, p.extraFeatures);
  if (p.documents) {
    const ds = el.ele('documents');
    p.documents.forEach((d, i) => {
      const doc = ds.ele(
        'document',
        attrs({ position: d.position ?? i + 1, mimetype: d.mimeType, url: d.url, type: d.type }),
      );
      if (d.title !== undefined) cdata(doc, d.title);
      doc.up();
    });
    ds.up();
  }
  if (p.blueprints) {
    const bs = el.ele('blueprints');
    pictures(bs, p.blueprints, 'blueprint');
    bs.up();
  }
  el.up();
}

/** The document of an already validated property, written through the DOM. */
export function referencePropertyDocument(property: Property): string {
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  appendProperty(doc, property);
  return doc.end({ headless: false });
}
