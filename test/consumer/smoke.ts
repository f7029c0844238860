// What each packed package must do in a consumer project: one call against its mock over real HTTP.
// Each entry is the body of an async function, written once in a form that runs under ESM and CommonJS:
// `lib(name)` loads a module (import() in ESM, require() in CommonJS) and `assert` checks a result.

export interface Smoke {
  /** Modules the check loads. */
  modules: string[];
  /** JavaScript statements; may use `lib`, `assert` and await. */
  body: string;
}

export const smokes: Record<string, Smoke> = {
  core: {
    modules: ['@sync/core', '@sync/core/msw', 'msw'],
    body: `
      const { HttpClient, NotFoundError } = await lib('@sync/core');
      const { serveHandlers } = await lib('@sync/core/msw');
      const { http, HttpResponse } = await lib('msw');
      const server = await serveHandlers((url) => [http.get(url + '/v1/ping', () => HttpResponse.json({ pong: true }))]);
      try {
        const client = new HttpClient({ portal: 'smoke', baseUrl: server.url + '/v1', allowInsecureHttp: true, userAgent: 'smoke' });
        const res = await client.request({ method: 'GET', path: '/ping', operation: 'ping' });
        assert.deepStrictEqual(res.data, { pong: true });
        await assert.rejects(client.request({ method: 'GET', path: '/missing', operation: 'missing' }), NotFoundError);
      } finally {
        await server.close();
      }
    `,
  },
  rentix: {
    modules: ['@sync/rentix', '@sync/rentix/msw'],
    body: `
      const { RentixClient } = await lib('@sync/rentix');
      const { RentixMockPortal, createRentixHandlers, DEFAULT_MOCK_API_KEY } = await lib('@sync/rentix/msw');
      const { serveHandlers } = await lib('@sync/core/msw');
      const portal = new RentixMockPortal();
      const server = await serveHandlers((url) => createRentixHandlers({ portal, baseUrl: url + '/api/v1' }));
      try {
        const rentix = new RentixClient({ apiKey: DEFAULT_MOCK_API_KEY, baseUrl: server.url + '/api/v1', allowInsecureHttp: true });
        const agency = await rentix.agency.get();
        assert.equal(typeof agency.name, 'string');
      } finally {
        await server.close();
      }
    `,
  },
  indomio: {
    modules: ['@sync/indomio', '@sync/indomio/msw'],
    body: `
      const { IndomioClient, buildPropertyXml } = await lib('@sync/indomio');
      const { IndomioMockPortal, createIndomioHandlers } = await lib('@sync/indomio/msw');
      const { serveHandlers } = await lib('@sync/core/msw');
      const portal = new IndomioMockPortal();
      const server = await serveHandlers((url) => createIndomioHandlers({ portal, baseUrl: url }));
      try {
        const indomio = new IndomioClient({ username: 'user', password: 'secret', source: 'crm', baseUrl: server.url, allowInsecureHttp: true });
        const property = {
          uniqueId: 'smoke-1',
          dateUpdated: '2024-05-01T10:00:00',
          agent: { email: 'agency@example.com' },
          location: { city: { name: 'Jesi', code: '042021' } },
          transactions: [{ type: 'S', price: 140000 }],
          building: { typeId: 14 },
          features: { energyClass: {} },
        };
        assert.match(buildPropertyXml(property), /<unique-id>/);
        const result = await indomio.properties.put(property);
        assert.equal(result.uniqueId, 'smoke-1');
      } finally {
        await server.close();
      }
    `,
  },
  pfcrm: {
    modules: ['@sync/pfcrm', '@sync/pfcrm/msw'],
    body: `
      const { PfCrmClient, propertiesQuery } = await lib('@sync/pfcrm');
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
      } finally {
        await server.close();
      }
    `,
  },
};

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
export const clients = [RentixClient, IndomioClient, PfCrmClient];
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
