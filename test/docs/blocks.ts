// The TypeScript blocks of the README and the guides, compiled against the packages' sources,
// so a guide cannot drift from the API it shows.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const repo = join(import.meta.dirname, '../..');

/** One fenced `ts` block of a Markdown file. */
export interface DocBlock {
  /** Repository-relative file and the block's first line, e.g. `docs/sync.md:12`. */
  where: string;
  /** The code. */
  code: string;
}

/** The guides whose blocks are checked: the README, every `docs/*.md` and every package's README. */
export function guideFiles(): string[] {
  const docs = readdirSync(join(repo, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`);
  const packages = readdirSync(join(repo, 'packages'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(repo, 'packages', entry.name, 'README.md')))
    .map((entry) => `packages/${entry.name}/README.md`);
  return ['README.md', ...docs.sort(), ...packages.sort()];
}

/** Every ```ts block of `file`. */
export function blocksOf(file: string): DocBlock[] {
  const lines = readFileSync(join(repo, file), 'utf8').split('\n');
  const blocks: DocBlock[] = [];
  let start = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (start < 0 && /^```(ts|typescript)\s*$/.test(line)) start = i;
    else if (start >= 0 && /^```\s*$/.test(line)) {
      blocks.push({ where: `${file}:${start + 2}`, code: lines.slice(start + 1, i).join('\n') });
      start = -1;
    }
  }
  return blocks;
}

/**
 * Type-checks each block as its own module (top-level `await` allowed), with the names a guide
 * leaves to the reader's own code declared in `test/docs/reader.d.ts`. Returns one message per error.
 */
export function checkBlocks(blocks: readonly DocBlock[]): string[] {
  const configPath = join(repo, 'test/docs/tsconfig.json');
  const config = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (!config) throw new Error(`cannot read ${configPath}`);
  const virtual = new Map<string, DocBlock>();
  blocks.forEach((block, i) => {
    virtual.set(join(repo, 'test/docs/.blocks', `block${i}.ts`), block);
  });
  const host = ts.createCompilerHost(config.options);
  const read = host.readFile.bind(host);
  const exists = host.fileExists.bind(host);
  host.readFile = (name) => {
    const block = virtual.get(name);
    return block ? `${block.code}\nexport {};\n` : read(name);
  };
  host.fileExists = (name) => virtual.has(name) || exists(name);
  const program = ts.createProgram({
    rootNames: [...virtual.keys(), join(repo, 'test/docs/reader.d.ts')],
    options: { ...config.options, noEmit: true },
    host,
  });
  const messages: string[] = [];
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    const block = d.file ? virtual.get(d.file.fileName) : undefined;
    if (d.file && d.start !== undefined) {
      const { line } = d.file.getLineAndCharacterOfPosition(d.start);
      if (block) {
        const [file, first] = block.where.split(':');
        messages.push(`${file}:${Number(first) + line}: ${text}`);
      } else messages.push(`${d.file.fileName}:${line + 1}: ${text}`);
    } else messages.push(text);
  }
  return messages;
}
