import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

/** What a package adds to the shared build. */
export interface PackageBuildOptions {
  /** Entries beyond `index` and `msw/index`, e.g. `{ postgres: 'src/postgres.ts' }` → `dist/postgres.{js,cjs,d.ts,d.cts}`. */
  entry?: Record<string, string>;
}

/**
 * The build of every `@sync` package: its main and `msw` entries (plus its own extra ones) as
 * ESM and CJS with types and source maps, for Node, with the package's version compiled in
 * (`__PACKAGE_VERSION__`). Dependencies and peer dependencies stay external.
 */
export function packageBuild(packageJson: URL, options: PackageBuildOptions = {}) {
  const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };
  return defineConfig({
    entry: { index: 'src/index.ts', 'msw/index': 'src/msw/index.ts', ...options.entry },
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node22',
    platform: 'node',
    define: { __PACKAGE_VERSION__: JSON.stringify(version) },
  });
}
