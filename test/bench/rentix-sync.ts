// Initial sync of 10,000 listings to the Rentix mock over real HTTP, with the bulk limit at 30 calls per 2 s.

import type { Listing } from '@sync/core';
import { serveHandlers } from '@sync/core/msw';
import { RentixClient } from '@sync/rentix';
import { createRentixHandlers, DEFAULT_MOCK_API_KEY, RentixMockPortal } from '@sync/rentix/msw';

const LISTINGS = 10_000;
const BULK = { limit: 30, windowMs: 2_000 };
const LIMITS = { default: { limit: 1_000, windowMs: 2_000 }, bulk: BULK };

function listing(i: number): Listing {
  const id = `crm-${i}`;
  const sale = i % 3 === 0;
  return {
    id,
    offer: sale ? 'sale' : 'rent',
    ...(sale ? {} : { rentPeriod: 'month' as const }),
    price: 300 + (i % 900),
    currency: 'EUR',
    category: 'residential',
    type: i % 2 ? 'apartment' : 'house',
    area: 30 + (i % 120),
    address: { country: 'MD', city: 'Chișinău' },
    title: { en: `Listing ${i}` },
    description: { en: `Listing ${i}: a bright home close to parks, schools and public transport.` },
    photos: [1, 2, 3].map((k) => ({ url: `https://img.example.com/${id}/${k}.jpg` })),
    status: 'active',
    updatedAt: '2026-11-01T10:00:00Z',
  };
}

export async function benchRentixInitialSync() {
  const portal = new RentixMockPortal({ rateLimits: LIMITS });
  const server = await serveHandlers((url) => createRentixHandlers({ portal, baseUrl: `${url}/api/v1` }));
  try {
    const client = new RentixClient({
      apiKey: DEFAULT_MOCK_API_KEY,
      baseUrl: `${server.url}/api/v1`,
      allowInsecureHttp: true,
      rateLimits: LIMITS,
    });
    const listings = Array.from({ length: LISTINGS }, (_, i) => listing(i));
    // The mock's windows are aligned to the clock: start on a boundary, so the minimum below is exact.
    await new Promise((resolve) => setTimeout(resolve, BULK.windowMs - (Date.now() % BULK.windowMs)));
    const started = performance.now();
    const { report } = await client.initialSync(listings, { concurrency: 4 });
    const wallMs = performance.now() - started;
    const bulkCalls = Math.ceil(LISTINGS / 100);
    // The earliest the last bulk call may start: one window for every full batch of `limit` calls before it.
    const minimumMs = (Math.ceil(bulkCalls / BULK.limit) - 1) * BULK.windowMs;
    const throttled = portal.requests.filter((r) => r.status === 429).length;
    if (report.created !== LISTINGS) throw new Error(`only ${report.created} of ${LISTINGS} listings synced`);
    return {
      name: `rentix: initial sync of ${LISTINGS} listings, bulk limit ${BULK.limit} per ${BULK.windowMs} ms`,
      baselineMs: minimumMs,
      measuredMs: wallMs,
      ratio: wallMs / minimumMs,
      target: 1.05,
      extra: `theoretical minimum ${minimumMs} ms, ${throttled} responses were 429 (target 0), ${portal.listings.size} listings on the portal`,
      failed: throttled > 0,
    };
  } finally {
    await server.close();
  }
}
