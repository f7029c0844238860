import { InputValidationError, ValidationError } from '@sync/core';
import { MAX_INPUT_VARS, type PropertyListParams, PropertySchema, propertiesQuery } from '@sync/pfcrm';
import { parsePhpQuery, UPLOAD_TOKEN_LIFETIME_MS } from '@sync/pfcrm/msw';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { errorFields, type Harness, rawRequest, saleInput, startHarness } from './support.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
beforeEach(() => h.portal.reset());
afterAll(() => h.close());

const year = new Date().getUTCFullYear();

/**
 * What the API refuses: the raw query, the field the mock's 400 names, and the same
 * request through the client with the field its InputValidationError names.
 */
const REFUSALS: Array<[string, string, string, PropertyListParams, string]> = [
  [
    'to_bedroom below from_bedroom',
    'filters[from_bedroom]=3&filters[to_bedroom]=2',
    'filters.to_bedroom',
    { filters: { from_bedroom: 3, to_bedroom: 2 } },
    'filters.to_bedroom',
  ],
  [
    'to_bathroom below from_bathroom',
    'filters[from_bathroom]=4&filters[to_bathroom]=1',
    'filters.to_bathroom',
    { filters: { from_bathroom: 4, to_bathroom: 1 } },
    'filters.to_bathroom',
  ],
  [
    'bedrooms above 12',
    'filters[from_bedroom]=13',
    'filters.from_bedroom',
    { filters: { from_bedroom: 13 } },
    'filters.from_bedroom',
  ],
  [
    'bathrooms above 12',
    'filters[to_bathroom]=13',
    'filters.to_bathroom',
    { filters: { to_bathroom: 13 } },
    'filters.to_bathroom',
  ],
  [
    'from_floor below -10',
    'filters[from_floor]=-11',
    'filters.from_floor',
    { filters: { from_floor: -11 } },
    'filters.from_floor',
  ],
  [
    'to_floor above 200',
    'filters[to_floor]=201',
    'filters.to_floor',
    { filters: { to_floor: 201 } },
    'filters.to_floor',
  ],
  [
    'from_floors below 1',
    'filters[from_floors]=0',
    'filters.from_floors',
    { filters: { from_floors: 0 } },
    'filters.from_floors',
  ],
  [
    'to_floors above 200',
    'filters[to_floors]=201',
    'filters.to_floors',
    { filters: { to_floors: 201 } },
    'filters.to_floors',
  ],
  ['cheques above 12', 'filters[cheques]=13', 'filters.cheques', { filters: { cheques: 13 } }, 'filters.cheques'],
  [
    'a build year before 1900',
    'filters[from_build_year]=1899',
    'filters.from_build_year',
    { filters: { from_build_year: 1899 } },
    'filters.from_build_year',
  ],
  [
    'a build year after the current year + 10',
    `filters[to_build_year]=${year + 11}`,
    'filters.to_build_year',
    { filters: { to_build_year: year + 11 } },
    'filters.to_build_year',
  ],
  [
    'a negative size',
    'filters[from_size]=-1',
    'filters.from_size',
    { filters: { from_size: -1 } },
    'filters.from_size',
  ],
  [
    'an unknown state',
    'filters[state]=live',
    'filters.state',
    { filters: { state: 'live' as 'draft' } },
    'filters.state',
  ],
  [
    'an unknown portal',
    'filters[portal]=zillow',
    'filters.portal',
    { filters: { portal: 'zillow' as 'bayut' } },
    'filters.portal',
  ],
  [
    'an unknown furnishing',
    'filters[furnished]=yes',
    'filters.furnished',
    { filters: { furnished: 'yes' as 'furnished' } },
    'filters.furnished',
  ],
  [
    'an unknown license state',
    'filters[license_state]=valid',
    'filters.license_state',
    { filters: { license_state: 'valid' as 'expired' } },
    'filters.license_state',
  ],
  [
    'an unknown transaction offering type',
    'filters[transaction][offering_type]=lease',
    'filters.transaction.offering_type',
    { filters: { transaction: { offering_type: 'lease' as 'rent' } } },
    'filters.transaction.offering_type',
  ],
  [
    'transaction to_bedroom below from_bedroom',
    'filters[transaction][from_bedroom]=5&filters[transaction][to_bedroom]=1',
    'filters.transaction.to_bedroom',
    { filters: { transaction: { from_bedroom: 5, to_bedroom: 1 } } },
    'filters.transaction.to_bedroom',
  ],
  [
    'a flag that is not true, false, 1 or 0',
    'filters[verified]=yes',
    'filters.verified',
    { filters: { verified: 'yes' as unknown as boolean } },
    'filters.verified',
  ],
  [
    'an id that is not a number',
    'filters[type]=villa',
    'filters.type',
    { filters: { type: 'villa' as unknown as number } },
    'filters.type',
  ],
  [
    'an interval that is not current_month or [from]/[to]',
    'filters[created]=last_month',
    'filters.created',
    { filters: { created: 'last_month' as 'current_month' } },
    'filters.created',
  ],
  [
    'a publication date without the portal filter',
    'filters[from_publication_date]=2022-01-01',
    'filters.from_publication_date',
    { filters: { from_publication_date: '2022-01-01' } },
    'filters.from_publication_date',
  ],
  ['the publication sort without the portal filter', 'sort=publication', 'sort', { sort: 'publication' }, 'sort'],
  ['an unknown sort', 'sort=colour', 'sort', { sort: 'colour' as 'color' }, 'sort'],
  [
    'an unknown sort order',
    'sort=id&sort_order=UP',
    'sort_order',
    { sort: 'id', sortOrder: 'UP' as 'ASC' },
    'sortOrder',
  ],
  [
    'an unknown filter name',
    'filters[stat]=approved',
    'filters.stat',
    { filters: { stat: 'approved' } as never },
    'filters',
  ],
];

