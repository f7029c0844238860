// The three portals of the demo: each one's bundled mock served over real HTTP on 127.0.0.1, a
// client for it, and its sync target — the client, the mapping tables and its own sync state.
// How listings get there is the packages' business: `syncPortals` runs the three targets.
import {
  type IdentifierMap,
  type Listing,
  type RetryOptions,
  type SyncReport,
  SyncState,
  type SyncTarget,
  syncPortals,
} from '@sync/core';
import { type FaultPlan, type HandlerServer, serveHandlers } from '@sync/core/msw';
import { IndomioClient, type IndomioTypologyTable, indomioTarget } from '@sync/indomio';
import { createIndomioHandlers, IndomioMockPortal } from '@sync/indomio/msw';
import { PfCrmClient, type PfTypeTable, pfCrmTarget } from '@sync/pfcrm';
import { createPfCrmHandlers, PfCrmMockPortal } from '@sync/pfcrm/msw';
import { RentixClient, RentixSyncState, rentixTarget } from '@sync/rentix';
import { createRentixHandlers, DEFAULT_MOCK_API_KEY, RentixMockPortal } from '@sync/rentix/msw';
import type { ProgressSink } from './progress.ts';

/** What one sync round did on one portal. */
export interface PortalRun {
  /** Listings created or updated. */
  sent: number;
  /** Listings skipped because they did not change. */
  unchanged: number;
  /** Listings removed (or hidden) because the CRM no longer has them. */
  deleted: number;
  /** Listings the portal was not given, counted by the reason its sync reported. */
  skipped: Map<string, number>;
  /** Listings that failed, with the reason. */
  failures: Array<{ id: string; reason: string }>;
}

/** What a portal holds for one CRM listing, for checks. */
export interface PortalRecord {
  /** Whether the listing is published (not hidden, not deleted). */
  visible: boolean;
  /** The price the portal holds. */
  price: number | undefined;
  /** How many images the portal holds for it, where the demo sends photos (Property Finder). */
  images?: number | undefined;
}

/** Switches for faults in a mock portal. */
export interface FaultSwitches {
  /** Adds latency to every answer. */
  latency(ms: number): void;
  /** Answers the next `count` requests with `status`. */
  failNext(count: number, status: number): void;
  /** Drops the connection of the next `count` requests. */
  dropNext(count: number): void;
  /** Fails the requests a plan picks, one decision per request (`seededFaults` in `@sync/core/msw`); `undefined` stops. */
  plan(plan: FaultPlan | undefined): void;
}

/** One portal of the demo. */
export interface DemoPortal {
  readonly name: 'rentix' | 'indomio' | 'pfcrm';
  /** Where its mock listens. */
  readonly url: string;
  /** The portal's sync target: its client, mapping tables and state. */
  readonly target: SyncTarget;
  /** Brings this portal alone in line with the CRM's current listings. */
  sync(listings: readonly Listing[], progress: ProgressSink): Promise<PortalRun>;
  /** CRM id → what the portal holds for it. */
  snapshot(): Map<string, PortalRecord>;
  /** Records the portal holds in all (more than the snapshot's keys would mean duplicates). */
  records(): number;
  /** Retries the client has made so far. */
  readonly retries: number;
  /** Fault switches of its mock. */
  readonly faults: FaultSwitches;
  close(): Promise<void>;
}

/** Options shared by the three portals. */
export interface PortalOptions {
  /** Where identifier maps and fingerprints are kept. */
  state: IdentifierMap;
  /** Retry policy for the clients (the demo uses short backoffs). */
  retry?: Partial<RetryOptions>;
  /** Per-attempt timeout of the clients. */
  timeoutMs?: number;
  /** Where a client reaches its mock (e.g. through a proxy); default: directly. */
  route?: (portal: DemoPortal['name'], url: string) => Promise<string> | string;
  /**
   * Property Finder's photos: `'upload'` (default) downloads them from their URLs and uploads
   * them; `'omit'` sends none, for listings whose photo URLs lead nowhere.
   */
  pfImages?: 'upload' | 'omit';
}

/** The fault switches every bundled mock portal has. */
function faultsOf(portal: {
  latencyMs: number;
  faultPlan: FaultPlan | undefined;
  failNext(count: number, status: number): void;
  dropNext(count: number): void;
}): FaultSwitches {
  return {
    latency: (ms) => {
      portal.latencyMs = ms;
    },
    failNext: (count, status) => portal.failNext(count, status),
    dropNext: (count) => portal.dropNext(count),
    plan: (plan) => {
      portal.faultPlan = plan;
    },
  };
}

