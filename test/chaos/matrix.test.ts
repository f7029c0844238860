import { describe, expect, it } from 'vitest';
import type { DemoPortal, PortalRecord } from '../../docs/examples/demo/portals.ts';
import { generateListings } from '../../docs/examples/generate-data.ts';
import { type Cell, formatMatrix, runCell } from './matrix.ts';
import { FAULT_KINDS } from './proxy.ts';

const LISTINGS = generateListings(2_000, 7);
const PORTALS: Array<DemoPortal['name']> = ['rentix', 'indomio', 'pfcrm'];
const cells: Cell[] = [];

describe.each(PORTALS)('fault matrix: %s, 2,000 listings through the chaos proxy', (portal) => {
  let clean: Map<string, PortalRecord> | undefined;

  it('a fault-free run puts every listing on the portal once', async () => {
    const { cell, snapshot } = await runCell(portal, 'none', LISTINGS);
    cells.push(cell);
    clean = snapshot;
    expect(cell).toMatchObject({ duplicates: 0, lost: 0, rounds: 1, failures: [] });
    expect(cell.inPortal).toBe(cell.listings);
    expect(cell.inReport).toBe(cell.listings);
  }, 120_000);

  it.each([...FAULT_KINDS, 'mixed' as const])(
    'under %s: nothing lost, nothing duplicated, the same final state',
    async (fault) => {
      const { cell } = await runCell(portal, fault, LISTINGS, clean);
      cells.push(cell);
      expect(cell.faults, 'faults were injected').toBeGreaterThan(0);
      expect(cell.duplicates).toBe(0);
      expect(cell.lost).toBe(0);
      expect(cell.inReport).toBe(cell.listings);
      expect(cell.inPortal).toBe(cell.listings);
      expect(cell.sameAsClean).toBe(true);
      // What a round could not do is in its report with a reason, and a later round did it.
      for (const failure of cell.failures) expect(failure).toMatch(/^[^:]+: .+/);
      if (fault !== 'latency') expect(cell.retries + cell.failures.length, 'faults were noticed').toBeGreaterThan(0);
    },
    180_000,
  );
});

describe('fault matrix report', () => {
  it('prints one row per cell', () => {
    const table = formatMatrix(cells);
    console.log(`\n${table}\n`);
    expect(cells.length).toBe(PORTALS.length * (FAULT_KINDS.length + 2));
  });
});