describe('the mock refuses what the API refuses, in one error shape', () => {
  it.each(REFUSALS)('refuses %s (400 naming the field)', async (_name, query, field) => {
    const raw = await rawRequest(h, 'GET', `/properties?${query}`);
    expect(raw.status).toBe(400);
    expect(raw.body).toMatchObject({ code: 400, message: expect.any(String) });
    expect(errorFields(raw.body)).toEqual([field]);
  });

  it.each(REFUSALS)('the client refuses %s before sending, naming the field', async (_name, _q, _f, params, path) => {
    const error = await h.client.properties.list(params).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputValidationError);
    expect((error as InputValidationError).issues.map((i) => i.path)).toContain(path);
    expect(h.portal.requests).toHaveLength(0);
  });

  it('accepts the bounds themselves', async () => {
    const raw = await rawRequest(
      h,
      'GET',
      `/properties?filters[from_floor]=-10&filters[to_floor]=200&filters[to_bedroom]=12&filters[cheques]=12&filters[from_build_year]=1900&filters[to_build_year]=${year + 10}`,
    );
    expect(raw.status).toBe(200);
  });
});

describe('PHP max_input_vars', () => {
  const manyLocations = (n: number) => Array.from({ length: n }, (_, i) => `are.9.${i}`);
  const manyFields = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [i + 1, 'x']));

  it('decodes as PHP does: the first 1000 variables, empty pairs not counted', () => {
    const pairs = Array.from({ length: MAX_INPUT_VARS + 1 }, (_, i) => `v${i}=${i}`);
    const decoded = parsePhpQuery(`&&${pairs.join('&')}`);
    expect(Object.keys(decoded)).toHaveLength(MAX_INPUT_VARS);
    expect(decoded[`v${MAX_INPUT_VARS - 1}`]).toBe(String(MAX_INPUT_VARS - 1));
    expect(decoded[`v${MAX_INPUT_VARS}`]).toBeUndefined();
  });

  it('the mock silently drops the variables past the limit, as the real API does', async () => {
    // A real-sized query (1000 variables, ~25 kB) is past the test server's header limit, so the
    // account is given a small max_input_vars; the default is PHP's.
    expect(h.portal.maxInputVars).toBe(MAX_INPUT_VARS);
    const small = await startHarness({ maxInputVars: 5 });
    try {
      small.portal.addProperty({ draft: true, status: 'draft', location: { id: 'are.3.12' } });
      small.portal.addProperty({ location: { id: 'are.3.15' } });
      const locations = ['are.9.1', 'are.9.2', 'are.9.3', 'are.9.4', 'are.3'].map(
        (l) => `filters[location_ids][]=${l}`,
      );
      const draftsInDubai = await rawRequest(small, 'GET', `/properties?filters[state]=draft&${locations.join('&')}`);
      expect((draftsInDubai.body as { property: Array<{ id: number }> }).property.map((p) => p.id)).toEqual([]);
      const raw = await rawRequest(small, 'GET', `/properties?${locations.join('&')}&filters[state]=draft`);
      expect(raw.status).toBe(200);
      // filters[state] was the 6th variable: it never reached the filter, and no error says so.
      expect((raw.body as { property: Array<{ id: number }> }).property.map((p) => p.id)).toEqual([1, 2]);
    } finally {
      await small.close();
    }
  });

  it('the client refuses a query above the limit, naming the heaviest filter, and sends nothing', async () => {
    const error = await h.client.properties
      .list({ filters: { state: 'draft', location_ids: manyLocations(MAX_INPUT_VARS) } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputValidationError);
    expect((error as InputValidationError).issues[0]).toMatchObject({ path: 'filters.location_ids', code: 'too_big' });
    expect((error as Error).message).toMatch(/1001 variables.*max_input_vars 1000/);
    // iterate sends page and per_page too: 999 values make 1001 variables, refused before the first page.
    expect(() => h.client.properties.iterate({ filters: { location_ids: manyLocations(MAX_INPUT_VARS - 1) } })).toThrow(
      InputValidationError,
    );
    expect(() => h.client.landlords.iterate({ filters: { landlord_fields: manyFields(MAX_INPUT_VARS - 1) } })).toThrow(
      InputValidationError,
    );
    expect(() => propertiesQuery({ filters: { amenities_or: Array.from({ length: 1001 }, (_, i) => i + 1) } })).toThrow(
      /filters\.amenities_or/,
    );
    expect(h.portal.requests).toHaveLength(0);
  });

  it('builds a query of exactly 1000 variables', () => {
    // 998 location ids + page + per_page.
    const query = propertiesQuery({
      filters: { location_ids: manyLocations(MAX_INPUT_VARS - 2) },
      page: 1,
      perPage: 10,
    });
    expect(new URLSearchParams(query).size).toBe(MAX_INPUT_VARS);
    expect(() =>
      propertiesQuery({ filters: { location_ids: manyLocations(MAX_INPUT_VARS - 1) }, page: 1, perPage: 10 }),
    ).toThrow(InputValidationError);
  });

  it('leads and landlords lists are held to the same limit', async () => {
    await expect(
      h.client.leads.list({
        filters: { lead_fields: Object.fromEntries(manyLocations(1001).map((_, i) => [i + 1, 'x'])) },
      }),
    ).rejects.toBeInstanceOf(InputValidationError);
    expect(h.portal.requests).toHaveLength(0);
  });
});

