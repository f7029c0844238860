import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AuthenticationError,
  type IdentifierWrite,
  type IdentifierWriteResult,
  JsonFileIdentifierMap,
  SqliteIdentifierMap,
} from '@sync/core';
import { RentixSyncState } from '@sync/rentix';
import { afterEach, describe, expect, it } from 'vitest';
import { listing, type MockSetup, startMock } from './helpers.js';

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
      listing(i, { user: { externalUserId: i % 2 === 0 ? 'agent-ana' : 'agent-unknown' } }),
    );
    let progressCalls = 0;
    const result = await client.initialSync(listings, {
      agents: [{ id: 'agent-ana', phone: '069 123 456' }],
      onProgress: () => progressCalls++,
    });

    expect(result.agency.name).toBe('Mock Realty');
    expect(result.agents?.linked).toHaveLength(1);
    const { report } = result;
    expect(report).toMatchObject({ total: 5_000, succeeded: 5_000, failed: 0, skipped: 0 });
    expect(report.results.map((r) => r.externalId)).toEqual(listings.map((l) => l.externalId));
    expect(progressCalls).toBe(report.requests);

    // Every listing is on the portal exactly once, under the id the report gives.
    expect(mock.portal.listings.size).toBe(5_000);
    const onPortal = new Set([...mock.portal.listings.values()].map((l) => l.externalId));
    expect(onPortal.size).toBe(5_000);
    for (const r of report.results) expect(mock.portal.listings.get(String(r.id))?.externalId).toBe(r.externalId);
    const ana = mock.portal.userByExternalId('agent-ana');
    expect(mock.portal.listingByExternalId('crm-0')?.userId).toBe(ana?.id);

    const bulkCalls = mock.portal.requests.filter((r) => r.path === '/listings/bulk' && r.status === 200);
    expect(bulkCalls.length).toBe(50);
  }, 30_000);

  it('stops before sending listings when the key is refused', async () => {
    mock = await startMock();
    const error = await mock
      .client({ apiKey: 'nope' })
      .initialSync([listing(1)])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(mock.portal.requests.map((r) => r.path)).toEqual(['/agency']);
  });
});

describe('continuousSync', () => {
  it('sends only changed listings, hides listings gone from the CRM, and remembers both', async () => {
    mock = await startMock({ rateLimits: false });
    const client = mock.client();
    const state = new RentixSyncState();
    const crm = [listing(1), listing(2), listing(3)];

    const first = await client.continuousSync(crm, { state });
    expect(first).toMatchObject({ total: 3, succeeded: 3, unchanged: 0, hidden: 0 });
    expect(await state.listingId('crm-1')).toBe(mock.portal.listingByExternalId('crm-1')?.id);

    const before = mock.portal.requests.length;
    const second = await client.continuousSync(crm, { state });
    expect(second).toMatchObject({ total: 3, succeeded: 0, skipped: 3, unchanged: 3, requests: 0 });
    expect(mock.portal.requests.length).toBe(before);

    const changed = [listing(1, { announcementValue: 999 }), listing(3)];
    const third = await client.continuousSync(changed, { state });
    expect(third.results.map((r) => [r.externalId, r.status])).toEqual([
      ['crm-1', 'succeeded'],
      ['crm-3', 'skipped'],
      ['crm-2', 'succeeded'],
    ]);
    expect(third.hidden).toBe(1);
    const lastBulk = mock.portal.requests.filter((r) => r.path === '/listings/bulk').at(-1);
    expect(lastBulk?.operations).toBe(2);
    expect(mock.portal.listingByExternalId('crm-1')?.formData.announcementValue).toBe(999);
    expect(mock.portal.listingByExternalId('crm-2')?.formData.announcementStatus).toBe('hidden');
    // The hidden listing keeps its content: only the status changed.
    expect(mock.portal.listingByExternalId('crm-2')?.formData.announcementDescription).toBe(
      listing(2).announcementDescription,
    );

    const fourth = await client.continuousSync(changed, { state });
    expect(fourth).toMatchObject({ requests: 0, unchanged: 2, hidden: 0 });
  });

  it('does not remember a listing the portal refused, so the next run sends it again', async () => {
    mock = await startMock({ rateLimits: false });
    const client = mock.client();
    const state = new RentixSyncState();
    mock.portal.agency.limits.monthlyListings.limit = 1;
    const first = await client.continuousSync([listing(1), listing(2)], { state });
    expect(first.results.map((r) => r.success)).toEqual([true, false]);
    mock.portal.agency.limits.monthlyListings.limit = 10;
    const second = await client.continuousSync([listing(1), listing(2)], { state });
    expect(second.results.map((r) => r.status)).toEqual(['skipped', 'succeeded']);
  });

  it('keeps its state in a JSON file across restarts', async () => {
    mock = await startMock({ rateLimits: false });
    const dir = await mkdtemp(join(tmpdir(), 'rentix-sync-'));
    try {
      const file = join(dir, 'state.json');
      const crm = [listing(1), listing(2)];
      const map = await JsonFileIdentifierMap.open(file);
      await mock.client().continuousSync(crm, { state: new RentixSyncState(map) });
      await map.flush();
      const reopened = await JsonFileIdentifierMap.open(file);
      const again = await mock.client().continuousSync(crm, { state: new RentixSyncState(reopened) });
      expect(again).toMatchObject({ unchanged: 2, requests: 0 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('records the results of each bulk chunk in one batch write, in an SQLite file that survives a restart', async () => {
    mock = await startMock({ rateLimits: false });
    const dir = await mkdtemp(join(tmpdir(), 'rentix-sync-'));
    try {
      const file = join(dir, 'state.db');
      const crm = Array.from({ length: 250 }, (_, i) => listing(i));
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
      const first = await mock.client().continuousSync(crm, { state: new RentixSyncState(counted) });
      expect(first).toMatchObject({ succeeded: 250, requests: 3 });
      // Three chunks of results (100, 100, 50), each id and fingerprint: one batch per chunk.
      expect(batches).toEqual([200, 200, 100]);
      await map.close();
      const reopened = await SqliteIdentifierMap.open(file);
      const state = new RentixSyncState(reopened.forAccount('agency-1'));
      expect(await state.listingId('crm-7')).toBe(mock.portal.listingByExternalId('crm-7')?.id);
      const again = await mock.client().continuousSync(crm, { state });
      expect(again).toMatchObject({ unchanged: 250, requests: 0 });
      await reopened.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
