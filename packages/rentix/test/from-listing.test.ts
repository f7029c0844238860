import { InputValidationError, type Listing, ListingSchema, PROPERTY_CATEGORIES, PROPERTY_TYPES } from '@sync/core';
import {
  fromListing,
  listingInputSchema,
  listingOperationSchema,
  ops,
  RENTIX_TYPES,
  type RentixFromListingOptions,
} from '@sync/rentix';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockSetup, startMock } from './helpers.js';

const DESCRIPTION_RO = 'Apartament luminos cu două camere în centrul orașului, aproape de parcuri.';
const DESCRIPTION_EN = 'Bright two-room flat in the city centre, close to parks and good schools.';

function crmListing(overrides: Partial<Listing> = {}): Listing {
  return {
    id: 'CRM-1',
    offer: 'rent',
    price: 450,
    currency: 'EUR',
    rentPeriod: 'month',
    category: 'residential',
    type: 'apartment',
    rooms: 2,
    bedrooms: 1,
    bathrooms: 1,
    area: 54.5,
    floor: 3,
    address: {
      country: 'MD',
      city: 'Chișinău',
      district: 'Centru',
      street: 'str. Pușkin',
      streetNumber: '22',
      latitude: 47.0245,
      longitude: 28.8322,
    },
    title: { en: 'Bright flat' },
    description: { en: DESCRIPTION_EN, ro: DESCRIPTION_RO },
    photos: [1, 2, 3].map((k) => ({ url: `https://img.example.com/crm-1/${k}.jpg` })),
    agent: { id: 'agent-7', name: 'Ana' },
    status: 'active',
    updatedAt: '2026-11-01T10:00:00Z',
    ...overrides,
  };
}

/** The issues an unmappable listing is refused with, as `path: message`. */
function refusal(listing: unknown, options?: RentixFromListingOptions): InputValidationError {
  try {
    fromListing(listing as Listing, options);
  } catch (error) {
    expect(error).toBeInstanceOf(InputValidationError);
    return error as InputValidationError;
  }
  throw new Error('expected the listing to be refused');
}

const pathsOf = (error: InputValidationError) => error.issues.map((i) => i.path);

