import { type PropertyFilters, PropertyFiltersSchema, type PropertyListParams, propertiesQuery } from '@sync/pfcrm';
import { PROPERTY_FILTERS } from '@sync/pfcrm/msw';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, rawRequest, startHarness } from './support.js';

/** The mock's clock: 2024-05-15 12:00 UTC, so `current_month` is May 2024 and "in 24 h" is 2024-05-16. */
const NOW = Date.UTC(2024, 4, 15, 12);

let h: Harness;

/** Four properties that differ on every filter of the seed; ids 1 to 4. */
function seed(): void {
  const p = h.portal;
  p.addProperty(
    {
      reference: 'REF-1',
      type: 1,
      price: { offering: 'sale', value: 1_200_000 },
      bedrooms: 2,
      bathrooms: 2,
      size: 120,
      furnished: 'furnished',
      location: { id: 'are.3.12' },
      user: 1,
      landlord: 1,
      amenities: [1, 2],
      floor_number: 5,
      floors: 30,
      unit_number: '5A',
      street_name: 'Marina Walk',
      street_number: '7',
      developer: 'Emaar',
      charges: 120,
      freehold: 'yes',
      occupancy: 'vacant',
      renovation: 'fully_upgraded_indoor',
      project_status: 'completed',
      financial_status: 'cash',
      build_year: '2015-01-01',
      built_up_area: 110,
      plot_size: 200,
      views: ['Sea View'],
      fields: { 1: 'shi' },
      licenses: {
        rera: { number: '63934', validation: 'manual', issue_date: '2023-05-16', expiry_date: '2024-05-16' },
      },
      status: 'available',
      available_from: '2024-02-01',
      exclusivity: { start_at: '2024-01-01', end_at: '2024-06-30' },
      publication: { propertyfinder: true },
    },
    {
      import: { propertyfinder: { id: 9001, reference: 'PF-IMP-1' } },
      layout: '2 BR',
      plot_number: 'A32',
      dewa_number: '123dr546',
      project_name: 'Ghost Protocol',
      listing_level: 'featured',
      quality_score: 90,
      verification: [{ status: 'success', processed_at: '2024-01-20T00:00:00Z' }],
      duplicated_list: ['7'],
      color: 'blue',
      listing_expiry_date: '2025-01-01',
      published_at: { propertyfinder: '2022-03-01T00:00:00Z' },
      transactions: [
        {
          id: 1,
          date: '2016-06-01',
          user: { id: 1 },
          category: 'residential',
          offering_type: 'sale',
          type: { id: 1 },
          bedrooms: 2,
          bathrooms: 1,
        },
      ],
      created_at: '2024-01-15T00:00:00Z',
    },
  );
  p.addProperty(
    {
      reference: 'REF-2',
      type: 2,
      price: {
        offering: 'rent',
        cheques: 4,
        on_request: true,
        default_period: 'year',
        prices: [
          { period: 'year', value: 150_000 },
          { period: 'month', value: 14_000 },
        ],
      },
      bedrooms: 5,
      bathrooms: 4,
      size: 400,
      furnished: 'semi-furnished',
      location: { id: 'are.3.15' },
      user: 2,
      landlord: 2,
      amenities: [1, 3],
      floor_number: -1,
      floors: 2,
      unit_number: 'V12',
      street_name: 'Palm Road',
      street_number: '12B',
      developer: 'Nakheel',
      charges: { value: 300 },
      freehold: 'no',
      occupancy: 'owner_occupied',
      renovation: 'partially_upgraded_both',
      project_status: 'off_plan_primary',
      financial_status: 'mortgage',
      build_year: '2024-05-01',
      built_up_area: 380,
      plot_size: 600,
      views: ['Garden View'],
      fields: { 1: 'other', 2: 'pool' },
      licenses: { dtcm: { number: 'D-77', validation: 'automatic' } },
      status: 'rented',
      publication: { propertyfinder: true, bayut: true },
    },
    {
      lead: { id: 1 },
      layout: '5 BR',
      project_name: 'Palm Villas',
      listing_level: 'premium',
      quality_score: 60,
      verification: [{ status: 'pending', processed_at: null }],
      color: 'red',
      listing_expiry_date: '2024-07-01',
      published_at: { propertyfinder: '2022-05-10T00:00:00Z', bayut: '2023-01-01T00:00:00Z' },
      transactions: [
        {
          id: 2,
          date: '2023-02-01',
          user: { id: 2 },
          category: 'residential',
          offering_type: 'rent',
          type: { id: 2 },
          bedrooms: 5,
          bathrooms: 4,
        },
      ],
      created_at: '2023-06-01T00:00:00Z',
    },
  );
  p.addProperty(
    {
      reference: 'REF-3',
      type: 3,
      price: { offering: 'sale', value: 3_000_000 },
      bedrooms: undefined,
      bathrooms: 1,
      size: 250,
      furnished: 'unfurnished',
      location: { id: 'are.5.2' },
      user: 1,
      amenities: [3, 4],
      floor_number: 20,
      floors: 40,
      occupancy: 'tenanted',
      project_status: 'completed_primary',
      build_year: '1995-01-01',
      status: 'sold',
    },
    {
      freehold: 'lease_hold',
      licenses: { rera_listing: { number: 'L-5', state: 'validated', expiry_date: '2021-01-01' } },
      listing_level: 'standard',
      quality_score: 75,
      created_at: '2023-01-10T00:00:00Z',
      updated_at: '2023-02-01T00:00:00Z',
    },
  );
  p.addProperty(
    {
      reference: 'REF-4',
      draft: true,
      type: 1,
      price: { offering: 'rent', default_period: 'month', prices: [{ period: 'month', value: 9_000 }] },
      bedrooms: 0,
      bathrooms: 1,
      size: 45,
      location: { id: 'are.3.12' },
      user: 2,
      floor_number: 3,
      status: 'draft',
    },
    { created_at: '2024-03-01T00:00:00Z' },
  );
}

