import { InputValidationError, ValidationError } from '@sync/core';
import { DOCUMENTED_SECONDARY_TYPES, fromListing, ops } from '@sync/rentix';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { crmListing, listing, type MockSetup, raw, startMock } from './helpers.js';

let mock: MockSetup;
beforeAll(async () => {
  mock = await startMock({ jobDurationMs: Number.POSITIVE_INFINITY });
});
beforeEach(() => mock.portal.reset());
afterAll(() => mock.close());

const land = {
  announcementType: 'rent',
  propertyType: 'residential',
  propertySecondaryType: 'residential-land',
} as const;

describe('the base schema as the portal publishes it', () => {
  it('is read under the documented keys, with secondary types nested by rent/sale then property type', async () => {
    const schema = await mock.client().reference.schema();
    expect(schema.announcementType).toEqual(['rent', 'sale']);
    expect(schema.propertySecondaryType?.rent?.residential).toEqual(['apartment', 'house', 'room', 'other']);
    expect(schema.propertySecondaryType?.sale?.residential).toContain('residential-land');
    expect(schema.announcementCurrency).toEqual(['EUR', 'USD', 'MDL']);
    expect(schema.announcementStatus).toContain('publish_failed');
    expect(schema.formFields).toContain('fileIds');
    expect(schema.constraints).toBeTypeOf('object');
  });

  it('is fetched once and kept, unless refresh is asked for', async () => {
    const client = mock.client();
    await client.reference.schema();
    await client.reference.schema();
    expect(mock.portal.requests.filter((r) => r.path === '/reference/schema/base')).toHaveLength(1);
    await client.reference.schema({ refresh: true });
    expect(mock.portal.requests.filter((r) => r.path === '/reference/schema/base')).toHaveLength(2);
  });

  it('gives the contextual schema of one announcement type and property type', async () => {
    const context = await mock.client().reference.context('rent', 'residential');
    expect(context.propertySecondaryType).toEqual(['apartment', 'house', 'room', 'other']);
    const secondary = context.fields?.find((f) => f.name === 'propertySecondaryType');
    expect(secondary).toMatchObject({ required: true, options: ['apartment', 'house', 'room', 'other'] });
    const sale = await mock.client().reference.context('sale', 'residential');
    expect(sale.formFields).not.toContain('announcementPayPeriod');
    await expect(mock.client().reference.context('lease', 'residential')).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('secondary types per announcement type', () => {
  it('refuses a rent of residential land before sending, from the documented table by default', async () => {
    const client = mock.client();
    expect(client.reference.secondaryTypes).toBe(DOCUMENTED_SECONDARY_TYPES);
    const error = await client.listings.upsert(listing(1, { ...land, announcementStatus: 'draft' })).catch((e) => e);
    expect(error).toBeInstanceOf(InputValidationError);
    expect(error.issues[0].path).toBe('propertySecondaryType');
    const report = await client.listings.bulk([ops.upsert(listing(2, { ...land, announcementStatus: 'draft' }))]);
    expect(report.results[0]?.message).toMatch(/propertySecondaryType: .*not allowed for a rent of residential/);
    expect(mock.portal.requests).toHaveLength(0);
    const sale = await client.listings.upsert(
      listing(3, { ...land, announcementType: 'sale', announcementPayPeriod: undefined, announcementStatus: 'draft' }),
    );
    expect(sale.created).toBe(true);
  });

  it('is refused by the mock as the portal does: 400 with its message array, per operation in bulk', async () => {
    const body = JSON.stringify({ ...listing(1), ...land, announcementStatus: 'draft' });
    const response = await raw(mock, '/listings', {
      method: 'PUT',
      body,
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      statusCode: 400,
      message: ['propertySecondaryType must be one of: apartment, house, room, other'],
      error: 'Bad Request',
    });
    const bulk = await raw(mock, '/listings/bulk', {
      method: 'POST',
      body: JSON.stringify({
        operations: [
          { op: 'upsert', ...JSON.parse(body) },
          { op: 'upsert', ...listing(2) },
        ],
      }),
      headers: { 'content-type': 'application/json' },
    });
    const result = (await bulk.json()) as { results: Array<{ success: boolean; error?: { message: string } }> };
    expect(result.results[0]).toMatchObject({ success: false });
    expect(result.results[0]?.error?.message).toMatch(/propertySecondaryType must be one of/);
    expect(result.results[1]).toMatchObject({ success: true });
  });

  it('follows the portal once its schema was fetched', async () => {
    mock.portal.referenceSchema.propertySecondaryType.rent?.residential?.push('residential-land');
    const client = mock.client();
    await client.reference.schema();
    const result = await client.listings.upsert(listing(1, { ...land, announcementStatus: 'draft' }));
    expect(result.created).toBe(true);
  });

  it('makes fromListing refuse a land for rent, naming the type', () => {
    const rentLand = crmListing(1, { type: 'land', status: 'draft' });
    const error = (() => {
      try {
        fromListing(rentLand);
      } catch (e) {
        return e as InputValidationError;
      }
    })();
    expect(error).toBeInstanceOf(InputValidationError);
    expect(error?.issues.map((i) => i.path)).toEqual(['type']);
    expect(fromListing({ ...rentLand, offer: 'sale', rentPeriod: undefined }).propertySecondaryType).toBe(
      'residential-land',
    );
  });
});