describe('fromListing (Rentix)', () => {
  it('maps a complete CRM listing to a listing input the Rentix model accepts', () => {
    const input = fromListing(crmListing());
    expect(listingInputSchema.safeParse(input).success).toBe(true);
    expect(input).toMatchObject({
      externalId: 'CRM-1',
      announcementType: 'rent',
      propertyType: 'residential',
      propertySecondaryType: 'apartment',
      announcementValue: 450,
      announcementCurrency: 'EUR',
      announcementPayPeriod: 'monthly',
      propertyArea: 54.5,
      propertyFloorNumber: 3,
      propertyQuantitySize: 'custom-value',
      propertyQuantitySizeValue: 2,
      propertyAddress: 'str. Pușkin 22, Centru, Chișinău',
      propertyCoordinates: { lat: 47.0245, lng: 28.8322 },
      announcementDescription: DESCRIPTION_RO,
      user: { externalUserId: 'agent-7' },
      announcementStatus: 'active',
    });
    expect(input.files?.map((f) => f.url)).toEqual(crmListing().photos.map((p) => p.url));
    expect(listingOperationSchema.safeParse(ops.upsert(input)).success).toBe(true);
  });

  it('files each kind under the Rentix type of the table', () => {
    const villa = fromListing(crmListing({ type: 'villa', offer: 'sale', rentPeriod: undefined, price: 250_000 }));
    expect(villa).toMatchObject({
      propertyType: 'residential',
      propertySecondaryType: 'house',
      announcementType: 'sale',
    });
    expect(villa).not.toHaveProperty('announcementPayPeriod');
    const shop = fromListing(crmListing({ category: 'commercial', type: 'retail' }));
    expect(shop).toMatchObject({ propertyType: 'commercial', propertySecondaryType: 'trade' });
    const garage = fromListing(crmListing({ type: 'garage', rentPeriod: 'day' }));
    expect(garage).toMatchObject({ propertyType: 'parking', propertySecondaryType: 'garage' });
    expect(garage.announcementPayPeriod).toBe('daily');
    for (const [key, mapping] of Object.entries(RENTIX_TYPES)) {
      const [category, type] = key.split('.') as [Listing['category'], Listing['type']];
      // Rentix has no land for rent: file land as a sale.
      const sale = mapping.propertySecondaryType === 'residential-land';
      const offer = sale ? ({ offer: 'sale', rentPeriod: undefined } as const) : {};
      expect(fromListing(crmListing({ category, type, ...offer }))).toMatchObject(mapping);
    }
  });

  it('maps total floors, housing market and condition through its tables, leaving out what has no Rentix value', () => {
    const input = fromListing(crmListing({ floor: 3, floorsTotal: 9, housingMarket: 'new', condition: 'renovated' }));
    expect(input).toMatchObject({
      propertyFloorNumber: 3,
      propertyFloorsTotal: 9,
      propertyHousingMarket: 'new-build',
      propertyVisualState: 'euro-renovation',
    });
    const resale = fromListing(crmListing({ housingMarket: 'secondary', condition: 'good' }));
    expect(resale).not.toHaveProperty('propertyHousingMarket');
    expect(resale).not.toHaveProperty('propertyVisualState');
    const mine = fromListing(crmListing({ housingMarket: 'secondary' }), { housingMarkets: { secondary: 'resale' } });
    expect(mine.propertyHousingMarket).toBe('resale');
    expect(() => fromListing(crmListing({ floor: 10, floorsTotal: 9 }))).toThrow(/floor: floor 10 is above/);
  });

  it('gives each photo an externalFileId that stays the same across syncs and reorderings', () => {
    const first = fromListing(crmListing()).files ?? [];
    const again = fromListing(crmListing({ price: 500 })).files ?? [];
    const reversed = fromListing(crmListing({ photos: [...crmListing().photos].reverse() })).files ?? [];
    expect(new Set(first.map((f) => f.externalFileId)).size).toBe(3);
    expect(again).toEqual(first);
    expect(reversed).toEqual([...first].reverse());
    const otherListing = fromListing(crmListing({ id: 'CRM-2' })).files ?? [];
    expect(otherListing.map((f) => f.externalFileId)).not.toContain(first[0]?.externalFileId);
    const custom = fromListing(crmListing(), { photoId: (photo) => photo.url.split('/').at(-1) ?? '' });
    expect(custom.files?.map((f) => f.externalFileId)).toEqual(['1.jpg', '2.jpg', '3.jpg']);
  });

  it('takes the description in the preferred language, then the fallbacks, then any other', () => {
    expect(fromListing(crmListing()).announcementDescription).toBe(DESCRIPTION_RO);
    expect(fromListing(crmListing(), { languages: ['en'] }).announcementDescription).toBe(DESCRIPTION_EN);
    expect(fromListing(crmListing(), { languages: ['ru', 'en'] }).announcementDescription).toBe(DESCRIPTION_EN);
    const italian = 'Appartamento luminoso in centro, vicino ai parchi e alle scuole.';
    const onlyOthers = crmListing({ description: { it: italian, de: 'Helle Wohnung im Zentrum, nahe bei Parks.' } });
    expect(fromListing(onlyOthers).announcementDescription).toBe('Helle Wohnung im Zentrum, nahe bei Parks.');
    expect(fromListing(onlyOthers, { languages: ['it'] }).announcementDescription).toBe(italian);
  });

  it('maps the CRM statuses to Rentix statuses, hiding inactive listings', () => {
    expect(fromListing(crmListing({ status: 'inactive' })).announcementStatus).toBe('hidden');
    expect(fromListing(crmListing({ status: 'draft', photos: [] })).announcementStatus).toBe('draft');
  });

  it('leaves the agent out when asked, and names it by the CRM id otherwise', () => {
    expect(fromListing(crmListing(), { agent: 'omit' })).not.toHaveProperty('user');
    expect(fromListing(crmListing({ agent: undefined }))).not.toHaveProperty('user');
  });

  it.each([
    ['a currency Rentix does not take', { currency: 'GBP' }, 'currency'],
    ['a weekly rent', { rentPeriod: 'week' }, 'rentPeriod'],
    ['a yearly rent', { rentPeriod: 'year' }, 'rentPeriod'],
    ['a kind missing from the type table', { category: 'residential', type: 'office' }, 'type'],
    ['a basement floor', { floor: -1 }, 'floor'],
    ['an active listing with 2 photos', { photos: crmListing().photos.slice(0, 2) }, 'photos'],
    [
      'a latitude without longitude',
      { address: { country: 'MD', city: 'Bălți', latitude: 47.7 } },
      'address.longitude',
    ],
    ['a description under 40 characters', { description: { ro: 'Prea scurt.' } }, 'description.ro'],
    ['a description over 2000 characters', { description: { ro: 'cuvânt '.repeat(400) } }, 'description.ro'],
    [
      'the same photo twice',
      { photos: [...crmListing().photos, { url: 'https://img.example.com/crm-1/1.jpg' }] },
      'photos.3.url',
    ],
  ] as Array<[string, Partial<Listing>, string]>)('refuses %s, naming the listing and the field', (_, change, path) => {
    const error = refusal(crmListing(change));
    expect(pathsOf(error)).toEqual([path]);
    expect(error.itemId).toBe('CRM-1');
    expect(error.portal).toBe('rentix');
    expect(error.message).toContain('[CRM-1]');
  });

  it('reports every unmappable field of a listing at once', () => {
    const error = refusal(crmListing({ currency: 'AED', rentPeriod: 'year', floor: -2, photos: [] }));
    expect(pathsOf(error).sort()).toEqual(['currency', 'floor', 'photos', 'rentPeriod']);
  });

  it('refuses a listing that is not a valid CRM listing before mapping it', () => {
    const error = refusal({ ...crmListing(), price: -1, address: { city: 'X', country: 'Moldova' } });
    expect(pathsOf(error)).toEqual(expect.arrayContaining(['price', 'address.country']));
    expect(error.itemId).toBe('CRM-1');
  });

  it('cuts a long description at a word boundary when asked to', () => {
    const long = 'cuvânt '.repeat(400).trim();
    const input = fromListing(crmListing({ description: { ro: long } }), { longDescription: 'truncate' });
    const text = input.announcementDescription ?? '';
    expect(text.length).toBeLessThanOrEqual(2000);
    expect(text.endsWith('cuvânt…')).toBe(true);
    expect(long.startsWith(text.slice(0, -1))).toBe(true);
  });

  it('uses a caller-given type table instead of the default', () => {
    const types = {
      ...RENTIX_TYPES,
      'residential.office': { propertyType: 'commercial', propertySecondaryType: 'office' },
    };
    const input = fromListing(crmListing({ type: 'office' }), { types: types as RentixFromListingOptions['types'] });
    expect(input).toMatchObject({ propertyType: 'commercial', propertySecondaryType: 'office' });
    expect(pathsOf(refusal(crmListing(), { types: {} }))).toEqual(['type']);
  });

  it('either maps any valid CRM listing to a valid input or refuses it naming listing fields', () => {
    const seen = { mapped: 0, refused: 0 };
    fc.assert(
      fc.property(listingArbitrary(), (listing) => {
        let input: ReturnType<typeof fromListing>;
        try {
          input = fromListing(listing);
        } catch (error) {
          expect(error).toBeInstanceOf(InputValidationError);
          const e = error as InputValidationError;
          expect(e.itemId).toBe(listing.id);
          expect(e.issues.length).toBeGreaterThan(0);
          for (const issue of e.issues) expect(LISTING_FIELDS).toContain(issue.path.split('.')[0]);
          seen.refused++;
          return;
        }
        expect(listingInputSchema.safeParse(input).success).toBe(true);
        expect(input.externalId).toBe(listing.id);
        expect(input.files).toHaveLength(listing.photos.length);
        seen.mapped++;
      }),
      { numRuns: 300 },
    );
    // The generator reaches both outcomes, so the property says something about each.
    expect(seen.mapped).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
  });

  describe('against the mock portal over HTTP', () => {
    let mock: MockSetup;
    beforeAll(async () => {
      mock = await startMock();
    });
    afterAll(() => mock.close());

    it('publishes mapped listings and reuses the uploaded photos on the next sync', async () => {
      const rentix = mock.client();
      const listings = [crmListing(), crmListing({ id: 'CRM-2', status: 'draft' })];
      const report = await rentix.listings.upsertMany(listings.map((l) => fromListing(l)));
      expect(report.succeeded).toBe(2);
      const stored = mock.portal.listingByExternalId('CRM-1');
      expect(stored?.formData).toMatchObject({ propertySecondaryType: 'apartment', announcementValue: 450 });
      expect(stored?.fileIds).toHaveLength(3);
      const mediaBefore = mock.portal.media.size;
      await rentix.listings.upsertMany([fromListing(crmListing({ price: 470 }))]);
      expect(mock.portal.media.size).toBe(mediaBefore);
      expect(mock.portal.listingByExternalId('CRM-1')?.formData.announcementValue).toBe(470);
    });
  });
});

