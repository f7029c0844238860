// What the packed packages must do in a consumer project: real calls against their mocks over real HTTP,
// batched calls included (they run on p-limit, an ES-module-only dependency), with their results asserted.
// Each check is the body of an async function, written once in a form that runs as ESM and as CommonJS,
// on Node, Bun and Deno: `lib(name)` loads a module (import() in ESM, require() in CommonJS), `resolvePath(name)`
// resolves a package file to a path (import.meta.resolve in ESM, require.resolve in CommonJS) and `assert` is
// node:assert/strict. A check that cannot run here returns why (a string): it is reported as skipped.

/** One named check: JavaScript statements that may use `lib`, `resolvePath`, `assert` and await; returning a string skips it, saying why. */
export interface Smoke {
  name: string;
  body: string;
}

export const smokes: Smoke[] = [
  {
    name: 'core: HttpClient calls, concurrency-limited requests and runBatches',
    body: `
      const { HttpClient, NotFoundError, runBatches } = await lib('@sync/core');
      const { serveHandlers } = await lib('@sync/core/msw');
      const { http, HttpResponse } = await lib('msw');
      let inFlight = 0;
      let most = 0;
      const server = await serveHandlers((url) => [
        http.get(url + '/v1/ping', async () => {
          inFlight++;
          most = Math.max(most, inFlight);
          await new Promise((r) => setTimeout(r, 5));
          inFlight--;
          return HttpResponse.json({ pong: true });
        }),
      ]);
      try {
        const client = new HttpClient({ portal: 'smoke', baseUrl: server.url + '/v1', allowInsecureHttp: true, userAgent: 'smoke', concurrency: 2 });
        const res = await client.request({ method: 'GET', path: '/ping', operation: 'ping' });
        assert.deepStrictEqual(res.data, { pong: true });
        await assert.rejects(client.request({ method: 'GET', path: '/missing', operation: 'missing' }), NotFoundError);
        const all = await Promise.all(Array.from({ length: 6 }, () => client.request({ method: 'GET', path: '/ping', operation: 'ping' })));
        assert.equal(all.filter((r) => r.data.pong === true).length, 6);
        assert.ok(most <= 2, 'at most 2 requests in flight, saw ' + most);
        const report = await runBatches([1, 2, 3, 4, 5], { size: 2, concurrency: 2 }, async (batch) =>
          batch.map((n) => (n === 4 ? { status: 'failed', error: new Error('four') } : { status: 'succeeded', value: n * 10 })),
        );
        assert.deepStrictEqual([report.total, report.succeeded, report.failed, report.skipped], [5, 4, 1, 0]);
        assert.deepStrictEqual(report.items.map((o) => o.status === 'succeeded' ? o.value : o.status), [10, 20, 30, 'failed', 50]);
      } finally {
        await server.close();
      }
    `,
  },
  {
    name: 'rentix: initialSync of 5 listings in bulk requests of 2',
    body: `
      const { RentixClient } = await lib('@sync/rentix');
      const { RentixMockPortal, createRentixHandlers, DEFAULT_MOCK_API_KEY } = await lib('@sync/rentix/msw');
      const { serveHandlers } = await lib('@sync/core/msw');
      const portal = new RentixMockPortal();
      const server = await serveHandlers((url) => createRentixHandlers({ portal, baseUrl: url + '/api/v1' }));
      try {
        const rentix = new RentixClient({
          apiKey: DEFAULT_MOCK_API_KEY,
          baseUrl: server.url + '/api/v1',
          allowInsecureHttp: true,
          bulk: { maxOperations: 2 },
        });
        // Canonical CRM listings, as every portal package's sync takes them.
        const listings = Array.from({ length: 5 }, (_, i) => ({
          id: 'crm-' + i,
          offer: 'rent',
          price: 400 + i,
          currency: 'EUR',
          rentPeriod: 'month',
          category: 'residential',
          type: 'apartment',
          area: 50,
          address: { country: 'MD', city: 'Chisinau', district: 'Centru' },
          title: { en: 'Bright apartment ' + i },
          description: { en: 'A bright two-room apartment in the centre, close to shops and parks, number ' + i + '.' },
          photos: [1, 2, 3].map((n) => ({ url: 'https://img.example/crm-' + i + '/' + n + '.jpg' })),
          status: 'active',
          updatedAt: '2024-05-01T10:00:00Z',
        }));
        const { agency, report } = await rentix.initialSync(listings);
        assert.equal(typeof agency.name, 'string');
        const failures = report.items.filter((o) => o.action === 'failed').map((o) => o.key + ': ' + o.reason);
        assert.deepStrictEqual([report.total, report.created, report.failed, report.skipped], [5, 5, 0, 0], failures.join('; '));
        assert.deepStrictEqual(report.items.map((o) => o.key), listings.map((l) => l.id));
        const bulkRequests = portal.requests.filter((r) => r.path.endsWith('/bulk'));
        assert.deepStrictEqual(bulkRequests.map((r) => r.operations), [2, 2, 1]);
        assert.equal(portal.listings.size, 5);
        for (const o of report.items) assert.equal(portal.listings.get(String(o.portalId))?.externalId, o.key);
        assert.equal(portal.listingByExternalId('crm-3')?.formData.announcementValue, 403);
      } finally {
        await server.close();
      }
    `,
  },
  {
    name: 'indomio: put, sync and writeFeed; import-schema.xsd resolves',
    body: `
      const { IndomioClient, PORTAL, buildPropertyXml, writeFeed } = await lib('@sync/indomio');
      const { IndomioMockPortal, createIndomioHandlers } = await lib('@sync/indomio/msw');
      const { MemoryIdentifierMap, SyncState } = await lib('@sync/core');
      const { serveHandlers } = await lib('@sync/core/msw');
      const { mkdtempSync, readFileSync, rmSync } = await lib('node:fs');
      const { tmpdir } = await lib('node:os');
      const { join } = await lib('node:path');
      const { gunzipSync } = await lib('node:zlib');
      const property = (uniqueId) => ({
        uniqueId,
        dateUpdated: '2024-05-01T10:00:00',
        agent: { email: 'agency@example.com' },
        location: { city: { name: 'Jesi', code: '042021' } },
        transactions: [{ type: 'S', price: 140000 }],
        building: { typeId: 14 },
        features: { energyClass: {} },
      });

      // The schema the documents follow ships with the package, and resolves from ESM and CommonJS alike.
      const xsdPath = resolvePath('@sync/indomio/import-schema.xsd');
      assert.match(xsdPath, /node_modules[\\\\/]@sync[\\\\/]indomio[\\\\/]import-schema\\.xsd$/);
      const xsd = readFileSync(xsdPath, 'utf8');
      assert.match(xsd, /^<\\?xml [^>]*\\?>\\s*<xs:schema /);
      assert.match(xsd, /<xs:element name="property"/);

      const portal = new IndomioMockPortal();
      const server = await serveHandlers((url) => createIndomioHandlers({ portal, baseUrl: url }));
      try {
        const ids = new MemoryIdentifierMap();
        const indomio = new IndomioClient({ username: 'user', password: 'secret', source: 'crm', baseUrl: server.url, allowInsecureHttp: true, concurrency: 2, idMap: ids });
        assert.match(buildPropertyXml(property('smoke-0')), /<unique-id>/);
        const puts = await Promise.all(['smoke-0', 'smoke-1', 'smoke-2'].map((id) => indomio.properties.put(property(id))));
        assert.deepStrictEqual(puts.map((r) => r.uniqueId), ['smoke-0', 'smoke-1', 'smoke-2']);
        assert.equal(portal.listings().length, 3);

        // smoke-1 went up with put, so the client's identifier map knows it: the sync updates it and creates the others.
        const report = await indomio.properties.sync([property('smoke-1'), property('smoke-3'), property('smoke-4')], { state: new SyncState(ids, PORTAL), concurrency: 2 });
        assert.equal(report.failed, 0, JSON.stringify(report.items.filter((o) => o.action === 'failed').map((o) => o.reason)));
        assert.deepStrictEqual([report.total, report.created, report.updated], [3, 2, 1]);
        for (const id of ['smoke-3', 'smoke-4']) assert.ok(portal.getListing(id), id + ' on the mock');
      } finally {
        await server.close();
      }

      const dir = mkdtempSync(join(tmpdir(), 'sync-feed-'));
      try {
        const feed = await writeFeed(
          [property('feed-1'), property('feed-2'), { ...property('feed-bad'), transactions: [] }],
          { publisher: { name: 'Agenzia', email: 'agency@example.com', phone: '+39 071 000000' }, buildDate: '2024-05-01T10:00:00' },
          dir,
        );
        assert.deepStrictEqual([feed.format, feed.total, feed.written, feed.failed.length], ['gzip', 3, 2, 1]);
        assert.equal(feed.failed[0].uniqueId, 'feed-bad');
        const xml = gunzipSync(readFileSync(feed.file)).toString('utf8');
        assert.equal(xml.match(/<property[\\s>]/g)?.length, 2);
        assert.match(xml, /<unique-id>(<!\\[CDATA\\[)?feed-2/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    `,
  },
  {
    name: 'pfcrm: list and bulk in chunks of 2',
    body: `
      const { PfCrmClient, ops, propertiesQuery } = await lib('@sync/pfcrm');
      const { PfCrmMockPortal, createPfCrmHandlers } = await lib('@sync/pfcrm/msw');
      const { serveHandlers } = await lib('@sync/core/msw');
      const portal = new PfCrmMockPortal();
      portal.seedProperties(3);
      const server = await serveHandlers((url) => createPfCrmHandlers({ portal, baseUrl: url }));
      try {
        const pf = new PfCrmClient({ apiKey: 'test-key', apiSecret: 'test-secret', baseUrl: server.url, tokenUrl: server.url + '/auth/oauth/v1/token', allowInsecureHttp: true });
        const page = await pf.properties.list({ perPage: 10 });
        assert.equal(page.items.length, 3);
        assert.equal(typeof propertiesQuery({ filters: { state: 'approved' } }), 'string');
        const ids = page.items.map((p) => p.id);
        const report = await pf.properties.bulk(ids.map((id) => ops.archive(id)), { chunkSize: 2, concurrency: 2 });
        assert.deepStrictEqual([report.total, report.succeeded, report.failed, report.skipped], [3, 3, 0, 0]);
        for (const id of ids) assert.equal(portal.properties.get(id)?.state, 'archived');
        const archived = await pf.properties.list({ filters: { state: 'archived' }, perPage: 10 });
        assert.deepStrictEqual(archived.items.map((p) => p.id).sort(), [...ids].sort());
      } finally {
        await server.close();
      }
    `,
  },
  {
    name: 'queue: a round of one agency on a worker in this process, and its metrics',
    body: `
      const { env } = await lib('node:process');
      // The checker starts a redis-server and passes its URL, or says why it could not.
      if (!env.SYNC_SMOKE_REDIS_URL) return env.SYNC_SMOKE_REDIS_MISSING || 'no Redis was started for this check';
      const { SyncFleet } = await lib('@sync/queue');
      const { MemoryIdentifierMap } = await lib('@sync/core');
      const { serveHandlers } = await lib('@sync/core/msw');
      const { RentixClient, rentixTarget } = await lib('@sync/rentix');
      const { RentixMockPortal, createRentixHandlers, DEFAULT_MOCK_API_KEY } = await lib('@sync/rentix/msw');
      const redis = new URL(env.SYNC_SMOKE_REDIS_URL);
      const listings = Array.from({ length: 3 }, (_, i) => ({
        id: 'crm-' + i,
        offer: 'rent',
        price: 500 + i,
        currency: 'EUR',
        rentPeriod: 'month',
        category: 'residential',
        type: 'apartment',
        area: 60,
        address: { country: 'MD', city: 'Chisinau', district: 'Centru' },
        title: { en: 'Quiet apartment ' + i },
        description: { en: 'A quiet two-room apartment near the park, with a balcony and a new kitchen, number ' + i + '.' },
        photos: [1, 2, 3].map((n) => ({ url: 'https://img.example/q-' + i + '/' + n + '.jpg' })),
        status: 'active',
        updatedAt: '2024-05-01T10:00:00Z',
      }));
      const portal = new RentixMockPortal();
      const server = await serveHandlers((url) => createRentixHandlers({ portal, baseUrl: url + '/api/v1' }));
      const fleet = new SyncFleet({
        redis: { host: redis.hostname, port: Number(redis.port) },
        // Each runtime and module format runs in its own keys of the one Redis.
        prefix: 'smoke-' + Date.now() + '-' + Math.random().toString(36).slice(2, 8),
        store: new MemoryIdentifierMap(),
        listings: async () => listings,
        portals: {
          rentix: {
            limits: { default: { limit: 300, windowMs: 60000 }, bulk: { limit: 30, windowMs: 60000 } },
            target(agency, { state, rateLimiter, observe }) {
              const client = new RentixClient({ apiKey: DEFAULT_MOCK_API_KEY, baseUrl: server.url + '/api/v1', allowInsecureHttp: true, rateLimiter });
              observe(client.http);
              return rentixTarget(client, { state, agent: 'omit' });
            },
          },
        },
      });
      const worker = fleet.worker({ concurrency: 1 });
      let timer;
      try {
        const rentix = worker.workers.get('rentix');
        const done = new Promise((resolve, reject) => {
          rentix.on('completed', (job, summary) => resolve(summary));
          rentix.on('failed', (job, error) => reject(error));
          timer = setTimeout(() => reject(new Error('the round did not complete within 60 s')), 60000);
        });
        await fleet.enqueue('agency-1');
        const summary = await done;
        assert.deepStrictEqual(
          [summary.agency, summary.portal, summary.status, summary.listings, summary.created, summary.failed],
          ['agency-1', 'rentix', 'completed', 3, 3, 0],
        );
        assert.equal(portal.listings.size, 3);
        for (const l of listings) assert.equal(portal.listingByExternalId(l.id)?.formData.announcementValue, l.price);
        const metrics = await fleet.metrics();
        assert.equal(metrics.portals.rentix.counters.rounds.completed, 1);
        assert.match(await fleet.prometheus(), /sync_rounds_total\\{portal="rentix",status="completed"\\} 1/);
      } finally {
        clearTimeout(timer);
        await worker.close();
        await fleet.close();
        await server.close();
      }
    `,
  },
];

