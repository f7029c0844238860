import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  AgentSchema,
  AuctionActorSchema,
  AuctionEventSchema,
  AuctionFeaturesSchema,
  AuctionSchema,
  BuildingSchema,
  ContactInfoSchema,
  CourtSchema,
  DocumentSchema,
  EnergyClassSchema,
  EstateBillSchema,
  EstateSchema,
  EstatesSchema,
  ExtendedSchema,
  ExtraFeaturesSchema,
  FeaturesSchema,
  FeedDocumentSchema,
  LocationSchema,
  LotSchema,
  OpeningTimeSchema,
  PictureSchema,
  ProjectFeaturesSchema,
  ProjectSchema,
  PropertySchema,
  PublishPortalSchema,
  RealtorSchema,
  RegistrarDataSchema,
  TransactionSchema,
  UserSchema,
  VideoSchema,
  WorkspaceSchema,
} from '../src/index.js';
import { camel, contentModel, field, isMarkedDeprecated, modelKeys } from './xsd-model.js';

/** Left out of the model on purpose: the XSD marks these deprecated. */
const DEPRECATED = Symbol('deprecated');

/**
 * Where an XSD name has a model key other than its camelCase form, by content model: a key,
 * several keys (an XSD wrapper the model flattens), a dotted path (a group the model nests),
 * or DEPRECATED.
 */
const NAMES: Readonly<Record<string, Readonly<Record<string, string | readonly string[] | typeof DEPRECATED>>>> = {
  'element:property': {
    ID: 'id',
    'sales-officer-address': DEPRECATED,
    'housing-units': DEPRECATED,
    'commercial-units': DEPRECATED,
  },
  'type:features-property': {
    'building-status': DEPRECATED,
    'start-date': DEPRECATED,
    'end-date': DEPRECATED,
    name: DEPRECATED,
    specification: DEPRECATED,
    'floorplanner-url': DEPRECATED,
  },
  'type:extra-features': { ambience: ['heating', 'airConditioning'], bathrooms: ['bathrooms', 'bathroomsLiteral'] },
  'type:extra-features/bathrooms': { 'literal-value': 'bathroomsLiteral' },
  'type:extended': { 'TV-screen': 'tvScreen' },
  'type:building': { IDType: 'typeId', maps: 'additionalMaps' },
  'type:estates': { estate: 'items' },
  'type:estate': { ID: 'id' },
  'type:auctionActorType': { ID: 'externalId' },
  'element:court': { 'court-info': 'info' },
  'type:court-info': { ID: 'externalId' },
  'type:actors': { actor: 'items' },
  'type:document': { mimetype: 'mimeType' },
  'type:classEnergy': { 'energy-performance': 'performance', 'energy-season': 'seasons' },
  'type:emissionsClass': { 'co2-emissions': 'co2' },
  'type:sales-office': { locality: 'thoroughfare' },
  'type:contact': { firstname: 'firstName' },
  'type:realtor': { firstname: 'firstName' },
  'element:project': { ID: 'id' },
  'type:lots': { lot: 'items' },
  'type:lot': { ID: 'id', forsale: 'forSale' },
  'element:auction': { ID: 'id' },
  'type:externable': { ID: 'externalId' },
  'type:auction-events': { event: 'events' },
  'element:feed': { version: 'metadata.version' },
  'element:setup': { has_auctions: 'hasAuctions', has_projects: 'hasProjects' },
  'element:user': {
    'show-name': 'show.name',
    'show-phone': 'show.phone',
    'show-mobile': 'show.mobile',
    'show-email': 'show.email',
    'show-avatar': 'show.avatar',
  },
  'type:roomsDetail': { 'amount-bedrooms': 'bedrooms', 'amount-other-rooms': 'otherRooms' },
};

