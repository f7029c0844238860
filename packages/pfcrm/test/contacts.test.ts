import { InputValidationError, PermissionError, ValidationError } from '@sync/core';
import {
  type LandlordFilters,
  LandlordFiltersSchema,
  type LeadFilters,
  LeadFiltersSchema,
  leadsQuery,
  ops,
} from '@sync/pfcrm';
import { ALL_RIGHTS, LANDLORD_FILTERS, LEAD_FILTERS } from '@sync/pfcrm/msw';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { errorFields, type Harness, rawRequest, startHarness } from './support.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
beforeEach(() => h.portal.reset());
afterAll(() => h.close());

/** Every documented lead filter, with the ids of the mock's three sample leads it keeps. */
const LEAD_CASES: Array<[string, LeadFilters, number[]]> = [
  ['excluded_user', { excluded_user: 1 }, [2]],
  ['user', { user: 1 }, [1, 3]],
  ['query', { query: 'yusuf' }, [2]],
  ['id', { id: 3 }, [3]],
  ['name', { name: 'haddad' }, [3]],
  ['mobile', { mobile: '0023' }, [3]],
  ['email', { email: 'sara@example.com' }, [1]],
  ['status', { status: 'qualified' }, [2]],
  ['source', { source: 'socialMedia' }, [3]],
  ['source and channel', { source: 'propertyfinder', channel: 'email' }, [1]],
  ['created', { created: { from: '2024-03-01' } }, [2, 3]],
  ['updated', { updated: { to: '2024-02-28' } }, [1]],
  ['legal_representative name', { legal_representative: { name: 'huda' } }, [1]],
  ['legal_representative email', { legal_representative: { email: 'omar.h@example.com' } }, [3]],
  ['legal_representative mobile', { legal_representative: { mobile: '0031' } }, [1]],
  ['passport', { passport: 'P7654321' }, [2]],
  ['passport_expire', { passport_expire: { to: '2026-01-01' } }, [2]],
  ['time_frame_from', { time_frame_from: { from: '2024-05-01', to: '2024-07-01' } }, [1]],
  ['financial', { financial: 'cash' }, [2]],
  ['lead_fields', { lead_fields: { 1: 'pets' } }, [1]],
];

describe('leads: every documented filter, typed, encoded and applied by the mock', () => {
  it('covers every filter of the schema, and the mock knows the same names', () => {
    const documented = Object.keys(LeadFiltersSchema.shape).sort();
    const covered = new Set([...LEAD_CASES.flatMap(([, f]) => Object.keys(f)), 'property']);
    expect(covered).toEqual(new Set(documented));
    expect(Object.keys(LEAD_FILTERS.rules).sort()).toEqual(documented);
  });

  it.each(LEAD_CASES)('%s', async (_name, filters, ids) => {
    expect((await h.client.leads.list({ filters })).items.map((l) => l.id)).toEqual(ids);
  });

  it('property: the leads that selected a property', async () => {
    const { id } = h.portal.addProperty();
    await h.client.properties.bulk([ops.assignLead(id, 2)]);
    const ids: number[] = [];
    for await (const lead of h.client.leads.iterate({ filters: { property: id } })) ids.push(lead.id);
    expect(ids).toEqual([2]);
    // The other side: the property filter on leads.
    expect((await h.client.properties.list({ filters: { lead: 2 } })).items.map((p) => p.id)).toEqual([id]);
  });

  it('encodes sub-filters in PHP brackets', () => {
    const query = leadsQuery({ filters: { legal_representative: { name: 'Huda' }, status: 'prospect' } });
    expect([...new URLSearchParams(query)]).toEqual([
      ['filters[status]', 'prospect'],
      ['filters[legal_representative][name]', 'Huda'],
    ]);
  });

  it('refuses a channel without its source, an unknown status and an empty sub-filter, before sending', async () => {
    for (const [filters, path] of [
      [{ channel: 'email' }, 'filters.channel'],
      [{ status: 'hot' }, 'filters.status'],
      [{ legal_representative: {} }, 'filters.legal_representative'],
    ] as const) {
      const error = await h.client.leads.list({ filters: filters as LeadFilters }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputValidationError);
      expect((error as InputValidationError).issues.map((i) => i.path)).toContain(path);
    }
    expect(h.portal.requests).toHaveLength(0);
  });

  it('the mock refuses them too, naming the field', async () => {
    const raw = await rawRequest(h, 'GET', '/leads?filters[channel]=email&filters[status]=hot&filters[colour]=red');
    expect(raw.status).toBe(400);
    expect(errorFields(raw.body).sort()).toEqual(['filters.channel', 'filters.colour', 'filters.status']);
  });

  it('needs the lead.read right', async () => {
    h.portal.addClient({
      apiKey: 'no-leads',
      apiSecret: 'secret-2',
      rights: ALL_RIGHTS.filter((r) => r !== 'lead.read'),
    });
    const client = h.makeClient({ apiKey: 'no-leads', apiSecret: 'secret-2' });
    await expect(client.leads.list()).rejects.toBeInstanceOf(PermissionError);
    await expect(client.landlords.list()).resolves.toBeDefined();
  });

  it('answers leads as the schema reads them', async () => {
    const lead = await h.client.leads.get(1);
    expect(lead).toMatchObject({
      status: 'prospect',
      source: 'propertyfinder',
      legal_representative: { name: 'Huda Karam' },
      fields: { 1: 'pets' },
    });
  });
});

