import { readFileSync } from 'node:fs';
import { ListingSchema } from '@sync/core';
import { describe, expect, it } from 'vitest';
import { generateListings } from '../docs/examples/generate-data.ts';

const committed = JSON.parse(
  readFileSync(new URL('../docs/examples/data/listings.json', import.meta.url), 'utf8'),
) as unknown[];

describe('sample CRM data set', () => {
  it('is what the committed seeded script generates', () => {
    expect(committed).toEqual(JSON.parse(JSON.stringify(generateListings())));
  });

  it('holds at least 200 valid, distinct and varied listings', () => {
    expect(committed.length).toBeGreaterThanOrEqual(200);
    const listings = committed.map((l) => ListingSchema.parse(l));
    expect(new Set(listings.map((l) => l.id)).size).toBe(listings.length);
    expect(new Set(listings.map((l) => l.type)).size).toBeGreaterThanOrEqual(5);
    expect(new Set(listings.map((l) => l.address.city)).size).toBeGreaterThanOrEqual(5);
    expect(listings.some((l) => l.offer === 'rent')).toBe(true);
    expect(listings.some((l) => l.status !== 'active')).toBe(true);
  });
});
