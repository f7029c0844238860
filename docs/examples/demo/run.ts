// `npm run demo`: one CRM, three portals. Serves the bundled mock portals over real HTTP on
// 127.0.0.1, syncs the sample listings to all three, then changes and removes some listings
// and runs a continuous pass that sends only what changed.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Listing, ListingSchema, SqliteIdentifierMap } from '@sync/core';
import { IMAGE_ORIGIN } from '../generate-data.ts';
import { startImageHost } from './image-host.ts';
import { type DemoPortal, type PortalRun, startPortals, syncDemoPortals } from './portals.ts';
import { createProgress } from './progress.ts';

/** Loads the sample data set, with photo URLs on the given image host. */
export async function loadListings(imageHost: string): Promise<Listing[]> {
  const text = await readFile(new URL('../data/listings.json', import.meta.url), 'utf8');
  return (JSON.parse(text.replaceAll(IMAGE_ORIGIN, imageHost)) as unknown[]).map((l) => ListingSchema.parse(l));
}

/**
 * What the CRM looks like a day later: every tenth listing re-priced and updated, every
 * twentieth one removed, and one new listing.
 */
export function nextDay(listings: readonly Listing[], now = new Date('2026-11-20T09:00:00Z')): Listing[] {
  const out: Listing[] = [];
  listings.forEach((listing, i) => {
    if (i % 20 === 7) return;
    if (i % 10 === 3) {
      out.push({ ...listing, price: Math.round(listing.price * 0.95), updatedAt: now.toISOString() });
    } else out.push(listing);
  });
  const template = listings[0];
  if (template) out.push({ ...template, id: 'CRM-NEW-1', price: template.price + 1000, updatedAt: now.toISOString() });
  return out;
}

/** Syncs `listings` to every portal at once, with a progress bar per portal. */
export async function syncAll(portals: readonly DemoPortal[], listings: readonly Listing[], live = true) {
  const progress = createProgress(
    portals.map((p) => p.name),
    live ? process.stdout : ({ isTTY: false, write: () => true } as unknown as NodeJS.WriteStream),
  );
  try {
    // Every portal at once, change-only, each with its own state.
    return await syncDemoPortals(portals, listings, (name, done, total) => progress.task(name)(done, total));
  } finally {
    progress.finish();
  }
}

function table(title: string, runs: Map<string, PortalRun>): string {
  const line = (cells: Array<string | number>) =>
    cells.map((c, i) => (i === 0 ? String(c).padEnd(8) : String(c).padStart(10))).join(' ');
  const rows = [...runs].map(([name, r]) => line([name, r.sent, r.unchanged, r.deleted, r.failures.length]));
  return [title, line(['portal', 'sent', 'unchanged', 'deleted', 'failed']), ...rows].join('\n');
}

async function main(): Promise<number> {
  const images = await startImageHost();
  const dir = await mkdtemp(join(tmpdir(), 'sync-demo-'));
  const stateFile = join(dir, 'state.db');
  const state = await SqliteIdentifierMap.open(stateFile);
  const listings = await loadListings(images.url);
  const portals = await startPortals(listings, { state, retry: { baseDelayMs: 50, maxDelayMs: 500 } });
  try {
    console.log(
      `${listings.length} CRM listings; mock portals on ${portals.map((p) => `${p.name} ${p.url}`).join(', ')}`,
    );
    console.log(`state file: ${stateFile}\n`);

    console.log('initial sync');
    const first = await syncAll(portals, listings);
    const day2 = nextDay(listings);
    console.log('\ncontinuous sync after changing and removing listings');
    const second = await syncAll(portals, day2);

    console.log(`\n${table('initial sync', first)}\n\n${table('continuous sync', second)}\n`);
    const failures = [...first, ...second].flatMap(([name, run]) =>
      run.failures.map((f) => `${name} ${f.id}: ${f.reason}`),
    );
    if (failures.length > 0) {
      console.error(`${failures.length} listings failed:\n${failures.slice(0, 20).join('\n')}`);
      return 1;
    }
    console.log('every listing is on every portal');
    return 0;
  } finally {
    await Promise.all(portals.map((p) => p.close()));
    await images.close();
    await state.close();
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : error);
      process.exitCode = 1;
    },
  );
}
