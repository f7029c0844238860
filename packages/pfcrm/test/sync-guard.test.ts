// syncListings with a create guard and a shared rate limiter, against the mock over real HTTP:
// every lookup-by-reference → create runs inside the guard, updates do not; every request waits on
// the injected limiter instead of the client's own buckets.
import { MemoryIdentifierMap, type RateLimitWait, SyncState } from '@sync/core';
import { type PfTypeTable, syncListings } from '@sync/pfcrm';
import { afterEach, describe, expect, it } from 'vitest';
import { generateListings } from '../../../docs/examples/generate-data.ts';
import { type Harness, startHarness } from './support.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('syncListings for workers that share state', () => {
  it('runs each create (with its lookup) inside guardCreate, and waits on the injected rate limiter', async () => {
    harness = await startHarness();
    const listings = generateListings(6, 3).map((l) => ({ ...l, status: 'active' as const }));
    const locations: Record<string, string> = {};
    [...new Set(listings.map((l) => l.address.city))].forEach((city, i) => {
      harness?.portal.locations.push({ id: `ita.${i + 1}`, city, community: null, sub_community: null, tower: null });
      locations[city] = `ita.${i + 1}`;
    });
    // One PF type id per kind of listing, as an account's configuration would give.
    const types: PfTypeTable = Object.fromEntries(
      [...new Set(listings.map((l) => `${l.category}.${l.type}`))].map((kind, i) => [kind, i + 1]),
    );
    const acquired: string[][] = [];
    const rateLimiter = {
      async acquire(names: readonly string[]): Promise<RateLimitWait | undefined> {
        acquired.push([...names]);
        return undefined;
      },
      release() {},
      sync() {},
    };
    const client = harness.makeClient({ rateLimiter });
    const guarded: string[] = [];
    let inside = 0;
    const options = {
      state: new SyncState(new MemoryIdentifierMap(), 'pfcrm'),
      currency: 'EUR',
      sizeUnit: 'sqm' as const,
      types,
      locations,
      agents: 'omit' as const,
      images: 'omit' as const,
      guardCreate: async <T>(key: string, create: () => Promise<T>) => {
        guarded.push(key);
        inside++;
        try {
          return await create();
        } finally {
          inside--;
        }
      },
    };
    const first = await syncListings(client, listings, options);
    expect(first.created).toBe(6);
    expect(guarded.sort()).toEqual(listings.map((l) => l.id).sort());
    expect(inside).toBe(0);
    // Every request (token, lookups, creates) waited on the injected limiter.
    expect(acquired.length).toBeGreaterThanOrEqual(12);

    guarded.length = 0;
    const second = await syncListings(
      client,
      listings.map((l) => ({ ...l, price: l.price + 1 })),
      options,
    );
    expect(second.updated).toBe(6);
    expect(guarded, 'updates by a known id take no lease').toEqual([]);
  });
});
