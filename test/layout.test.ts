// Every portal package has the same role files, so a reader who knows one knows where
// everything is in the others.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packages = join(resolve(dirname(fileURLToPath(import.meta.url)), '..'), 'packages');

const ROLE_FILES = [
  'index.ts',
  'version.ts',
  'portal.ts',
  'client.ts',
  'errors.ts',
  'sync.ts',
  'from-listing.ts',
  'msw/index.ts',
  'msw/handlers.ts',
  'msw/portal.ts',
];

describe.each(['rentix', 'indomio', 'pfcrm'])('packages/%s/src', (name) => {
  const src = join(packages, name, 'src');

  it('has every role file', () => {
    expect(ROLE_FILES.filter((file) => !existsSync(join(src, file)))).toEqual([]);
  });

  it('has its resources and its zod schemas in folders of their own', () => {
    expect(readdirSync(join(src, 'resources')).filter((file) => file.endsWith('.ts')).length).toBeGreaterThan(0);
    expect(readdirSync(join(src, 'schemas')).filter((file) => file.endsWith('.ts')).length).toBeGreaterThan(0);
  });
});
