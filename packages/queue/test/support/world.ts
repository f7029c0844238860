// The test fleet: agencies, each with its own three mock portals over real HTTP (per-agency rate
// limits on), a CRM made of generated listings, and the FleetConfig the workers run on — built the
// same way in the test process and in every worker process from one JSON description.
import type { Listing, RateLimit } from '@sync/core';
import { serveHandlers } from '@sync/core/msw';
import { PostgresIdentifierMap } from '@sync/core/postgres';
import { RedisIdentifierMap } from '@sync/core/redis';
import * as indomio from '@sync/indomio';
import { createIndomioHandlers, IndomioMockPortal } from '@sync/indomio/msw';
import * as pfcrm from '@sync/pfcrm';
import { createPfCrmHandlers, PfCrmMockPortal } from '@sync/pfcrm/msw';
import * as rentix from '@sync/rentix';
import { createRentixHandlers, RentixMockPortal } from '@sync/rentix/msw';
import { Redis } from 'ioredis';
import { getResponse, http, type RequestHandler } from 'msw';
import { INDOMIO_DEMO_TYPOLOGIES, PF_DEMO_TYPES } from '../../../../docs/examples/demo/portals.ts';
import { generateListings } from '../../../../docs/examples/generate-data.ts';
import type { FleetConfig } from '../../src/index.js';

/** What every process of the test fleet agrees on. */
export interface World {
  redisPort: number;
  prefix: string;
  listingsPerAgency: number;
  /** Base URLs of each agency's mocks. */
  agencies: Array<{ id: string; rentix: string; indomio: string; pfcrm: string }>;
  /** The limits of each agency's account, as the mocks enforce them and the fleet's limiters hold them. */
  limits: { rentix: Record<'default' | 'bulk', RateLimit>; indomio: RateLimit; pfcrm: RateLimit };
  /** A rate-limit wait longer than this delays the round (default: the fleet's). */
  maxWaitMs?: number | undefined;
  /** Keep the fleet's ids and fingerprints in this PostgreSQL database instead of Redis. */
  postgresUrl?: string | undefined;
}

/** An agency's complete CRM set (a shorter one when the test made the CRM read come back partial). */
export function crmListings(agency: string, count: number): Listing[] {
  let seed = 7;
  for (const c of agency) seed = (seed * 31 + c.charCodeAt(0)) % 100_000;
  return generateListings(count, seed).map((l) => ({ ...l, status: 'active' }));
}

/** PF location ids of every city the generator uses. */
export function pfLocations(): Record<string, string> {
  const cities = [...new Set(generateListings(400, 1).map((l) => l.address.city))].sort();
  return Object.fromEntries(cities.map((city, i) => [city, `ita.${i + 1}`]));
}

export const apiKeyOf = (agency: string) => `key-${agency}`;

/** Redis key holding how many listings a partial CRM read returns for an agency. */
export const partialKey = (world: World, agency: string) => `${world.prefix}:test:partial:${agency}`;

/**
 * The vendor's config module, as the test writes it: credentials from a lookup by agency (never
 * in job data), listings from the CRM, and per portal its limits and how a round builds its target.
 */
