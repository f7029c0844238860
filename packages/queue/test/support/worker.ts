// A worker process of the test fleet: `node --import ./source-hooks.ts worker.ts <world.json> [crash-after-pf-create=N]`.
// Prints `ready` once its workers run; stops on SIGTERM or when the test process goes away. With crash-after-pf-create=N it kills
// itself (SIGKILL) right after its N-th Property Finder create, before the round records it.
import { readFileSync } from 'node:fs';
import { SyncFleet } from '../../src/index.js';
import { fleetConfig, type World } from './world.js';

const world = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as World;
const crashAfter = Number(/^crash-after-pf-create=(\d+)$/.exec(process.argv[3] ?? '')?.[1] ?? 0);
let creates = 0;
const fleet = new SyncFleet(
  fleetConfig(world, {
    afterPfCreate: () => {
      if (crashAfter > 0 && ++creates >= crashAfter) process.kill(process.pid, 'SIGKILL');
    },
  }),
);
const worker = fleet.worker({ concurrency: 4, lockDurationMs: 3000, stalledIntervalMs: 500 });
await Promise.all([...worker.workers.values()].map((w) => w.waitUntilReady()));
process.stdout.write('ready\n');
// Stops on SIGTERM, or when the test process is gone (its end of stdin closes), within a bound either way.
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  setTimeout(() => process.exit(1), 5000).unref();
  void worker
    .close()
    .then(() => fleet.close())
    .then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.stdin.on('close', stop);
process.stdin.resume();
