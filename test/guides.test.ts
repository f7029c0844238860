// The TypeScript blocks of the guides that show the sync calls compile against the packages' real
// API: each block is type-checked as an ES module, with the few names a guide leaves to the
// reader (the CRM's listings, credentials) declared once.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const GUIDES = [
  'README.md',
  'docs/sync.md',
  'docs/rentix.md',
  'docs/indomio.md',
  'docs/pfcrm.md',
  'docs/errors.md',
  'packages/rentix/README.md',
];

/** What the guides' blocks take as given. */
const GIVEN = `import type { Listing, SyncState } from '@sync/core';
import type { IndomioClient } from '@sync/indomio';
import type { PfCrmClient } from '@sync/pfcrm';
import type { ListingOperation, RentixClient } from '@sync/rentix';
declare global {
  /** A sync state, where a block does not make its own. */
  const state: SyncState;
  /** Rentix bulk operations. */
  const operations: ListingOperation[];
  const rentix: RentixClient;
  const indomio: IndomioClient;
  const pf: PfCrmClient;
  /** CRM agents, with their phones. */
  const crmAgents: Array<{ id: string; phone: string }>;
  /** The CRM's complete current set of listings. */
  const crmListings: Listing[];
  /** One listing of the CRM. */
  const listing: Listing;
  const username: string;
  const password: string;
}
export {};
`;

/** The \`\`\`ts blocks of a guide that use a sync call, with the line each starts on. */
function syncBlocks(file: string): Array<{ line: number; code: string }> {
  const text = readFileSync(join(root, file), 'utf8');
  const blocks: Array<{ line: number; code: string }> = [];
  for (const match of text.matchAll(/^```ts\n([\s\S]*?)^```$/gm)) {
    const code = match[1] ?? '';
    if (!/\b(syncListings|syncPortals|syncItems|initialSync|continuousSync|properties\.sync)\b/.test(code)) continue;
    blocks.push({ line: text.slice(0, match.index).split('\n').length, code });
  }
  return blocks;
}

describe('the guides', () => {
  it('show sync calls that compile against the real API', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sync-guides-'));
    try {
      const names = new Map<string, string>();
      writeFileSync(join(dir, 'given.d.mts'), GIVEN);
      for (const guide of GUIDES) {
        for (const block of syncBlocks(guide)) {
          const name = join(dir, `${guide.replaceAll('/', '_')}-${block.line}.mts`);
          writeFileSync(name, block.code);
          names.set(name, `${guide}:${block.line}`);
        }
      }
      expect(names.size, 'blocks found').toBeGreaterThanOrEqual(5);

      const config = ts.readConfigFile(join(root, 'test/tsconfig.json'), ts.sys.readFile);
      const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, join(root, 'test'));
      const program = ts.createProgram([join(dir, 'given.d.mts'), ...names.keys()], {
        ...parsed.options,
        noEmit: true,
        noUnusedLocals: false,
      });
      const problems = [...names].flatMap(([file, where]) => {
        const source = program.getSourceFile(file);
        if (!source) return [`${where}: not compiled`];
        return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)].map((d) => {
          const line = d.start === undefined ? 0 : source.getLineAndCharacterOfPosition(d.start).line + 1;
          return `${where} (+${line}): ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
        });
      });
      expect(problems).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
