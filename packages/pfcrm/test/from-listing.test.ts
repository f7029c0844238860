import { InputValidationError, type Listing, ListingSchema, PROPERTY_CATEGORIES, PROPERTY_TYPES } from '@sync/core';
import {
  fromListing,
  PF_STATUSES,
  type PfFromListingOptions,
  PropertyCreateInputSchema,
  PropertyOptionsSchema,
  PropertyUpdateInputSchema,
  SQUARE_FEET_PER_SQUARE_METRE,
} from '@sync/pfcrm';
import { PfCrmMockPortal } from '@sync/pfcrm/msw';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './support.js';

/** The mock account's configuration, as `pf.properties.options()` returns it: Apartment 1, Villa 2, Office 3, Land 4 (sale only). */
const configuration = PropertyOptionsSchema.parse(new PfCrmMockPortal().configuration());

const PHOTOS = [1, 2].map((k) => ({ url: `https://img.example.com/crm-1/${k}.jpg` }));

function crmListing(overrides: Partial<Listing> = {}): Listing {
  return {
    id: 'CRM-1',
    offer: 'rent',
    price: 120_000,
    currency: 'AED',
    rentPeriod: 'year',
    category: 'residential',
    type: 'apartment',
    rooms: 3,
    bedrooms: 2,
    bathrooms: 2,
    area: 100,
    floor: 12,
    address: {
      country: 'AE',
      city: 'Dubai',
      district: 'Dubai Marina',
      street: 'Marina Walk',
      streetNumber: '7',
      latitude: 25.08,
      longitude: 55.14,
    },
    title: { en: 'Marina view', ar: 'إطلالة على المارينا', it: 'Vista marina' },
    description: { en: 'Two bedrooms over the marina.', ar: 'غرفتا نوم فوق المارينا.', it: 'Due camere.' },
    photos: PHOTOS,
    agent: { id: 'agent-7', name: 'Amal' },
    status: 'active',
    updatedAt: '2026-11-01T10:00:00Z',
    ...overrides,
  };
}

const options: PfFromListingOptions = {
  currency: 'AED',
  sizeUnit: 'sqft',
  configuration,
  locations: { 'Dubai/Dubai Marina': 'are.3.15', Dubai: 'are.3', 'Abu Dhabi': 'are.5.2' },
  agents: { 'agent-7': 1 },
  images: { [PHOTOS[0]?.url ?? '']: { token: 'tok-1' }, [PHOTOS[1]?.url ?? '']: { id: 77 } },
};

function refusal(listing: unknown, opts: PfFromListingOptions = options): InputValidationError {
  try {
    fromListing(listing as Listing, opts);
  } catch (error) {
    expect(error).toBeInstanceOf(InputValidationError);
    return error as InputValidationError;
  }
  throw new Error('expected the listing to be refused');
}

const pathsOf = (error: InputValidationError) => error.issues.map((i) => i.path);

