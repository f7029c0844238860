// Consumer checks: pack every package, install the tarballs into a project outside the workspace, and use them
// there as users do — calls against the bundled mocks, from ESM and from CommonJS, on Node 22, Node 24, Bun and
// Deno (each installed from the npm registry into that project), types with node16 and bundler resolution, and
// the Jest recipe of docs/testing.md run as written (its config, command and test file) with Jest from the registry,
// and the `sync-queue` command. The queue's round runs against a redis-server the checker starts (skipped, saying
// why, when there is none, except under CI=true, where a missing server fails like the other services).
// Prints one ok/FAIL/skip line per check and exits non-zero when any fails. Run `npm run build` first.
import { type ExecFileSyncOptions, execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { redisMissing, type Service, startRedis } from '../../packages/core/test/support/services.ts';
import { smokes, typesCheck, typesCheckCjs } from './smoke.ts';

const repo = resolve(import.meta.dirname, '../..');
const packages = ['core', 'rentix', 'indomio', 'pfcrm', 'queue'];
/** Longest a single step may take before it counts as hung. */
const STEP_TIMEOUT_MS = 120_000;

let failures = 0;
function report(ok: boolean, label: string, detail = ''): void {
  if (!ok) failures++;
  console.log(`${ok ? 'ok  ' : 'FAIL'}  ${label}`);
  if (!ok && detail.trim()) console.log(detail.trimEnd().replace(/^/gm, '      '));
}
/** A check that cannot run here, and why. */
function skipped(label: string, why: string): void {
  console.log(`skip  ${label}: ${why.trim()}`);
}

interface Outcome {
  ok: boolean;
  stdout: string;
  detail: string;
}
function exec(cmd: string, args: string[], options: ExecFileSyncOptions = {}): Outcome {
  try {
    const stdout = execFileSync(cmd, args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: STEP_TIMEOUT_MS,
      killSignal: 'SIGKILL',
      maxBuffer: 64 * 1024 * 1024,
      ...options,
    });
    return { ok: true, stdout: String(stdout), detail: '' };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string; signal?: string };
    const why = e.signal === 'SIGKILL' ? `did not finish within ${STEP_TIMEOUT_MS / 1000} s\n` : '';
    return { ok: false, stdout: e.stdout ?? '', detail: `${why}${e.stdout ?? ''}${e.stderr ?? e.message}` };
  }
}
function run(label: string, cmd: string, args: string[], options: ExecFileSyncOptions = {}): Outcome {
  const outcome = exec(cmd, args, options);
  report(outcome.ok, label, outcome.detail);
  return outcome;
}

// 0. The tarballs are packed from dist: it must exist and be newer than the sources.
const newest = (dir: string): number =>
  Math.max(
    0,
    ...readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => statSync(join(e.parentPath, e.name)).mtimeMs),
  );
const stale = packages.filter((name) => {
  const dist = join(repo, 'packages', name, 'dist', 'index.js');
  return !existsSync(dist) || statSync(dist).mtimeMs < newest(join(repo, 'packages', name, 'src'));
});
report(stale.length === 0, 'every package is built from its current sources', `run \`npm run build\` first: ${stale}`);
if (stale.length) {
  console.log('consumer checks: 1 failed');
  process.exit(1);
}

const work = mkdtempSync(join(tmpdir(), 'sync-consumer-'));
const tarballs = join(work, 'tarballs');
const project = join(work, 'project');
mkdirSync(tarballs);
mkdirSync(project);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

// 1. Pack; look inside each tarball for paths that only exist in this workspace, and for every file its exports name.
for (const name of packages) {
  run(`pack @sync/${name}`, npm, ['pack', '--pack-destination', tarballs], { cwd: join(repo, 'packages', name) });
}
const files = readdirSync(tarballs).filter((f) => f.endsWith('.tgz'));
const exportTargets = (value: unknown): string[] =>
  typeof value === 'string' ? [value] : Object.values(value as Record<string, unknown>).flatMap(exportTargets);
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
  report(leaks.length === 0, `${file} holds no workspace path`, leaks.join('\n'));
  const manifest = JSON.parse(readFileSync(join(dir, 'package', 'package.json'), 'utf8')) as { exports: unknown };
  const missing = exportTargets(manifest.exports).filter((target) => !existsSync(join(dir, 'package', target)));
  report(missing.length === 0, `${file} holds every file its exports name`, `missing: ${missing.join(', ')}`);
}

// 2. A project outside the workspace with the tarballs, their peers, and the runtimes, all from the registry.
// The runtimes' install scripts fetch their binaries, as packages of the registry: only those scripts may run.
writeFileSync(
  join(project, 'package.json'),
  JSON.stringify({
    name: 'consumer',
    private: true,
    version: '1.0.0',
    type: 'module',
    allowScripts: { node: true, bun: true, deno: true },
  }),
);
const install = (label: string, specs: string[]): boolean =>
  run(`install ${label}`, npm, ['install', '--no-audit', '--no-fund', ...specs], { cwd: project, timeout: 300_000 }).ok;
