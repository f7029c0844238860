// The demo's flow as a test: the three mock portals over real HTTP on 127.0.0.1, the sample CRM
// data synced to all of them, then a continuous pass; each portal's final state is checked
// listing by listing — once on a quiet network and once with faults switched on in the mocks.
import { type IdentifierMap, type Listing, MemoryIdentifierMap } from '@sync/core';
import { type SeededFaultPlan, seededFaults } from '@sync/core/msw';
import { afterEach, describe, expect, it } from 'vitest';
import { type ImageHost, startImageHost } from '../docs/examples/demo/image-host.ts';
import { type DemoPortal, type PortalRun, startPortals } from '../docs/examples/demo/portals.ts';
import { holdings, loadListings, nextDay, syncAll } from '../docs/examples/demo/run.ts';

let images: ImageHost | undefined;
let portals: DemoPortal[] = [];

afterEach(async () => {
  await Promise.all(portals.map((p) => p.close()));
  portals = [];
  await images?.close();
  images = undefined;
});

async function start(state: IdentifierMap, retry?: Parameters<typeof startPortals>[1]['retry']) {
  images = await startImageHost();
  const listings = await loadListings(images.url);
  portals = await startPortals(listings, { state, retry: retry ?? { baseDelayMs: 5, maxDelayMs: 50 } });
  return listings;
}

/** What each portal must hold once it is in line with `crm`, given every id it ever received. */
function expectInLine(portal: DemoPortal, crm: readonly Listing[], everSent: ReadonlySet<string>) {
  const held = portal.snapshot();
  const current = new Map(crm.map((l) => [l.id, l]));
  for (const listing of crm) {
    const record = held.get(listing.id);
    const publishedOnPortal = portal.name !== 'indomio' || listing.status === 'active';
    if (!publishedOnPortal) {
      expect(record, `${portal.name} ${listing.id} (${listing.status}) is not on the portal`).toBeUndefined();
      continue;
    }
    expect(record, `${portal.name} holds ${listing.id}`).toBeDefined();
    expect(record?.price, `${portal.name} ${listing.id} price`).toBe(listing.price);
    if (portal.name === 'rentix')
      expect(record?.visible, `rentix ${listing.id} visibility`).toBe(listing.status === 'active');
    if (portal.name === 'pfcrm') expect(record?.images, `pfcrm ${listing.id} photos`).toBe(listing.photos.length);
  }
  // Listings gone from the CRM: hidden on Rentix, deleted elsewhere.
  for (const id of everSent) {
    if (current.has(id)) continue;
    if (portal.name === 'rentix') expect(held.get(id)?.visible, `rentix hides ${id}`).toBe(false);
    else expect(held.has(id), `${portal.name} deleted ${id}`).toBe(false);
  }
  // Nothing else is there: no duplicates, no strays.
  for (const id of held.keys())
    expect(current.has(id) || everSent.has(id), `${portal.name} ${id} came from the CRM`).toBe(true);
}

function totals(runs: Map<string, PortalRun>) {
  return Object.fromEntries(
    [...runs].map(([name, r]) => [name, { ...r, failures: r.failures.length, skipped: Object.fromEntries(r.skipped) }]),
  );
}

