import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface Manifest {
  name: string;
  version: string;
  type?: string;
  sideEffects?: boolean;
  engines?: { node?: string };
  files?: string[];
  exports: Record<string, unknown>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  dependencies?: Record<string, string>;
}

const root = new URL('../packages/', import.meta.url);
const packages = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => ({
    dir: d.name,
    manifest: JSON.parse(readFileSync(new URL(`${d.name}/package.json`, root), 'utf8')) as Manifest,
  }));

describe.each(packages)('packages/$dir/package.json', ({ dir, manifest }) => {
  it('is a public @sync package for Node 22.12 and later, shipping only dist', () => {
    expect(manifest.name).toBe(`@sync/${dir}`);
    expect(manifest.engines?.node).toBe('>=22.12');
    expect(manifest.sideEffects).toBe(false);
    expect(manifest.files).toEqual(['dist']);
    expect(manifest.type).toBe('module');
  });

  it('declares every entry point for import and require with the types first', () => {
    for (const [subpath, target] of Object.entries(manifest.exports)) {
      if (subpath === './package.json') continue;
      const conditions = target as Record<string, Record<string, string>>;
      expect(Object.keys(conditions)).toEqual(['import', 'require']);
      for (const kind of ['import', 'require'] as const) {
        expect(Object.keys(conditions[kind] ?? {})).toEqual(['types', 'default']);
      }
    }
  });

  it('keeps msw an optional peer used only by its /msw subpath, and zod a peer', () => {
    expect(manifest.peerDependencies?.zod).toMatch(/^\^4/);
    expect(manifest.dependencies?.zod).toBeUndefined();
    if (manifest.peerDependencies?.msw) {
      expect(manifest.peerDependenciesMeta?.msw?.optional).toBe(true);
      expect(Object.keys(manifest.exports)).toContain('./msw');
    }
    expect(manifest.dependencies?.msw).toBeUndefined();
  });
});

function sourceFiles(dir: URL): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith('.ts'))
    .map((d) => `${d.parentPath}/${d.name}`);
}

describe('sources', () => {
  it('import msw only below src/msw, so the main entry points work without it', () => {
    for (const { dir } of packages) {
      for (const file of sourceFiles(new URL(`${dir}/src/`, root))) {
        if (file.includes('/src/msw/')) continue;
        expect(readFileSync(file, 'utf8'), file).not.toMatch(/from ['"]msw(\/[^'"]*)?['"]/);
      }
    }
  });

  it('keep portal knowledge out of @sync/core', () => {
    for (const file of sourceFiles(new URL('core/src/', root))) {
      expect(readFileSync(file, 'utf8'), file).not.toMatch(/rentix|indomio|immobiliare|pfcrm|property ?finder/i);
    }
  });
});