const installed = install('the tarballs, their peers, Node 22 and Node 24', [
  ...files.map((f) => join(tarballs, f)),
  'zod@^4',
  'msw@^3',
  'ioredis@^6',
  // The Indomio mock validates documents with libxml2 from this optional peer.
  'xmllint-wasm@^5.3.0',
  'typescript@~6.0',
  '@types/node@^24',
  'node22@npm:node@22',
  'node24@npm:node@24',
]);
// Apart, so that a runtime that cannot be installed here is reported as such and the others still run.
const withBun = installed && install('Bun', ['bun']);
const withDeno = installed && install('Deno', ['deno']);
const withJest = installed && install('Jest', ['jest@^30', '@jest/globals@^30']);

// 3. The same checks as an ES module and as CommonJS, on every runtime.
const checks = smokes.map((s) => `  [${JSON.stringify(s.name)}, async () => {${s.body}}],`).join('\n');
const finish = `
let failed = 0;
for (const [name, check] of checks) {
  try {
    const skip = await check();
    if (typeof skip === 'string') console.log('::SKIP ' + name + '\\n  ' + skip);
    else console.log('::ok ' + name);
  } catch (error) {
    failed++;
    console.log('::FAIL ' + name + '\\n' + String((error && error.stack) || error).replace(/^/gm, '  '));
  }
}
if (typeof Deno !== 'undefined') {
  // Deno does not exit by itself once msw is loaded: msw opens a BroadcastChannel when its module is
  // evaluated and unrefs it only where the channel has unref() (Node's and Bun's do, Deno's does not),
  // so that open channel keeps Deno's event loop alive. On Node and Bun the script must end by itself.
  Deno.exit(failed ? 1 : 0);
}
process.exitCode = failed ? 1 : 0;
`;
writeFileSync(
  join(project, 'smoke.mjs'),
  `import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
const lib = (name) => import(name);
const resolvePath = (name) => fileURLToPath(import.meta.resolve(name));
const checks = [
${checks}
];
${finish}`,
);
writeFileSync(
  join(project, 'smoke.cjs'),
  `const assert = require('node:assert/strict');
const lib = async (name) => require(name);
const resolvePath = (name) => require.resolve(name);
const checks = [
${checks}
];
(async () => {
${finish}
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
`,
);

