import type { Listing } from '@sync/core';
import { describe, expect, it } from 'vitest';
import {
  buildPropertyXml,
  fromListing,
  INDOMIO_BASEMENT_FLOORS,
  INDOMIO_BUILDING_STATUSES,
  INDOMIO_DOCUMENTED_TYPOLOGIES,
  type IndomioFromListingOptions,
} from '../src/index.js';
import { validateAgainstXsd } from './helpers.js';

function listing(overrides: Partial<Listing> = {}): Listing {
  return {
    id: 'CRM-9',
    offer: 'sale',
    price: 210_000,
    currency: 'EUR',
    category: 'residential',
    type: 'apartment',
    area: 80,
    address: { country: 'IT', city: 'Jesi', latitude: 43.5, longitude: 13.2 },
    title: { it: 'Bilocale' },
    description: { it: 'Bilocale in centro.' },
    photos: [],
    status: 'active',
    updatedAt: '2026-11-01T10:00:00Z',
    ...overrides,
  };
}

const options: IndomioFromListingOptions = {
  agency: { email: 'agency@example.com' },
  typologies: INDOMIO_DOCUMENTED_TYPOLOGIES,
};

describe('fromListing with what the model gained', () => {
  it('writes the condition as the building status, through the table', () => {
    for (const [condition, status] of Object.entries(INDOMIO_BUILDING_STATUSES)) {
      const p = fromListing(listing({ condition: condition as Listing['condition'] }), options);
      expect(p.building.status).toBe(status);
    }
  });

  it('writes a new build without a condition as new, and a resale without one with no status', () => {
    expect(fromListing(listing({ housingMarket: 'new' }), options).building.status).toBe('nuovo');
    expect(fromListing(listing({ housingMarket: 'secondary' }), options).building.status).toBeUndefined();
  });

  it('gives the floor its kind: ground, basement, top or intermediate', () => {
    const floorOf = (floor: number, floorsTotal?: number) =>
      fromListing(listing({ floor, ...(floorsTotal !== undefined && { floorsTotal }) }), options).extraFeatures?.floor;
    expect(floorOf(0)).toEqual({ value: 0, type: 'PianoTerra' });
    expect(floorOf(-2)).toEqual({ value: -2, type: INDOMIO_BASEMENT_FLOORS[-2] });
    expect(floorOf(-7)).toEqual({ value: -7, type: 'Interrato' });
    expect(floorOf(5, 5)).toEqual({ value: 5, type: 'Ultimo' });
    expect(floorOf(2, 5)).toEqual({ value: 2, type: 'Intermedio' });
    expect(floorOf(2)).toEqual({ value: 2 });
  });

  it('writes the district as the neighbourhood', () => {
    const p = fromListing(listing({ address: { ...listing().address, district: 'Centro storico' } }), options);
    expect(p.location.locality?.neighbourhood).toEqual({ name: 'Centro storico', type: 'district' });
  });

  it('adds the amenities given as an option, for every listing or per listing', () => {
    const fixed = fromListing(listing(), { ...options, extended: { swimmingPool: true, views: ['sea'] } });
    expect(fixed.extended).toEqual({ swimmingPool: true, views: ['sea'] });
    const perListing = fromListing(listing({ id: 'CRM-10' }), {
      ...options,
      extended: (l) => (l.id === 'CRM-10' ? { opticalFiber: true } : undefined),
    });
    expect(perListing.extended).toEqual({ opticalFiber: true });
    expect(fromListing(listing(), { ...options, extended: () => undefined }).extended).toBeUndefined();
  });

  it('gives documents the XSD accepts with every new mapping used', async () => {
    const p = fromListing(
      listing({
        condition: 'renovated',
        floor: -1,
        floorsTotal: 4,
        address: { ...listing().address, district: 'Prato & <Borgo>' },
      }),
      { ...options, extended: { concierge: 'half-day', orientations: ['south'], garageDoorWidth: 2.5 } },
    );
    const result = await validateAgainstXsd([buildPropertyXml(p)]);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });
});
