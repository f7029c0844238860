// The fault matrix: for each portal, sync the same listings through the chaos proxy under each
// fault kind and under all of them mixed, and measure what reached the portal. Faults are drawn
// per request (seeded), never by the clock, so a cell gets the same faults on a slow machine.
import { type Listing, MemoryIdentifierMap } from '@sync/core';
import { type DemoPortal, type PortalRecord, startPortal } from '../../docs/examples/demo/portals.ts';
import { type ChaosOptions, FAULT_KINDS, type FaultKind, startChaosProxy } from './proxy.ts';

/** One cell of the matrix. */
export interface Cell {
  portal: DemoPortal['name'];
  fault: FaultKind | 'mixed' | 'none';
  /** Listings given to the sync. */
  listings: number;
  /** Listings the reports say went through (all rounds). */
  sent: number;
  /** Listings on the portal at the end. */
  inPortal: number;
  /** Outcomes in the first round's report (one per listing, whatever happened). */
  inReport: number;
  /** Records beyond one per listing. */
  duplicates: number;
  /** Listings expected on the portal but missing from it, and not reported failed. */
  lost: number;
  /** Retries the client made. */
  retries: number;
  /** Faults the proxy injected. */
  faults: number;
  /** Sync rounds until no listing failed. */
  rounds: number;
  /** Failures reported, with their reasons (resolved by a later round). */
  failures: string[];
  /** Whether the portal ended as a fault-free run leaves it. */
  sameAsClean: boolean;
  elapsedMs: number;
}

/** Requests one sync of `n` listings makes on each portal, roughly: faults are spread over them. */
const REQUESTS_PER_LISTING: Record<DemoPortal['name'], number> = { rentix: 0.01, indomio: 1, pfcrm: 2 };
/** Faults injected per cell at most. */
const MAX_FAULTS = 9;

function faultOptions(fault: Cell['fault'], portal: DemoPortal['name'], listings: number): Partial<ChaosOptions> {
  if (fault === 'none') return { probabilities: {} };
  const requests = Math.max(10, listings * REQUESTS_PER_LISTING[portal]);
  const p = Math.min(0.3, (MAX_FAULTS * 1.5) / requests);
  const kinds = fault === 'mixed' ? FAULT_KINDS : [fault];
  return {
    probabilities: Object.fromEntries(kinds.map((k) => [k, p / kinds.length])),
    maxFaults: MAX_FAULTS,
    burstLength: 3,
    retryAfterSeconds: 1,
    latencyMs: [20, 120],
  };
}

/** Which listings each portal publishes: Indomio only active ones, the others all of them. */
export function expectedOn(portal: DemoPortal['name'], listings: readonly Listing[]): Listing[] {
  return portal === 'indomio' ? listings.filter((l) => l.status === 'active') : [...listings];
}

function sameRecords(a: Map<string, PortalRecord>, b: Map<string, PortalRecord>): boolean {
  if (a.size !== b.size) return false;
  for (const [key, record] of a) {
    const other = b.get(key);
    if (!other || other.price !== record.price || other.visible !== record.visible) return false;
  }
  return true;
}

/** Runs one cell: a fresh mock portal, the proxy in front of it, rounds of sync until nothing fails. */
export async function runCell(
  portalName: DemoPortal['name'],
  fault: Cell['fault'],
  listings: readonly Listing[],
  clean?: Map<string, PortalRecord>,
): Promise<{ cell: Cell; snapshot: Map<string, PortalRecord> }> {
  const started = performance.now();
  let proxy: Awaited<ReturnType<typeof startChaosProxy>> | undefined;
  const portal = await startPortal(portalName, listings, {
    state: new MemoryIdentifierMap(),
    // The generated photos are on a host that does not exist: the matrix measures the portal's faults.
    pfImages: 'omit',
    // Long enough that only a stalled answer reaches it, however slow the machine: a timeout
    // that a loaded machine's ordinary answers could hit would add faults the proxy never drew.
    timeoutMs: 2_000,
    retry: {
      maxAttempts: 6,
      baseDelayMs: 5,
      maxDelayMs: 100,
      maxRetryAfterMs: 2_000,
      budget: { capacity: 500, retryCost: 5, timeoutCost: 10, successRefund: 1 },
    },
    route: async (_name, url) => {
      proxy = await startChaosProxy({
        target: url,
        seed: 42,
        lifetimeMs: 300_000,
        ...faultOptions(fault, portalName, listings.length),
      });
      return proxy.url;
    },
  });
  try {
    const failures: string[] = [];
    let sent = 0;
    let inReport = 0;
    let rounds = 0;
    while (rounds < 4) {
      rounds++;
      const run = await portal.sync(listings, () => undefined);
      if (rounds === 1) inReport = run.sent + run.unchanged + run.deleted + run.failures.length;
      sent += run.sent;
      failures.push(...run.failures.map((f) => `${f.id}: ${f.reason}`));
      if (run.failures.length === 0) break;
    }
    proxy?.setEnabled(false);
    const snapshot = portal.snapshot();
    const expected = expectedOn(portalName, listings);
    const failedIds = new Set(failures.map((f) => f.slice(0, f.indexOf(':'))));
    const lost = expected.filter((l) => !snapshot.has(l.id) && !failedIds.has(l.id)).length;
    return {
      snapshot,
      cell: {
        portal: portalName,
        fault,
        listings: expected.length,
        sent,
        inPortal: snapshot.size,
        inReport,
        duplicates: portal.records() - snapshot.size,
        lost,
        retries: portal.retries,
        faults: proxy ? Object.values(proxy.injected).reduce((a, b) => a + b, 0) : 0,
        rounds,
        failures,
        sameAsClean: clean ? sameRecords(snapshot, clean) : true,
        elapsedMs: performance.now() - started,
      },
    };
  } finally {
    await proxy?.close();
    await portal.close();
  }
}

/** The matrix as a table. */
export function formatMatrix(cells: readonly Cell[]): string {
  const columns: Array<[string, (c: Cell) => string | number]> = [
    ['portal', (c) => c.portal],
    ['fault', (c) => c.fault],
    ['listings', (c) => c.listings],
    ['sent', (c) => c.sent],
    ['in portal', (c) => c.inPortal],
    ['in report', (c) => c.inReport],
    ['duplicates', (c) => c.duplicates],
    ['lost', (c) => c.lost],
    ['faults', (c) => c.faults],
    ['retries', (c) => c.retries],
    ['failed, then resent', (c) => c.failures.length],
    ['rounds', (c) => c.rounds],
    ['= clean', (c) => (c.sameAsClean ? 'yes' : 'NO')],
    ['s', (c) => (c.elapsedMs / 1000).toFixed(1)],
  ];
  const rows = [columns.map(([h]) => h), ...cells.map((c) => columns.map(([, f]) => String(f(c))))];
  const widths = columns.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) => r.map((v, i) => (i < 2 ? v.padEnd(widths[i] ?? 0) : v.padStart(widths[i] ?? 0))).join('  '))
    .join('\n');
}
