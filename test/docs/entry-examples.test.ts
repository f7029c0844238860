// Every main entry point of the packages carries an `@example` in its TSDoc, so the API site shows how to call
// it. Entry points are found by what they are (client classes, mocks, stores, sync calls, builders), so a new
// one is held to the same rule without being listed here.
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const { entryPoints } = JSON.parse(readFileSync(new URL('typedoc.json', root), 'utf8')) as { entryPoints: string[] };

/** What makes an export an entry point, by its kind and name. */
const ENTRY_POINT: Record<'class' | 'function' | 'variable', RegExp> = {
  class: /(Client|MockPortal|IdentifierMap|SyncState|Fleet|RateLimiter|Uploader)$/,
  function:
    /^(sync(Listings|Portals|Items|Properties)|\w+Target|create\w+Handlers|serveHandlers|seededFaults|writeFeed|fromListing|initialSync|continuousSync|runBatches|download|(?!parse)\w+Query|build\w+Xml)$/,
  variable: /^(ops|userOps)$/,
};

interface EntryPoint {
  module: string;
  name: string;
  example: boolean;
}

function entryPointsOf(): EntryPoint[] {
  const files = entryPoints.map((file) => new URL(file, root).pathname);
  const program = ts.createProgram(files, {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    allowImportingTsExtensions: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const found: EntryPoint[] = [];
  for (const [index, file] of files.entries()) {
    const source = program.getSourceFile(file);
    const module = source && checker.getSymbolAtLocation(source);
    if (!module) throw new Error(`${entryPoints[index]} is not a module`);
    for (const exported of checker.getExportsOfModule(module)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const kind =
        symbol.flags & ts.SymbolFlags.Class
          ? 'class'
          : symbol.flags & ts.SymbolFlags.Function
            ? 'function'
            : symbol.flags & ts.SymbolFlags.Variable
              ? 'variable'
              : undefined;
      if (!kind || !ENTRY_POINT[kind].test(exported.name)) continue;
      const tags = (symbol.declarations ?? []).flatMap((d) => ts.getJSDocTags(d).map((t) => t.tagName.text));
      if (tags.includes('deprecated')) continue;
      found.push({ module: entryPoints[index] ?? file, name: exported.name, example: tags.includes('example') });
    }
  }
  return found;
}

describe('the API reference', () => {
  it('shows an example on every client, mock, store, sync call and builder', () => {
    const found = entryPointsOf();
    // The rule finds the entry points a reader starts from.
    const names = new Set(found.map((e) => e.name));
    for (const name of ['RentixClient', 'IndomioClient', 'PfCrmClient', 'syncPortals', 'syncListings', 'writeFeed']) {
      expect(names).toContain(name);
    }
    expect(found.length).toBeGreaterThan(35);
    expect(found.filter((e) => !e.example).map((e) => `${e.module}: ${e.name}`)).toEqual([]);
  }, 60_000);
});
