import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Listing } from '@sync/core';
import { type HandlerServer, serveHandlers } from '@sync/core/msw';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { validateXML, type XMLValidationResult } from 'xmllint-wasm';
import { decodeXmlText, IndomioClient, type PropertyInput } from '../src/index.js';
import { createIndomioHandlers, IndomioMockPortal } from '../src/msw/index.js';

/** The portal's import schema, as the package ships it: resolved through its exports, as users resolve it. */
const xsdPath = createRequire(import.meta.url).resolve('@sync/indomio/import-schema.xsd');
const xsd = readFileSync(xsdPath, 'utf8');

/** Validates documents against the portal's XSD with libxml2, all in one run. */
export async function validateAgainstXsd(docs: readonly string[]): Promise<XMLValidationResult> {
  return validateXML({
    xml: docs.map((contents, i) => ({ fileName: `doc-${i}.xml`, contents })),
    schema: [xsd],
    maxMemoryPages: 16 * 1024,
  });
}

/** The smallest property the portal accepts. */
export function minimalProperty(uniqueId = 'crm-1'): PropertyInput {
  return {
    uniqueId,
    dateUpdated: '2024-05-01T10:00:00',
    agent: { email: 'agency@example.com' },
    location: { city: { name: 'Jesi', code: '042021' } },
    transactions: [{ type: 'S', price: 140000 }],
    building: { typeId: 14 },
    features: { energyClass: {} },
  };
}

/** A property of a private advertiser (`user` instead of `agent`), with every field of the user. */
export function userProperty(uniqueId = 'crm-user'): PropertyInput {
  const { agent: _agency, ...rest } = minimalProperty(uniqueId);
  return {
    ...rest,
    user: {
      email: 'mario.rossi@example.com',
      id: 'u-<1>',
      uuid: '3aa36b26-8771-45c5-9850-26eadeb13129',
      active: true,
      group: 'privati & co',
      name: 'Mario',
      surname: 'Rossi ]]> jr',
      phone: '+39 071 000000',
      mobile: '+39 333 0000000',
      show: { name: true, phone: false, mobile: true, email: false, avatar: false },
      birthDate: new Date('1980-02-29T12:00:00Z'),
      gender: 'M',
      language: 'it-IT',
      location: { countryCode: 'IT', city: { name: 'Ancona', code: '042002' }, locality: { postalCode: '60121' } },
      registrationDate: '2020-01-15',
    },
  };
}

/** A property that uses every part of the model. */
export function fullProperty(uniqueId = 'crm-full'): PropertyInput {
  return {
    operation: 'write',
    uniqueId,
    publishedOn: new Date('2024-01-02T03:04:05Z'),
    dateUpdated: '2024-05-01T10:00:00+02:00',
    dateExpiration: '2025-05-01T10:00:00Z',
    referenceCode: 'REF & <1>',
    agent: {
      email: 'agency@example.com',
      name: 'Agenzia "Test" & Figli',
      officeName: 'Ufficio <Centro>',
      phone: '+39 071 000000',
      mobilePhone: '+39 333 0000000',
      realtors: [{ id: 42, externalId: 'ag-7', firstName: 'Anna', surname: 'Rossi', role: 'agent' }],
    },
    location: {
      countryCode: 'IT',
      administrativeArea: 'Marche',
      subAdministrativeArea: { name: 'Ancona', code: 'AN' },
      city: { name: 'Jesi', code: '042021' },
      locality: {
        map: 'exact',
        postalCode: '60035',
        latitude: 43.5176,
        longitude: 13.2506,
        thoroughfare: { value: 'Via Marconi, 292', display: true },
        streetNumber: '292',
        addresses: [{ language: 'it', thoroughfare: 'Via Marconi', streetNumber: '292/A' }],
      },
    },
    pictures: [
      { url: 'https://img.example.com/1.jpg?a=1&b=2', sizeBytes: 1000, width: 800, height: 600 },
      { url: 'https://img.example.com/2.jpg', position: 5, etag: 'W/"x"' },
    ],
    videos: [{ url: 'https://video.example.com/v.mp4', type: 'remote' }],
    publish: [
      {
        id: 'immobiliare.it',
        status: true,
        visibilities: [
          { type: 'premium', op: 'active' },
          { type: 'showcase', op: 'remove' },
        ],
      },
    ],
    transactions: [
      { type: 'S', price: 140000, currency: 'EUR', reserved: true, ownership: 'intera proprietà' },
      { type: 'R', price: 900 },
    ],
    building: { typeId: 14, status: 'ottimo', class: 'signorile' },
    features: {
      size: { value: 95, unit: 'm2' },
      sizes: {
        unit: 'm2',
        items: [
          { type: 'Abitazione', floor: { value: 2, type: 'Intermedio' }, surface: 90.5, weight: 100, main: true },
          { type: 'Balcone', surface: 8, weight: 30 },
        ],
      },
      roomsDetail: { bedrooms: 2, otherRooms: 1.5, kitchen: 'Abitabile' },
      descriptions: [
        { language: 'it', native: true, title: 'Bel trilocale', content: 'Luminoso ]]> con <b>terrazzo</b> & vista' },
        { language: 'en', title: 'Nice flat', content: 'Bright, with a terrace' },
      ],
      energyClass: {
        value: 'B+',
        zero: false,
        scale: 2,
        certified: true,
        performance: [{ value: 75.3, unit: 'kWh/m2anno', type: 'nren' }],
        seasons: [{ season: 'summer', level: 'high' }],
      },
      emissionsClass: { value: 'B', co2: { value: 12.5, unit: 'CO2/m2anno' } },
    },
    extraFeatures: {
      bathrooms: 2,
      garage: { count: 1, type: 'Box' },
      heating: { type: 'Autonomo', system: 'A pavimento', source: 'Pompa di calore' },
      airConditioning: { type: 'Autonomo', present: true, effect: 'Freddo/Caldo' },
      garden: 'Privato',
      terrace: true,
      balcony: true,
      elevator: false,
      floor: { value: 2, type: 'Intermedio' },
      numFloors: 5,
      availableNow: true,
      virtualTour: 'https://tour.example.com/x?y=1&z=2',
      rentContract: '4+4',
      furniture: 'Parzialmente Arredato',
      buildYear: 1990,
    },
    documents: [
      { url: 'https://docs.example.com/plan.pdf', type: 'planimetria', mimeType: 'application/pdf', sizeBytes: 100 },
      { url: 'https://docs.example.com/ape.pdf', type: 'ape', title: 'APE ]]> 2024' },
    ],
    blueprints: [{ url: 'https://img.example.com/plan1.jpg' }],
  };
}