/** Counts the retries a client's HTTP pipeline makes. */
function countRetries(http: { on(name: 'retry', listener: () => void): unknown }): { readonly count: number } {
  const counter = { count: 0 };
  http.on('retry', () => {
    counter.count++;
  });
  return counter;
}

/** A sync report as the demo's summary counts it. */
function toRun(report: SyncReport<Listing>): PortalRun {
  const skipped = new Map<string, number>();
  for (const o of report.items) {
    if (o.action !== 'skipped') continue;
    const reason = o.reason ?? 'skipped';
    skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
  }
  return {
    sent: report.created + report.updated,
    unchanged: report.unchanged,
    deleted: report.removed,
    skipped,
    failures: report.items.flatMap((o) => (o.action === 'failed' ? [{ id: o.key, reason: o.reason ?? 'failed' }] : [])),
  };
}

/**
 * The demo's one sync call: brings every given portal in line with the CRM's current
 * listings at once, each through its package's sync with its own state.
 */
export async function syncDemoPortals(
  portals: ReadonlyArray<Pick<DemoPortal, 'name' | 'target'>>,
  listings: readonly Listing[],
  progress: (portal: DemoPortal['name'], done: number, total: number) => void,
): Promise<Map<DemoPortal['name'], PortalRun>> {
  const reports = await syncPortals(
    listings,
    portals.map((p) => p.target),
    { onProgress: (p) => progress(p.portal as DemoPortal['name'], p.done, p.total) },
  );
  return new Map(portals.map((p, i) => [p.name, toRun(reports[i] as SyncReport<Listing>)]));
}

/** What {@link DemoPortal.sync} does: {@link syncDemoPortals} on one portal. */
async function syncOne(
  portal: Pick<DemoPortal, 'name' | 'target'>,
  listings: readonly Listing[],
  progress: ProgressSink,
): Promise<PortalRun> {
  const runs = await syncDemoPortals([portal], listings, (_name, done, total) => progress(done, total));
  return runs.get(portal.name) as PortalRun;
}

async function startRentix(options: PortalOptions): Promise<DemoPortal> {
  const portal = new RentixMockPortal({ rateLimits: false });
  const server: HandlerServer = await serveHandlers((url) =>
    createRentixHandlers({ portal, baseUrl: `${url}/api/v1` }),
  );
  const via = (await options.route?.('rentix', server.url)) ?? server.url;
  const client = new RentixClient({
    apiKey: DEFAULT_MOCK_API_KEY,
    baseUrl: `${via}/api/v1`,
    allowInsecureHttp: true,
    retry: options.retry,
    timeoutMs: options.timeoutMs,
  });
  // The listing's agent is left out: the demo agency has no Rentix users to link.
  const target = rentixTarget(client, { state: new RentixSyncState(options.state), agent: 'omit', concurrency: 2 });
  const retries = countRetries(client.http);
  return {
    name: 'rentix',
    url: server.url,
    target,
    get retries() {
      return retries.count;
    },
    records: () => portal.listings.size,
    sync: (listings, progress) => syncOne({ name: 'rentix', target }, listings, progress),
    snapshot() {
      const out = new Map<string, PortalRecord>();
      for (const l of portal.listings.values()) {
        if (l.externalId === null) continue;
        const form = l.formData as { announcementStatus?: string; announcementValue?: number };
        out.set(l.externalId, {
          visible: form.announcementStatus !== 'hidden' && form.announcementStatus !== 'draft',
          price: form.announcementValue,
        });
      }
      return out;
    },
    faults: faultsOf(portal),
    close: () => server.close(),
  };
}

/** Property Finder type ids of the mock account, by kind of property. */
export const PF_DEMO_TYPES: PfTypeTable = {
  'residential.apartment': 1,
  'residential.studio': 1,
  'residential.penthouse': 1,
  'residential.house': 2,
  'residential.villa': 2,
  'commercial.office': 3,
  'commercial.retail': 3,
};