describe('fromListing (Property Finder)', () => {
  it('maps a complete CRM listing to a create input the Property Finder model accepts', () => {
    const input = fromListing(crmListing(), options);
    expect(PropertyCreateInputSchema.safeParse(input).success).toBe(true);
    expect(input).toEqual({
      reference: 'CRM-1',
      user: 1,
      draft: false,
      status: 'available',
      type: 1,
      size: Math.round(100 * SQUARE_FEET_PER_SQUARE_METRE * 100) / 100,
      bedrooms: 2,
      bathrooms: 2,
      floor_number: 12,
      street_name: 'Marina Walk',
      street_number: '7',
      languages: {
        en: { title: 'Marina view', description: 'Two bedrooms over the marina.' },
        ar: { title: 'إطلالة على المارينا', description: 'غرفتا نوم فوق المارينا.' },
      },
      location: { id: 'are.3.15', latitude: 25.08, longitude: 55.14 },
      price: { offering: 'rent', default_period: 'year', prices: [{ period: 'year', value: 120_000 }] },
      images: [
        { token: 'tok-1', order: 1 },
        { id: 77, order: 2 },
      ],
    });
  });

  it("sends the building's total floors as floors, within Property Finder's bound", () => {
    expect(fromListing(crmListing({ floor: 2, floorsTotal: 30 }), options).floors).toBe(30);
    expect(() => fromListing(crmListing({ floor: 2, floorsTotal: 201 }), options)).toThrow(/floorsTotal/);
  });

  it('gives an update input when the property id is known', () => {
    const input = fromListing(crmListing(), { ...options, id: 4411 });
    expect(input.id).toBe(4411);
    expect(PropertyUpdateInputSchema.safeParse(input).success).toBe(true);
  });

  it('maps a sale in square metres, finding the type and location by name', () => {
    const villa = crmListing({
      offer: 'sale',
      rentPeriod: undefined,
      price: 3_500_000,
      type: 'villa',
      area: 420.5,
      address: { country: 'AE', city: 'Abu Dhabi' },
      photos: [],
      agent: undefined,
    });
    const input = fromListing(villa, { ...options, sizeUnit: 'sqm' });
    expect(input).toMatchObject({
      type: 2,
      size: 420.5,
      price: { offering: 'sale', value: 3_500_000 },
      location: { id: 'are.5.2' },
    });
    expect(input).not.toHaveProperty('images');
    expect(input).not.toHaveProperty('user');
  });

  it('takes type ids from an explicit table, which wins over the configuration', () => {
    const withTable = { ...options, configuration: undefined, types: { 'commercial.retail': 9 } };
    expect(fromListing(crmListing({ category: 'commercial', type: 'retail' }), withTable).type).toBe(9);
    expect(fromListing(crmListing(), { ...options, types: { 'residential.apartment': 2 } }).type).toBe(2);
  });

  it('resolves locations, agents and images with functions too', () => {
    const input = fromListing(crmListing(), {
      ...options,
      locations: (address) => (address.district === 'Dubai Marina' ? 'are.3.15' : undefined),
      agents: (agent) => (agent.id === 'agent-7' ? 2 : undefined),
      images: (_photo, index) => ({ token: `t${index}` }),
    });
    expect(input).toMatchObject({ location: { id: 'are.3.15' }, user: 2 });
    expect(input.images).toEqual([
      { token: 't0', order: 1 },
      { token: 't1', order: 2 },
    ]);
    const cityOnly = fromListing(crmListing({ address: { country: 'AE', city: 'Dubai', district: 'Deira' } }), options);
    expect(cityOnly.location.id).toBe('are.3');
  });

  it('keeps draft and inactive listings as drafts, and leaves agents and images out when asked', () => {
    expect(fromListing(crmListing({ status: 'draft' }), options)).toMatchObject(PF_STATUSES.draft);
    expect(fromListing(crmListing({ status: 'inactive' }), options)).toMatchObject({ draft: true, status: 'draft' });
    const bare = fromListing(crmListing(), { ...options, agents: 'omit', images: 'omit' });
    expect(bare).not.toHaveProperty('user');
    expect(bare).not.toHaveProperty('images');
  });

  it.each([
    ['a currency other than the account’s', { currency: 'EUR' }, {}, ['currency']],
    ['a price with a fraction', { price: 1000.5 }, {}, ['price']],
    ['a kind the account has no type for', { category: 'commercial', type: 'retail' }, {}, ['type']],
    ['a rent of a type offered for sale only', { type: 'land' }, {}, ['offer']],
    ['a listing with neither configuration nor type table', {}, { configuration: undefined }, ['type']],
    ['a place without a location id', { address: { country: 'AE', city: 'Sharjah' } }, {}, ['address.city']],
    ['more than 12 bedrooms', { bedrooms: 13 }, {}, ['bedrooms']],
    ['a floor above 200', { floor: 201 }, {}, ['floor']],
    ['a title without its description', { description: { ar: 'وصف' } }, {}, ['description.en']],
    [
      'no English, Arabic or French text',
      { title: { it: 'Vista' }, description: { it: 'Due camere.' } },
      {},
      ['description'],
    ],
    ['an agent without a user', { agent: { id: 'agent-9', name: 'Omar' } }, {}, ['agent.id']],
    ['photos without uploaded images', {}, { images: undefined }, ['photos']],
    [
      'a photo missing from the image table',
      { photos: [...PHOTOS, { url: 'https://img.example.com/x.jpg' }] },
      {},
      ['photos.2.url'],
    ],
  ] as Array<[string, Partial<Listing>, Partial<PfFromListingOptions>, string[]]>)(
    'refuses %s, naming the listing and the field',
    (_, change, extra, paths) => {
      const error = refusal(crmListing(change), { ...options, ...extra });
      expect(pathsOf(error)).toEqual(paths);
      expect(error.itemId).toBe('CRM-1');
      expect(error.portal).toBe('pfcrm');
      expect(error.message).toContain('[CRM-1]');
    },
  );

  it('rounds a price with a fraction when asked to', () => {
    expect(fromListing(crmListing({ price: 1000.5 }), { ...options, roundPrice: true }).price).toMatchObject({
      prices: [{ period: 'year', value: 1001 }],
    });
  });

  it('refuses a listing that is not a valid CRM listing before mapping it', () => {
    const error = refusal({ ...crmListing(), offer: 'lease', title: {} });
    expect(pathsOf(error)).toEqual(expect.arrayContaining(['offer', 'title']));
    expect(error.itemId).toBe('CRM-1');
  });

  it('either maps any valid CRM listing to a valid input or refuses it naming listing fields', () => {
    const seen = { mapped: 0, refused: 0 };
    fc.assert(
      fc.property(listingArbitrary(), (listing) => {
        let input: ReturnType<typeof fromListing>;
        try {
          input = fromListing(listing, { ...options, images: (photo) => ({ token: photo.url }) });
        } catch (error) {
          expect(error).toBeInstanceOf(InputValidationError);
          const e = error as InputValidationError;
          expect(e.itemId).toBe(listing.id);
          expect(e.issues.length).toBeGreaterThan(0);
          for (const issue of e.issues) expect(LISTING_FIELDS).toContain(issue.path.split('.')[0]);
          seen.refused++;
          return;
        }
        expect(PropertyCreateInputSchema.safeParse(input).success).toBe(true);
        expect(input.reference).toBe(listing.id);
        seen.mapped++;
      }),
      { numRuns: 300 },
    );
    expect(seen.mapped).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
  });

  describe('against the mock account over HTTP', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness();
    });
    afterAll(() => h.close());

    it('creates and updates a property mapped with the configuration the account returns', async () => {
      const live = await h.client.properties.options();
      const upload = await h.client.uploads.create(Buffer.from('jpeg bytes'), 'property_image', { filename: 'a.jpg' });
      const opts: PfFromListingOptions = {
        ...options,
        configuration: live,
        images: (_photo, i) => (i === 0 ? { token: upload.token } : undefined),
      };
      const listing = crmListing({ photos: PHOTOS.slice(0, 1) });
      const created = await h.client.properties.create(fromListing(listing, opts));
      expect(h.portal.properties.get(created.id)).toMatchObject({
        reference: 'CRM-1',
        type: { id: 1, name: 'Apartment' },
      });
      await h.client.properties.update(
        fromListing(crmListing({ ...listing, price: 130_000 }), { ...opts, id: created.id }),
      );
      const stored = await h.client.properties.get(created.id);
      expect(stored.price?.prices?.[0]).toMatchObject({ period: 'year' });
      expect(JSON.stringify(stored.price)).toContain('130000');
    });
  });
});

