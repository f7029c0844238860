import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AuthenticationError,
  type IdentifierWrite,
  type IdentifierWriteResult,
  InputValidationError,
  JsonFileIdentifierMap,
  type Listing,
  SqliteIdentifierMap,
} from '@sync/core';
import { fromListing, RentixSyncState, syncListings } from '@sync/rentix';
import { afterEach, describe, expect, it } from 'vitest';
import { crmListing, type MockSetup, startMock } from './helpers.js';

let mock: MockSetup | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

const SHORT = { default: { limit: 300, windowMs: 1_000 }, bulk: { limit: 30, windowMs: 1_000 } };

describe('initialSync', () => {
  it('uploads 5,000 listings over real HTTP under a short rate-limit window: nothing lost, nothing duplicated', async () => {
    mock = await startMock({ rateLimits: SHORT });
    mock.portal.addUser({ name: 'Ana', phone: '+373 69 123 456' });
    const client = mock.client({ rateLimits: SHORT });
    const listings = Array.from({ length: 5_000 }, (_, i) =>
      crmListing(i, { agent: { id: i % 2 === 0 ? 'agent-ana' : 'agent-unknown', name: 'Agent' } }),
    );
    let lastProgress = 0;
    const result = await client.initialSync(listings, {
      agents: [{ id: 'agent-ana', phone: '069 123 456' }],
      onProgress: (p) => {
        lastProgress = p.done;
      },
    });

    expect(result.agency.name).toBe('Mock Realty');
    expect(result.agents?.linked).toHaveLength(1);
    const { report } = result;
    expect(report).toMatchObject({ portal: 'rentix', total: 5_000, created: 5_000, failed: 0, skipped: 0 });
    expect(report.items.map((o) => o.key)).toEqual(listings.map((l) => l.id));
    expect(lastProgress).toBe(5_000);

    // Every listing is on the portal exactly once, under the id the report gives.
    expect(mock.portal.listings.size).toBe(5_000);
    const onPortal = new Set([...mock.portal.listings.values()].map((l) => l.externalId));
    expect(onPortal.size).toBe(5_000);
    for (const o of report.items) expect(mock.portal.listings.get(String(o.portalId))?.externalId).toBe(o.key);
    const ana = mock.portal.userByExternalId('agent-ana');
    expect(mock.portal.listingByExternalId('crm-0')?.userId).toBe(ana?.id);

    const bulkCalls = mock.portal.requests.filter((r) => r.path === '/listings/bulk' && r.status === 200);
    expect(bulkCalls.length).toBe(50);
  }, 30_000);

  it('stops before sending listings when the key is refused', async () => {
    mock = await startMock();
    const error = await mock
      .client({ apiKey: 'nope' })
      .initialSync([crmListing(1)])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(mock.portal.requests.map((r) => r.path)).toEqual(['/agency']);
  });
});