/**
 * TypeScript that must type-check against the packed declarations, as an ES module
 * (every entry point) and as CommonJS (the main entry points: msw publishes ES-module
 * types only, so its subpaths are for ES-module code).
 */
export const typesCheckCjs = `
import { HttpClient, SyncError } from '@sync/core';
import { RentixClient } from '@sync/rentix';
import { IndomioClient } from '@sync/indomio';
import { PfCrmClient } from '@sync/pfcrm';
import { SyncFleet, type FleetConfig } from '@sync/queue';
export const clients = [RentixClient, IndomioClient, PfCrmClient];
export const fleet = (config: FleetConfig): SyncFleet => new SyncFleet(config);
export const client: HttpClient = new HttpClient({ portal: 'types', baseUrl: 'https://example.com', userAgent: 'types' });
export const isSync = (e: unknown): boolean => e instanceof SyncError;
`;

/** ES-module TypeScript over every entry point. */
export const typesCheck = `
import { HttpClient, type HttpResponse, type Listing, SyncError, runBatches } from '@sync/core';
import { serveHandlers, type HandlerServer } from '@sync/core/msw';
import { RentixClient, type ListingInput } from '@sync/rentix';
import { RentixMockPortal, createRentixHandlers } from '@sync/rentix/msw';
import { IndomioClient, type PropertyInput } from '@sync/indomio';
import { IndomioMockPortal, createIndomioHandlers } from '@sync/indomio/msw';
import { PfCrmClient, type PropertyFilters } from '@sync/pfcrm';
import { PfCrmMockPortal, createPfCrmHandlers } from '@sync/pfcrm/msw';
import { RedisRateLimiter, SyncFleet, type FleetConfig, type RoundSummary } from '@sync/queue';

export async function rounds(config: FleetConfig): Promise<RoundSummary | undefined> {
  const fleet = new SyncFleet(config);
  await fleet.enqueue('agency-1');
  const limiter: RedisRateLimiter = new RedisRateLimiter({ redis: fleet.redis, key: 'k', limits: {} });
  await limiter.acquire(['default']);
  const [job] = await fleet.queue('rentix').getCompleted(0, 0);
  return job?.returnvalue ?? undefined;
}

export async function portals(url: string): Promise<number> {
  const rentix = new RentixClient({ apiKey: 'k', baseUrl: url, allowInsecureHttp: true });
  const upsert: ListingInput = { externalId: 'a', announcementType: 'sale' };
  const indomio = new IndomioClient({ username: 'u', password: 'p', source: 's', baseUrl: url, allowInsecureHttp: true });
  const property: PropertyInput = {
    uniqueId: 'a',
    dateUpdated: '2024-05-01T10:00:00',
    agent: { email: 'a@example.com' },
    location: { city: { name: 'Jesi', code: '042021' } },
    transactions: [{ type: 'S', price: 1 }],
    building: { typeId: 14 },
    features: { energyClass: {} },
  };
  const pf = new PfCrmClient({ accessToken: 't', baseUrl: url, allowInsecureHttp: true });
  const filters: PropertyFilters = { state: 'approved' };
  const page = await pf.properties.list({ filters });
  const report = await rentix.listings.upsertMany([upsert]);
  const put = await indomio.properties.put(property);
  const mocks = [new RentixMockPortal(), new IndomioMockPortal(), new PfCrmMockPortal()].length;
  const handlers = [createRentixHandlers, createIndomioHandlers, createPfCrmHandlers].length;
  return page.items.length + report.total + (put.idListing ?? 0) + mocks + handlers;
}

export async function check(server: HandlerServer, listing: Listing): Promise<number> {
  const client = new HttpClient({ portal: 'types', baseUrl: server.url, allowInsecureHttp: true, userAgent: 'types' });
  const res: HttpResponse<{ pong: boolean }> = await client.request<{ pong: boolean }>({ method: 'GET', path: '/ping', operation: 'ping' });
  const report = await runBatches([listing], { size: 10 }, async (batch) => batch.map(() => ({ status: 'succeeded' as const, value: res.data.pong })));
  const failed = report.items.filter((o) => o.status === 'failed').map((o) => (o.status === 'failed' && o.error instanceof SyncError ? o.error.message : ''));
  return failed.length + report.succeeded;
}
export const unused = serveHandlers;
`;
