import { EXTENDED_LEAVES, type Extended } from '../schemas/extended.js';
import { EXTRA_FEATURES_LEAVES, type ExtraFeatures, type ValueOrRatio } from '../schemas/extra-features.js';
import type { Description, Features } from '../schemas/features.js';
import { amountXml, costXml, decimal, leafEntries, linksXml, pictureList, textWith, writeLeaves } from './parts.js';
import type { XmlWriter } from './writer.js';

/** Writes `descriptions`, or nothing for `undefined`. */
export function descriptionsXml(out: XmlWriter, list: readonly Description[] | undefined): void {
  if (!list) return;
  out.start('descriptions');
  for (const d of list) descriptionXml(out, d, 'description');
  out.end('descriptions');
}

/** Writes one description (the XSD's `description`) as `name`. */
export function descriptionXml(out: XmlWriter, d: Description, name: string): void {
  out.start(name);
  out.attr('language', d.language);
  out.attr('native', d.native ? 'yes' : undefined);
  out.cdataElement('title', d.title);
  out.cdataElement('content', d.content);
  out.end(name);
}

/** Writes `features` (the XSD's `features-property`). */
export function featuresXml(out: XmlWriter, features: Features): void {
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
  descriptionsXml(out, features.descriptions);
  energyXml(out, features);
  out.end('features');
}

/** Writes `energy-class` and `emissions-class`, which a property's and a project's features share. */
export function energyXml(out: XmlWriter, f: Pick<Features, 'energyClass' | 'emissionsClass'>): void {
  const e = f.energyClass;
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
  const emissions = f.emissionsClass;
  if (emissions) {
    out.start('emissions-class');
    out.attr('value', emissions.value);
    const co2 = emissions.co2;
    if (co2) textWith(out, 'co2-emissions', co2.value, 'unit', co2.unit);
    out.end('emissions-class');
  }
}

type Step = (out: XmlWriter, x: ExtraFeatures) => void;

const extraLeaves = new Map(leafEntries(EXTRA_FEATURES_LEAVES).map((e) => [e[1], [e]] as const));
/** The step writing one element of {@link EXTRA_FEATURES_LEAVES}, by XSD name. */
const leaf = (xsdName: string): Step => {
  const entries = extraLeaves.get(xsdName);
  if (!entries) throw new Error(`no extra-features leaf named ${xsdName}`);
  return (out, x) => writeLeaves(out, entries, x);
};

function valueOrRatio(out: XmlWriter, name: string, v: ValueOrRatio | undefined): void {
  if (!v) return;
  out.start(name);
  if ('cost' in v) costXml(out, 'value', v.cost);
  else out.textElement('ratio', decimal(v.ratio));
  out.end(name);
}