const bin = (path: string) => join(project, 'node_modules', path);
interface Runtime {
  label: string;
  installed: boolean;
  version: RegExp;
  cmd: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
}
const runtimes: Runtime[] = [
  { label: 'Node 22', installed, version: /^v22\./, cmd: bin('node22/bin/node'), args: [] },
  { label: 'Node 24', installed, version: /^v24\./, cmd: bin('node24/bin/node'), args: [] },
  { label: 'Bun', installed: withBun, version: /^\d+\./, cmd: bin('.bin/bun'), args: [] },
  {
    label: 'Deno',
    installed: withDeno,
    version: /^deno \d+\./,
    cmd: bin('.bin/deno'),
    args: ['run', '--allow-all', '--quiet'],
    env: { ...process.env, DENO_DIR: join(work, 'deno'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
  },
];
// One redis-server for the queue's round on every runtime; each run keeps to keys of its own.
const redisWhy = redisMissing();
let redis: Service | undefined;
if (redisWhy !== undefined && process.env.CI === 'true') report(false, 'a redis-server for the queue check', redisWhy);
else if (redisWhy === undefined) redis = await startRedis();
const redisEnv = redis ? { SYNC_SMOKE_REDIS_URL: redis.url } : { SYNC_SMOKE_REDIS_MISSING: redisWhy };
for (const runtime of runtimes.filter((r) => r.installed)) {
  const options = { cwd: project, env: { ...(runtime.env ?? process.env), ...redisEnv } };
  const version = exec(runtime.cmd, ['--version'], options);
  const named = version.stdout.split('\n')[0]?.trim() ?? '';
  const runs = version.ok && runtime.version.test(named);
  report(
    runs,
    `${runtime.label} runs here (${named || 'no version'})`,
    version.detail || `unexpected version ${named}`,
  );
  if (!runs) continue;
  for (const [format, script] of [
    ['ESM', 'smoke.mjs'],
    ['CommonJS', 'smoke.cjs'],
  ] as const) {
    const outcome = exec(runtime.cmd, [...runtime.args, script], options);
    const lines = outcome.stdout.split('\n');
    const seen = new Set<string>();
    let anyFailed = false;
    lines.forEach((line, i) => {
      const match = /^::(ok|FAIL|SKIP) (.*)$/.exec(line);
      if (!match) return;
      const name = match[2] ?? '';
      seen.add(name);
      if (match[1] === 'FAIL') anyFailed = true;
      const detail = [];
      for (let j = i + 1; j < lines.length && !lines[j]?.startsWith('::'); j++) detail.push(lines[j]);
      if (match[1] === 'SKIP') skipped(`${runtime.label}, ${format}: ${name}`, detail.join(' '));
      else report(match[1] === 'ok', `${runtime.label}, ${format}: ${name}`, detail.join('\n'));
    });
    const unreported = smokes.filter((s) => !seen.has(s.name));
    if (unreported.length || (!outcome.ok && !anyFailed)) {
      report(false, `${runtime.label}, ${format}: ${script} ran every check and exited by itself`, outcome.detail);
    }
  }
}

await redis?.stop();

// The fleet's command, as its bin is installed.
for (const [label, node] of [
  ['Node 22', bin('node22/bin/node')],
  ['Node 24', bin('node24/bin/node')],
] as const) {
  if (!installed) break;
  const help = exec(node, [bin('@sync/queue/dist/cli.js'), '--help'], { cwd: project });
  report(
    help.ok && /^sync-queue \d+\.\d+\.\d+: /.test(help.stdout) && help.stdout.includes('worker'),
    `${label}: sync-queue --help`,
    help.detail || help.stdout,
  );
}
const linked = exec(bin('node24/bin/node'), [bin('.bin/sync-queue'), '--help'], { cwd: project });
if (installed)
  report(linked.ok && linked.stdout.startsWith('sync-queue '), 'node_modules/.bin/sync-queue is linked', linked.detail);

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
  if (!installed) continue;
  run(
    `types with moduleResolution ${moduleResolution}`,
    bin('node24/bin/node'),
    [bin('typescript/bin/tsc'), '-p', config],
    {
      cwd: project,
    },
  );
}

// 5. The Jest recipe of docs/testing.md, as written: its config, its command and its test file, plus a PF test.
/** The fenced blocks of a Markdown section, with their language. */
function sectionBlocks(file: string, heading: string): Array<{ lang: string; code: string }> {
  const text = readFileSync(join(repo, file), 'utf8');
  const start = text.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`${file} has no section ${heading}`);
  const next = text.indexOf('\n## ', start + heading.length + 2);
  const section = text.slice(start, next < 0 ? undefined : next);
  return [...section.matchAll(/^```(\w+)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1] ?? '', code: m[2] ?? '' }));
}
const recipe = sectionBlocks('docs/testing.md', '## Jest');
const jestConfig = recipe.find((b) => b.lang === 'js')?.code;
const jestCommand = recipe
  .find((b) => b.lang === 'sh')
  ?.code.trim()
  .split(/\s+/);
const jestTest = recipe.find((b) => b.lang === 'ts')?.code;
const recipeWhole = jestConfig !== undefined && jestCommand?.[0] === 'node' && jestTest !== undefined;
report(recipeWhole, 'docs/testing.md gives a Jest config, a `node …` command and a test file', JSON.stringify(recipe));
if (withJest && recipeWhole) {
  const dir = join(project, 'jest');
  mkdirSync(dir);
  writeFileSync(join(dir, 'jest.config.js'), jestConfig);
  writeFileSync(join(dir, 'rentix.test.js'), jestTest);
  writeFileSync(
    join(dir, 'pfcrm.test.js'),
    `import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';
import { PfCrmClient } from '@sync/pfcrm';
import { createPfCrmHandlers, PfCrmMockPortal } from '@sync/pfcrm/msw';
import { setupServer } from 'msw/node';

const portal = new PfCrmMockPortal();
const server = setupServer(...createPfCrmHandlers({ portal }));
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => portal.reset());
afterAll(() => server.close());

it('lists the properties of the mock PF account', async () => {
  portal.seedProperties(3);
  const pf = new PfCrmClient({ apiKey: 'test-key', apiSecret: 'test-secret' });
  const page = await pf.properties.list({ perPage: 10 });
  expect(page.items).toHaveLength(3);
});
`,
  );
  // The project's package.json ("type": "module") and node_modules are the directory's parent's.
  for (const [label, node] of [
    ['Node 22', bin('node22/bin/node')],
    ['Node 24', bin('node24/bin/node')],
  ] as const) {
    const args = (jestCommand ?? []).slice(1).map((a) => (a.startsWith('node_modules/') ? bin(a.slice(13)) : a));
    const outcome = exec(node, [...args, '--ci', '--json'], { cwd: dir });
    // With --json Jest prints its results on stdout: both test files must have run, and every test passed.
    let results: { numPassedTests?: number; numFailedTests?: number; numTotalTestSuites?: number } = {};
    try {
      results = JSON.parse(outcome.stdout);
    } catch {}
    report(
      outcome.ok && results.numTotalTestSuites === 2 && results.numPassedTests === 2 && results.numFailedTests === 0,
      `${label}, Jest: the documented recipe runs a Rentix and a PF test against the mocks`,
      `${outcome.detail}\n${JSON.stringify(results).slice(0, 2000)}`,
    );
  }
}

if (failures === 0) rmSync(work, { recursive: true, force: true });
else console.log(`consumer project kept in ${work}`);
console.log(`consumer checks: ${failures === 0 ? 'all passed' : `${failures} failed`}`);
process.exitCode = failures ? 1 : 0;
