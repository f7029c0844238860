// The contract every portal package's sync call keeps, checked the same way on the three mocks
// over real HTTP: the first round creates everything; a round with no change sends nothing; a
// round after changing and removing listings sends exactly those; a listing that cannot be mapped
// is reported failed with its field; and a crash between a write and recording it never leaves a
// duplicate on the portal.
import {
  type IdentifierMap,
  InputValidationError,
  type Listing,
  MemoryIdentifierMap,
  type SyncReport,
  SyncState,
} from '@sync/core';
import { serveHandlers } from '@sync/core/msw';
import * as indomio from '@sync/indomio';
import { createIndomioHandlers, IndomioMockPortal } from '@sync/indomio/msw';
import * as pfcrm from '@sync/pfcrm';
import { createPfCrmHandlers, PfCrmMockPortal } from '@sync/pfcrm/msw';
import * as rentix from '@sync/rentix';
import { createRentixHandlers, DEFAULT_MOCK_API_KEY, RentixMockPortal } from '@sync/rentix/msw';
import { http, type RequestHandler } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { INDOMIO_DEMO_TYPOLOGIES, PF_DEMO_TYPES } from '../docs/examples/demo/portals.ts';
import { generateListings } from '../docs/examples/generate-data.ts';

/** A write the portal received, by CRM id. */
interface Write {
  kind: 'upsert' | 'remove';
  key: string;
}

/** A request as the recording handler saw it, before the mock answered. */
interface Seen {
  method: string;
  path: string;
  body: string;
}

/** One portal under the contract: its mock over HTTP, the package's sync call, and what the mock saw. */
interface Harness {
  sync(listings: readonly Listing[], state: SyncState): Promise<SyncReport<Listing>>;
  /** Requests received since the last call, and the writes among them by CRM id. */
  take(): { requests: number; writes: Write[] };
  /** CRM id → price held, for every record the portal holds (a duplicate shows as a count above one). */
  held(): Map<string, number[]>;
  close(): Promise<void>;
}

type PortalName = 'rentix' | 'indomio' | 'pfcrm';

/** Serves `handlers` behind one that records every request and lets it through. */
async function serveRecorded(build: (url: string) => RequestHandler[]) {
  const seen: Seen[] = [];
  const recorder = http.all('*', async ({ request }) => {
    const url = new URL(request.url);
    seen.push({ method: request.method, path: url.pathname, body: await request.clone().text() });
    // Nothing returned: the portal's own handlers answer.
  });
  const server = await serveHandlers((url) => [recorder, ...build(url)]);
  return { seen, server };
}

/** `take()` over a request log, with the writes found by `classify`. */
function taker(seen: Seen[], classify: (request: Seen) => Write[]): Harness['take'] {
  return () => {
    const requests = seen.splice(0, seen.length);
    return { requests: requests.length, writes: requests.flatMap(classify) };
  };
}

async function startRentix(): Promise<Harness> {
  const portal = new RentixMockPortal({ rateLimits: false });
  const { seen, server } = await serveRecorded((url) => createRentixHandlers({ portal, baseUrl: `${url}/api/v1` }));
  const client = new rentix.RentixClient({
    apiKey: DEFAULT_MOCK_API_KEY,
    baseUrl: `${server.url}/api/v1`,
    allowInsecureHttp: true,
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
  });
  return {
    sync: (listings, state) => rentix.syncListings(client, listings, { state, agent: 'omit' }),
    take: taker(seen, (r) => {
      if (r.method === 'GET') return [];
      if (r.path !== '/api/v1/listings/bulk') return [{ kind: 'upsert', key: `${r.method} ${r.path}` }];
      const { operations } = JSON.parse(r.body) as { operations: Array<Record<string, unknown>> };
      return operations.map((op) => ({
        kind: Object.keys(op).length === 3 && op.announcementStatus === 'hidden' ? 'remove' : 'upsert',
        key: String(op.externalId),
      }));
    }),
    held() {
      const out = new Map<string, number[]>();
      for (const l of portal.listings.values()) {
        const form = l.formData as { announcementStatus?: string; announcementValue?: number };
        if (l.externalId === null || form.announcementStatus === 'hidden') continue;
        out.set(l.externalId, [...(out.get(l.externalId) ?? []), form.announcementValue ?? Number.NaN]);
      }
      return out;
    },
    close: () => server.close(),
  };
}