/** Each content model of the XSD and the part of the model that holds it. */
const CONTENT_MODELS: ReadonlyArray<readonly [locator: string, schema: z.ZodType]> = [
  ['element:property', PropertySchema],
  ['element:agent', AgentSchema],
  ['element:user', UserSchema],
  ['type:locationStructure', LocationSchema],
  ['type:locality', field(LocationSchema, 'locality')],
  ['type:city', field(LocationSchema, 'city')],
  ['type:neighbourhood', field(LocationSchema, 'locality', 'neighbourhood')],
  ['type:zones', field(LocationSchema, 'locality', 'zones')],
  ['type:picture', PictureSchema],
  ['type:video', VideoSchema],
  ['type:document', DocumentSchema],
  ['type:portal', PublishPortalSchema],
  ['type:transaction', TransactionSchema],
  ['type:building', BuildingSchema],
  ['type:features-property', FeaturesSchema],
  ['type:classEnergy', EnergyClassSchema],
  ['type:emissionsClass', field(FeaturesSchema, 'emissionsClass')],
  ['type:roomsDetail', field(FeaturesSchema, 'roomsDetail')],
  ['type:extra-features', ExtraFeaturesSchema],
  ['type:extra-features/bathrooms', ExtraFeaturesSchema],
  ['type:business', field(ExtraFeaturesSchema, 'business')],
  ['type:ambience', ExtraFeaturesSchema],
  ['type:heating', field(ExtraFeaturesSchema, 'heating')],
  ['type:air-conditioning', field(ExtraFeaturesSchema, 'airConditioning')],
  ['type:extra-features/bills-included', field(ExtraFeaturesSchema, 'billsIncluded')],
  ['type:extra-features/costs', field(ExtraFeaturesSchema, 'costs')],
  ['type:extra-features/flatmate', field(ExtraFeaturesSchema, 'flatmate')],
  ['type:extra-features/flatmate/age', field(ExtraFeaturesSchema, 'flatmate', 'age')],
  ['type:extra-features/rent-room', field(ExtraFeaturesSchema, 'rentRoom')],
  ['type:workspace', WorkspaceSchema],
  ['type:opening-time', OpeningTimeSchema],
  ['type:extended', ExtendedSchema],
  ['type:building-usage', field(ExtendedSchema, 'buildingUsages')],
  ['type:link', field(ExtendedSchema, 'links')],
  ['type:estates', EstatesSchema],
  ['type:estate', EstateSchema],
  ['type:estate-bill', EstateBillSchema],
  ['type:registrar-data', RegistrarDataSchema],
  ['type:auction-features', AuctionFeaturesSchema],
  ['type:auction-event', AuctionEventSchema],
  ['type:auction-reference', field(AuctionFeaturesSchema, 'reference')],
  ['type:actors', field(AuctionFeaturesSchema, 'actors')],
  ['type:auctionActorType', AuctionActorSchema],
  ['element:court', CourtSchema],
  ['type:court-info', field(CourtSchema, 'info')],
  ['type:contact-detail', field(CourtSchema, 'info', 'contactData')],
  ['type:contact-info', ContactInfoSchema],
  ['type:sales-office', field(AgentSchema, 'salesOffice')],
  ['type:contact', field(AgentSchema, 'contact')],
  ['type:contract-type', field(AgentSchema, 'contractData', 'top')],
  ['type:contract-data', field(AgentSchema, 'contractData')],
  ['type:import-source', field(AgentSchema, 'importSources')],
  ['type:extra-service', field(AgentSchema, 'extraServices')],
  ['type:company-name', field(AgentSchema, 'companyNames')],
  ['type:langtxt', field(AgentSchema, 'description')],
  ['type:realtor', RealtorSchema],
  ['element:project', ProjectSchema],
  ['type:features-project', ProjectFeaturesSchema],
  ['type:lots', field(ProjectSchema, 'lots')],
  ['type:lot', LotSchema],
  ['element:auction', AuctionSchema],
  ['type:auction-legal-fee', field(AuctionSchema, 'legalFee')],
  ['type:externable', field(AuctionSchema, 'practice')],
  ['element:feed', FeedDocumentSchema],
  ['type:metadata', field(FeedDocumentSchema, 'metadata')],
  ['type:metadata/multipage', field(FeedDocumentSchema, 'metadata', 'multipage')],
  ['type:publisher', field(FeedDocumentSchema, 'metadata', 'publisher')],
  ['element:setup', field(FeedDocumentSchema, 'metadata', 'publisher', 'setup')],
  ['type:connection', field(RealtorSchema, 'connections')],
];

function hasPath(schema: z.ZodType, keys: Set<string>, path: string): boolean {
  const [head = '', ...rest] = path.split('.');
  if (!keys.has(head)) return false;
  if (rest.length === 0) return true;
  const last = rest.pop() ?? '';
  try {
    return modelKeys(field(schema, head, ...rest)).has(last);
  } catch {
    return false;
  }
}

/** What in the model is missing for each XSD name of a content model. */
function gaps(locator: string, schema: z.ZodType): string[] {
  const model = contentModel(locator);
  const keys = modelKeys(schema);
  const names = NAMES[locator] ?? {};
  const missing: string[] = [];
  for (const [kind, list] of [
    ['', model.elements],
    ['@', model.attributes],
  ] as const) {
    for (const name of list) {
      const mapped = names[name] ?? camel(name);
      if (mapped === DEPRECATED) {
        if (!isMarkedDeprecated(locator, name))
          missing.push(`${kind}${name} is left out as deprecated, but the XSD does not say so`);
        continue;
      }
      for (const key of typeof mapped === 'string' ? [mapped] : mapped) {
        if (!hasPath(schema, keys, key)) missing.push(`${kind}${name} → ${key}`);
      }
    }
  }
  return missing;
}

describe('the model covers the import schema', () => {
  it.each(CONTENT_MODELS)('every child element and attribute of %s has a place in the model', (locator, schema) => {
    expect(gaps(locator, schema)).toEqual([]);
  });

  it('reads a content model through its extension: property gets the children of processable too', () => {
    const property = contentModel('element:property');
    expect(new Set(property.elements).size).toBe(property.elements.length);
    // unique-id and the agent come from the abstract base type, contact-infos from the extension.
    expect(property.elements).toEqual(expect.arrayContaining(['unique-id', 'agent', 'user', 'contact-infos']));
    expect(property.attributes).toEqual(expect.arrayContaining(['operation', 'ID', 'uuid', 'padlock']));
  });

  it('notices an element the model lacks', () => {
    expect(gaps('type:extended', field(ExtendedSchema, 'deposit'))).toContain('swimming-pool → swimmingPool');
  });

  it('reads deprecation per content model: a name deprecated in one is live in another', () => {
    expect(isMarkedDeprecated('type:features-property', 'name')).toBe(true);
    expect(isMarkedDeprecated('element:agent', 'name')).toBe(false);
    expect(isMarkedDeprecated('type:features-project', 'name')).toBe(false);
  });

  it('leaves out only what the XSD marks deprecated', () => {
    for (const [locator, names] of Object.entries(NAMES)) {
      for (const [name, key] of Object.entries(names)) {
        if (key === DEPRECATED) expect(isMarkedDeprecated(locator, name), `${locator}/${name}`).toBe(true);
      }
    }
  });
});
