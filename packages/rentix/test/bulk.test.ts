import { InputValidationError } from '@sync/core';
import { type BatchProgress, ops } from '@sync/rentix';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listing, type MockSetup, startMock } from './helpers.js';

let mock: MockSetup;
beforeAll(async () => {
  mock = await startMock({ rateLimits: false });
});
beforeEach(() => mock.portal.reset());
afterAll(() => mock.close());

const bulkRequests = () => mock.portal.requests.filter((r) => r.path === '/listings/bulk');

describe('listings.bulk', () => {
  it('chunks at 100 operations and reports every operation in input order', async () => {
    const listings = Array.from({ length: 250 }, (_, i) => listing(i));
    const progress: BatchProgress[] = [];
    const report = await mock.client().listings.upsertMany(listings, { onProgress: (p) => progress.push(p) });
    expect(bulkRequests().map((r) => r.operations)).toEqual([100, 100, 50]);
    expect(report).toMatchObject({ total: 250, succeeded: 250, failed: 0, skipped: 0, requests: 3 });
    expect(report.results.map((r) => r.externalId)).toEqual(listings.map((l) => l.externalId));
    expect(report.results.map((r) => r.index)).toEqual(listings.map((_, i) => i));
    for (const r of report.results) expect(mock.portal.listings.get(String(r.id))?.externalId).toBe(r.externalId);
    expect(progress.map((p) => p.batchesDone)).toEqual([1, 2, 3]);
    expect(progress.at(-1)?.done).toBe(250);
  });

  it('splits further so no request body exceeds 512 KB', async () => {
    // About 9 KB per operation: 100 of them would be far above 512 KB.
    const files = (id: number) =>
      Array.from({ length: 3 }, (_, k) => ({ url: `https://img.example.com/${'p'.repeat(3000)}/${id}-${k}.jpg` }));
    const listings = Array.from({ length: 150 }, (_, i) => listing(i, { files: files(i) }));
    const report = await mock.client().listings.upsertMany(listings);
    expect(report.succeeded).toBe(150);
    const requests = bulkRequests();
    expect(requests.length).toBeGreaterThan(2);
    for (const r of requests) expect(r.bodyBytes).toBeLessThanOrEqual(512 * 1024);
    expect(requests.reduce((sum, r) => sum + (r.operations ?? 0), 0)).toBe(150);
    expect(mock.portal.requests.some((r) => r.status === 413)).toBe(false);
  });

  it('never sends invalid operations: they fail with the field path, the rest go through', async () => {
    const report = await mock
      .client()
      .listings.bulk([
        ops.upsert(listing(1)),
        ops.upsert(listing(2, { announcementDescription: 'short' })),
        ops.upsert(listing(3, { propertyType: 'parking' })),
        ops.upsert(listing(4)),
      ]);
    expect(report.results.map((r) => r.status)).toEqual(['succeeded', 'failed', 'failed', 'succeeded']);
    const [, second, third] = report.results;
    const invalid = second?.error as InputValidationError;
    expect(invalid).toBeInstanceOf(InputValidationError);
    expect(invalid.issues[0]?.path).toBe('announcementDescription');
    expect(second?.message).toMatch(/^announcementDescription: /);
    expect(invalid.itemId).toBe('crm-2');
    expect(third?.message).toMatch(/^propertySecondaryType: /);
    expect(bulkRequests().map((r) => r.operations)).toEqual([2]);
    expect(mock.portal.listingByExternalId('crm-2')).toBeUndefined();
  });

  it('reports portal-side failures per operation with the portal message, keeping the successes', async () => {
    const client = mock.client();
    await client.listings.upsertMany([listing(1, { files: [], announcementStatus: 'draft' })]);
    const report = await client.listings.bulk([
      ops.upsert({ externalId: 'crm-1', announcementStatus: 'active' }),
      ops.upsert(listing(2)),
    ]);
    expect(report.results.map((r) => r.success)).toEqual([false, true]);
    expect(report.results[0]?.message).toMatch(/At least 3 photos are required/);
    expect(report.results[0]?.externalId).toBe('crm-1');
  });

  it('reports operations of requests not sent after an abort as skipped', async () => {
    const controller = new AbortController();
    const report = await mock.client().listings.upsertMany(
      Array.from({ length: 300 }, (_, i) => listing(i)),
      { concurrency: 1, signal: controller.signal, onProgress: () => controller.abort(new Error('stop')) },
    );
    expect(report.succeeded).toBe(100);
    expect(report.skipped).toBe(200);
    expect(report.results[150]).toMatchObject({ status: 'skipped', success: false, message: 'aborted: stop' });
    expect(mock.portal.listings.size).toBe(100);
  });

  it('stops after a refused key instead of sending every remaining request', async () => {
    const report = await mock
      .client({ apiKey: 'revoked', bulk: { concurrency: 1 } })
      .listings.upsertMany(Array.from({ length: 500 }, (_, i) => listing(i)));
    expect(bulkRequests()).toHaveLength(1);
    expect(report.failed).toBe(100);
    expect(report.skipped).toBe(400);
    expect(report.results[0]?.message).toContain('Invalid API key');
    expect(report.total).toBe(500);
  });

  it('sends nothing for an empty list', async () => {
    const report = await mock.client().listings.bulk([]);
    expect(report).toMatchObject({ total: 0, requests: 0, results: [] });
    expect(mock.portal.requests).toHaveLength(0);
  });
});
