// `npm run bench`: every benchmark measures its baseline in the same run and prints the ratio.
import { benchCorePipeline } from './core-pipeline.ts';
import { benchIndomioFeed, benchIndomioFeedMemory, benchIndomioWritePath } from './indomio.ts';
import { benchPfcrmIterate } from './pfcrm-iterate.ts';
import { benchRentixInitialSync } from './rentix-sync.ts';

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

const benches: Array<() => Promise<Result>> = [
  benchCorePipeline,
  benchRentixInitialSync,
  benchIndomioWritePath,
  benchIndomioFeed,
  benchIndomioFeedMemory,
  benchPfcrmIterate,
];
let missed = 0;
for (const bench of benches) {
  const r = await bench();
  const met = r.ratio <= r.target && !r.failed;
  const verdict = met ? 'meets' : 'MISSES';
  if (!met) missed++;
  console.log(
    `${r.name}\n  baseline ${r.baselineMs.toFixed(0)} ms, measured ${r.measuredMs.toFixed(0)} ms, ratio ${r.ratio.toFixed(3)} — ${verdict} target ≤ ${r.target}${r.extra ? `\n  ${r.extra}` : ''}`,
  );
}
process.exitCode = missed ? 1 : 0;
