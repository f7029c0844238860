import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('..', import.meta.url));
const packages = readdirSync(new URL('../packages', import.meta.url), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

const versionOf = (name: string): string =>
  (JSON.parse(readFileSync(`${root}packages/${name}/package.json`, 'utf8')) as { version: string }).version;

// Tests run against the sources, so a change needs no build before `npm test`.
const alias = [
  // The fleet stores of @sync/core, each in its own subpath.
  { find: /^@sync\/core\/(postgres|redis)$/, replacement: `${root}packages/core/src/$1-identifier-map.ts` },
  ...packages.flatMap((name) => [
    { find: new RegExp(`^@sync/${name}/msw$`), replacement: `${root}packages/${name}/src/msw/index.ts` },
    { find: new RegExp(`^@sync/${name}$`), replacement: `${root}packages/${name}/src/index.ts` },
  ]),
];

export default defineConfig({
  root,
  resolve: { alias },
  test: {
    projects: [
      ...packages.map((name) => ({
        extends: true as const,
        define: { __PACKAGE_VERSION__: JSON.stringify(versionOf(name)) },
        test: { name, root: `${root}packages/${name}`, include: ['test/**/*.test.ts'] },
      })),
      {
        extends: true as const,
        test: {
          name: 'sdk',
          root: `${root}test`,
          include: ['**/*.test.ts'],
          exclude: ['**/node_modules/**', 'bench/**'],
        },
      },
    ],
  },
});