beforeAll(async () => {
  h = await startHarness({ now: () => NOW });
  seed();
});
afterAll(() => h.close());

const idsOf = async (params: PropertyListParams) =>
  (await h.client.properties.list({ perPage: 100, ...params })).items.map((p) => p.id);

/** Every filter of seed 004, each with the ids the mock must return from the four properties. */
const FILTER_CASES: Array<[string, PropertyFilters, number[]]> = [
  ['reference', { reference: 'REF-1' }, [1]],
  ['pf_imported_reference', { pf_imported_reference: 'PF-IMP-1' }, [1]],
  ['status', { status: 'rented' }, [2]],
  ['state', { state: 'draft' }, [4]],
  ['offering_type', { offering_type: 'rent' }, [2, 4]],
  ['furnished', { furnished: 'furnished' }, [1]],
  ['category', { category: 'commercial' }, [3]],
  ['type', { type: 2 }, [2]],
  ['location_ids, a city and what lies in it', { location_ids: ['are.3'] }, [1, 2, 4]],
  ['location_ids, several', { location_ids: ['are.3.15', 'are.5.2'] }, [2, 3]],
  ['excluded_user', { excluded_user: 1 }, [2, 4]],
  ['user', { user: 1 }, [1, 3]],
  ['landlord', { landlord: 2 }, [2]],
  ['lead', { lead: 1 }, [2]],
  ['is_selected', { is_selected: true }, [2]],
  ['is_selected false', { is_selected: false }, [1, 3, 4]],
  ['from_price (a rent by its default period)', { from_price: 1_000_000 }, [1, 3]],
  ['to_price', { to_price: 200_000 }, [2, 4]],
  ['from_bedroom and to_bedroom', { from_bedroom: 2, to_bedroom: 4 }, [1]],
  ['from_bathroom', { from_bathroom: 2 }, [1, 2]],
  ['to_bathroom', { to_bathroom: 1 }, [3, 4]],
  ['amenities (deprecated, sent as amenities_or)', { amenities: [2, 4] }, [1, 3]],
  ['amenities_or', { amenities_or: [2, 4] }, [1, 3]],
  ['amenities_and', { amenities_and: [1, 3] }, [2]],
  ['portal', { portal: 'bayut' }, [2]],
  ['created', { created: { from: '2024-01-01' } }, [1, 4]],
  ['updated current_month', { updated: 'current_month' }, [1, 2, 4]],
  ['unit_number, case-insensitive', { unit_number: '5a' }, [1]],
  ['license_type', { license_type: 'dtcm' }, [2]],
  ['license_permit', { license_permit: '63934' }, [1]],
  ['license_permit is_null', { license_permit: null }, [4]],
  ['license_permit of the license_type kind', { license_type: 'rera', license_permit: '63934' }, [1]],
  ['license_permit of another kind', { license_type: 'dtcm', license_permit: '63934' }, []],
  ['license_state expire_in_24_h', { license_state: 'expire_in_24_h' }, [1]],
  ['license_state expire_in_48_h', { license_state: 'expire_in_48_h' }, [1]],
  ['license_state expired', { license_state: 'expired' }, [3]],
  ['license_state license_valid', { license_state: 'license_valid' }, [2]],
  ['license_state license_validated', { license_state: 'license_validated' }, [3]],
  ['license_state license_manual', { license_state: 'license_manual' }, [1]],
  ['license_state no_license', { license_state: 'no_license' }, [4]],
  ['cheques', { cheques: 4 }, [2]],
  ['views', { views: 'sea view' }, [1]],
  ['rent_period month', { rent_period: 'month' }, [2, 4]],
  ['rent_period year', { rent_period: 'year' }, [2]],
  ['developer', { developer: 'emaar' }, [1]],
  ['service_charge', { service_charge: 300 }, [2]],
  ['price_on_request', { price_on_request: true }, [2]],
  ['financial_status', { financial_status: 'mortgage' }, [2]],
  ['from_floor and to_floor', { from_floor: -1, to_floor: 4 }, [2, 4]],
  ['from_floors', { from_floors: 10 }, [1, 3]],
  ['to_floors', { to_floors: 2 }, [2]],
  ['free_hold Free-hold', { free_hold: 'Free-hold' }, [1]],
  ['free_hold Non Free-hold', { free_hold: 'Non Free-hold' }, [2]],
  ['free_hold Lease hold', { free_hold: 'Lease hold' }, [3]],
  ['occupancy', { occupancy: 'tenanted' }, [3]],
  ['renovation', { renovation: 'partially_upgraded_both' }, [2]],
  ['from_build_year', { from_build_year: 2010 }, [1, 2]],
  ['to_build_year', { to_build_year: 2000 }, [3]],
  ['project_status off_plan (primary included)', { project_status: 'off_plan' }, [2]],
  ['project_status completed (primary included)', { project_status: 'completed' }, [1, 3]],
  ['from_size and to_size', { from_size: 100, to_size: 300 }, [1, 3]],
  ['from_plot_size', { from_plot_size: 300 }, [2]],
  ['to_plot_size', { to_plot_size: 300 }, [1]],
  ['from_bua', { from_bua: 200 }, [2]],
  ['to_bua', { to_bua: 150 }, [1]],
  ['layout', { layout: '2 br' }, [1]],
  ['plot_number', { plot_number: 'A32' }, [1]],
  ['dewa_number', { dewa_number: '123dr546' }, [1]],
  ['project_name', { project_name: 'ghost protocol' }, [1]],
  ['street_number', { street_number: '12B' }, [2]],
  ['street_name', { street_name: 'marina walk' }, [1]],
  ['available_at', { available_at: { from: '2024-01-01', to: '2024-03-01' } }, [1]],
  ['exclusive_start', { exclusive_start: { to: '2024-02-01' } }, [1]],
  ['exclusive_end', { exclusive_end: { from: '2024-06-01' } }, [1]],
  ['property_fields', { property_fields: { 1: 'shi' } }, [1]],
  ['property_fields, several', { property_fields: { 1: 'other', 2: 'pool' } }, [2]],
  ['lead_fields (of the lead that selected it)', { lead_fields: { 1: 'pets' } }, [2]],
  ['landlord_fields (of its landlord)', { landlord_fields: { 5: 'vip' } }, [1]],
  ['listing_level', { listing_level: 'premium' }, [2]],
  ['verified', { verified: true }, [1]],
  ['verified false', { verified: 0 }, [2, 3, 4]],
  ['duplicated_list', { duplicated_list: 1 }, [1]],
  ['from_publication_date', { portal: 'propertyfinder', from_publication_date: '2022-04-01' }, [2]],
  ['to_publication_date', { portal: 'propertyfinder', to_publication_date: '2022-04-01' }, [1]],
  ['from_quality_score', { from_quality_score: 70 }, [1, 3]],
  ['to_quality_score', { to_quality_score: 70 }, [2, 4]],
  ['transaction offering_type', { transaction: { offering_type: 'rent' } }, [2]],
  ['transaction date', { transaction: { date: { from: '2016-01-01', to: '2017-01-01' } } }, [1]],
  ['transaction user and bedrooms', { transaction: { user: 1, from_bedroom: 2, to_bedroom: 2 } }, [1]],
  ['transaction category and type', { transaction: { category: 'residential', type: 2 } }, [2]],
  ['transaction from_bathroom', { transaction: { from_bathroom: 2 } }, [2]],
  ['transaction to_bathroom', { transaction: { to_bathroom: 1 } }, [1]],
];

