// The database drivers stay optional: the main entry point loads none of them (nor node:sqlite),
// and each fleet store's subpath is the only place its driver is imported.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const core = new URL('../', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('package.json', core), 'utf8')) as {
  exports: Record<string, unknown>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
};
const rootManifest = JSON.parse(readFileSync(new URL('../../package.json', core), 'utf8')) as {
  devDependencies: Record<string, string>;
};
const sources = readdirSync(new URL('src/', core), { recursive: true, withFileTypes: true })
  .filter((d) => d.isFile() && d.name.endsWith('.ts'))
  .map((d) => ({ file: `${d.parentPath}/${d.name}`, text: readFileSync(`${d.parentPath}/${d.name}`, 'utf8') }));

describe('@sync/core store drivers', () => {
  it.each([
    ['pg', './postgres'],
    ['ioredis', './redis'],
  ])('keeps %s an optional peer (never a dependency), behind its subpath %s', (driver, subpath) => {
    expect(manifest.peerDependencies?.[driver]).toBeDefined();
    expect(manifest.peerDependenciesMeta?.[driver]?.optional).toBe(true);
    expect(manifest.dependencies?.[driver]).toBeUndefined();
    expect(rootManifest.devDependencies[driver]).toBeDefined();
    expect(Object.keys(manifest.exports)).toContain(subpath);
  });

  it('imports each driver only in its own store module, and only when the map opens its own connection', () => {
    const importers = (driver: string) =>
      sources
        .filter((s) => new RegExp(`(from|import\\()\\s*['"]${driver}['"]`).test(s.text))
        .map((s) => s.file.replace(/^.*\/src\/+/, ''));
    expect(importers('pg')).toEqual(['postgres-identifier-map.ts']);
    expect(importers('ioredis')).toEqual(['redis-identifier-map.ts']);
    for (const { file, text } of sources) {
      // Static imports of a driver would load it with the module; only `import(…)` or `import type` may name it.
      expect(text, file).not.toMatch(/^import (?!type )[^;]*from ['"](pg|ioredis)['"]/m);
      // node:sqlite only through process.getBuiltinModule when a map opens, never imported.
      expect(text, file).not.toMatch(/^import (?!type )[^;]*from ['"]node:sqlite['"]/m);
    }
    const index = sources.find((s) => s.file.endsWith('/src/index.ts'))?.text ?? '';
    expect(index).not.toMatch(/postgres-identifier-map|redis-identifier-map/);
  });
});
