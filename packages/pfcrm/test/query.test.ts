import { execFileSync } from 'node:child_process';
import { InputValidationError } from '@sync/core';
import { type PropertyFilters, propertiesQuery } from '@sync/pfcrm';
import { parsePhpQuery } from '@sync/pfcrm/msw';
import qs from 'qs';
import { describe, expect, it } from 'vitest';

/** PHP's view of a query: parse_str, with lists (keys 0..n-1) shown as arrays as json_encode does. */
function asPhpJson(value: unknown): unknown {
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => [k, asPhpJson(v)] as const);
    const isList = entries.every(([k], i) => k === String(i));
    return isList && entries.length > 0 ? entries.map(([, v]) => v) : Object.fromEntries(entries);
  }
  return value;
}
const decodeQs = (query: string) => asPhpJson(qs.parse(query, { arrayLimit: 0, depth: 10, parameterLimit: 10_000 }));

function hasPhp(): boolean {
  try {
    execFileSync('php', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const decodePhp = (query: string) =>
  JSON.parse(
    execFileSync('php', ['-r', 'parse_str($argv[1], $o); echo json_encode($o);', query], { encoding: 'utf8' }),
  );

function issuesOf(fn: () => unknown): Array<{ path: string; message: string }> {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InputValidationError);
    return (error as InputValidationError).issues;
  }
  throw new Error('expected an InputValidationError');
}

const year = new Date().getFullYear();

/** Every filter of the seed, with a value of the right type. */
const EVERY_FILTER: PropertyFilters = {
  reference: 'illusion-1',
  pf_imported_reference: 'pf-illusion-1',
  status: 'under offer',
  state: 'approved',
  offering_type: 'rent',
  furnished: 'semi-furnished',
  category: 'residential',
  type: 2,
  location_ids: ['are.3.12', 'are.3.15'],
  excluded_user: 3,
  user: 4,
  landlord: 5,
  lead: 6,
  is_selected: true,
  from_price: 120000,
  to_price: 140000,
  from_bedroom: 1,
  to_bedroom: 12,
  from_bathroom: 0,
  to_bathroom: 3,
  amenities_and: [4, 5],
  portal: 'propertyfinder',
  created: { from: '2016-01-01', to: '2017-01-01' },
  updated: 'current_month',
  unit_number: 'Ill1232',
  license_type: 'rera',
  license_permit: '63934',
  cheques: 2,
  views: 'sea view',
  rent_period: 'year',
  developer: 'emaar',
  service_charge: 120,
  price_on_request: false,
  financial_status: 'mortgage',
  from_floor: -10,
  to_floor: 200,
  from_floors: 1,
  to_floors: 200,
  free_hold: 'Non Free-hold',
  occupancy: 'vacant',
  renovation: 'partially_upgraded_both',
  from_build_year: 1900,
  to_build_year: year + 10,
  project_status: 'off_plan',
  from_size: 0,
  to_size: 500.5,
  from_plot_size: 0,
  to_plot_size: 1000,
  from_bua: 10,
  to_bua: 20,
  layout: '2 BR',
  plot_number: 'A32',
  dewa_number: '123dr546',
  project_name: 'ghost protocol',
  street_number: '2A',
  street_name: 'Al saadiyat',
  available_at: { from: '2024-01-01' },
  exclusive_start: { to: '2024-06-30' },
  exclusive_end: 'current_month',
  property_fields: { 1: 'shi', 3: 'a&b=c' },
  lead_fields: { 2: 'x' },
  landlord_fields: { 7: true },
  listing_level: 'featured',
  verified: 1,
  duplicated_list: 0,
  from_publication_date: '2022-01-01',
  to_publication_date: '2022-06-30',
  from_quality_score: 90,
  to_quality_score: 100,
  transaction: {
    user: 1,
    date: { from: '2016-01-01', to: '2017-01-01' },
    category: 'commercial',
    offering_type: 'sale',
    type: 1,
    from_bedroom: 1,
    to_bedroom: 2,
    from_bathroom: 1,
    to_bathroom: 2,
  },
};

/** What PHP must see for EVERY_FILTER: every value a string, nesting as documented. */
const EXPECTED_FILTERS = {
  reference: 'illusion-1',
  pf_imported_reference: 'pf-illusion-1',
  status: 'under offer',
  state: 'approved',
  offering_type: 'rent',
  furnished: 'semi-furnished',
  category: 'residential',
  type: '2',
  location_ids: ['are.3.12', 'are.3.15'],
  excluded_user: '3',
  user: '4',
  landlord: '5',
  lead: '6',
  is_selected: '1',
  from_price: '120000',
  to_price: '140000',
  from_bedroom: '1',
  to_bedroom: '12',
  from_bathroom: '0',
  to_bathroom: '3',
  amenities_and: ['4', '5'],
  portal: 'propertyfinder',
  created: { from: '2016-01-01', to: '2017-01-01' },
  updated: 'current_month',
  unit_number: 'Ill1232',
  license_type: 'rera',
  license_permit: '63934',
  cheques: '2',
  views: 'sea view',
  rent_period: 'year',
  developer: 'emaar',
  service_charge: '120',
  price_on_request: '0',
  financial_status: 'mortgage',
  from_floor: '-10',
  to_floor: '200',
  from_floors: '1',
  to_floors: '200',
  free_hold: 'Non Free-hold',
  occupancy: 'vacant',
  renovation: 'partially_upgraded_both',
  from_build_year: '1900',
  to_build_year: String(year + 10),
  project_status: 'off_plan',
  from_size: '0',
  to_size: '500.5',
  from_plot_size: '0',
  to_plot_size: '1000',
  from_bua: '10',
  to_bua: '20',
  layout: '2 BR',
  plot_number: 'A32',
  dewa_number: '123dr546',
  project_name: 'ghost protocol',
  street_number: '2A',
  street_name: 'Al saadiyat',
  available_at: { from: '2024-01-01' },
  exclusive_start: { to: '2024-06-30' },
  exclusive_end: 'current_month',
  property_fields: { 1: 'shi', 3: 'a&b=c' },
  lead_fields: { 2: 'x' },
  landlord_fields: { 7: '1' },
  listing_level: 'featured',
  verified: '1',
  duplicated_list: '0',
  from_publication_date: '2022-01-01',
  to_publication_date: '2022-06-30',
  from_quality_score: '90',
  to_quality_score: '100',
  transaction: {
    user: '1',
    date: { from: '2016-01-01', to: '2017-01-01' },
    category: 'commercial',
    offering_type: 'sale',
    type: '1',
    from_bedroom: '1',
    to_bedroom: '2',
    from_bathroom: '1',
    to_bathroom: '2',
  },
};

describe('propertiesQuery', () => {
  it('encodes every documented filter so a PHP-compatible parser rebuilds the intended nesting', () => {
    const query = propertiesQuery({ filters: EVERY_FILTER, sort: 'price', sortOrder: 'desc', page: 3, perPage: 100 });
    expect(decodeQs(query)).toEqual({
      filters: EXPECTED_FILTERS,
      sort: 'price',
      sort_order: 'DESC',
      page: '3',
      per_page: '100',
    });
  });

  it('is decoded the same way by the mock portal as by qs', () => {
    const query = propertiesQuery({ filters: EVERY_FILTER, sort: { amenity: [1, 2, 3] } });
    expect(asPhpJson(parsePhpQuery(query))).toEqual(decodeQs(query));
  });

  it.skipIf(!hasPhp())('is decoded by PHP parse_str to the intended arrays', () => {
    const query = propertiesQuery({ filters: EVERY_FILTER, sort: 'amenity(1,2,3)', sortOrder: 'ASC' });
    expect(decodePhp(query)).toEqual({ filters: EXPECTED_FILTERS, sort: 'amenity(1,2,3)', sort_order: 'ASC' });
  });

  it('writes the documented examples, percent-encoded', () => {
    /** The query with its percent-encoding undone, as the API documentation writes it. */
    const readable = (q: string) => [...new URLSearchParams(q)].map(([k, v]) => `${k}=${v}`).join('&');
    expect(propertiesQuery({ filters: { state: 'approved' } })).toBe('filters%5Bstate%5D=approved');
    expect(propertiesQuery({ sort: 'id', sortOrder: 'DESC' })).toBe('sort=id&sort_order=DESC');
    expect(readable(propertiesQuery({ filters: { created: { from: '2016-01-01', to: '2017-01-01' } } }))).toBe(
      'filters[created][from]=2016-01-01&filters[created][to]=2017-01-01',
    );
    expect(readable(propertiesQuery({ filters: { location_ids: ['are.3.12'] } }))).toBe(
      'filters[location_ids][]=are.3.12',
    );
    expect(readable(propertiesQuery({ filters: { property_fields: { 1: 'shi' } } }))).toBe(
      'filters[property_fields][1]=shi',
    );
    expect(readable(propertiesQuery({ sort: { amenity: [1, 2, 3] } }))).toBe('sort=amenity(1,2,3)');
    expect(readable(propertiesQuery({ filters: { transaction: { offering_type: 'rent' } } }))).toBe(
      'filters[transaction][offering_type]=rent',
    );
  });

  it('is stable under URLSearchParams, so the pipeline sends it unchanged', () => {
    const query = propertiesQuery({ filters: EVERY_FILTER, sort: 'amenity(4,5)' });
    expect(new URLSearchParams(query).toString()).toBe(query);
  });

  it('percent-encodes values so &, = and spaces cannot break the query', () => {
    const query = propertiesQuery({ filters: { project_name: 'a&b=c d', reference: 'x#y' } });
    expect(query).not.toContain(' ');
    expect(decodeQs(query)).toEqual({ filters: { project_name: 'a&b=c d', reference: 'x#y' } });
  });

  it('sends Date values as calendar dates', () => {
    const query = propertiesQuery({ filters: { created: { from: new Date(Date.UTC(2024, 1, 3)) } } });
    expect(decodeQs(query)).toEqual({ filters: { created: { from: '2024-02-03' } } });
  });

  it('maps the deprecated amenities filter to amenities_or', () => {
    expect(decodeQs(propertiesQuery({ filters: { amenities: [1, 2] } }))).toEqual({
      filters: { amenities_or: ['1', '2'] },
    });
    expect(decodeQs(propertiesQuery({ filters: { amenities: [2, 3], amenities_or: [1, 2] } }))).toEqual({
      filters: { amenities_or: ['1', '2', '3'] },
    });
  });

  it('leaves license_permit out when license_state is given, as the server would ignore it', () => {
    const query = propertiesQuery({ filters: { license_permit: '63934', license_state: 'license_valid' } });
    expect(decodeQs(query)).toEqual({ filters: { license_state: 'license_valid' } });
    expect(decodeQs(propertiesQuery({ filters: { license_permit: null } }))).toEqual({
      filters: { license_permit: 'is_null' },
    });
  });

  it('sends nothing for empty parameters', () => {
    expect(propertiesQuery()).toBe('');
    expect(propertiesQuery({ filters: {} })).toBe('');
  });
});

describe('filter rules, checked before any call', () => {
  it.each([
    [{ from_bedroom: 13 }, 'filters.from_bedroom'],
    [{ to_bathroom: 13 }, 'filters.to_bathroom'],
    [{ from_bedroom: 3, to_bedroom: 2 }, 'filters.to_bedroom'],
    [{ from_bathroom: 4, to_bathroom: 1 }, 'filters.to_bathroom'],
    [{ from_floor: -11 }, 'filters.from_floor'],
    [{ to_floor: 201 }, 'filters.to_floor'],
    [{ from_floors: 0 }, 'filters.from_floors'],
    [{ to_floors: 201 }, 'filters.to_floors'],
    [{ from_build_year: 1899 }, 'filters.from_build_year'],
    [{ to_build_year: year + 11 }, 'filters.to_build_year'],
    [{ cheques: 13 }, 'filters.cheques'],
    [{ cheques: -1 }, 'filters.cheques'],
    [{ from_price: 10, to_price: 5 }, 'filters.to_price'],
    [{ from_publication_date: '2022-01-01' }, 'filters.from_publication_date'],
    [{ to_publication_date: '2022-01-01' }, 'filters.to_publication_date'],
    [{ created: { from: '2017-01-01', to: '2016-01-01' } }, 'filters.created.to'],
    [{ created: {} }, 'filters.created'],
    [{ updated: 'last_month' }, 'filters.updated'],
    [{ location_ids: [] }, 'filters.location_ids'],
    [{ property_fields: { abc: 'x' } }, 'filters.property_fields.abc'],
    [{ portal: 'zillow' }, 'filters.portal'],
    [{ state: 'live' }, 'filters.state'],
    [{ transaction: { from_bedroom: 5, to_bedroom: 1 } }, 'filters.transaction.to_bedroom'],
    [{ transaction: { to_bathroom: 13 } }, 'filters.transaction.to_bathroom'],
    [{ stat: 'approved' }, 'filters'],
  ])('refuses %j naming %s', (filters, path) => {
    const issues = issuesOf(() => propertiesQuery({ filters: filters as PropertyFilters }));
    expect(issues.map((i) => i.path)).toContain(path);
  });

  it('accepts publication dates and the publication sort with a portal filter', () => {
    expect(() =>
      propertiesQuery({ filters: { portal: 'bayut', from_publication_date: '2022-01-01' }, sort: 'publication' }),
    ).not.toThrow();
  });

  it('refuses the publication sort without a portal filter', () => {
    expect(issuesOf(() => propertiesQuery({ sort: 'publication' })).map((i) => i.path)).toEqual(['sort']);
  });

  it('refuses a malformed amenity sort and a per_page above 100', () => {
    expect(issuesOf(() => propertiesQuery({ sort: 'amenity(1,x)' as 'amenity(1)' })).map((i) => i.path)).toEqual([
      'sort',
    ]);
    expect(issuesOf(() => propertiesQuery({ perPage: 101 })).map((i) => i.path)).toEqual(['perPage']);
  });

  it('names the field and says why in the error message', () => {
    expect(() => propertiesQuery({ filters: { from_bedroom: 3, to_bedroom: 2 } })).toThrow(
      /filters\.to_bedroom: to_bedroom \(2\) must not be below from_bedroom \(3\)/,
    );
  });
});
