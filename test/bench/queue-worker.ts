// A worker process of the fleet benchmark: `node queue-worker.ts <world.json>`; prints `ready`, stops on SIGTERM.
import { readFileSync } from 'node:fs';
import { SyncFleet } from '@sync/queue';
import { type BenchWorld, benchConfig } from './queue-fleet.ts';

const world = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as BenchWorld;
const fleet = new SyncFleet(benchConfig(world));
const worker = fleet.worker({ concurrency: world.concurrency });
await Promise.all([...worker.workers.values()].map((w) => w.waitUntilReady()));
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void worker
    .close()
    .then(() => fleet.close())
    .then(() => process.exit(0));
});
