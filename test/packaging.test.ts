import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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

/** Subpaths that export a file as it is (the manifest, data files), not code. */
const fileExports = (manifest: Manifest): Array<[string, string]> =>
  Object.entries(manifest.exports).filter((entry): entry is [string, string] => typeof entry[1] === 'string');

describe.each(packages)('packages/$dir/package.json', ({ dir, manifest }) => {
  it('is a public @sync package for Node 22.12 and later, shipping dist and the files its exports name', () => {
    expect(manifest.name).toBe(`@sync/${dir}`);
    expect(manifest.engines?.node).toBe('>=22.12');
    expect(manifest.sideEffects).toBe(false);
    const dataFiles = fileExports(manifest)
      .filter(([subpath]) => subpath !== './package.json')
      .map(([, target]) => target.replace(/^\.\//, ''));
    expect(manifest.files).toEqual(['dist', ...dataFiles]);
    for (const file of dataFiles) expect(existsSync(new URL(`${dir}/${file}`, root)), file).toBe(true);
    expect(manifest.type).toBe('module');
  });

  it('declares every entry point for import and require with the types first', () => {
    for (const [subpath, target] of Object.entries(manifest.exports)) {
      if (typeof target === 'string') {
        // A file exported as it is: never code, which needs its conditions and types.
        expect(subpath, subpath).toBe(target);
        expect(target).not.toMatch(/\.[cm]?[jt]s$/);
        continue;
      }
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

describe('@sync/indomio', () => {
  const indomio = new URL('indomio/', root);

  it("ships the portal's import schema as @sync/indomio/import-schema.xsd, and names where it comes from", () => {
    const resolved = createRequire(import.meta.url).resolve('@sync/indomio/import-schema.xsd');
    expect(resolved).toBe(new URL('import-schema.xsd', indomio).pathname);
    const xsd = readFileSync(resolved, 'utf8');
    expect(xsd).toMatch(/^<\?xml [^>]*\?>\s*<xs:schema /);
    expect(xsd).toContain('<xs:element name="feed">');
    expect(xsd).toContain('name="IDType"');
    for (const doc of [new URL('README.md', indomio), new URL('../docs/indomio.md', import.meta.url)]) {
      expect(readFileSync(doc, 'utf8'), doc.pathname).toMatch(
        /import-schema\.xsd[^\n]*\/ws\/import\/docs\/import-schema/,
      );
    }
  });

  it('keeps xmllint-wasm (libxml2, for the mock) an optional peer, loaded only by /msw and only when used', () => {
    const manifest = packages.find((p) => p.dir === 'indomio')?.manifest;
    expect(manifest?.peerDependencies?.['xmllint-wasm']).toMatch(/^\^5\./);
    expect(manifest?.peerDependenciesMeta?.['xmllint-wasm']?.optional).toBe(true);
    expect(manifest?.dependencies?.['xmllint-wasm']).toBeUndefined();
    for (const file of sourceFiles(new URL('src/', indomio))) {
      const text = readFileSync(file, 'utf8');
      // Never imported: the mock resolves its path on first use, so nothing loads it before then.
      expect(text, file).not.toMatch(/from ['"]xmllint-wasm|import\(['"]xmllint-wasm|require\(['"]xmllint-wasm/);
      if (!file.includes('/src/msw/')) expect(text, file).not.toContain('xmllint');
    }
    // Once built, the client's entry points carry none of it.
    const dist = new URL('dist/', indomio);
    if (existsSync(dist)) {
      const built = readdirSync(dist, { recursive: true, withFileTypes: true }).filter(
        (d) => d.isFile() && /\.[cm]?js$/.test(d.name) && !`${d.parentPath}/`.includes('/dist/msw/'),
      );
      expect(built.length).toBeGreaterThan(0);
      for (const d of built) expect(readFileSync(`${d.parentPath}/${d.name}`, 'utf8'), d.name).not.toContain('xmllint');
    }
  });
});

describe('the repository', () => {
  const repo = new URL('../', import.meta.url);
  const skipped = new Set(['node_modules', 'dist', '.git', '.tmp', 'coverage']);
  function files(dir: URL): URL[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      if (skipped.has(entry.name) || (entry.name === 'api' && dir.pathname.endsWith('/docs/'))) return [];
      const url = new URL(entry.isDirectory() ? `${entry.name}/` : entry.name, dir);
      return entry.isDirectory() ? files(url) : [url];
    });
  }
  // Written so that this file does not match itself.
  const outside = [/\.\.[\\/]shared[\\/]/, /['"]\.\.['"],\s*['"]shared['"]/, /[\\/]work[\\/]shared\b/];

  it('is self-contained: nothing under packages/, test/, docs/ or .ci/ refers to a folder beside it', () => {
    const scanned = ['packages/', 'test/', 'docs/', '.ci/'].flatMap((dir) => files(new URL(dir, repo)));
    expect(scanned.length).toBeGreaterThan(100);
    const offending = scanned.filter((file) => {
      const text = readFileSync(file, 'utf8');
      return outside.some((pattern) => pattern.test(text));
    });
    expect(offending.map((file) => file.pathname.slice(repo.pathname.length))).toEqual([]);
  });
});
