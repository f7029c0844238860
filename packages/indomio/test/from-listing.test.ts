import { InputValidationError, type Listing, ListingSchema, PROPERTY_CATEGORIES, PROPERTY_TYPES } from '@sync/core';
import { type HandlerServer, serveHandlers } from '@sync/core/msw';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildPropertyXml,
  fromListing,
  INDOMIO_DOCUMENTED_TYPOLOGIES,
  IndomioClient,
  type IndomioFromListingOptions,
  PropertySchema,
} from '../src/index.js';
import { createIndomioHandlers, IndomioMockPortal } from '../src/msw/index.js';
import { validateAgainstXsd } from './helpers.js';

function crmListing(overrides: Partial<Listing> = {}): Listing {
  return {
    id: 'CRM-1',
    offer: 'sale',
    price: 140_000,
    currency: 'EUR',
    category: 'residential',
    type: 'apartment',
    rooms: 3,
    bedrooms: 2,
    bathrooms: 1,
    area: 95.4,
    floor: 2,
    address: {
      country: 'IT',
      region: 'Marche',
      city: 'Jesi',
      street: 'Via Marconi',
      streetNumber: '292',
      postalCode: '60035',
      latitude: 43.5176,
      longitude: 13.2506,
    },
    title: { it: 'Trilocale luminoso', en: 'Bright flat' },
    description: { it: 'Luminoso trilocale con terrazzo.', en: 'Bright flat with a terrace.', ro: 'Apartament.' },
    photos: [1, 2].map((k) => ({ url: `https://img.example.com/crm-1/${k}.jpg` })),
    agent: { id: 'agent-7', name: 'Anna Rossi' },
    status: 'active',
    updatedAt: '2026-11-01T10:00:00.250+02:00',
    ...overrides,
  };
}

const options: IndomioFromListingOptions = {
  agency: { email: 'agency@example.com', officeName: 'Agenzia Test' },
  typologies: { ...INDOMIO_DOCUMENTED_TYPOLOGIES, villa: 23, 'commercial.office': 258 },
  istatCodes: { Jesi: '042021' },
};

function refusal(listing: unknown, opts: IndomioFromListingOptions = options): InputValidationError {
  try {
    fromListing(listing as Listing, opts);
  } catch (error) {
    expect(error).toBeInstanceOf(InputValidationError);
    return error as InputValidationError;
  }
  throw new Error('expected the listing to be refused');
}

const pathsOf = (error: InputValidationError) => error.issues.map((i) => i.path);

