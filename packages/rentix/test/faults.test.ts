import { NetworkError, ServerError, TimeoutError } from '@sync/core';
import { BulkOperationError, ops } from '@sync/rentix';
import { afterEach, describe, expect, it } from 'vitest';
import { listing, type MockSetup, raw, startMock } from './helpers.js';

let mock: MockSetup | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

const SHORT = { default: { limit: 300, windowMs: 1_000 }, bulk: { limit: 30, windowMs: 1_000 } };

describe('faults', () => {
  it('retries a 429 after the X-RateLimit-Reset the portal sent', async () => {
    mock = await startMock({ rateLimits: SHORT });
    mock.portal.failNext(1, 429);
    const retries: string[] = [];
    const client = mock.client({ rateLimits: SHORT });
    client.http.on('retry', (e) => retries.push(e.reason));
    const report = await client.listings.upsertMany([listing(1)]);
    expect(report.succeeded).toBe(1);
    expect(retries).toEqual(['429']);
    expect(mock.portal.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it('retries a 429 from the server window when the client limit is set too high, losing nothing', async () => {
    mock = await startMock({
      rateLimits: { default: { limit: 300, windowMs: 300 }, bulk: { limit: 2, windowMs: 300 } },
    });
    const client = mock.client({ rateLimits: { bulk: { limit: 100, windowMs: 300 } }, retry: { maxAttempts: 8 } });
    const report = await client.listings.upsertMany(
      Array.from({ length: 500 }, (_, i) => listing(i)),
      { concurrency: 5 },
    );
    expect(report.succeeded).toBe(500);
    expect(mock.portal.listings.size).toBe(500);
    expect(mock.portal.requests.some((r) => r.status === 429)).toBe(true);
  });

  it('retries bulk upserts after a 500, as they are keyed by external id', async () => {
    mock = await startMock();
    mock.portal.failNext(2, 500);
    const report = await mock.client().listings.upsertMany([listing(1), listing(2)]);
    expect(report.succeeded).toBe(2);
    expect(mock.portal.requests.map((r) => r.status)).toEqual([500, 500, 200]);
  });

  it('does not repeat a bulk request that deletes; its operations fail with the server error', async () => {
    mock = await startMock();
    const client = mock.client();
    await client.listings.upsertMany([listing(1, { announcementStatus: 'draft' })]);
    mock.portal.failNext(1, 500, 'Internal server error');
    const report = await client.listings.bulk([ops.delete({ externalId: 'crm-1' })]);
    expect(report.failed).toBe(1);
    expect(report.results[0]?.error).toBeInstanceOf(ServerError);
    expect(report.results[0]?.message).toContain('Internal server error');
    expect(mock.portal.listingByExternalId('crm-1')).toBeDefined();
  });

  it('turns 422 "All bulk operations failed" into a report with every operation message', async () => {
    mock = await startMock();
    const operations = Array.from({ length: 100 }, (_, i) => ops.upsert({ id: `missing-${i}`, propertyArea: 10 }));
    const report = await mock.client().listings.bulk(operations);
    expect(mock.portal.requests.map((r) => r.status)).toEqual([422]);
    expect(report).toMatchObject({ total: 100, succeeded: 0, failed: 100, skipped: 0 });
    for (const result of report.results) {
      expect(result.message).toBe('Listing not found');
      expect(result.error).toBeInstanceOf(BulkOperationError);
      expect((result.error as BulkOperationError).status).toBe(422);
    }
  });

  it('answers 413 to a body above 512 KB, which the client never sends', async () => {
    mock = await startMock();
    const big = JSON.stringify({ operations: [{ op: 'upsert', externalId: 'x', note: 'y'.repeat(600 * 1024) }] });
    const response = await raw(mock, '/listings/bulk', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: big,
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
  });

  it('answers 415 to a body that is not JSON', async () => {
    mock = await startMock();
    const response = await raw(mock, '/listings', {
      method: 'PUT',
      headers: { 'content-type': 'text/plain' },
      body: 'externalId=1',
    });
    expect(response.status).toBe(415);
    expect(((await response.json()) as { message: string }).message).toBe('Content-Type must be application/json');
  });

  it('retries a dropped connection, and reports a NetworkError when it keeps dropping', async () => {
    mock = await startMock();
    mock.portal.dropNext(1);
    expect((await mock.client().agency.get()).name).toBe('Mock Realty');
    mock.portal.dropNext(5);
    const error = await mock
      .client({ retry: { maxAttempts: 2, baseDelayMs: 1 } })
      .agency.get()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
  });

  it('gives up on a slow portal after the attempt timeout', async () => {
    mock = await startMock();
    mock.portal.setLatency(400);
    const error = await mock
      .client({ timeoutMs: 50, retry: false })
      .agency.get()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
  });
});
