// `npm run bench`: every benchmark measures its baseline in the same run and prints the ratio.
// Each runs in a fresh process, so no benchmark inherits another's heap or warm-up.
// `npm run bench -- state core` runs only the benchmarks named.
import { execFileSync } from 'node:child_process';

interface Result {
  name: string;
  baselineMs: number;
  measuredMs: number;
  ratio: number;
  target: number;
  extra?: string;
  /** Set when a condition other than the ratio failed. */
  failed?: boolean;
}

// Each benchmark's module is imported in its own process only: a module loaded for another
// (ioredis, say) can make V8 give up fast paths for the whole process, and slow what is measured.
const benches: Record<string, () => Promise<Result>> = {
  core: async () => (await import('./core-pipeline.ts')).benchCorePipeline(),
  rentix: async () => (await import('./rentix-sync.ts')).benchRentixInitialSync(10_000, 2_000),
  'rentix-60s': async () => (await import('./rentix-sync.ts')).benchRentixInitialSync(6_000, 60_000),
  'indomio-write': async () => (await import('./indomio.ts')).benchIndomioWritePath(),
  'indomio-feed': async () => (await import('./indomio.ts')).benchIndomioFeed(2, 'indomio-feed'),
  'indomio-feed-1core': async () => (await import('./indomio.ts')).benchIndomioFeed(1, 'indomio-feed-1core'),
  'indomio-feed-memory': async () => (await import('./indomio.ts')).benchIndomioFeedMemory(),
  pfcrm: async () => (await import('./pfcrm-iterate.ts')).benchPfcrmIterate(),
  queue: async () => (await import('./queue-fleet.ts')).benchQueueFleet(),
  state: async () => (await import('./state-stores.ts')).benchStateStores(),
};

const [first, second] = process.argv.slice(2);
if (first === '--child') {
  // One benchmark, in the process the loop below started for it: its result as JSON.
  const bench = second === undefined ? undefined : benches[second];
  if (!bench) throw new Error(`no benchmark named ${second}: ${Object.keys(benches).join(', ')}`);
  process.stdout.write(JSON.stringify(await bench()));
} else {
  const names = process.argv.length > 2 ? process.argv.slice(2) : Object.keys(benches);
  const unknown = names.filter((name) => !benches[name]);
  if (unknown.length) throw new Error(`no benchmark named ${unknown.join(', ')}: ${Object.keys(benches).join(', ')}`);
  let missed = 0;
  for (const name of names) {
    const out = execFileSync(process.execPath, [...process.execArgv, process.argv[1] ?? '', '--child', name], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 1 << 20,
    });
    const r = JSON.parse(out) as Result;
    const met = r.ratio <= r.target && !r.failed;
    if (!met) missed++;
    console.log(
      `${r.name}\n  baseline ${r.baselineMs.toFixed(0)} ms, measured ${r.measuredMs.toFixed(0)} ms, ratio ${r.ratio.toFixed(3)} — ${met ? 'meets' : 'MISSES'} target ≤ ${r.target}${r.extra ? `\n  ${r.extra}` : ''}`,
    );
  }
  process.exitCode = missed ? 1 : 0;
}
