import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

/**
 * The build of every `@sync` package: its main and `msw` entries as ESM and CJS with types
 * and source maps, for Node, with the package's version compiled in (`__PACKAGE_VERSION__`).
 */
export function packageBuild(packageJson: URL) {
  const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };
  return defineConfig({
    entry: { index: 'src/index.ts', 'msw/index': 'src/msw/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node22',
    platform: 'node',
    define: { __PACKAGE_VERSION__: JSON.stringify(version) },
  });
}
