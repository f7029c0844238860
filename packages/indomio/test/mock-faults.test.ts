import { DEFAULT_INJECTED_RETRY_AFTER_MS, type MockFault, serveHandlers } from '@sync/core/msw';
import { IndomioClient } from '@sync/indomio';
import { createIndomioHandlers, IndomioMockPortal } from '@sync/indomio/msw';
import { describe, expect, it } from 'vitest';
import { minimalProperty } from './helpers.js';

describe('IndomioMockPortal fault plan', () => {
  it('fails the requests its plan picks, asking it once per request, after the explicit switches', async () => {
    const portal = new IndomioMockPortal();
    const server = await serveHandlers((url) => createIndomioHandlers({ portal, baseUrl: url }));
    try {
      const decisions: Array<MockFault | undefined> = [{ status: 503 }, { drop: true }, undefined, { status: 429 }];
      let asked = 0;
      portal.faultPlan = {
        next: () => {
          asked++;
          return decisions.shift();
        },
      };
      const remove = () =>
        fetch(`${server.url}/ws/import/immobiliare/property/x-1`, { method: 'DELETE' }).then(
          async (r) => ({ status: r.status, body: await r.text() }),
          () => 'dropped' as const,
        );
      const first = await remove();
      expect(first).toMatchObject({ status: 503 });
      expect(first !== 'dropped' && first.body).toMatch(/<ServiceResponse/);
      expect(await remove()).toBe('dropped');
      expect(await remove()).toMatchObject({ status: 401 });
      portal.dropNext(1);
      expect(await remove()).toBe('dropped');
      expect(asked).toBe(4);
      expect(portal.requests.map((r) => r.status)).toEqual([503, 401]);
      portal.reset();
      expect(portal.faultPlan).toBeUndefined();
    } finally {
      await server.close();
    }
  });
});

describe('IndomioMockPortal injected 429', () => {
  it('answers failNext(1, 429) with a short Retry-After the client waits out, not the portal window', async () => {
    const portal = new IndomioMockPortal();
    const server = await serveHandlers((url) => createIndomioHandlers({ portal, baseUrl: url }));
    try {
      const client = new IndomioClient({
        username: 'user',
        password: 'secret',
        source: 'crm',
        baseUrl: server.url,
        allowInsecureHttp: true,
      });
      const waits = { retries: [] as number[], server: [] as number[], client: [] as number[] };
      client.http.on('retry', (e) => waits.retries.push(e.delayMs));
      client.http.on('rateLimited', (e) => (e.source === 'server' ? waits.server : waits.client).push(e.waitMs));
      portal.failNext(1, 429);
      const result = await client.properties.put(minimalProperty('p-429'));
      expect(result.response.result).toBe(true);
      expect(portal.requests.map((r) => r.status)).toEqual([429, 200]);
      expect(waits.retries).toEqual([DEFAULT_INJECTED_RETRY_AFTER_MS]);
      expect(waits.server).toEqual([DEFAULT_INJECTED_RETRY_AFTER_MS]);
      for (const ms of waits.client) expect(ms).toBeLessThan(DEFAULT_INJECTED_RETRY_AFTER_MS);
    } finally {
      await server.close();
    }
  });

  it('announces the Retry-After the test chose, with X-RateLimit-* headers that agree, the window untouched', async () => {
    const portal = new IndomioMockPortal({ rateLimit: { limit: 50, windowMs: 60_000 } });
    const server = await serveHandlers((url) => createIndomioHandlers({ portal, baseUrl: url }));
    try {
      const auth = `Basic ${Buffer.from('user:secret').toString('base64')}`;
      const remove = () =>
        fetch(`${server.url}/ws/import/immobiliare/property/1`, {
          method: 'DELETE',
          headers: { authorization: auth, 'x-immo-source': 'crm' },
        });
      portal.failNext(1, 429, { retryAfterMs: 300 });
      const limited = await remove();
      expect(limited.status).toBe(429);
      expect(await limited.text()).toMatch(/<ErrorCode>429<\/ErrorCode>/);
      expect(limited.headers.get('retry-after')).toBe('0.3');
      expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(limited.headers.get('x-ratelimit-reset')).toBe('0.3');
      // The window counted the refused request as one, as it counts every authenticated one, and no more.
      const next = await remove();
      expect(next.status).toBe(404);
      expect(next.headers.get('x-ratelimit-remaining')).toBe('48');
      expect(next.headers.get('x-ratelimit-reset')).toBeNull();
    } finally {
      await server.close();
    }
  });
});
