import type { Listing } from '@sync/core';
import { serveHandlers } from '@sync/core/msw';
import { fromListing, ops, RentixClient } from '@sync/rentix';
import { DEFAULT_MOCK_API_KEY } from '@sync/rentix/msw';
import { HttpResponse, http } from 'msw';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { crmListing, listing, type MockSetup, startMock } from './helpers.js';

let mock: MockSetup;
beforeAll(async () => {
  mock = await startMock({ jobDurationMs: Number.POSITIVE_INFINITY, rateLimits: false });
});
beforeEach(() => mock.portal.reset());
afterAll(() => mock.close());

const listingQueries = () => mock.portal.requests.filter((r) => r.method === 'GET' && r.path === '/listings').length;

describe('listings beyond the first page', () => {
  it('iterates and collects every listing, page after page, and collect stops at its limit', async () => {
    const client = mock.client();
    const inputs = Array.from({ length: 250 }, (_, i) => listing(i, { announcementStatus: 'draft' }));
    expect((await client.listings.upsertMany(inputs)).succeeded).toBe(250);
    mock.portal.requests.length = 0;
    const all = await client.listings.collect();
    expect(all).toHaveLength(250);
    expect(new Set(all.map((l) => l.externalId)).size).toBe(250);
    expect(listingQueries()).toBe(3);
    mock.portal.requests.length = 0;
    expect(await client.listings.collect({ limit: 120 })).toHaveLength(120);
    expect(listingQueries()).toBe(2);
    const page = await client.listings.page({ limit: 50, offset: 240 });
    expect(page.items.map((l) => l.externalId)).toEqual(inputs.slice(240).map((l) => l.externalId));
  });

  it('filters by status, offer, property type and link, in the mock and in what the client yields', async () => {
    const client = mock.client();
    await client.listings.upsertMany([
      listing(1, { announcementStatus: 'draft' }),
      listing(2, { announcementStatus: 'hidden' }),
      listing(3, { announcementStatus: 'draft', announcementType: 'sale', announcementPayPeriod: undefined }),
      listing(4, { announcementStatus: 'draft' }),
    ]);
    await client.listings.bulk([ops.unlink({ externalId: 'crm-4' })]);
    const ids = async (filters: Parameters<typeof client.listings.collect>[0]) =>
      (await client.listings.collect(filters)).map((l) => l.externalId ?? l.id);
    expect(await ids({ announcementStatus: 'hidden' })).toEqual(['crm-2']);
    expect(await ids({ announcementStatus: ['draft', 'hidden'], announcementType: 'rent', linked: true })).toEqual([
      'crm-1',
      'crm-2',
    ]);
    expect(await ids({ announcementType: 'sale' })).toEqual(['crm-3']);
    expect(await ids({ linked: false })).toHaveLength(1);
    expect(await ids({ propertyType: 'commercial' })).toEqual([]);
  });

  it('stops when the portal ignores offset, yielding its page once', async () => {
    const items = Array.from({ length: 100 }, (_, i) => ({ id: `r-${i}`, externalId: null, formData: {} }));
    let calls = 0;
    const server = await serveHandlers((url) => [
      http.get(`${url}/api/v1/listings`, () => {
        calls++;
        return HttpResponse.json({ items });
      }),
    ]);
    try {
      const client = new RentixClient({
        apiKey: DEFAULT_MOCK_API_KEY,
        baseUrl: `${server.url}/api/v1`,
        allowInsecureHttp: true,
      });
      const all = await client.listings.collect();
      expect(all).toHaveLength(100);
      expect(calls).toBe(2);
    } finally {
      await server.close();
    }
  });
});

describe('initial linking', () => {
  /** Puts CRM listings on the portal as if made in the web interface: no external id. */
  async function madeInWebInterface(client: RentixClient, listings: Listing[], tag: string) {
    const inputs = listings.map((l, i) => ({
      ...fromListing(l),
      externalId: `${tag}-${i}`,
      announcementStatus: 'draft' as const,
    }));
    await client.listings.upsertMany(inputs);
    await client.listings.bulk(inputs.map((l) => ops.unlink({ externalId: l.externalId })));
  }

  it('links confident matches and reports every CRM listing with its outcome and reason', async () => {
    const client = mock.client();
    const at = (street: string, n: string) => ({
      address: { country: 'MD', city: 'Chișinău', street, streetNumber: n },
    });
    const crm = [
      crmListing('crm-1', at('str. Pușkin', '22')),
      crmListing('crm-2', { ...at('str. Pușkin', '22'), price: 999 }),
      crmListing('crm-3', at('bd. Ștefan cel Mare', '1')),
      crmListing('crm-4', at('bd. Ștefan cel Mare', '1')),
      crmListing('crm-5', at('str. Columna', '5')),
      crmListing('crm-6', at('str. Bucuriei', '9')),
    ];
    await madeInWebInterface(client, [crm[0], crm[2], crm[5], crm[5]] as Listing[], 'web');
    // A listing already linked to crm-5.
    await client.listings.upsert({ ...fromListing(crm[4] as Listing), announcementStatus: 'draft' });
    const byAddress = (street: string) =>
      [...mock.portal.listings.values()]
        .filter((l) => String(l.formData.propertyAddress).startsWith(street))
        .map((l) => l.id);
    const [pushkin] = byAddress('str. Pușkin');
    const [stefan] = byAddress('bd. Ștefan');
    const bucuriei = byAddress('str. Bucuriei');

    const dry = await client.listings.linkExisting(crm, { dryRun: true });
    expect(dry.matched).toBe(1);
    expect(mock.portal.listingByExternalId('crm-1')).toBeUndefined();

    const linking = await client.listings.linkExisting(crm);
    const outcome = Object.fromEntries(linking.items.map((o) => [o.crmId, o]));
    expect(linking.items.map((o) => o.crmId)).toEqual(crm.map((l) => l.id));
    expect(outcome['crm-1']).toMatchObject({ outcome: 'linked', rentixId: pushkin });
    expect(outcome['crm-2']).toMatchObject({ outcome: 'unmatched' });
    expect(outcome['crm-2']?.reason).toMatch(/same place as .*another price/);
    expect(outcome['crm-3']).toMatchObject({ outcome: 'ambiguous' });
    expect(outcome['crm-3']?.reason).toContain(`${stefan} fits crm-4`);
    expect(outcome['crm-4']).toMatchObject({ outcome: 'ambiguous' });
    expect(outcome['crm-5']).toMatchObject({ outcome: 'alreadyLinked' });
    expect(outcome['crm-6']).toMatchObject({ outcome: 'ambiguous' });
    expect(outcome['crm-6']?.candidates.sort()).toEqual([...bucuriei].sort());
    expect(linking).toMatchObject({ linked: 1, alreadyLinked: 1, ambiguous: 3, unmatched: 1, failed: 0 });
    expect(mock.portal.listingByExternalId('crm-1')?.id).toBe(pushkin);
    expect(linking.unclaimed).toEqual([]);
  });
});