describe('mock GET /properties: every filter of the seed, with its meaning', () => {
  it('covers every filter the client types, and the mock knows the same names', () => {
    const documented = Object.keys(PropertyFiltersSchema.shape).sort();
    expect(new Set(FILTER_CASES.flatMap(([, filters]) => Object.keys(filters)))).toEqual(new Set(documented));
    expect(Object.keys(PROPERTY_FILTERS.rules).sort()).toEqual(documented);
  });

  it.each(FILTER_CASES)('%s', async (_name, filters, ids) => {
    expect(await idsOf({ filters })).toEqual(ids);
  });

  it('combines filters with AND', async () => {
    expect(await idsOf({ filters: { location_ids: ['are.3'], offering_type: 'rent', from_bedroom: 1 } })).toEqual([2]);
  });

  it('answers the deprecated amenities filter as amenities_or, with a warning header', async () => {
    const raw = await rawRequest(h, 'GET', '/properties?filters[amenities][]=2&filters[amenities][]=4');
    expect((raw.body as { property: Array<{ id: number }> }).property.map((p) => p.id)).toEqual([1, 3]);
    expect(raw.headers.get('x-mycrm-api-warning')).toMatch(/amenities_or/);
  });

  it('ignores license_permit when license_state is given, as documented', async () => {
    const raw = await rawRequest(
      h,
      'GET',
      `/properties?${new URLSearchParams({ 'filters[license_permit]': '63934', 'filters[license_state]': 'expired' })}`,
    );
    expect((raw.body as { property: Array<{ id: number }> }).property.map((p) => p.id)).toEqual([3]);
  });
});

