import { DEFAULT_INJECTED_RETRY_AFTER_MS, type MockFault, serveHandlers } from '@sync/core/msw';
import { RentixClient } from '@sync/rentix';
import { createRentixHandlers, DEFAULT_MOCK_API_KEY, RentixMockPortal } from '@sync/rentix/msw';
import { afterEach, describe, expect, it, vi } from 'vitest';

describe('RentixMockPortal fault plan', () => {
  it('fails the requests its plan picks, asking it once per request, after the explicit switches', async () => {
    const portal = new RentixMockPortal();
    const server = await serveHandlers((url) => createRentixHandlers({ portal, baseUrl: `${url}/api/v1` }));
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
        fetch(`${server.url}/api/v1/listings`).then(
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

describe('RentixMockPortal injected 429', () => {
  it('answers failNext(1, 429) with a short Retry-After the client waits out, not the portal window', async () => {
    const portal = new RentixMockPortal();
    const server = await serveHandlers((url) => createRentixHandlers({ portal, baseUrl: `${url}/api/v1` }));
    try {
      const client = new RentixClient({
        apiKey: DEFAULT_MOCK_API_KEY,
        baseUrl: `${server.url}/api/v1`,
        allowInsecureHttp: true,
      });
      const waits = recordWaits(client.http);
      portal.failNext(1, 429);
      const agency = await client.agency.get();
      expect(agency.id).toBe('agency-1');
      expect(portal.requests.map((r) => r.status)).toEqual([429, 200]);
      expect(waits.retries).toEqual([DEFAULT_INJECTED_RETRY_AFTER_MS]);
      expect(waits.server).toEqual([DEFAULT_INJECTED_RETRY_AFTER_MS]);
      // The bucket was told nothing remains until then, and no longer: once the retry's delay is over
      // it holds the call for at most its small margin.
      for (const ms of waits.client) expect(ms).toBeLessThan(DEFAULT_INJECTED_RETRY_AFTER_MS);
    } finally {
      await server.close();
    }
  });

  it('announces the Retry-After the test chose, with X-RateLimit-* headers that agree, leaving the window alone', async () => {
    const now = 1_800_000_000_000;
    const portal = new RentixMockPortal({ now: () => now });
    const server = await serveHandlers((url) => createRentixHandlers({ portal, baseUrl: `${url}/api/v1` }));
    try {
      const get = () => fetch(`${server.url}/api/v1/agency`, { headers: { 'x-api-key': DEFAULT_MOCK_API_KEY } });
      portal.failNext(1, 429, { retryAfterMs: 250, message: 'Slow down' });
      const limited = await get();
      expect(limited.status).toBe(429);
      expect(await limited.json()).toMatchObject({ statusCode: 429, message: 'Slow down' });
      expect(limited.headers.get('retry-after')).toBe('0.25');
      expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(limited.headers.get('x-ratelimit-limit')).toBe('300');
      expect(limited.headers.get('x-ratelimit-reset')).toBe(String((now + 250) / 1000));
      const next = await get();
      expect(next.status).toBe(200);
      expect(next.headers.get('x-ratelimit-remaining')).toBe('299');
    } finally {
      await server.close();
    }
  });
});

/** The waits a client's events report: retry delays, and how long the server and the client's buckets held calls. */
function recordWaits(http: RentixClient['http']) {
  const waits = { retries: [] as number[], server: [] as number[], client: [] as number[] };
  http.on('retry', (e) => waits.retries.push(e.delayMs));
  http.on('rateLimited', (e) => (e.source === 'server' ? waits.server : waits.client).push(e.waitMs));
  return waits;
}

describe('RentixMockPortal rate window under fake timers', () => {
  afterEach(() => vi.useRealTimers());

  it('lets a test wait out a one-minute window without waiting a minute', async () => {
    const window = { limit: 2, windowMs: 60_000 };
    const portal = new RentixMockPortal({ rateLimits: { default: window } });
    const server = await serveHandlers((url) => createRentixHandlers({ portal, baseUrl: `${url}/api/v1` }));
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const client = new RentixClient({
        apiKey: DEFAULT_MOCK_API_KEY,
        baseUrl: `${server.url}/api/v1`,
        allowInsecureHttp: true,
        rateLimits: { default: window },
      });
      const waits = recordWaits(client.http);
      const calls = (async () => {
        for (let i = 0; i < 3; i++) await client.agency.get();
      })();
      await runWithFakeClock(calls, client.http);
      expect(portal.requests.map((r) => r.status)).toEqual([200, 200, 200]);
      expect(waits.client).toHaveLength(1);
      expect(waits.client[0]).toBeGreaterThan(0);
      expect(waits.client[0]).toBeLessThanOrEqual(window.windowMs + 1000);
    } finally {
      vi.useRealTimers();
      await server.close();
    }
  });
});

/**
 * Runs `work` under fake timers: while no request is in flight (the client is waiting for its
 * bucket or a retry), moves the clock to the next timer; while one is, lets the real I/O finish.
 * The clock never moves under a request in flight, so no attempt times out on fake time.
 */
async function runWithFakeClock(work: Promise<unknown>, http: RentixClient['http']): Promise<void> {
  let settled = false;
  const done = work.finally(() => {
    settled = true;
  });
  let inFlight = 0;
  let answered: (() => void) | undefined;
  const offRequest = http.on('request', () => {
    inFlight++;
  });
  const offResponse = http.on('response', () => {
    inFlight--;
    answered?.();
  });
  try {
    for (let step = 0; step < 1000 && !settled; step++) {
      if (inFlight > 0) {
        await Promise.race([new Promise<void>((resolve) => (answered = resolve)), done]);
      } else if (vi.getTimerCount() > 0) {
        await vi.advanceTimersToNextTimerAsync();
      } else {
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
    await done;
  } finally {
    offRequest();
    offResponse();
  }
}
