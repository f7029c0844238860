import { DEFAULT_INJECTED_RETRY_AFTER_MS, type MockFault, serveHandlers } from '@sync/core/msw';
import { createPfCrmHandlers, PfCrmMockPortal } from '@sync/pfcrm/msw';
import { describe, expect, it } from 'vitest';
import { startHarness } from './support.js';

describe('PfCrmMockPortal fault plan', () => {
  it('fails the API calls its plan picks, asking it once per call, after the explicit switches', async () => {
    const portal = new PfCrmMockPortal();
    const server = await serveHandlers((url) => createPfCrmHandlers({ portal, baseUrl: url }));
    try {
      const decisions: Array<MockFault | undefined> = [{ status: 503 }, { drop: true }, undefined, { status: 429 }];
      let asked = 0;
      portal.faultPlan = {
        next: () => {
          asked++;
          return decisions.shift();
        },
      };
      const get = () =>
        fetch(`${server.url}/properties/1`).then(
          (r) => r.status,
          () => 'dropped',
        );
      expect(await get()).toBe(503);
      expect(await get()).toBe('dropped');
      expect(await get()).toBe(401);
      portal.failNext(1, 500);
      expect(await get()).toBe(500);
      expect(asked).toBe(4);
      expect(await get()).toBe(401);
      portal.reset();
      expect(portal.faultPlan).toBeUndefined();
    } finally {
      await server.close();
    }
  });
});

describe('PfCrmMockPortal injected 429', () => {
  it('answers failNext(1, 429) with a short Retry-After the client waits out, not the account window', async () => {
    const h = await startHarness({}, { retry: {} });
    try {
      const waits = { retries: [] as number[], server: [] as number[], client: [] as number[] };
      h.client.http.on('retry', (e) => waits.retries.push(e.delayMs));
      h.client.http.on('rateLimited', (e) => (e.source === 'server' ? waits.server : waits.client).push(e.waitMs));
      h.portal.failNext(1, 429);
      const user = await h.client.users.get(1);
      expect(user.id).toBe(1);
      expect(h.portal.requests).toHaveLength(2);
      expect(waits.retries).toEqual([DEFAULT_INJECTED_RETRY_AFTER_MS]);
      expect(waits.server).toEqual([DEFAULT_INJECTED_RETRY_AFTER_MS]);
      for (const ms of waits.client) expect(ms).toBeLessThan(DEFAULT_INJECTED_RETRY_AFTER_MS);
    } finally {
      await h.close();
    }
  });

  it('announces the Retry-After the test chose, with X-RateLimit-* headers that agree, and a body when given', async () => {
    const portal = new PfCrmMockPortal({ rateLimit: { limit: 40, windowMs: 60_000 } });
    const server = await serveHandlers((url) => createPfCrmHandlers({ portal, baseUrl: url }));
    try {
      portal.failNext(1, 429, { retryAfterMs: 1500, body: { code: 429, message: 'slow down' } });
      const limited = await fetch(`${server.url}/properties/1`);
      expect(limited.status).toBe(429);
      expect(await limited.json()).toEqual({ code: 429, message: 'slow down' });
      expect(limited.headers.get('retry-after')).toBe('1.5');
      expect(limited.headers.get('x-ratelimit-limit')).toBe('40');
      expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(limited.headers.get('x-ratelimit-reset')).toBe('1.5');
      portal.failNext(1, 422, { code: 422, message: 'the account is suspended' });
      const refused = await fetch(`${server.url}/properties/1`);
      expect(await refused.json()).toEqual({ code: 422, message: 'the account is suspended' });
      expect(refused.headers.get('x-ratelimit-reset')).toBeNull();
    } finally {
      await server.close();
    }
  });
});