describe('responses shaped as the seed shows them', () => {
  it('gives type as { id, name }, amenities as [{ id, name }] and the full location', async () => {
    const created = await h.client.properties.create(saleInput({ amenities: [1, 3], location: { id: 'are.3.12' } }));
    const property = await h.client.properties.get(created.id);
    expect(property.type).toEqual({ id: 1, name: 'Apartment' });
    expect(property.amenities).toEqual([
      { id: 1, name: 'Swimming pool' },
      { id: 3, name: 'Shared gym' },
    ]);
    expect(property.location).toEqual({
      id: 'are.3.12',
      city: 'Dubai',
      community: 'Jumeirah Lake Towers',
      sub_community: 'Cluster T',
      tower: null,
      latitude: 25.07,
      longitude: 55.14,
    });
  });

  it("parses the seed's own example answer, PHP's [] for empty objects included", () => {
    const seed = {
      id: 35436,
      import: { propertyfinder: { id: 123456, reference: 'ABC123' } },
      reference: 'ABC-123',
      title_deed: '123456/2022',
      developer: 'My awesome developer',
      charges: 44,
      parking: 2,
      exclusivity: { start_at: '2009-07-20T22:55:29Z', end_at: null },
      location: {
        id: 'are.1.12',
        city: 'Dubai',
        community: 'JLT',
        sub_community: 'Cluster T',
        tower: 'Pullman Hotel',
        latitude: 41.123164,
        longitude: 5.84756,
      },
      bedrooms: 2,
      bathrooms: 1,
      status: 'draft',
      state: 'draft',
      amenities: [
        { id: 2, name: 'BBQ' },
        { id: 4, name: 'Sea View' },
      ],
      view_360: null,
      floor_number: 2,
      unit_number: '4A',
      street_number: 42,
      street_name: 'George street',
      furnished: 'furnished',
      type: { id: 2, name: 'Villa' },
      price: {
        type: 'rent',
        cheques: 12,
        on_request: false,
        prices: [
          { period: 'month', value: 1000 },
          { period: 'year', value: 12000 },
        ],
      },
      user: { id: 123 },
      landlord: { id: 123 },
      languages: [{ lang: 'en', title: 'my awesome title', description: 'my awesome description' }],
      transactions: { id: '1', date: '2012-01-01', reference: 'AVC123', type: 'direct' },
      images: [{ id: 123, order: 1, thumb: { link: 'http://cdn.aws.com/thumb-1.jpg', width: 142, height: 250 } }],
      created_at: '2009-07-20T22:55:29Z',
      updated_at: '2011-05-05T10:38:52Z',
      deleted_at: '2011-05-05T10:38:52Z',
      views: ['Sea View', 'land View'],
      floor_plans: [{ id: 123, type: 'my_floor_plan', display_on: ['pdf', 'public_page'] }],
      price_inclusive: true,
      listing_level: null,
      listing_level_date: null,
      duplicated_list: ['1234', '87654'],
      verification: [{ status: 'verified', processed_at: '2011-10-05T10:38:52Z' }],
      licenses: {
        rera: { number: '1234', issue_date: '2017-06-30', expiry_date: '2017-06-30', state: 'valid' },
        dtcm: [],
      },
      fields: [],
    };
    const parsed = PropertySchema.parse(seed);
    expect(parsed.type?.name).toBe('Villa');
    expect(parsed.fields).toBeNull();
    expect(parsed.licenses?.dtcm).toBeNull();
  });

  it('requires views and fields on create, as the seed table says', async () => {
    const { views: _v, fields: _f, ...body } = { ...saleInput(), views: [], fields: {} };
    const raw = await rawRequest(h, 'POST', '/properties', { property: body });
    expect(raw.status).toBe(422);
    expect(errorFields(raw.body)).toEqual(['views', 'fields']);
    const ok = await rawRequest(h, 'POST', '/properties', { property: { ...body, views: [], fields: {} } });
    expect(ok.status).toBe(201);
  });

  it('refuses unknown amenities and locations on create', async () => {
    const raw = await rawRequest(h, 'POST', '/properties', {
      property: { ...saleInput({ amenities: [1, 99], location: { id: 'are.77' } }), views: [], fields: {} },
    });
    expect(raw.status).toBe(422);
    expect(errorFields(raw.body)).toEqual(['amenities.1', 'location.id']);
  });
});