describe('one CRM, three portals, over real HTTP', () => {
  it('syncs every listing, then only what changed, and every portal ends in the CRM state', async () => {
    const listings = await start(new MemoryIdentifierMap());
    const ids = new Set(listings.map((l) => l.id));

    const first = await syncAll(portals, listings, false);
    const activeCount = listings.filter((l) => l.status === 'active').length;
    // Indomio is given the active listings only; the others are reported skipped, counted by reason.
    const unpublished = (crm: readonly Listing[]) => {
      const out: Record<string, number> = {};
      for (const l of crm) {
        if (l.status === 'active') continue;
        const reason = `Indomio does not publish ${l.status} listings`;
        out[reason] = (out[reason] ?? 0) + 1;
      }
      return out;
    };
    expect(Object.keys(unpublished(listings)).length).toBeGreaterThan(0);
    expect(totals(first)).toEqual({
      rentix: { sent: listings.length, unchanged: 0, deleted: 0, skipped: {}, failures: 0 },
      indomio: { sent: activeCount, unchanged: 0, deleted: 0, skipped: unpublished(listings), failures: 0 },
      pfcrm: { sent: listings.length, unchanged: 0, deleted: 0, skipped: {}, failures: 0 },
    });
    // The demo's closing line says what the reports say.
    expect(holdings(listings.length, first)).toBe(
      `rentix and pfcrm hold all ${listings.length} CRM listings; ` +
        `indomio holds ${activeCount} of them, the other ${listings.length - activeCount} skipped (reasons above)`,
    );
    for (const portal of portals) expectInLine(portal, listings, ids);

    const day2 = nextDay(listings);
    const changed = day2.filter((l) => {
      const before = listings.find((b) => b.id === l.id);
      return !before || before.price !== l.price;
    });
    const removed = listings.filter((l) => !day2.some((d) => d.id === l.id));
    for (const l of day2) ids.add(l.id);
    const second = await syncAll(portals, day2, false);
    expect(second.get('rentix')).toMatchObject({ sent: changed.length, deleted: removed.length, failures: [] });
    expect(second.get('pfcrm')).toMatchObject({ sent: changed.length, deleted: removed.length, failures: [] });
    expect(second.get('indomio')).toMatchObject({
      sent: changed.filter((l) => l.status === 'active').length,
      deleted: removed.filter((l) => l.status === 'active').length,
      failures: [],
    });
    expect(Object.fromEntries(second.get('indomio')?.skipped ?? [])).toEqual(unpublished(day2));
    for (const portal of portals) expectInLine(portal, day2, ids);
  }, 60_000);

  it('ends in the same state with latency, 429s, 5xx and dropped connections switched on', async () => {
    const listings = await start(new MemoryIdentifierMap(), {
      maxAttempts: 8,
      baseDelayMs: 5,
      maxDelayMs: 40,
    });
    const ids = new Set(listings.map((l) => l.id));
    // Faults follow the requests, not the clock, so a slow machine gets the same faults per request as
    // a fast one: each portal fails a seeded share of the requests it receives (503, 500, 429 or a
    // dropped connection, never more than two in a row), up to a limit per day, so that the rounds
    // after the first one, which resend what a fault broke, see fewer faults.
    const plans: Record<DemoPortal['name'], { rate: number; limit: number }> = {
      rentix: { rate: 0.5, limit: 10 },
      indomio: { rate: 0.1, limit: 15 },
      pfcrm: { rate: 0.05, limit: 10 },
    };
    const armed: Array<[DemoPortal['name'], SeededFaultPlan]> = [];
    const arm = (day: number) => {
      portals.forEach((portal, i) => {
        const plan = seededFaults({ seed: 100 * day + i, ...plans[portal.name] });
        portal.faults.plan(plan);
        armed.push([portal.name, plan]);
      });
    };
    for (const portal of portals) portal.faults.latency(3);
    try {
      // A real CRM runs the sync again later: what one round could not do, the next one does.
      const syncUntilClean = async (crm: readonly Listing[]) => {
        for (let attempt = 0; attempt < 5; attempt++) {
          const runs = await syncAll(portals, crm, false);
          if ([...runs.values()].every((r) => r.failures.length === 0)) return attempt + 1;
        }
        return Number.POSITIVE_INFINITY;
      };
      arm(1);
      expect(await syncUntilClean(listings)).toBeLessThanOrEqual(3);
      const day2 = nextDay(listings);
      for (const l of day2) ids.add(l.id);
      arm(2);
      expect(await syncUntilClean(day2)).toBeLessThanOrEqual(3);
      for (const portal of portals) {
        portal.faults.plan(undefined);
        portal.faults.latency(0);
        expectInLine(portal, day2, ids);
      }
      // Every portal had faults to recover from, and its client retried.
      for (const portal of portals) {
        const injected = armed.filter(([name]) => name === portal.name).reduce((n, [, plan]) => n + plan.injected, 0);
        expect(injected, `${portal.name} faults`).toBeGreaterThan(0);
        expect(portal.retries, `${portal.name} retries`).toBeGreaterThan(0);
      }
    } finally {
      for (const portal of portals) portal.faults.plan(undefined);
    }
  }, 120_000);
});