describe('fromListing (Indomio)', () => {
  it('maps a complete CRM listing to a property whose XML the portal XSD accepts', async () => {
    const property = fromListing(crmListing(), options);
    expect(PropertySchema.safeParse(property).success).toBe(true);
    expect(property).toMatchObject({
      operation: 'write',
      uniqueId: 'CRM-1',
      dateUpdated: '2026-11-01T08:00:00Z',
      agent: { email: 'agency@example.com', officeName: 'Agenzia Test', realtors: [{ externalId: 'agent-7' }] },
      location: {
        countryCode: 'IT',
        administrativeArea: 'Marche',
        city: { name: 'Jesi', code: '042021' },
        locality: {
          postalCode: '60035',
          latitude: 43.5176,
          longitude: 13.2506,
          thoroughfare: { value: 'Via Marconi' },
          streetNumber: '292',
        },
      },
      pictures: [
        { url: 'https://img.example.com/crm-1/1.jpg', position: 1 },
        { url: 'https://img.example.com/crm-1/2.jpg', position: 2 },
      ],
      transactions: [{ type: 'S', price: 140_000, currency: 'EUR' }],
      building: { typeId: 14 },
      features: {
        size: { value: 95, unit: 'm2' },
        roomsDetail: { bedrooms: 2, otherRooms: 1 },
        energyClass: {},
      },
      extraFeatures: { bathrooms: 1, floor: { value: 2 } },
    });
    expect(property.features.descriptions).toEqual([
      { language: 'it', title: 'Trilocale luminoso', content: 'Luminoso trilocale con terrazzo.' },
      { language: 'en', title: 'Bright flat', content: 'Bright flat with a terrace.' },
    ]);
    const result = await validateAgainstXsd([buildPropertyXml(property)]);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('finds the typology by category and type first, then by type', () => {
    const rent = { offer: 'rent', rentPeriod: 'month', price: 900 } as const;
    expect(fromListing(crmListing({ type: 'villa', ...rent }), options).building.typeId).toBe(23);
    expect(fromListing(crmListing({ category: 'commercial', type: 'office' }), options).building.typeId).toBe(258);
    expect(fromListing(crmListing({ category: 'commercial', type: 'garage' }), options).building.typeId).toBe(253);
    const rental = fromListing(crmListing(rent), options);
    expect(rental.transactions).toEqual([{ type: 'R', price: 900, currency: 'EUR' }]);
  });

  it('places a listing without coordinates by its ISTAT code, from a table or a resolver', () => {
    const noCoordinates = crmListing({ address: { country: 'IT', city: 'Jesi' } });
    expect(fromListing(noCoordinates, options).location.city).toEqual({ name: 'Jesi', code: '042021' });
    const resolved = fromListing(crmListing({ address: { country: 'IT', city: 'Ancona' } }), {
      ...options,
      istatCodes: (address) => (address.city === 'Ancona' ? '042002' : undefined),
    });
    expect(resolved.location.city.code).toBe('042002');
    const byCoordinates = fromListing(
      crmListing({ address: { country: 'IT', city: 'Roma', latitude: 41.9, longitude: 12.5 } }),
      options,
    );
    expect(byCoordinates.location).toMatchObject({
      city: { name: 'Roma' },
      locality: { latitude: 41.9, longitude: 12.5 },
    });
    expect(byCoordinates.location.city.code).toBeUndefined();
  });

  it('sends the energy class, realtor id and map precision it is given', () => {
    const property = fromListing(crmListing(), {
      ...options,
      energyClass: (listing) => (listing.id === 'CRM-1' ? { value: 'B', certified: true } : undefined),
      realtorIds: { 'agent-7': 42 },
      map: 'near',
    });
    expect(property.features.energyClass).toEqual({ value: 'B', certified: true });
    expect(property.agent.realtors).toEqual([{ externalId: 'agent-7', id: 42 }]);
    expect(property.location.locality?.map).toBe('near');
    expect(fromListing(crmListing(), { ...options, agent: 'omit' }).agent).not.toHaveProperty('realtors');
  });

  it.each([
    ['a price in another currency', { currency: 'USD' }, ['currency']],
    ['a weekly rent', { offer: 'rent', rentPeriod: 'week' }, ['rentPeriod']],
    ['a price with cents', { price: 140_000.5 }, ['price']],
    ['a kind missing from the typology table', { type: 'duplex' }, ['type']],
    ['a room for sale', { type: 'room' }, ['type', 'offer']],
    [
      'a place with neither coordinates nor an ISTAT code',
      { address: { country: 'IT', city: 'Ancona' } },
      ['address.city'],
    ],
    [
      'a latitude without longitude',
      { address: { country: 'IT', city: 'Jesi', latitude: 43.5 } },
      ['address.longitude'],
    ],
    [
      'a postal code longer than 5 characters',
      { address: { country: 'IT', city: 'Jesi', postalCode: '600351' } },
      ['address.postalCode'],
    ],
    [
      'no text in a language Indomio knows',
      { title: { ro: 'Apartament' }, description: { ro: 'Apartament.' } },
      ['description'],
    ],
    [
      'a title without its description',
      { title: { en: 'Bright flat' }, description: { ro: 'Apartament.' } },
      ['description.en'],
    ],
    ['a title over 255 characters', { title: { it: 'x'.repeat(256) } }, ['title.it']],
    ['rooms without bedrooms', { bedrooms: undefined }, ['bedrooms']],
    ['an inactive listing', { status: 'inactive' }, ['status']],
    ['a draft', { status: 'draft' }, ['status']],
    ['text XML cannot carry', { description: { it: 'bad \u0001 char', en: 'Bright flat.' } }, ['description.it']],
  ] as Array<[string, Partial<Listing>, string[]]>)(
    'refuses %s, naming the listing and the field',
    (_, change, paths) => {
      const error = refusal(crmListing(change));
      expect(pathsOf(error)).toEqual(paths);
      expect(error.itemId).toBe('CRM-1');
      expect(error.portal).toBe('indomio');
      expect(error.message).toContain('[CRM-1]');
    },
  );

  it("sends the building's total floors as numFloors", () => {
    expect(fromListing(crmListing({ floor: 2, floorsTotal: 6 }), options).extraFeatures?.numFloors).toBe(6);
    expect(fromListing(crmListing(), options).extraFeatures).not.toHaveProperty('numFloors');
  });

  it('rounds a price with cents when asked to', () => {
    const property = fromListing(crmListing({ price: 140_000.5 }), { ...options, roundPrice: true });
    expect(property.transactions[0]?.price).toBe(140_001);
  });

  it('refuses a listing that is not a valid CRM listing before mapping it', () => {
    const error = refusal({ ...crmListing(), area: 0, updatedAt: 'yesterday' });
    expect(pathsOf(error)).toEqual(expect.arrayContaining(['area', 'updatedAt']));
    expect(error.itemId).toBe('CRM-1');
  });

  it('either maps any valid CRM listing to a property valid against the XSD or refuses it naming listing fields', async () => {
    const documents: string[] = [];
    let refused = 0;
    fc.assert(
      fc.property(listingArbitrary(), (listing) => {
        let property: ReturnType<typeof fromListing>;
        try {
          property = fromListing(listing, options);
        } catch (error) {
          expect(error).toBeInstanceOf(InputValidationError);
          const e = error as InputValidationError;
          expect(e.itemId).toBe(listing.id);
          expect(e.issues.length).toBeGreaterThan(0);
          for (const issue of e.issues) expect(LISTING_FIELDS).toContain(issue.path.split('.')[0]);
          refused++;
          return;
        }
        expect(property.uniqueId).toBe(listing.id);
        documents.push(buildPropertyXml(property));
      }),
      { numRuns: 300 },
    );
    expect(documents.length).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
    const result = await validateAgainstXsd(documents);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });

  describe('against the mock portal over HTTP', () => {
    const portal = new IndomioMockPortal({ agencies: ['agency@example.com'] });
    let server: HandlerServer;
    beforeAll(async () => {
      server = await serveHandlers((url) => createIndomioHandlers({ portal, baseUrl: url }));
    });
    afterAll(() => server.close());

    it('writes mapped listings that the portal stores under their typology', async () => {
      // The listing names its agent as a realtor: the agency must have it first.
      portal.realtors.add('agency@example.com', { externalId: 'agent-7' });
      const indomio = new IndomioClient({
        username: 'user',
        password: 'secret',
        source: 'crm',
        baseUrl: server.url,
        allowInsecureHttp: true,
      });
      await indomio.properties.put(fromListing(crmListing(), options));
      await indomio.properties.put(fromListing(crmListing({ id: 'CRM-2', type: 'villa' }), options));
      expect(portal.getListing('CRM-1')?.typeId).toBe(14);
      expect(portal.getListing('CRM-2')?.typeId).toBe(23);
      expect(portal.getListing('CRM-1')?.dateUpdated).toBe('2026-11-01T08:00:00Z');
    });
  });
});

/** Top-level fields of the canonical listing: every issue must name one of them. */
const LISTING_FIELDS = Object.keys(ListingSchema.shape);

/** Valid CRM listings of every shape, including ones Indomio cannot take (mappable ones are common). */
function listingArbitrary(): fc.Arbitrary<Listing> {
  const text = (min: number, max: number) => fc.string({ minLength: min, maxLength: max, unit: 'grapheme' });
  const often = <T>(usual: fc.Arbitrary<T>, rare: fc.Arbitrary<T>) =>
    fc.oneof({ arbitrary: usual, weight: 5 }, { arbitrary: rare, weight: 1 });
  const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
  const codes = fc.subarray(['it', 'en', 'de', 'ro'], { minLength: 1 });
  const localized = (langs: string[], max: number) =>
    fc.tuple(...langs.map(() => text(1, max))).map((texts) => Object.fromEntries(langs.map((c, i) => [c, texts[i]])));
  const latitude = fc.double({ min: -90, max: 90, noNaN: true });
  const longitude = fc.double({ min: -180, max: 180, noNaN: true });
  const coordinates = fc.oneof(
    { arbitrary: fc.record({ latitude, longitude }), weight: 3 },
    { arbitrary: fc.record({ longitude }), weight: 1 },
    { arbitrary: fc.constant({}), weight: 3 },
  );
  return fc
    .record({
      id: text(1, 40),
      offer: fc.constantFrom('sale' as const, 'rent' as const),
      rentPeriod: often(
        fc.constant('month' as const),
        fc.constantFrom('day' as const, 'week' as const, 'year' as const),
      ),
      price: often(fc.integer({ min: 0, max: 50_000_000 }), fc.double({ min: 0, max: 1e7, noNaN: true })),
      currency: often(fc.constant('EUR'), fc.constant('CHF')),
      category: fc.constantFrom(...PROPERTY_CATEGORIES),
      type: often(
        fc.constantFrom('apartment' as const, 'villa' as const, 'garage' as const),
        fc.constantFrom(...PROPERTY_TYPES),
      ),
      rooms: opt(fc.nat(12)),
      bedrooms: fc.nat(6),
      bathrooms: opt(fc.nat(5)),
      area: fc.double({ min: 0.1, max: 50_000, noNaN: true }),
      floor: opt(fc.integer({ min: -3, max: 60 })),
      address: fc.record({
        country: fc.constant('IT'),
        region: opt(text(1, 20)),
        city: often(fc.constantFrom('Jesi', 'Roma'), text(1, 20)),
        street: opt(text(1, 220)),
        streetNumber: opt(text(1, 12)),
        postalCode: opt(fc.stringMatching(/^\d{5,6}$/)),
      }),
      coordinates,
      languages: often(
        codes.map((c) => [c, c] as const),
        fc.tuple(codes, codes),
      ),
      photos: fc.array(
        fc.nat(6).map((n) => ({ url: `https://img.example.com/p/${n}.jpg?a=1&b=${n}` })),
        { maxLength: 4 },
      ),
      agent: opt(fc.record({ id: text(1, 10), name: text(1, 10) })),
      status: often(fc.constant('active' as const), fc.constantFrom('inactive' as const, 'draft' as const)),
      updatedAt: fc
        .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
        .map((d) => d.toISOString()),
    })
    .chain(({ languages: [titleLanguages, descriptionLanguages], coordinates, address, ...rest }) =>
      fc
        .tuple(localized(titleLanguages, 260), localized(descriptionLanguages, 300))
        .map(([title, description]) => ({ ...rest, address: { ...address, ...coordinates }, title, description })),
    )
    .map(({ rentPeriod, ...rest }) => (rest.offer === 'rent' ? { ...rest, rentPeriod } : rest) as Listing)
    .map((listing) => JSON.parse(JSON.stringify(listing)) as Listing)
    .filter((listing) => ListingSchema.safeParse(listing).success);
}
