import { describe, expect, it } from 'vitest';
import { InputValidationError, type Listing, ListingSchema, parseInput } from '../src/index.js';

const base: Listing = {
  id: 'CRM-1',
  offer: 'rent',
  price: 950,
  currency: 'EUR',
  rentPeriod: 'month',
  category: 'residential',
  type: 'apartment',
  rooms: 3,
  bedrooms: 2,
  bathrooms: 1,
  area: 72.5,
  floor: 2,
  address: { country: 'IT', city: 'Milano', street: 'Via Roma', streetNumber: '5', latitude: 45.46, longitude: 9.19 },
  title: { en: 'Bright flat', it: 'Appartamento luminoso' },
  description: { en: 'A bright flat near the station.' },
  photos: [{ url: 'https://img.example/1.jpg' }],
  agent: { id: 'A-1', name: 'Ana', email: 'ana@example.com' },
  status: 'active',
  updatedAt: '2026-11-01T10:00:00Z',
};

describe('ListingSchema', () => {
  it('accepts a complete listing', () => {
    expect(ListingSchema.parse(base)).toEqual(base);
  });

  it('names every faulty field of a bad listing', () => {
    const bad = {
      ...base,
      price: -1,
      currency: 'euro',
      type: 'castle',
      address: { ...base.address, country: 'Italy', latitude: 123 },
      title: {},
      photos: [{ url: 'ftp://x/1.jpg' }],
    };
    try {
      parseInput(ListingSchema, bad, { operation: 'listing', itemId: bad.id });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InputValidationError);
      const paths = (error as InputValidationError).issues.map((i) => i.path);
      for (const p of ['price', 'currency', 'type', 'address.country', 'address.latitude', 'title', 'photos.0.url']) {
        expect(paths).toContain(p);
      }
      expect((error as Error).message).toContain('[CRM-1]');
    }
  });

  it('ties the rent period to rentals', () => {
    expect(ListingSchema.safeParse({ ...base, offer: 'sale' }).success).toBe(false);
    const { rentPeriod: _omit, ...noPeriod } = base;
    expect(ListingSchema.safeParse(noPeriod).success).toBe(false);
    expect(ListingSchema.safeParse({ ...noPeriod, offer: 'sale' }).success).toBe(true);
  });
});