async function startPfCrm(options: PortalOptions, cities: readonly string[]): Promise<DemoPortal> {
  const portal = new PfCrmMockPortal();
  // The mock account covers the CRM's cities, as a real account covers its market.
  cities.forEach((city, i) => {
    portal.locations.push({ id: `ita.${i + 1}`, city, community: null, sub_community: null, tower: null });
  });
  const server = await serveHandlers((url) => createPfCrmHandlers({ portal, baseUrl: url }));
  const via = (await options.route?.('pfcrm', server.url)) ?? server.url;
  const client = new PfCrmClient({
    apiKey: 'test-key',
    apiSecret: 'test-secret',
    baseUrl: via,
    tokenUrl: `${via}/auth/oauth/v1/token`,
    allowInsecureHttp: true,
    retry: options.retry,
    timeoutMs: options.timeoutMs,
  });
  // Location ids are looked up once per city, never guessed.
  const locations: Record<string, string> = {};
  for (const city of cities) {
    const found = await client.locations.search(city);
    const id = found.find((l) => l.city === city)?.id;
    if (id !== undefined) locations[city] = String(id);
  }
  const target = pfCrmTarget(client, {
    state: new SyncState(options.state, 'pfcrm'),
    currency: 'EUR',
    sizeUnit: 'sqm',
    types: PF_DEMO_TYPES,
    locations,
    agents: 'omit',
    // Photos by URL: downloaded from the CRM's image host, uploaded once, their tokens kept in the state.
    images: options.pfImages ?? 'upload',
  });
  const retries = countRetries(client);
  return {
    name: 'pfcrm',
    url: server.url,
    target,
    get retries() {
      return retries.count;
    },
    records: () => portal.properties.size,
    sync: (listings, progress) => syncOne({ name: 'pfcrm', target }, listings, progress),
    snapshot() {
      const out = new Map<string, PortalRecord>();
      for (const p of portal.properties.values()) {
        const price = p.price as { value?: number; prices?: Array<{ value?: number; price?: number }> } | undefined;
        out.set(String(p.reference), {
          visible: p.draft !== true,
          price: price?.value ?? price?.prices?.[0]?.value ?? price?.prices?.[0]?.price,
          images: Array.isArray(p.images) ? p.images.length : 0,
        });
      }
      return out;
    },
    faults: faultsOf(portal),
    close: () => server.close(),
  };
}

/** Typology ids of the mock Indomio account, by kind of property. */
export const INDOMIO_DEMO_TYPOLOGIES: IndomioTypologyTable = {
  apartment: 14,
  studio: 17,
  penthouse: 15,
  house: 21,
  villa: 23,
  office: 258,
  retail: 268,
};

/** The agency every demo listing belongs to on Indomio (the mock's default agency). */
const INDOMIO_AGENCY = { email: 'agency@example.com', officeName: 'Demo Realty' };

async function startIndomio(options: PortalOptions): Promise<DemoPortal> {
  const portal = new IndomioMockPortal();
  const server = await serveHandlers((url) => createIndomioHandlers({ portal, baseUrl: url }));
  const via = (await options.route?.('indomio', server.url)) ?? server.url;
  const client = new IndomioClient({
    username: 'user',
    password: 'secret',
    source: 'crm',
    baseUrl: via,
    allowInsecureHttp: true,
    idMap: options.state,
    retry: options.retry,
    timeoutMs: options.timeoutMs,
  });
  // Only active listings have a place on Indomio: the package's sync leaves the others off.
  const target = indomioTarget(client, {
    state: new SyncState(options.state, 'indomio'),
    agency: INDOMIO_AGENCY,
    typologies: INDOMIO_DEMO_TYPOLOGIES,
  });
  const retries = countRetries(client.http);
  return {
    name: 'indomio',
    url: server.url,
    target,
    get retries() {
      return retries.count;
    },
    records: () => portal.listings().length,
    sync: (listings, progress) => syncOne({ name: 'indomio', target }, listings, progress),
    snapshot() {
      const out = new Map<string, PortalRecord>();
      for (const l of portal.listings()) {
        const price = /<price[^>]*>\s*(?:<!\[CDATA\[)?\s*([\d.]+)/.exec(l.xml)?.[1];
        out.set(l.uniqueId, { visible: true, price: price === undefined ? undefined : Number(price) });
      }
      return out;
    },
    faults: faultsOf(portal),
    close: () => server.close(),
  };
}

/** Starts one mock portal and its client. */
export function startPortal(
  name: DemoPortal['name'],
  listings: readonly Listing[],
  options: PortalOptions,
): Promise<DemoPortal> {
  if (name === 'rentix') return startRentix(options);
  if (name === 'indomio') return startIndomio(options);
  return startPfCrm(options, [...new Set(listings.map((l) => l.address.city))].sort());
}

/** Starts the three mock portals and their clients. */
export function startPortals(listings: readonly Listing[], options: PortalOptions): Promise<DemoPortal[]> {
  return Promise.all((['rentix', 'indomio', 'pfcrm'] as const).map((name) => startPortal(name, listings, options)));
}
