import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { FleetConfig } from './config.js';
import { SyncFleet } from './fleet.js';
import type { FleetMetrics } from './metrics.js';
import { VERSION } from './version.js';

/** Where the command writes: standard output and error by default. */
export interface CommandIo {
  out(line: string): void;
  err(line: string): void;
  /** Resolves when the worker command should stop (default: on SIGINT or SIGTERM). */
  stopSignal?: Promise<void> | undefined;
}

/** What `sync-queue --help` prints. */
export const USAGE = `sync-queue ${VERSION}: continuous syncs for a fleet of agencies on BullMQ

Usage: sync-queue <command> --config <module> [options]

Commands:
  worker                 run rounds (--portals a,b; --concurrency N per portal, default 4)
  enqueue <agency...>    ask for a round now (--all for every agency; --portals a,b)
  schedule <agency...>   a round every --every (e.g. 5m, 30s, 1h; --all; --portals a,b)
  status                 queue depth, active rounds, failures, throughput (--json, --prometheus)

The config module's default export is a FleetConfig, or a function that returns one.`;

/** Reads `5m`, `30s`, `1h`, `250ms` or a number of milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) throw new RangeError(`"${text}" is not a duration (e.g. 30s, 5m, 1h)`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] ?? 'ms'] as number;
  return Number(match[1]) * unit;
}

/** Imports the vendor's config module: its default export, called if it is a function. */
export async function loadConfig(path: string): Promise<FleetConfig> {
  const module = (await import(pathToFileURL(resolve(path)).href)) as { default?: unknown };
  const exported = module.default;
  const config = typeof exported === 'function' ? await (exported as () => unknown)() : exported;
  if (config === null || typeof config !== 'object' || !('portals' in config) || !('store' in config))
    throw new TypeError(`${path} does not export a FleetConfig (default export with redis, store, portals, listings)`);
  return config as FleetConfig;
}

/** The status table: one line per portal. */
export function formatStatus(metrics: FleetMetrics): string[] {
  const lines = ['portal    waiting  active  delayed  failed  rounds ok  guarded  deferred  429s  items/s  max lag'];
  for (const [portal, { queue, counters }] of Object.entries(metrics.portals)) {
    const lag = Math.max(0, ...Object.values(metrics.lagSeconds[portal] ?? {}));
    const cells = [
      portal.padEnd(8),
      String(queue.waiting + queue.prioritized).padStart(8),
      String(queue.active).padStart(7),
      String(queue.delayed).padStart(8),
      String(queue.failed).padStart(7),
      String(counters.rounds.completed ?? 0).padStart(10),
      String(counters.rounds.guarded ?? 0).padStart(8),
      String(counters.rounds.deferred ?? 0).padStart(9),
      String(counters.rateLimited).padStart(5),
      counters.itemsPerSecond.toFixed(1).padStart(8),
      `${lag.toFixed(0)} s`.padStart(8),
    ];
    lines.push(cells.join(' '));
  }
  return lines;
}

const defaultIo: CommandIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

const stopOnSignal = () =>
  new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });

/**
 * Runs one `sync-queue` command and resolves with its exit code: `worker` runs until
 * stopped, the others once.
 */
export async function runCommand(argv: readonly string[], io: CommandIo = defaultIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    io.err(error instanceof Error ? error.message : String(error));
    io.err(USAGE);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...agencies] = positionals;
  if (values.version) {
    io.out(VERSION);
    return 0;
  }
  if (values.help || command === undefined) {
    io.out(USAGE);
    return command === undefined && !values.help ? 2 : 0;
  }
  if (!values.config) {
    io.err('--config <module> is required');
    return 2;
  }
  const fleet = new SyncFleet(await loadConfig(values.config));
  const portals = values.portals ? values.portals.split(',').map((p) => p.trim()) : undefined;
  const targets = async () => (values.all ? [...((await fleet.config.agencies?.()) ?? [])] : agencies);
  try {
    switch (command) {
      case 'worker': {
        const worker = fleet.worker({
          portals,
          concurrency: values.concurrency === undefined ? undefined : Number(values.concurrency),
        });
        io.out(`sync-queue worker on ${[...worker.workers.keys()].join(', ')}`);
        await (io.stopSignal ?? stopOnSignal());
        await worker.close();
        return 0;
      }
      case 'enqueue': {
        const list = await targets();
        if (list.length === 0) throw new RangeError('name the agencies, or pass --all');
        for (const agency of list) await fleet.enqueue(agency, portals);
        io.out(`rounds asked for ${list.length} agencies`);
        return 0;
      }
      case 'schedule': {
        if (!values.every) throw new RangeError('--every is required (e.g. --every 5m)');
        const every = parseDuration(values.every);
        const list = await targets();
        if (list.length === 0) throw new RangeError('name the agencies, or pass --all');
        for (const agency of list) await fleet.schedule(agency, every, portals);
        io.out(`${list.length} agencies scheduled every ${values.every}`);
        return 0;
      }
      case 'status': {
        const metrics = await fleet.metrics();
        if (values.prometheus) io.out((await fleet.prometheus()).trimEnd());
        else if (values.json) io.out(JSON.stringify(metrics, null, 2));
        else for (const line of formatStatus(metrics)) io.out(line);
        return 0;
      }
      default:
        io.err(`unknown command "${command}"`);
        io.err(USAGE);
        return 2;
    }
  } catch (error) {
    io.err(error instanceof Error ? error.message : String(error));
    return 1;
  } finally {
    await fleet.close();
  }
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      config: { type: 'string', short: 'c' },
      portals: { type: 'string' },
      concurrency: { type: 'string' },
      every: { type: 'string' },
      all: { type: 'boolean' },
      json: { type: 'boolean' },
      prometheus: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean' },
    },
  });
}
