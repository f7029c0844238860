import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Options } from 'tsup';

interface Manifest {
  name: string;
  version: string;
  type?: string;
  main?: string;
  exports?: unknown;
  license?: string;
  author?: string | { name?: string };
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/** What a package adds to the shared build. */
export interface PackageBuildOptions {
  /** Entries beyond `index` and `msw/index`, e.g. `{ postgres: 'src/postgres.ts' }` → `dist/postgres.{js,cjs,d.ts,d.cts}`. */
  entry?: Record<string, string>;
}

interface Installed {
  dir: string;
  manifest: Manifest;
}

/** The installed copy of `name` that code in `from` resolves to: node_modules folders upwards, as Node looks. */
function installed(name: string, from: string): Installed {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(file)) return { dir: dirname(file), manifest: JSON.parse(readFileSync(file, 'utf8')) as Manifest };
    if (dirname(dir) === dir) throw new Error(`${name} is not installed (looked upwards from ${from})`);
  }
}

/** Conditions Node 22.12+ matches when code `require()`s a package (`module-sync` comes with require of ES modules). */
const REQUIRE_CONDITIONS = new Set(['require', 'module-sync', 'node', 'default']);

/** The target of an `exports` entry for `require()`: the first matching condition, in the entry's own order. */
function requireTarget(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry;
  if (Array.isArray(entry)) return entry.map(requireTarget).find((target) => target !== undefined);
  if (entry === null || typeof entry !== 'object') return undefined;
  for (const [condition, value] of Object.entries(entry)) {
    if (!REQUIRE_CONDITIONS.has(condition)) continue;
    const target = requireTarget(value);
    if (target !== undefined) return target;
  }
  return undefined;
}

/** Whether `require(name)` loads an ES module (or nothing at all): the package publishes no CommonJS. */
function isEsmOnly({ manifest }: Installed): boolean {
  const { exports } = manifest;
  const root =
    exports !== null && typeof exports === 'object' && !Array.isArray(exports) && '.' in exports
      ? (exports as Record<string, unknown>)['.']
      : exports;
  const file = exports === undefined ? (manifest.main ?? 'index.js') : requireTarget(root);
  if (file === undefined || file.endsWith('.mjs')) return true;
  if (file.endsWith('.cjs')) return false;
  return manifest.type === 'module';
}

/**
 * The dependencies the CommonJS build carries inside it instead of `require()`-ing them: those that publish
 * no CommonJS, and what they depend on in turn (which the package does not declare, so esbuild bundles it).
 */
function bundledInCommonJs(packageDir: string, manifest: Manifest): { direct: string[]; all: Installed[] } {
  const declared = new Set([
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}),
  ]);
  const direct = Object.keys(manifest.dependencies ?? {}).filter((name) => isEsmOnly(installed(name, packageDir)));
  const all = new Map<string, Installed>();
  const visit = (name: string, from: string) => {
    if (all.has(name)) return;
    const dependency = installed(name, from);
    all.set(name, dependency);
    for (const next of Object.keys(dependency.manifest.dependencies ?? {})) {
      if (!declared.has(next)) visit(next, dependency.dir);
    }
  };
  for (const name of direct) visit(name, packageDir);
  return { direct, all: [...all.values()] };
}

/** Credits the packages bundled into a file with their licences, as their licences ask. */
function notice(packageName: string, bundled: readonly Installed[]): string {
  const credits = bundled.map(({ manifest }) => {
    const author = typeof manifest.author === 'string' ? manifest.author : manifest.author?.name;
    return `${manifest.name}@${manifest.version} (${manifest.license ?? 'see its package'}${author ? `, copyright ${author}` : ''})`;
  });
  return `/*! The CommonJS build of ${packageName} includes ${credits.join(', ')}. */`;
}

/**
 * The build of every `@sync` package: its main and `msw` entries (plus its own extra ones) as
 * ESM and CJS with types and source maps, for Node, with the package's version compiled in
 * (`__PACKAGE_VERSION__`).
 *
 * The CJS build bundles the dependencies that publish only ES modules (p-limit): `require()`
 * of an ES module hands back its namespace object, and the CJS interop would then call that
 * object instead of its default export. The ESM build keeps every dependency external.
 */
export function packageBuild(packageJson: URL, options: PackageBuildOptions = {}) {
  const packageDir = dirname(fileURLToPath(packageJson));
  const manifest = JSON.parse(readFileSync(packageJson, 'utf8')) as Manifest;
  const bundled = bundledInCommonJs(packageDir, manifest);
  // Both formats build at the same time and write into the same folder: empty it once, before either starts.
  rmSync(join(packageDir, 'dist'), { recursive: true, force: true });
  const shared: Options = {
    entry: { index: 'src/index.ts', 'msw/index': 'src/msw/index.ts', ...options.entry },
    dts: true,
    sourcemap: true,
    target: 'node22',
    platform: 'node',
    define: { __PACKAGE_VERSION__: JSON.stringify(manifest.version) },
  };
  return defineConfig([
    { ...shared, format: 'esm' },
    {
      ...shared,
      format: 'cjs',
      noExternal: bundled.direct,
      ...(bundled.all.length > 0 && { banner: { js: notice(manifest.name, bundled.all) } }),
    },
  ]);
}