const SORT_CASES: Array<[string, PropertyListParams, number[]]> = [
  ['id DESC', { sort: 'id', sortOrder: 'DESC' }, [4, 3, 2, 1]],
  ['price (a rent by its default period)', { sort: 'price' }, [4, 2, 1, 3]],
  ['price DESC', { sort: 'price', sortOrder: 'DESC' }, [3, 1, 2, 4]],
  ['size', { sort: 'size' }, [4, 1, 3, 2]],
  ['created', { sort: 'created' }, [3, 2, 1, 4]],
  ['updated (ties by id)', { sort: 'updated' }, [3, 1, 2, 4]],
  ['state', { sort: 'state' }, [4, 1, 2, 3]],
  ['offering_type', { sort: 'offering_type' }, [2, 4, 1, 3]],
  ['category', { sort: 'category' }, [3, 1, 2, 4]],
  ['location', { sort: 'location' }, [1, 4, 2, 3]],
  ['user', { sort: 'user', sortOrder: 'ASC' }, [1, 3, 2, 4]],
  ['quality_score', { sort: 'quality_score' }, [4, 2, 3, 1]],
  ['color (none first)', { sort: 'color' }, [3, 4, 1, 2]],
  ['listing_expiry_date', { sort: 'listing_expiry_date' }, [3, 4, 2, 1]],
  ['amenity(1,2): most of them first', { sort: 'amenity(1,2)' }, [1, 2, 3, 4]],
  ['amenity(1,2) DESC', { sort: { amenity: [1, 2] }, sortOrder: 'DESC' }, [3, 4, 2, 1]],
  ['publication on a portal', { filters: { portal: 'propertyfinder' }, sort: 'publication' }, [1, 2]],
  ['publication DESC', { filters: { portal: 'propertyfinder' }, sort: 'publication', sortOrder: 'DESC' }, [2, 1]],
];

describe('mock GET /properties: every sort of the seed', () => {
  it.each(SORT_CASES)('%s', async (_name, params, ids) => {
    expect(await idsOf(params)).toEqual(ids);
  });

  it('sends exactly the query the client builds', async () => {
    h.portal.requests = [];
    await idsOf({ filters: { transaction: { offering_type: 'rent' } }, sort: 'amenity(1,2)' });
    expect(h.portal.requests[0]?.search).toBe(
      `?${propertiesQuery({ filters: { transaction: { offering_type: 'rent' } }, sort: 'amenity(1,2)', perPage: 100 })}`,
    );
  });
});
