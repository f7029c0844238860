// Every portal package has the same role files, so a reader who knows one knows where to look in
// the others; the bundled mocks keep their routes apart from their state and rules, and their files
// small enough to read.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const packagesDir = `${root}packages`;

/** Files every portal package has (a trailing `/`: a folder with at least one `.ts` file). */
const ROLE_FILES = [
  'src/index.ts',
  'src/version.ts',
  'src/portal.ts',
  'src/client.ts',
  'src/errors.ts',
  'src/resources/',
  'src/schemas/',
  'src/sync.ts',
  'src/from-listing.ts',
  'src/msw/index.ts',
  'src/msw/handlers.ts',
  'src/msw/portal.ts',
];

/** What each portal adds to the role files. */
const PORTALS: Record<string, readonly string[]> = {
  rentix: ['src/operations.ts', 'src/bulk.ts'],
  indomio: ['src/xml/', 'src/feed.ts', 'src/zip.ts'],
  pfcrm: ['src/operations.ts', 'src/bulk.ts', 'src/query.ts', 'src/configuration.ts'],
};

/** Longest file in a package's `src/msw/`, in lines. */
const MAX_MOCK_FILE_LINES = 500;

/** Whether `path` (below `packages/<name>/`) exists: a file, or a folder holding at least one `.ts` file. */
function present(name: string, path: string): boolean {
  const full = `${packagesDir}/${name}/${path}`;
  if (!path.endsWith('/')) return existsSync(full) && statSync(full).isFile();
  return existsSync(full) && filesBelow(full).some((f) => f.endsWith('.ts'));
}

/** The files below a folder, recursively, as paths relative to it. */
function filesBelow(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => statSync(`${dir}/${f}`).isFile());
}

const lineCount = (text: string) => text.split('\n').length - (text.endsWith('\n') ? 1 : 0);

describe('portal package shape', () => {
  it('checks every package that ships mock handlers', () => {
    const withMocks = readdirSync(packagesDir).filter((name) =>
      existsSync(`${packagesDir}/${name}/src/msw/handlers.ts`),
    );
    expect(withMocks.sort()).toEqual(Object.keys(PORTALS).sort());
  });

  describe.each(Object.entries(PORTALS))('@sync/%s', (name, extras) => {
    it('has every role file', () => {
      const missing = [...ROLE_FILES, ...extras].filter((path) => !present(name, path));
      expect(missing, `packages/${name} is missing ${missing.map((p) => `packages/${name}/${p}`).join(', ')}`).toEqual(
        [],
      );
    });

    it(`keeps every file of its mock under ${MAX_MOCK_FILE_LINES} lines`, () => {
      const dir = `${packagesDir}/${name}/src/msw`;
      const long = filesBelow(dir)
        .map((file) => ({ file, lines: lineCount(readFileSync(`${dir}/${file}`, 'utf8')) }))
        .filter(({ lines }) => lines >= MAX_MOCK_FILE_LINES)
        .map(({ file, lines }) => `packages/${name}/src/msw/${file} (${lines} lines)`);
      expect(long, `split these per resource or concern: ${long.join(', ')}`).toEqual([]);
    });

    it('keeps no state in its handlers module: routes only, state and rules in msw/portal.ts', () => {
      const file = `${packagesDir}/${name}/src/msw/handlers.ts`;
      const source = readFileSync(file, 'utf8');
      const stateful = source
        .split('\n')
        .map((line, i) => ({ line, at: i + 1 }))
        .filter(
          ({ line }) =>
            /^(export\s+)?(let|var)\s/.test(line) ||
            /^(export\s+)?const\s+\w+(\s*:[^=]+)?=\s*(new\s+(Map|Set|WeakMap|WeakSet|Array)\b|\[|\{)/.test(line),
        )
        .map(({ line, at }) => `packages/${name}/src/msw/handlers.ts:${at}: ${line.trim()}`);
      expect(stateful, `module-level state in handlers: ${stateful.join('; ')}`).toEqual([]);
    });
  });

  it("keeps the mock kit in @sync/core free of any portal's knowledge", () => {
    const dir = `${packagesDir}/core/src/msw`;
    const named = filesBelow(dir).filter((file) =>
      /rentix|indomio|immobiliare|pfcrm|property\s*finder|mycrm/i.test(readFileSync(`${dir}/${file}`, 'utf8')),
    );
    expect(named, `portal names in the core mock kit: ${named.join(', ')}`).toEqual([]);
  });
});