async function startIndomio(): Promise<Harness> {
  const portal = new IndomioMockPortal();
  const { seen, server } = await serveRecorded((url) => createIndomioHandlers({ portal, baseUrl: url }));
  const client = new indomio.IndomioClient({
    username: 'user',
    password: 'secret',
    source: 'crm',
    baseUrl: server.url,
    allowInsecureHttp: true,
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
  });
  // DELETE addresses the portal's idListing: name it by the CRM id it had.
  const uniqueIds = new Map<string, string>();
  const remember = () => {
    for (const l of portal.listings()) uniqueIds.set(String(l.idListing), l.uniqueId);
  };
  return {
    async sync(listings, state) {
      remember();
      return indomio.syncListings(client, listings, {
        state,
        agency: { email: 'agency@example.com' },
        typologies: INDOMIO_DEMO_TYPOLOGIES,
      });
    },
    take: taker(seen, (r) => {
      // The realtors the listings name are created first, over their own API: not listing writes.
      if (r.path.includes('/ws/import/ies/company/realtor')) return [];
      const id = decodeURIComponent(r.path.split('/').at(-1) ?? '');
      if (r.method === 'PUT') return [{ kind: 'upsert', key: id }];
      if (r.method === 'DELETE') return [{ kind: 'remove', key: uniqueIds.get(id) ?? id }];
      return [];
    }),
    held() {
      const out = new Map<string, number[]>();
      for (const l of portal.listings()) {
        const price = Number(/<price[^>]*>\s*(?:<!\[CDATA\[)?\s*([\d.]+)/.exec(l.xml)?.[1]);
        out.set(l.uniqueId, [...(out.get(l.uniqueId) ?? []), price]);
      }
      return out;
    },
    close: () => server.close(),
  };
}

async function startPfCrm(cities: readonly string[]): Promise<Harness> {
  const portal = new PfCrmMockPortal();
  const locations: Record<string, string> = {};
  cities.forEach((city, i) => {
    portal.locations.push({ id: `ita.${i + 1}`, city, community: null, sub_community: null, tower: null });
    locations[city] = `ita.${i + 1}`;
  });
  const { seen, server } = await serveRecorded((url) => createPfCrmHandlers({ portal, baseUrl: url }));
  const client = new pfcrm.PfCrmClient({
    apiKey: 'test-key',
    apiSecret: 'test-secret',
    baseUrl: server.url,
    tokenUrl: `${server.url}/auth/oauth/v1/token`,
    allowInsecureHttp: true,
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
  });
  const references = new Map<string, string>();
  const remember = () => {
    for (const p of portal.properties.values()) references.set(String(p.id), String(p.reference));
  };
  return {
    async sync(listings, state) {
      remember();
      return pfcrm.syncListings(client, listings, {
        state,
        currency: 'EUR',
        sizeUnit: 'sqm',
        types: PF_DEMO_TYPES,
        locations,
        agents: 'omit',
        images: 'omit',
      });
    },
    take: taker(seen, (r) => {
      if (r.path.endsWith('/token') || r.method === 'GET') return [];
      if (r.method === 'POST' || r.method === 'PUT') {
        const { property } = JSON.parse(r.body) as { property: { reference: string } };
        return [{ kind: 'upsert', key: property.reference }];
      }
      if (r.method === 'DELETE') {
        const id = r.path.split('/').at(-1) ?? '';
        return [{ kind: 'remove', key: references.get(id) ?? id }];
      }
      return [{ kind: 'upsert', key: `${r.method} ${r.path}` }];
    }),
    held() {
      const out = new Map<string, number[]>();
      for (const p of portal.properties.values()) {
        const price = p.price as { value?: number; prices?: Array<{ value?: number }> } | undefined;
        const key = String(p.reference);
        out.set(key, [...(out.get(key) ?? []), price?.value ?? price?.prices?.[0]?.value ?? Number.NaN]);
      }
      return out;
    },
    close: () => server.close(),
  };
}

/** The CRM: varied listings, every one publishable on every portal. */
const CRM: Listing[] = generateListings(60, 11).map((l) => ({ ...l, status: 'active' }));
const CITIES = [...new Set(CRM.map((l) => l.address.city))].sort();

const start = (name: PortalName) =>
  name === 'rentix' ? startRentix() : name === 'indomio' ? startIndomio() : startPfCrm(CITIES);

/**
 * A map whose first write about `key` fails, as if the process died right after the
 * portal acknowledged the write and before the state recorded it. Every method is let
 * through except that one call, whatever the store's write methods are named.
 */
/**
 * The map, failing every write that names `key` until disarmed — as a process that dies
 * between the portal's answer and recording it never records it, however the sync retries.
 */
function crashingOn(
  target: IdentifierMap,
  key: string,
): { map: IdentifierMap; crashed: () => boolean; disarm: () => void } {
  let crashed = false;
  let armed = true;
  const reads = /^(get|list|find|has|iterate)/;
  const map = new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (
          armed &&
          typeof property === 'string' &&
          !reads.test(property) &&
          JSON.stringify(args).includes(`"${key}"`)
        ) {
          crashed = true;
          throw new Error(`crashed before recording ${key}`);
        }
        return value.apply(object, args);
      };
    },
  });
  return {
    map,
    crashed: () => crashed,
    disarm: () => {
      armed = false;
    },
  };
}

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe.each<PortalName>(['rentix', 'indomio', 'pfcrm'])('the sync contract on %s', (name) => {
  it('creates everything, then sends nothing when nothing changed, then exactly what changed and what was removed', async () => {
    harness = await start(name);
    const state = new SyncState(new MemoryIdentifierMap(), name);

    const first = await harness.sync(CRM, state);
    expect(first).toMatchObject({ portal: name, total: CRM.length, created: CRM.length, failed: 0, skipped: 0 });
    expect(first.items.map((o) => o.key)).toEqual(CRM.map((l) => l.id));
    for (const o of first.items) expect(o.portalId, `${o.key} has its portal id`).toBeTruthy();
    const created = harness.take().writes;
    expect(created.map((w) => `${w.kind} ${w.key}`).sort()).toEqual(CRM.map((l) => `upsert ${l.id}`).sort());
    expect(harness.held()).toEqual(new Map(CRM.map((l) => [l.id, [l.price]])));

    const second = await harness.sync(CRM, state);
    expect(second).toMatchObject({ unchanged: CRM.length, created: 0, updated: 0, removed: 0 });
    expect(harness.take()).toEqual({ requests: 0, writes: [] });

    // A day later: a tenth of the listings re-priced, a twentieth gone from the CRM.
    const changed = CRM.filter((_, i) => i % 10 === 4).map((l) => l.id);
    const removed = CRM.filter((_, i) => i % 20 === 9).map((l) => l.id);
    const next = CRM.filter((l) => !removed.includes(l.id)).map((l) =>
      changed.includes(l.id) ? { ...l, price: l.price + 500, updatedAt: '2026-12-01T09:00:00Z' } : l,
    );
    const third = await harness.sync(next, state);
    expect(third).toMatchObject({
      updated: changed.length,
      removed: removed.length,
      unchanged: next.length - changed.length,
      created: 0,
      failed: 0,
    });
    expect(third.items.slice(next.length).map((o) => [o.key, o.action])).toEqual(removed.map((id) => [id, 'removed']));
    const writes = harness.take().writes;
    expect(
      writes
        .filter((w) => w.kind === 'upsert')
        .map((w) => w.key)
        .sort(),
    ).toEqual([...changed].sort());
    expect(
      writes
        .filter((w) => w.kind === 'remove')
        .map((w) => w.key)
        .sort(),
    ).toEqual([...removed].sort());
    expect(harness.held()).toEqual(new Map(next.map((l) => [l.id, [l.price]])));
  }, 30_000);

  it('reports a listing it cannot map failed, naming the field, and sends nothing for it', async () => {
    harness = await start(name);
    const state = new SyncState(new MemoryIdentifierMap(), name);
    const [good, bad] = CRM as [Listing, Listing];
    const report = await harness.sync([good, { ...bad, currency: 'GBP' }], state);
    expect(report.items.map((o) => [o.key, o.action])).toEqual([
      [good.id, 'created'],
      [bad.id, 'failed'],
    ]);
    const failed = report.items[1];
    expect(failed?.reason).toMatch(/^currency: /);
    expect(failed?.error).toBeInstanceOf(InputValidationError);
    expect((failed?.error as InputValidationError | undefined)?.issues.map((i) => i.path)).toContain('currency');
    expect(harness.take().writes.map((w) => w.key)).toEqual([good.id]);
    expect(await state.fingerprintOf(bad.id)).toBeUndefined();
  });

  it('leaves exactly one record per listing after a crash between a write and recording it', async () => {
    harness = await start(name);
    const victim = (CRM[3] as Listing).id;
    const { map, crashed, disarm } = crashingOn(new MemoryIdentifierMap(), victim);
    const state = new SyncState(map, name);

    const first = await harness.sync(CRM, state);
    expect(crashed(), 'the crash was injected').toBe(true);
    expect(first.items.find((o) => o.key === victim)).toMatchObject({
      action: 'failed',
      reason: `crashed before recording ${victim}`,
    });
    expect(first.created).toBe(CRM.length - 1);
    // The portal took the write: only the state does not know.
    expect(harness.held().get(victim)).toHaveLength(1);

    disarm();
    const second = await harness.sync(CRM, state);
    expect(second).toMatchObject({ failed: 0, unchanged: CRM.length - 1 });
    // Property Finder found the property by its reference and updated it rather than creating another.
    const again = second.items.find((o) => o.key === victim)?.action;
    if (name === 'pfcrm') expect(again).toBe('updated');
    else expect(again).toMatch(/^(created|updated)$/);
    expect(harness.held()).toEqual(new Map(CRM.map((l) => [l.id, [l.price]])));
  }, 30_000);
});
