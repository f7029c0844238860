// Consumer checks: pack every package, install the tarballs into a project outside the workspace,
// and use them there as users do — ESM and CommonJS on Node 22 and Node 24, types with node16 and bundler resolution.
import { type ExecFileSyncOptions, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { smokes, typesCheck, typesCheckCjs } from './smoke.ts';

const repo = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'sync-consumer-'));
const tarballs = join(work, 'tarballs');
const project = join(work, 'project');
mkdirSync(tarballs);
mkdirSync(project);

let failures = 0;
const results: string[] = [];
function run(label: string, cmd: string, args: string[], options: ExecFileSyncOptions = {}): string | undefined {
  try {
    const out = execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
    results.push(`ok    ${label}`);
    return String(out);
  } catch (error) {
    failures++;
    const e = error as { stdout?: string; stderr?: string; message: string };
    results.push(`FAIL  ${label}\n${e.stdout ?? ''}${e.stderr ?? e.message}`);
    return undefined;
  }
}

const packages = readdirSync(join(repo, 'packages')).filter((name) => name in smokes);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

// 1. Pack, and look inside each tarball for paths that only exist in this workspace.
for (const name of packages) {
  run(`pack @sync/${name}`, npm, ['pack', '--pack-destination', tarballs], { cwd: join(repo, 'packages', name) });
}
const files = readdirSync(tarballs).filter((f) => f.endsWith('.tgz'));
for (const file of files) {
  const dir = join(work, 'unpacked', file);
  mkdirSync(dir, { recursive: true });
  execFileSync('tar', ['-xzf', join(tarballs, file), '-C', dir]);
  const leaks: string[] = [];
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name.endsWith('.map')) continue;
    const text = readFileSync(join(entry.parentPath, entry.name), 'utf8');
    if (text.includes(repo) || /packages\/[a-z]+\/src\//.test(text)) leaks.push(join(entry.parentPath, entry.name));
  }
  if (leaks.length) {
    failures++;
    results.push(`FAIL  ${file} holds workspace paths: ${leaks.join(', ')}`);
  } else results.push(`ok    ${file} holds no workspace path`);
}

// 2. A project outside the workspace that installs the tarballs and their peers from the registry.
writeFileSync(
  join(project, 'package.json'),
  JSON.stringify({ name: 'consumer', private: true, version: '1.0.0', type: 'module' }),
);
run(
  'install tarballs',
  npm,
  [
    'install',
    '--no-audit',
    '--no-fund',
    '--ignore-scripts',
    ...files.map((f) => join(tarballs, f)),
    'zod@^4',
    'msw@^3',
    'typescript@~6.0',
    '@types/node@^24',
  ],
  { cwd: project },
);
// Node 22 comes from the registry's `node` package; its binary is fetched by its install script.
run('install node@22', npm, ['install', '--no-audit', '--no-fund', '--no-save', 'node@22'], { cwd: project });
const node22 = join(project, 'node_modules', 'node', 'bin', 'node');
const node24 = process.execPath;

// 3. The same checks written as ESM and as CommonJS.
const body = Object.values(smokes)
  .map((s) => `{${s.body}}`)
  .join('\n');
writeFileSync(
  join(project, 'smoke.mjs'),
  `import assert from 'node:assert/strict';\nconst lib = (name) => import(name);\n${body}\nconsole.log('esm ok');\n`,
);
writeFileSync(
  join(project, 'smoke.cjs'),
  `const assert = require('node:assert/strict');\nconst lib = async (name) => require(name);\n(async () => {\n${body}\nconsole.log('cjs ok');\n})().catch((e) => { console.error(e); process.exit(1); });\n`,
);
for (const [label, bin] of [
  ['Node 22', node22],
  ['Node 24', node24],
] as const) {
  const version = run(`${label} version`, bin, ['--version'], { cwd: project })?.trim();
  run(`ESM import of every package on ${label} (${version})`, bin, ['smoke.mjs'], { cwd: project });
  run(`CommonJS require of every package on ${label} (${version})`, bin, ['smoke.cjs'], { cwd: project });
}

// 4. Types against the packed declarations.
writeFileSync(join(project, 'check.ts'), typesCheck);
writeFileSync(join(project, 'check-cjs.cts'), typesCheckCjs);
for (const [module, moduleResolution] of [
  ['node16', 'node16'],
  ['esnext', 'bundler'],
] as const) {
  const config = join(project, `tsconfig.${moduleResolution}.json`);
  writeFileSync(
    config,
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        module,
        moduleResolution,
        target: 'es2022',
        types: ['node'],
        skipLibCheck: false,
      },
      files: ['check.ts', 'check-cjs.cts'],
    }),
  );
  run(
    `types with moduleResolution ${moduleResolution}`,
    node24,
    [join(project, 'node_modules/typescript/bin/tsc'), '-p', config],
    {
      cwd: project,
    },
  );
}

console.log(results.join('\n'));
if (failures === 0) rmSync(work, { recursive: true, force: true });
else console.log(`consumer project kept in ${work}`);
console.log(`consumer checks: ${failures === 0 ? 'all passed' : `${failures} failed`}`);
process.exitCode = failures ? 1 : 0;
