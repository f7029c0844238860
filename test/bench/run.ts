// `npm run bench`: every benchmark measures its baseline in the same run and prints the ratio.
import { benchCorePipeline } from './core-pipeline.ts';

interface Result {
  name: string;
  baselineMs: number;
  measuredMs: number;
  ratio: number;
  target: number;
  extra?: string;
}

const benches: Array<() => Promise<Result>> = [benchCorePipeline];
let missed = 0;
for (const bench of benches) {
  const r = await bench();
  const verdict = r.ratio <= r.target ? 'meets' : 'MISSES';
  if (r.ratio > r.target) missed++;
  console.log(
    `${r.name}\n  baseline ${r.baselineMs.toFixed(0)} ms, measured ${r.measuredMs.toFixed(0)} ms, ratio ${r.ratio.toFixed(3)} — ${verdict} target ≤ ${r.target}${r.extra ? `\n  ${r.extra}` : ''}`,
  );
}
process.exitCode = missed ? 1 : 0;