/** Top-level fields of the canonical listing: every issue must name one of them. */
const LISTING_FIELDS = Object.keys(ListingSchema.shape);

/** Valid CRM listings of every shape, including ones Property Finder cannot take (mappable ones are common). */
function listingArbitrary(): fc.Arbitrary<Listing> {
  const text = (min: number, max: number) => fc.string({ minLength: min, maxLength: max, unit: 'grapheme-ascii' });
  const often = <T>(usual: fc.Arbitrary<T>, rare: fc.Arbitrary<T>) =>
    fc.oneof({ arbitrary: usual, weight: 5 }, { arbitrary: rare, weight: 1 });
  const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
  const codes = fc.subarray(['en', 'ar', 'fr', 'it', 'de'], { minLength: 1 });
  const localized = (langs: string[]) =>
    fc.tuple(...langs.map(() => text(1, 40))).map((texts) => Object.fromEntries(langs.map((c, i) => [c, texts[i]])));
  const coordinates = fc.oneof(
    {
      arbitrary: fc.record({
        latitude: fc.double({ min: -90, max: 90, noNaN: true }),
        longitude: fc.double({ min: -180, max: 180, noNaN: true }),
      }),
      weight: 4,
    },
    { arbitrary: fc.record({ latitude: fc.double({ min: -90, max: 90, noNaN: true }) }), weight: 1 },
    { arbitrary: fc.constant({}), weight: 2 },
  );
  return fc
    .record({
      id: text(1, 40),
      offer: fc.constantFrom('sale' as const, 'rent' as const),
      rentPeriod: fc.constantFrom('day' as const, 'week' as const, 'month' as const, 'year' as const),
      price: often(fc.integer({ min: 0, max: 50_000_000 }), fc.double({ min: 0, max: 1e7, noNaN: true })),
      currency: often(fc.constant('AED'), fc.constant('EUR')),
      category: fc.constantFrom(...PROPERTY_CATEGORIES),
      type: often(
        fc.constantFrom('apartment' as const, 'villa' as const, 'office' as const),
        fc.constantFrom(...PROPERTY_TYPES),
      ),
      rooms: opt(fc.nat(20)),
      bedrooms: opt(fc.nat(14)),
      bathrooms: opt(fc.nat(14)),
      area: fc.double({ min: 0.001, max: 50_000, noNaN: true }),
      floor: opt(fc.integer({ min: -12, max: 210 })),
      address: fc.record({
        country: fc.constant('AE'),
        city: often(fc.constantFrom('Dubai', 'Abu Dhabi'), fc.constant('Sharjah')),
        district: opt(fc.constantFrom('Dubai Marina', 'Deira')),
        street: opt(text(1, 30)),
        streetNumber: opt(text(1, 5)),
      }),
      coordinates,
      languages: often(
        codes.map((c) => [c, c] as const),
        fc.tuple(codes, codes),
      ),
      photos: fc.array(
        fc.nat(6).map((n) => ({ url: `https://img.example.com/p/${n}.jpg` })),
        { maxLength: 4 },
      ),
      agent: opt(fc.record({ id: often(fc.constant('agent-7'), fc.constant('agent-9')), name: text(1, 10) })),
      status: fc.constantFrom('active' as const, 'inactive' as const, 'draft' as const),
      updatedAt: fc
        .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
        .map((d) => d.toISOString()),
    })
    .chain(({ languages: [titleLanguages, descriptionLanguages], coordinates, address, ...rest }) =>
      fc
        .tuple(localized(titleLanguages), localized(descriptionLanguages))
        .map(([title, description]) => ({ ...rest, address: { ...address, ...coordinates }, title, description })),
    )
    .map(({ rentPeriod, ...rest }) => (rest.offer === 'rent' ? { ...rest, rentPeriod } : rest) as Listing)
    .map((listing) => JSON.parse(JSON.stringify(listing)) as Listing)
    .filter((listing) => ListingSchema.safeParse(listing).success);
}
