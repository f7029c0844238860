import { InputValidationError } from '@sync/core';
import { describe, expect, it } from 'vitest';
import { buildPropertyXml, type PropertyInput } from '../src/index.js';
import { minimalProperty } from './helpers.js';

function issuesOf(input: PropertyInput): string[] {
  try {
    buildPropertyXml(input);
  } catch (error) {
    if (error instanceof InputValidationError) return error.issues.map((i) => `${i.path}: ${i.message}`);
    throw error;
  }
  return [];
}

const unit = (uniqueId: string) => ({
  uniqueId,
  building: { typeId: 14 },
  location: { city: { name: 'Jesi', code: '042021' } },
  features: { energyClass: {} },
});

describe('rules of the portal that the XSD cannot express, on the parts the model gained', () => {
  it('needs at least one unit for a listing sold at auction', () => {
    const auction: PropertyInput = {
      ...minimalProperty(),
      auctionFeatures: { auctions: [{ date: '2027-01-10T10:00:00' }], startingPrice: { value: 90_000 } },
    };
    expect(issuesOf(auction)).toEqual([
      'estates: a listing sold at auction needs at least one property unit (estates)',
    ]);
    expect(issuesOf({ ...auction, estates: { items: [unit('u-1')] } })).toEqual([]);
    expect(issuesOf({ ...minimalProperty(), transactions: [{ type: 'S', price: 1, auction: true }] })).toHaveLength(1);
  });

  it('needs at least one unit for a new construction, and at least one unit in any estates', () => {
    expect(issuesOf({ ...minimalProperty(), projectName: 'Residenza Parco' })).toEqual([
      'estates: a listing of a new construction (project fields given) needs at least one property unit (estates)',
    ]);
    expect(issuesOf({ ...minimalProperty(), estates: { items: [] } })).toEqual([
      'estates.items: give at least one property unit',
    ]);
  });

  it('refuses two units with one unique-id, naming the second', () => {
    expect(issuesOf({ ...minimalProperty(), estates: { items: [unit('u-1'), unit('u-1')] } })).toEqual([
      'estates.items.1.uniqueId: unit "u-1" given twice',
    ]);
  });

  it('refuses an e-mail address XML cannot carry, naming the field', () => {
    expect(issuesOf({ ...minimalProperty(), agent: { email: 'agency\u0001@example.com' } })).toEqual([
      'agent.email: contains characters XML cannot carry',
    ]);
  });

  it('refuses a URL the portal would not read as xs:anyURI, and accepts one with characters beyond ASCII', () => {
    const withUrl = (url: string): PropertyInput => ({ ...minimalProperty(), fotoplan: url });
    expect(issuesOf(withUrl('https://tour.example.com/a%zz'))).toEqual([
      'fotoplan: must be a URL without spaces (RFC 3986)',
    ]);
    expect(issuesOf(withUrl('https://tour.example.com/a#b#c'))).toHaveLength(1);
    expect(issuesOf(withUrl('https://tour.example.com/ä?x=1&y=%20'))).toEqual([]);
  });
});