/** The elements of `extra-features` in the XSD's order (an `xs:all`, so any order is valid). */
const EXTRA_FEATURES_STEPS: readonly Step[] = [
  (out, x) => {
    const b = x.business;
    if (!b) return;
    out.start('business');
    out.textElement('type', b.type);
    amountXml(out, 'last-year-turnover', b.lastYearTurnover);
    out.textElement('open-for-years', b.openForYears);
    out.end('business');
  },
  leaf('last-business'),
  leaf('commercial-building'),
  leaf('workshop'),
  leaf('equipment'),
  leaf('num-showcases'),
  leaf('showcases-size'),
  (out, x) => {
    if (x.bathrooms !== undefined) textWith(out, 'bathrooms', x.bathrooms, 'literal-value', x.bathroomsLiteral);
  },
  (out, x) => {
    if (x.garage) textWith(out, 'garage', x.garage.count, 'type', x.garage.type);
  },
  (out, x) => {
    if (!x.heating && !x.airConditioning) return;
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
  },
  leaf('garden'),
  leaf('terrace'),
  leaf('balcony'),
  leaf('elevator'),
  leaf('num-elevators'),
  (out, x) => {
    if (x.floor) textWith(out, 'floor', x.floor.value ?? '', 'type', x.floor.type);
  },
  leaf('num-floors'),
  leaf('for-revenue'),
  leaf('available-now'),
  (out, x) => out.cdataElement('virtual-tour', x.virtualTour),
  leaf('rent-contract'),
  (out, x) => costXml(out, 'additional-costs', x.additionalCosts),
  (out, x) => costXml(out, 'additional-heating-costs', x.additionalHeatingCosts),
  leaf('furniture'),
  leaf('security-alarm'),
  leaf('reception'),
  leaf('net'),
  (out, x) => {
    if (x.externalArea) textWith(out, 'external-area', x.externalArea.value, 'unit', x.externalArea.unit);
  },
  (out, x) => out.textElement('build-year', x.buildYear),
  (out, x) => {
    if (x.freeConditions) cdataOrEmpty(out, 'free-conditions', x.freeConditions.value, 'free', x.freeConditions.free);
  },
  leaf('overhead-crane'),
  leaf('overhead-crane-num'),
  leaf('overhead-crane-max-capacity'),
  leaf('beam-height'),
  leaf('room-height'),
  leaf('shed-height'),
  leaf('pillars'),
  leaf('span-num'),
  leaf('loading-dock-num'),
  leaf('slope'),
  leaf('building-area'),
  leaf('building-height'),
  leaf('access-type'),
  (out, x) => {
    if (x.officeSize) textWith(out, 'office-size', x.officeSize.value, 'unit', x.officeSize.unit);
  },
  (out, x) => {
    if (x.floorplannerUrl) textWith(out, 'floorplanner-url', x.floorplannerUrl.url, 'id', x.floorplannerUrl.id);
  },
  leaf('doc-specification'),
  leaf('doc-description'),
  leaf('available-date'),
  leaf('minimum-stay'),
  (out, x) => {
    const b = x.billsIncluded;
    if (!b) return;
    out.start('bills-included');
    out.textElement('powerline', b.powerline);
    out.textElement('gas', b.gas);
    out.textElement('phone', b.phone);
    out.textElement('internet', b.internet);
    out.textElement('water', b.water);
    out.textElement('waste-tax', b.wasteTax);
    out.end('bills-included');
  },
  (out, x) => {
    const c = x.costs;
    if (!c) return;
    out.start('costs');
    amountXml(out, 'services', c.services);
    amountXml(out, 'other', c.other);
    amountXml(out, 'deposit', c.deposit);
    out.end('costs');
  },
  (out, x) => {
    const f = x.flatmate;
    if (!f) return;
    out.start('flatmate');
    out.textElement('gender', f.gender);
    out.textElement('couples', f.couples);
    out.textElement('smoker', f.smoker);
    out.textElement('pets', f.pets);
    if (f.age) {
      out.start('age');
      out.attr('from', f.age.from);
      out.attr('to', f.age.to);
      out.end('age');
    }
    out.end('flatmate');
  },
  (out, x) => out.textElement('accommodation-type', x.accommodationType),
  leaf('sleeping-accommodation'),
  (out, x) => {
    const r = x.rentRoom;
    if (!r) return;
    out.start('rent-room');
    out.textElement('furnished', r.furnished);
    out.textElement('bedlinen', r.bedlinen);
    out.textElement('private-bathroom', r.privateBathroom);
    out.textElement('parquet', r.parquet);
    out.textElement('telephone-socket', r.telephoneSocket);
    out.textElement('tv', r.tv);
    out.textElement('private-entrance', r.privateEntrance);
    out.textElement('wardrobe', r.wardrobe);
    out.textElement('moquette', r.moquette);
    out.end('rent-room');
  },
  (out, x) => {
    if (!x.workspaces) return;
    out.start('workspaces');
    for (const w of x.workspaces) {
      out.start('workspace');
      out.attr('reference', w.reference);
      out.attr('type', w.type);
      out.attr('amount', w.amount);
      pictureList(out, w.pictures, 'pictures', 'picture');
      descriptionsXml(out, w.descriptions);
      out.textElement('capacity-from', w.capacityFrom);
      out.textElement('capacity-to', w.capacityTo);
      amountXml(out, 'rent-from', w.rentFrom);
      amountXml(out, 'rent-to', w.rentTo);
      out.end('workspace');
    }
    out.end('workspaces');
  },
  (out, x) => openingTimesXml(out, x.openingTimes),
  leaf('price-reference-index'),
  (out, x) => valueOrRatio(out, 'vat-applied', x.vatApplied),
  (out, x) => valueOrRatio(out, 'agency-commission', x.agencyCommission),
  (out, x) => valueOrRatio(out, 'notary-commission', x.notaryCommission),
  (out, x) => valueOrRatio(out, 'bank-guarantee', x.bankGuarantee),
  leaf('commission-paid-by'),
  leaf('thermal-insulation'),
  (out, x) => {
    const n = x.netEnergyNeed;
    if (n) textWith(out, 'net-energy-need', decimal(n.value), 'unit', n.unit);
  },
];

/** An element with CDATA text (possibly empty) and one attribute. */
function cdataOrEmpty(out: XmlWriter, name: string, text: string, attribute: string, value?: boolean): void {
  out.start(name);
  out.attr(attribute, value);
  if (text !== '') out.cdata(text);
  out.end(name);
}

/** Writes `opening-times`, or nothing for `undefined`. */
export function openingTimesXml(out: XmlWriter, list: ExtraFeatures['openingTimes']): void {
  if (!list) return;
  out.start('opening-times');
  for (const t of list) {
    out.start('opening-time');
    out.attr('week-day', t.weekDay);
    out.attr('closed', t.closed);
    out.textElement('opening', t.opening);
    out.textElement('closing', t.closing);
    out.end('opening-time');
  }
  out.end('opening-times');
}

/** Writes `extra-features`: every element of the model that is set. */
export function extraFeaturesXml(out: XmlWriter, x: ExtraFeatures): void {
  out.start('extra-features');
  for (const step of EXTRA_FEATURES_STEPS) step(out, x);
  out.end('extra-features');
}

const EXTENDED_ENTRIES = leafEntries(EXTENDED_LEAVES);

/** Writes `extended`: the amenities that are set, then orientations, deposit, usages, links and views. */
export function extendedXml(out: XmlWriter, x: Extended): void {
  out.start('extended');
  writeLeaves(out, EXTENDED_ENTRIES, x);
  if (x.orientations) {
    out.start('orientations');
    for (const o of x.orientations) out.textElement('orientation', o);
    out.end('orientations');
  }
  amountXml(out, 'deposit', x.deposit);
  if (x.buildingUsages) {
    out.start('building-usages');
    for (const u of x.buildingUsages) cdataOrEmptyText(out, 'building-usage', u.value, 'usage', u.usage);
    out.end('building-usages');
  }
  linksXml(out, x.links);
  if (x.views) {
    out.start('views');
    for (const v of x.views) out.textElement('view', v);
    out.end('views');
  }
  out.end('extended');
}

function cdataOrEmptyText(out: XmlWriter, name: string, text: string, attribute: string, value: string): void {
  out.start(name);
  out.attr(attribute, value);
  if (text !== '') out.cdata(text);
  out.end(name);
}