describe('syncListings (and continuousSync)', () => {
  it('sends only changed listings, hides listings gone from the CRM, and remembers both', async () => {
    mock = await startMock({ rateLimits: false });
    const client = mock.client();
    const state = new RentixSyncState();
    const crm = [crmListing(1), crmListing(2), crmListing(3)];

    const first = await syncListings(client, crm, { state });
    expect(first).toMatchObject({ total: 3, created: 3, unchanged: 0, removed: 0 });
    expect(await state.listingId('crm-1')).toBe(mock.portal.listingByExternalId('crm-1')?.id);
    expect(first.items[0]?.portalId).toBe(mock.portal.listingByExternalId('crm-1')?.id);

    const before = mock.portal.requests.length;
    const second = await client.continuousSync(crm, { state });
    expect(second).toMatchObject({ total: 3, created: 0, updated: 0, unchanged: 3 });
    expect(mock.portal.requests.length).toBe(before);

    const changed: Listing[] = [crmListing(1, { price: 999 }), crmListing(3)];
    const third = await syncListings(client, changed, { state });
    expect(third.items.map((o) => [o.key, o.action])).toEqual([
      ['crm-1', 'updated'],
      ['crm-3', 'unchanged'],
      ['crm-2', 'removed'],
    ]);
    const lastBulk = mock.portal.requests.filter((r) => r.path === '/listings/bulk').at(-1);
    expect(lastBulk?.operations).toBe(2);
    expect(mock.portal.listingByExternalId('crm-1')?.formData.announcementValue).toBe(999);
    expect(mock.portal.listingByExternalId('crm-2')?.formData.announcementStatus).toBe('hidden');
    // The hidden listing keeps its content: only the status changed.
    expect(mock.portal.listingByExternalId('crm-2')?.formData.announcementDescription).toBe(
      fromListing(crmListing(2)).announcementDescription,
    );

    const requests = mock.portal.requests.length;
    const fourth = await syncListings(client, changed, { state });
    expect(fourth).toMatchObject({ unchanged: 2, removed: 0 });
    expect(mock.portal.requests.length).toBe(requests);
  });

  it('reports a listing Rentix cannot take failed with its field, and sends the others', async () => {
    mock = await startMock({ rateLimits: false });
    const state = new RentixSyncState();
    const report = await syncListings(mock.client(), [crmListing(1), crmListing(2, { currency: 'GBP' })], { state });
    expect(report.items.map((o) => o.action)).toEqual(['created', 'failed']);
    expect(report.items[1]?.reason).toMatch(/^currency: /);
    expect(report.items[1]?.error).toBeInstanceOf(InputValidationError);
    expect(mock.portal.listingByExternalId('crm-2')).toBeUndefined();
    expect(await state.fingerprintOf('crm-2')).toBeUndefined();
  });

  it('does not remember a listing the portal refused, so the next run sends it again', async () => {
    mock = await startMock({ rateLimits: false });
    const client = mock.client();
    const state = new RentixSyncState();
    mock.portal.agency.limits.monthlyListings.limit = 1;
    const first = await syncListings(client, [crmListing(1), crmListing(2)], { state });
    expect(first.items.map((o) => o.action)).toEqual(['created', 'failed']);
    expect(first.items[1]?.reason).toBeTruthy();
    mock.portal.agency.limits.monthlyListings.limit = 10;
    const second = await syncListings(client, [crmListing(1), crmListing(2)], { state });
    expect(second.items.map((o) => o.action)).toEqual(['unchanged', 'created']);
  });

  it('keeps its state in a JSON file across restarts', async () => {
    mock = await startMock({ rateLimits: false });
    const dir = await mkdtemp(join(tmpdir(), 'rentix-sync-'));
    try {
      const file = join(dir, 'state.json');
      const crm = [crmListing(1), crmListing(2)];
      const map = await JsonFileIdentifierMap.open(file);
      await syncListings(mock.client(), crm, { state: new RentixSyncState(map) });
      await map.close();
      const requests = mock.portal.requests.length;
      const reopened = await JsonFileIdentifierMap.open(file);
      const again = await syncListings(mock.client(), crm, { state: new RentixSyncState(reopened) });
      await reopened.close();
      expect(again).toMatchObject({ unchanged: 2 });
      expect(mock.portal.requests.length).toBe(requests);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
  it('records the results of each bulk chunk in one batch write, in an SQLite file that survives a restart', async () => {
    mock = await startMock({ rateLimits: false });
    const dir = await mkdtemp(join(tmpdir(), 'rentix-sync-'));
    try {
      const file = join(dir, 'state.db');
      const crm = Array.from({ length: 250 }, (_, i) => crmListing(i));
      const map = await SqliteIdentifierMap.open(file);
      const batches: number[] = [];
      const agency = map.forAccount('agency-1');
      // The same map, counting the writes of each batch it is given.
      const counted = new Proxy(agency, {
        get(target, name) {
          if (name === 'setMany') {
            return (writes: readonly IdentifierWrite[]): Promise<IdentifierWriteResult[]> => {
              batches.push(writes.length);
              return target.setMany(writes);
            };
          }
          const value = Reflect.get(target, name, target);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      const first = await syncListings(mock.client(), crm, { state: new RentixSyncState(counted) });
      expect(first).toMatchObject({ created: 250, failed: 0 });
      // Three chunks of results (100, 100, 50), each id and fingerprint: one batch per chunk.
      expect(batches).toEqual([200, 200, 100]);
      await map.close();
      const reopened = await SqliteIdentifierMap.open(file);
      const state = new RentixSyncState(reopened.forAccount('agency-1'));
      expect(await state.listingId('crm-7')).toBe(mock.portal.listingByExternalId('crm-7')?.id);
      const requests = mock.portal.requests.length;
      const again = await syncListings(mock.client(), crm, { state });
      expect(again).toMatchObject({ unchanged: 250 });
      expect(mock.portal.requests.length).toBe(requests);
      await reopened.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