describe('upload tokens expire after 24 hours on the mock clock', () => {
  it('accepts a token up to 24 h old and refuses it after', async () => {
    let now = Date.UTC(2024, 0, 1);
    const clocked = await startHarness({ now: () => now });
    try {
      const fresh = await clocked.client.uploads.create(Buffer.from('a'), 'property_image');
      const old = await clocked.client.uploads.create(Buffer.from('b'), 'property_image');
      expect(fresh.created_at).toBe('2024-01-01T00:00:00.000Z');
      now += UPLOAD_TOKEN_LIFETIME_MS - 1;
      await clocked.client.properties.create(saleInput({ images: [{ token: fresh.token }] }));
      now += 1;
      const error = await clocked.client.properties
        .create(saleInput({ reference: 'CRM-2', images: [{ token: old.token }] }))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).body).toEqual({
        code: 422,
        message: 'validation failed',
        errors: [{ field: 'images.0.token', message: 'unknown or expired upload token' }],
      });
    } finally {
      await clocked.close();
    }
  });

  it('answers uploads with the documented thumbnails', async () => {
    const upload = await h.client.uploads.create(Buffer.from('a'), 'property_image');
    expect(upload.thumbnails?.map((t) => [t.format, t.width, t.height])).toEqual([
      ['full', null, null],
      ['thumb', 80, 80],
      ['medium', 540, 540],
    ]);
  });
});