export function fleetConfig(world: World, hooks: { afterPfCreate?: () => void } = {}): FleetConfig {
  const redis = new Redis({ host: '127.0.0.1', port: world.redisPort, maxRetriesPerRequest: null });
  redis.on('error', () => undefined);
  const urls = new Map(world.agencies.map((a) => [a.id, a]));
  const at = (agency: string) => {
    const found = urls.get(agency);
    if (!found) throw new Error(`unknown agency ${agency}`);
    return found;
  };
  const retry = { baseDelayMs: 5, maxDelayMs: 50 };
  const locations = pfLocations();
  return {
    redis: { host: '127.0.0.1', port: world.redisPort },
    prefix: world.prefix,
    store: world.postgresUrl
      ? PostgresIdentifierMap.open({ connectionString: world.postgresUrl, maxConnections: 4 })
      : RedisIdentifierMap.open({ client: redis, prefix: `${world.prefix}:ids` }),
    maxWaitMs: world.maxWaitMs,
    onItemFailure: (f) => {
      if (process.env.SYNC_QUEUE_TEST_DEBUG) console.error(JSON.stringify(f));
    },
    async listings(agency) {
      const all = crmListings(agency, world.listingsPerAgency);
      const partial = await redis.get(partialKey(world, agency));
      return partial === null ? all : all.slice(0, Number(partial));
    },
    portals: {
      rentix: {
        limits: world.limits.rentix,
        target(agency, { state, rateLimiter, observe }) {
          const client = new rentix.RentixClient({
            apiKey: apiKeyOf(agency),
            baseUrl: `${at(agency).rentix}/api/v1`,
            allowInsecureHttp: true,
            rateLimiter,
            retry,
          });
          observe(client.http);
          return rentix.rentixTarget(client, { state, agent: 'omit' });
        },
      },
      indomio: {
        limits: { default: world.limits.indomio },
        target(agency, { state, rateLimiter, observe }) {
          const client = new indomio.IndomioClient({
            username: `${agency}@example.com`,
            password: apiKeyOf(agency),
            source: 'crm',
            baseUrl: at(agency).indomio,
            allowInsecureHttp: true,
            rateLimiter,
            retry,
          });
          observe(client.http);
          return indomio.indomioTarget(client, {
            state,
            agency: { email: `${agency}@example.com` },
            typologies: INDOMIO_DEMO_TYPOLOGIES,
          });
        },
      },
      pfcrm: {
        limits: { default: world.limits.pfcrm },
        target(agency, { state, rateLimiter, observe, guardCreate }) {
          const base = at(agency).pfcrm;
          const client = new pfcrm.PfCrmClient({
            apiKey: agency,
            apiSecret: apiKeyOf(agency),
            baseUrl: base,
            tokenUrl: `${base}/auth/oauth/v1/token`,
            allowInsecureHttp: true,
            rateLimiter,
            retry,
          });
          observe(client.http);
          return pfcrm.pfCrmTarget(client, {
            state,
            currency: 'EUR',
            sizeUnit: 'sqm',
            types: PF_DEMO_TYPES,
            locations,
            agents: 'omit',
            images: 'omit',
            guardCreate: async (key, create) => {
              const created = await guardCreate(key, create);
              hooks.afterPfCreate?.();
              return created;
            },
          });
        },
      },
    },
  };
}

/** One agency's mocks, as the test inspects them. */
export interface AgencyMocks {
  id: string;
  rentix: RentixMockPortal;
  indomio: IndomioMockPortal;
  pfcrm: PfCrmMockPortal;
  /** Milliseconds each portal waits before answering a write, to make rounds last. */
  delays: { rentix: number; indomio: number; pfcrm: number };
  /** Write requests each portal took, not counting those it refused with a 429 (bulk operations one by one on Rentix). */
  writes: { rentix: number; indomio: number; pfcrm: number };
  close(): Promise<void>;
}

type PortalName = 'rentix' | 'indomio' | 'pfcrm';