/** Top-level fields of the canonical listing: every issue must name one of them. */
const LISTING_FIELDS = Object.keys(ListingSchema.shape);

/** Valid CRM listings of every shape, including ones Rentix cannot take. */
function listingArbitrary(): fc.Arbitrary<Listing> {
  const text = (min: number, max: number) => fc.string({ minLength: min, maxLength: max, unit: 'grapheme-ascii' });
  const localized = fc.dictionary(
    fc.constantFrom('en', 'ro', 'ru', 'it', 'fr', 'ar'),
    fc.oneof(text(1, 30), text(40, 200), text(1990, 2100)),
    { minKeys: 1, maxKeys: 3 },
  );
  const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
  return fc
    .record({
      id: text(1, 40),
      offer: fc.constantFrom('sale' as const, 'rent' as const),
      rentPeriod: fc.constantFrom('day' as const, 'week' as const, 'month' as const, 'year' as const),
      price: fc.oneof(fc.integer({ min: 0, max: 5_000_000 }), fc.double({ min: 0, max: 1e7, noNaN: true })),
      currency: fc.constantFrom('EUR', 'USD', 'MDL', 'AED', 'GBP'),
      category: fc.constantFrom(...PROPERTY_CATEGORIES),
      type: fc.constantFrom(...PROPERTY_TYPES),
      rooms: opt(fc.nat(12)),
      bedrooms: opt(fc.nat(8)),
      bathrooms: opt(fc.nat(5)),
      area: fc.double({ min: 1, max: 5000, noNaN: true }),
      floor: opt(fc.integer({ min: -3, max: 40 })),
      address: fc.record({
        country: fc.constantFrom('MD', 'RO', 'IT'),
        city: text(1, 20),
        district: opt(text(1, 20)),
        street: opt(text(1, 30)),
        streetNumber: opt(text(1, 5)),
        latitude: opt(fc.double({ min: -90, max: 90, noNaN: true })),
        longitude: opt(fc.double({ min: -180, max: 180, noNaN: true })),
      }),
      title: localized,
      description: localized,
      photos: fc.array(
        fc.nat(6).map((n) => ({ url: `https://img.example.com/p/${n}.jpg` })),
        { maxLength: 6 },
      ),
      agent: opt(fc.record({ id: text(1, 10), name: text(1, 10) })),
      status: fc.constantFrom('active' as const, 'inactive' as const, 'draft' as const),
      updatedAt: fc
        .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
        .map((d) => d.toISOString()),
    })
    .map(({ rentPeriod, ...rest }) => (rest.offer === 'rent' ? { ...rest, rentPeriod } : rest) as Listing)
    .map((listing) => JSON.parse(JSON.stringify(listing)) as Listing)
    .filter((listing) => ListingSchema.safeParse(listing).success);
}
