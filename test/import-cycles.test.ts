// Every package's sources form an import graph without cycles: a module never imports,
// directly or through others, a module that imports it (type-only imports included).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const packagesDir = join(root, 'packages');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(full));
    else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

// `import … from '…'`, `export … from '…'`, `import '…'` and `import('…')`, over several lines.
const IMPORT =
  /(?:^|[\s;])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*\(?\s*['"]([^'"]+)['"]/g;

/** Relative imports of one file, resolved to source files. */
function importsOf(file: string, text: string): string[] {
  const out: string[] = [];
  // Comments may quote imports; they are not edges.
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  for (const match of code.matchAll(IMPORT)) {
    const spec = match[1] ?? match[2];
    if (!spec?.startsWith('.')) continue;
    const target = resolve(dirname(file), spec).replace(/\.js$/, '.ts');
    out.push(target.endsWith('.ts') ? target : `${target}.ts`);
  }
  return out;
}

/** Every cycle's path, found by a depth-first walk (each reported once, from its first module). */
function findCycles(graph: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (state.get(next) === undefined) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return cycles;
}

const packages = readdirSync(packagesDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .filter((name) => {
    try {
      return readdirSync(join(packagesDir, name, 'src')).length > 0;
    } catch {
      return false;
    }
  });

describe('import graph', () => {
  it('finds a cycle when there is one, type-only imports included', () => {
    const a = '/p/src/a.ts';
    const b = '/p/src/b.ts';
    const graph = new Map([
      [a, importsOf(a, "import type { B } from './b.js';")],
      [b, importsOf(b, "import {\n  A,\n} from './a.js';")],
    ]);
    expect(findCycles(graph)).toEqual([[a, b, a]]);
    expect(findCycles(new Map([[a, importsOf(a, "// import { B } from './b.js';")]]))).toEqual([]);
  });

  it.each(packages)('of packages/%s/src has no cycle', (name) => {
    const files = sourceFiles(join(packagesDir, name, 'src'));
    const graph = new Map(files.map((file) => [file, importsOf(file, readFileSync(file, 'utf8'))]));
    const cycles = findCycles(graph).map((cycle) => cycle.map((file) => relative(packagesDir, file)).join(' → '));
    expect(cycles).toEqual([]);
  });
});
