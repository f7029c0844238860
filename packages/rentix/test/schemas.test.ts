import { InputValidationError } from '@sync/core';
import {
  type ListingInput,
  listingInputSchema,
  listingOperationSchema,
  listingSchema,
  ops,
  RentixClient,
  rentixErrorMessage,
  userInputSchema,
} from '@sync/rentix';
import { describe, expect, it } from 'vitest';
import { listing } from './helpers.js';

function issuesOf(input: unknown): string[] {
  const result = listingInputSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('listing input schema', () => {
  it('accepts a complete listing and a partial upsert with only the external id and changed fields', () => {
    expect(issuesOf(listing(1))).toEqual([]);
    expect(issuesOf({ externalId: 'crm-1', announcementStatus: 'hidden' })).toEqual([]);
    expect(issuesOf({ externalId: 'crm-1', announcementValue: 500 })).toEqual([]);
  });

  it('refuses a secondary type that does not belong to the property type', () => {
    const issues = issuesOf(listing(1, { propertyType: 'commercial', propertySecondaryType: 'apartment' }));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^propertySecondaryType: .*not a secondary type of commercial/);
  });

  it('refuses descriptions outside 40–2000 characters, naming the field', () => {
    expect(issuesOf(listing(1, { announcementDescription: 'too short' }))[0]).toMatch(
      /^announcementDescription: must be at least 40/,
    );
    expect(issuesOf(listing(1, { announcementDescription: 'x'.repeat(2001) }))[0]).toMatch(
      /^announcementDescription: must be at most 2000/,
    );
    expect(issuesOf(listing(1, { announcementDescription: 'x'.repeat(2000) }))).toEqual([]);
  });

  it('refuses unknown currencies, enums and negative numbers', () => {
    const bad = { ...listing(1), announcementCurrency: 'GBP', propertyType: 'castle', propertyArea: -1 };
    const paths = issuesOf(bad).map((i) => i.split(':')[0]);
    expect(paths).toEqual(expect.arrayContaining(['announcementCurrency', 'propertyType', 'propertyArea']));
  });

  it('allows a pay period only for rent', () => {
    expect(issuesOf(listing(1, { announcementType: 'sale' }))[0]).toMatch(/^announcementPayPeriod: .*only allowed/);
    expect(issuesOf(listing(1, { announcementType: 'sale', announcementPayPeriod: undefined }))).toEqual([]);
  });

  it('needs at least 3 photos to publish when photos are given', () => {
    const two = listing(1).files?.slice(0, 2);
    expect(issuesOf(listing(1, { files: two }))[0]).toMatch(/^files: .*at least 3 photos, got 2/);
    expect(issuesOf(listing(1, { files: two, announcementStatus: 'draft' }))).toEqual([]);
  });

  it('limits external ids to 255 characters and requires a key', () => {
    expect(issuesOf(listing('x'.repeat(256)))[0]).toMatch(/^externalId: must be at most 255/);
    expect(issuesOf({ announcementValue: 1 })[0]).toMatch(/^externalId: give externalId/);
  });

  it('lets unknown server fields of a stored listing pass through', () => {
    const parsed = listingSchema.parse({
      id: 42,
      externalId: null,
      formData: { announcementStatus: 'active', amenities: ['balcony'] },
      brandNewField: { a: 1 },
    });
    expect(parsed.id).toBe('42');
    expect(parsed.brandNewField).toEqual({ a: 1 });
    expect(parsed.formData.amenities).toEqual(['balcony']);
  });
});

describe('the ListingInput type', () => {
  it('makes a listing with neither externalId nor id a compile error, as the schema refuses it at run time', () => {
    // @ts-expect-error: a listing names itself by externalId or id (typecheck fails if this compiles)
    const keyless: ListingInput = { announcementType: 'sale' };
    const byExternalId: ListingInput = { externalId: 'crm-1', announcementType: 'sale' };
    const byId: ListingInput = { id: '42', announcementType: 'sale' };
    expect(listingInputSchema.safeParse(keyless).success).toBe(false);
    expect([byExternalId, byId].map((l) => ('externalId' in l ? l.externalId : l.id))).toEqual(['crm-1', '42']);
  });
});

describe('bulk operation builders', () => {
  it('build typed operations the bulk schema accepts', () => {
    const built = [
      ops.upsert(listing(1)),
      ops.validate(listing(2)),
      ops.link('L1', 'crm-3'),
      ops.unlink({ externalId: 'crm-4' }),
      ops.delete({ id: 'L5' }),
    ];
    expect(built.map((o) => o.op)).toEqual(['upsert', 'validate', 'link', 'unlink', 'delete']);
    for (const op of built) expect(listingOperationSchema.safeParse(op).success).toBe(true);
    expect(listingOperationSchema.safeParse({ op: 'unlink' }).success).toBe(false);
  });
});

describe('users input schema', () => {
  it('refuses both id and externalId, as Rentix does', () => {
    expect(userInputSchema.safeParse({ id: 'u1', externalId: 'a1' }).success).toBe(false);
    expect(userInputSchema.safeParse({ externalId: 'a1', name: 'Ana', phone: '+37369000000' }).success).toBe(true);
  });
});

describe('client input checks', () => {
  it('throws InputValidationError naming the listing and the field before any request', async () => {
    let requests = 0;
    const client = new RentixClient({
      apiKey: 'k',
      fetch: async () => {
        requests++;
        return new Response('{}');
      },
    });
    const error = await client.listings
      .upsert(listing('crm-9', { announcementCurrency: 'GBP' as 'EUR' }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputValidationError);
    expect((error as InputValidationError).itemId).toBe('crm-9');
    expect((error as InputValidationError).issues.map((i) => i.path)).toEqual(['announcementCurrency']);
    expect((error as Error).message).toContain('[crm-9]');
    expect(requests).toBe(0);
  });

  it('refuses ids that would change the URL', async () => {
    const client = new RentixClient({ apiKey: 'k', fetch: async () => new Response('{}') });
    await expect(client.listings.get('..')).rejects.toBeInstanceOf(InputValidationError);
  });

  it('refuses a missing API key and plain http outside tests', () => {
    expect(() => new RentixClient({ apiKey: '' })).toThrow(/apiKey/);
    expect(() => new RentixClient({ apiKey: 'k', baseUrl: 'http://crm.rentix.md/api/v1' })).toThrow(/https/);
  });
});

describe('rentixErrorMessage', () => {
  it('joins message arrays and keeps single messages verbatim', () => {
    expect(rentixErrorMessage({ statusCode: 400, message: ['a must be x', 'b must be y'], error: 'Bad Request' })).toBe(
      'a must be x; b must be y',
    );
    expect(rentixErrorMessage({ statusCode: 403, message: 'Agency is suspended', error: 'Forbidden' })).toBe(
      'Agency is suspended',
    );
    expect(rentixErrorMessage({ statusCode: 500, error: 'Internal Server Error' })).toBe('Internal Server Error');
  });
});