/** Starts an agency's three mocks, each behind a handler that counts writes and 429s. */
export async function startAgency(
  id: string,
  limits: World['limits'],
): Promise<AgencyMocks & { urls: World['agencies'][number] }> {
  const writes = { rentix: 0, indomio: 0, pfcrm: 0 };
  const delays = { rentix: 0, indomio: 0, pfcrm: 0 };
  // Answers with the portal's handlers, counting the writes the portal took (not the ones it refused with a 429).
  const counter = (portal: PortalName, handlers: readonly RequestHandler[]) =>
    http.all('*', async ({ request }) => {
      const url = new URL(request.url);
      // Indomio's realtors, created before the listings that name them, are not listing writes.
      const isWrite =
        request.method !== 'GET' &&
        !url.pathname.endsWith('/token') &&
        !url.pathname.endsWith('/ws/import/ies/company/realtor');
      let count = 1;
      if (isWrite && portal === 'rentix' && url.pathname.endsWith('/listings/bulk')) {
        count = ((await request.clone().json()) as { operations: unknown[] }).operations.length;
      }
      if (isWrite && delays[portal] > 0) await new Promise((r) => setTimeout(r, delays[portal]));
      const response = await getResponse([...handlers], request);
      if (isWrite && response && response.status !== 429) writes[portal] += count;
      return response;
    });
  const rentixPortal = new RentixMockPortal({ apiKeys: [apiKeyOf(id)], rateLimits: limits.rentix });
  const indomioPortal = new IndomioMockPortal({
    username: `${id}@example.com`,
    password: apiKeyOf(id),
    agencies: [`${id}@example.com`],
    rateLimit: limits.indomio,
  });
  const pfPortal = new PfCrmMockPortal({ clients: [{ apiKey: id, apiSecret: apiKeyOf(id) }], rateLimit: limits.pfcrm });
  for (const [city, location] of Object.entries(pfLocations()))
    pfPortal.locations.push({ id: location, city, community: null, sub_community: null, tower: null });
  const servers = await Promise.all([
    serveHandlers((url) => [
      counter('rentix', createRentixHandlers({ portal: rentixPortal, baseUrl: `${url}/api/v1` })),
    ]),
    serveHandlers((url) => [counter('indomio', createIndomioHandlers({ portal: indomioPortal, baseUrl: url }))]),
    serveHandlers((url) => [counter('pfcrm', createPfCrmHandlers({ portal: pfPortal, baseUrl: url }))]),
  ]);
  return {
    id,
    rentix: rentixPortal,
    indomio: indomioPortal,
    pfcrm: pfPortal,
    writes,
    delays,
    urls: { id, rentix: servers[0].url, indomio: servers[1].url, pfcrm: servers[2].url },
    close: async () => {
      await Promise.all(servers.map((s) => s.close()));
    },
  };
}

/** CRM id → number of records each portal holds for it (a duplicate shows as 2 or more). */
export function held(mocks: AgencyMocks): Record<PortalName, Map<string, number>> {
  const count = (keys: Iterable<string>) => {
    const out = new Map<string, number>();
    for (const k of keys) out.set(k, (out.get(k) ?? 0) + 1);
    return out;
  };
  return {
    rentix: count(
      [...mocks.rentix.listings.values()].flatMap((l) => {
        const form = l.formData as { announcementStatus?: string };
        return l.externalId === null || form.announcementStatus === 'hidden' ? [] : [l.externalId];
      }),
    ),
    indomio: count(mocks.indomio.listings().map((l) => l.uniqueId)),
    pfcrm: count([...mocks.pfcrm.properties.values()].map((p) => String(p.reference))),
  };
}

/** A record's fields less the ones the portal assigns (ids, references, times), as canonical JSON. */
function content(record: Record<string, unknown>, assigned: readonly string[]): string {
  const kept = Object.entries(record)
    .filter(([key]) => !assigned.includes(key) && !/(_at|At)$/.test(key))
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify(kept);
}

/**
 * What each portal holds for each live CRM id of an agency, less what the portal assigned itself:
 * two runs that sent the same listings the same way hold equal contents.
 */
export function contents(mocks: AgencyMocks): Record<PortalName, Map<string, string>> {
  const rentix = new Map<string, string>();
  for (const l of mocks.rentix.listings.values()) {
    const form = l.formData as { announcementStatus?: string };
    if (l.externalId === null || form.announcementStatus === 'hidden') continue;
    // Publishing ends in its own time: a listing still being published counts as the active one it becomes.
    const status = form.announcementStatus === 'pending_active' ? 'active' : form.announcementStatus;
    rentix.set(
      l.externalId,
      JSON.stringify([{ ...l.formData, announcementStatus: status }, l.userId, l.fileIds.length]),
    );
  }
  // The document's date is when it was sent.
  const indomio = new Map(
    mocks.indomio
      .listings()
      .map((l) => [l.uniqueId, JSON.stringify([l.typeId, l.xml.replace(/<date-updated>[^<]*<\/date-updated>/, '')])]),
  );
  const pfcrm = new Map(
    [...mocks.pfcrm.properties.values()].map((p) => [String(p.reference), content(p, ['id'])] as const),
  );
  return { rentix, indomio, pfcrm };
}