/** Every documented landlord filter, with the ids of the mock's two sample landlords it keeps. */
const LANDLORD_CASES: Array<[string, LandlordFilters, number[]]> = [
  ['excluded_user', { excluded_user: 1 }, [2]],
  ['user', { user: 2 }, [2]],
  ['query', { query: 'lina' }, [1]],
  ['id', { id: 2 }, [2]],
  ['name', { name: 'aziz' }, [2]],
  ['mobile', { mobile: '0011' }, [1]],
  ['email', { email: 'karim@example.com' }, [2]],
  ['created', { created: { from: '2024-01-01' } }, [2]],
  ['updated', { updated: { from: '2024-02-01' } }, [2]],
  ['identity_number', { identity_number: '784-1990-1234567-1' }, [1]],
  ['passport', { passport: 'A1122334' }, [1]],
  ['passport_expire', { passport_expire: { to: '2025-12-31' } }, [2]],
  ['birthdate', { birthdate: { from: '1989-01-01' } }, [1]],
  ['address', { address: 'corniche' }, [2]],
  ['pobox', { pobox: '12345' }, [1]],
  ['city', { city: 'Abu Dhabi' }, [2]],
  ['country', { country: 'AE' }, [1, 2]],
  ['nationality', { nationality: 'EG' }, [2]],
  ['legal_representative', { legal_representative: { mobile: '0041' } }, [1]],
  ['family_info children', { family_info: { children: 0 } }, [2]],
  ['family_info marital_status', { family_info: { marital_status: 'married', name: 'saleh' } }, [1]],
  ['second_buyer', { second_buyer: { relation: 'spouse' } }, [1]],
  ['landlord_fields', { landlord_fields: { 5: 'vip' } }, [1]],
];

describe('landlords: every documented filter, typed, encoded and applied by the mock', () => {
  it('covers every filter of the schema, and the mock knows the same names', () => {
    const documented = Object.keys(LandlordFiltersSchema.shape).sort();
    const covered = new Set([...LANDLORD_CASES.flatMap(([, f]) => Object.keys(f)), 'property_fields']);
    expect(covered).toEqual(new Set(documented));
    expect(Object.keys(LANDLORD_FILTERS.rules).sort()).toEqual(documented);
  });

  it.each(LANDLORD_CASES)('%s', async (_name, filters, ids) => {
    expect((await h.client.landlords.list({ filters })).items.map((l) => l.id)).toEqual(ids);
  });

  it('property_fields: the landlords whose properties have those custom fields', async () => {
    h.portal.addProperty({ landlord: 2, fields: { 7: 'sea' } });
    h.portal.addProperty({ landlord: 1, fields: { 7: 'garden' } });
    const page = await h.client.landlords.list({ filters: { property_fields: { 7: 'sea' } } });
    expect(page.items.map((l) => l.id)).toEqual([2]);
  });

  it('refuses a negative number of children on both sides', async () => {
    const error = await h.client.landlords
      .list({ filters: { family_info: { children: -1 } } })
      .catch((e: unknown) => e);
    expect((error as InputValidationError).issues.map((i) => i.path)).toEqual(['filters.family_info.children']);
    const raw = await rawRequest(h, 'GET', '/landlords?filters[family_info][children]=-1');
    expect(errorFields(raw.body)).toEqual(['filters.family_info.children']);
  });
});

describe('clients.settings', () => {
  it('reads the account settings: portals, licences and watermark', async () => {
    const settings = await h.client.clients.settings();
    expect(settings).toMatchObject({ id: 1, rera: '12345', rera_expiry: '2027-12-31', group: 'fulladmin' });
    expect(settings.portals?.map((p) => p.code)).toEqual([
      'propertyfinder',
      'dubizzle',
      'justrentals',
      'justproperty',
      'bayut',
      'gulfnews',
      'whitelabel',
    ]);
    expect(settings.watermark).toMatchObject({ type: 'text', text: { text: 'Mock Realty' } });
    expect(settings.lastResponse.status).toBe(200);
  });

  it('a publication on a portal the settings do not enable is refused, and named', async () => {
    h.portal.addProperty();
    const portals = h.portal.settings.portals as Array<{ code: string; enabled: boolean }>;
    for (const p of portals) if (p.code === 'bayut') p.enabled = false;
    expect((await h.client.clients.settings()).portals?.find((p) => p.code === 'bayut')?.enabled).toBe(false);
    const report = await h.client.properties.bulk([ops.publish(1, 'bayut'), ops.publish(1, 'dubizzle')]);
    const [bayut, dubizzle] = report.items;
    expect(bayut?.status).toBe('failed');
    expect(bayut?.status === 'failed' && bayut.error).toBeInstanceOf(ValidationError);
    expect(bayut?.status === 'failed' && bayut.error.message).toMatch(/portal bayut is not enabled/);
    expect(dubizzle?.status).toBe('succeeded');
    expect(h.portal.properties.get(1)?.publication).toEqual(['dubizzle']);
  });
});
