import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NetworkError, RedirectError, ServerError, TimeoutError, UnexpectedResponseError } from '@sync/core';
import { BulkOperationError, DEFAULT_MAX_RESPONSE_BYTES, ops, RentixClient } from '@sync/rentix';
import { afterEach, describe, expect, it } from 'vitest';
import { listing, type MockSetup, raw, startMock } from './helpers.js';

let mock: MockSetup | undefined;
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await mock?.close();
  mock = undefined;
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** A plain server on 127.0.0.1 that records what reaches it. */
async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    req.resume();
    req.on('end', () => handler(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const TRANSPORTS = [
  ['node:http', undefined],
  ['fetch', (input: string | URL | Request, init?: RequestInit) => globalThis.fetch(input, init)],
] as const;

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

describe.each(TRANSPORTS)('redirects and response size (%s)', (_transport, fetchImpl) => {
  const client = (baseUrl: string) =>
    new RentixClient({
      apiKey: 'rx-key-0123456789',
      authHeader: 'X-API-Key',
      baseUrl,
      allowInsecureHttp: true,
      fetch: fetchImpl,
    });

  it('never follows a redirect of a listing upsert: the key and the body stay with Rentix', async () => {
    const elsewhere = await serve((_req, res) => res.writeHead(200).end('{}'));
    const api = await serve((_req, res) => res.writeHead(302, { location: `${elsewhere.url}/collect` }).end());
    const error = await client(api.url)
      .listings.upsert(listing(1))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedirectError);
    expect(error).toMatchObject({ status: 302, location: elsewhere.url, operation: 'listings.upsert' });
    expect(api.seen).toEqual(['PUT /listings']);
    expect(elsewhere.seen).toEqual([]);
  });

  it(`refuses an answer over ${DEFAULT_MAX_RESPONSE_BYTES} bytes by default, before reading it`, async () => {
    expect(DEFAULT_MAX_RESPONSE_BYTES).toBe(16 * 1024 * 1024);
    const api = await serve((_req, res) =>
      res.writeHead(200, { 'content-length': String(DEFAULT_MAX_RESPONSE_BYTES + 1) }).end(),
    );
    const error = await client(api.url)
      .agency.get()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect((error as Error).message).toContain('over the limit of 16,777,216 bytes (maxResponseBytes)');
    expect(api.seen).toEqual(['GET /agency']);
  });
});
