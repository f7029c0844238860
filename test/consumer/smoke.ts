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
};

/**
 * TypeScript that must type-check against the packed declarations, as an ES module
 * (every entry point) and as CommonJS (the main entry points: msw publishes ES-module
 * types only, so its subpaths are for ES-module code).
 */
export const typesCheckCjs = `
import { HttpClient, SyncError } from '@sync/core';
export const client: HttpClient = new HttpClient({ portal: 'types', baseUrl: 'https://example.com', userAgent: 'types' });
export const isSync = (e: unknown): boolean => e instanceof SyncError;
`;

/** ES-module TypeScript over every entry point. */
export const typesCheck = `
import { HttpClient, type HttpResponse, type Listing, SyncError, runBatches } from '@sync/core';
import { serveHandlers, type HandlerServer } from '@sync/core/msw';

export async function check(server: HandlerServer, listing: Listing): Promise<number> {
  const client = new HttpClient({ portal: 'types', baseUrl: server.url, allowInsecureHttp: true, userAgent: 'types' });
  const res: HttpResponse<{ pong: boolean }> = await client.request<{ pong: boolean }>({ method: 'GET', path: '/ping', operation: 'ping' });
  const report = await runBatches([listing], { size: 10 }, async (batch) => batch.map(() => ({ status: 'succeeded' as const, value: res.data.pong })));
  const failed = report.items.filter((o) => o.status === 'failed').map((o) => (o.status === 'failed' && o.error instanceof SyncError ? o.error.message : ''));
  return failed.length + report.succeeded;
}
export const unused = serveHandlers;
`;