const treeParser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: false,
  cdataPropName: '#cdata',
});

/** An element as the infoset sees it: CDATA and text merged, entities and references decoded. */
export interface XmlTree {
  name: string;
  attributes: Record<string, string>;
  children: Array<XmlTree | string>;
}

function toTree(nodes: Record<string, unknown>[]): Array<XmlTree | string> {
  const out: Array<XmlTree | string> = [];
  const pushText = (text: string) => {
    const last = out.at(-1);
    if (typeof last === 'string') out[out.length - 1] = last + text;
    else if (text !== '') out.push(text);
  };
  for (const node of nodes) {
    if ('#text' in node) pushText(decodeXmlText(String(node['#text'])));
    else if ('#cdata' in node) {
      for (const part of node['#cdata'] as Record<string, unknown>[]) pushText(String(part['#text'] ?? ''));
    } else {
      const name = Object.keys(node).find((k) => k !== ':@') ?? '';
      if (name === '?xml') continue;
      const attributes: Record<string, string> = {};
      for (const [k, v] of Object.entries((node[':@'] as Record<string, unknown> | undefined) ?? {})) {
        attributes[k] = decodeXmlText(String(v));
      }
      out.push({ name, attributes, children: toTree(node[name] as Record<string, unknown>[]) });
    }
  }
  return out;
}

/** The elements of a document as a comparable tree, whatever the serialisation details. */
export function xmlTree(xml: string): Array<XmlTree | string> {
  return toTree(treeParser.parse(xml) as Record<string, unknown>[]);
}

/**
 * The mock portal over HTTP for one test file: served before its tests, reset after each, closed after
 * them all; `client()` is a client of its test account, retrying quickly.
 */
export function servedMock() {
  const portal = new IndomioMockPortal();
  let server: HandlerServer | undefined;
  beforeAll(async () => {
    server = await serveHandlers((url) => createIndomioHandlers({ portal, baseUrl: url }));
  });
  afterAll(() => server?.close());
  afterEach(() => portal.reset());
  const client = () => {
    if (!server) throw new Error('the mock is served once the tests start');
    return new IndomioClient({
      username: 'user',
      password: 'secret',
      source: 'crm',
      baseUrl: server.url,
      allowInsecureHttp: true,
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
    });
  };
  return { portal, client };
}

/** A canonical CRM listing of an apartment for sale in Jesi, with coordinates; `overrides` replace its fields. */
export function crmListing(id: string, overrides: Partial<Listing> = {}): Listing {
  return {
    id,
    offer: 'sale',
    price: 140_000,
    currency: 'EUR',
    category: 'residential',
    type: 'apartment',
    area: 70,
    address: { country: 'IT', city: 'Jesi', latitude: 43.52, longitude: 13.24 },
    title: { it: 'Trilocale luminoso' },
    description: { it: 'Trilocale luminoso in centro, vicino a parchi e scuole.' },
    photos: [],
    status: 'active',
    updatedAt: '2024-05-01T10:00:00Z',
    ...overrides,
  };
}
