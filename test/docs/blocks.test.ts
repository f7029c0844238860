import { describe, expect, it } from 'vitest';
import { blocksOf, checkBlocks, guideFiles } from './blocks.ts';

describe('the guides', () => {
  it('show only code that compiles against the packages as they are', () => {
    const blocks = guideFiles().flatMap(blocksOf);
    expect(blocks.length).toBeGreaterThan(20);
    expect(checkBlocks(blocks)).toEqual([]);
  }, 60_000);

  it('would report a block that uses a name the packages do not export', () => {
    const broken = { where: 'docs/example.md:3', code: "import { noSuchExport } from '@sync/core';\nnoSuchExport();" };
    expect(checkBlocks([broken]).join('\n')).toMatch(/^docs\/example\.md:3: .*noSuchExport/);
  }, 60_000);
});
