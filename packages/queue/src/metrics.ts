import type { Redis } from 'ioredis';

/** Counters of one portal, summed over every worker (kept in Redis). */
export interface PortalCounters {
  /** Rounds by how they ended: `completed`, `guarded` (mass-removal guard), `deferred`, `failed`. */
  rounds: Record<string, number>;
  /** HTTP attempts sent. */
  requests: number;
  /** 429 answers. */
  rateLimited: number;
  /** Retries. */
  retries: number;
  /** Listings handled by completed rounds (every outcome). */
  items: number;
  /** Listings written (created, updated or removed) by completed rounds. */
  writes: number;
  /** Items a second over the last five minutes. */
  itemsPerSecond: number;
}

/** Queue depth of one portal, by BullMQ job state. */
export type QueueDepth = Record<'waiting' | 'active' | 'delayed' | 'failed' | 'completed' | 'prioritized', number>;

/** A snapshot of the fleet, as `sync-queue status` prints it and {@link toPrometheus} renders it. */
export interface FleetMetrics {
  /** Per portal: its queue's depth and its counters. */
  portals: Record<string, { queue: QueueDepth; counters: PortalCounters }>;
  /** Per portal and agency: seconds since the agency's last completed round there. */
  lagSeconds: Record<string, Record<string, number>>;
}

const MINUTE = 60_000;

/** Adds a finished round's numbers to the shared counters. */
export async function recordRound(
  redis: Redis,
  prefix: string,
  portal: string,
  round: {
    agency: string;
    status: string;
    requests: number;
    rateLimited: number;
    retries: number;
    items: number;
    writes: number;
  },
): Promise<void> {
  const key = `${prefix}:stats:${portal}`;
  const minute = `${key}:m:${Math.floor(Date.now() / MINUTE)}`;
  const multi = redis
    .multi()
    .hincrby(key, `rounds:${round.status}`, 1)
    .hincrby(key, 'requests', round.requests)
    .hincrby(key, 'rateLimited', round.rateLimited)
    .hincrby(key, 'retries', round.retries)
    .hincrby(key, 'items', round.items)
    .hincrby(key, 'writes', round.writes)
    .hincrby(minute, 'items', round.items)
    .pexpire(minute, 60 * MINUTE);
  if (round.status === 'completed') multi.hset(`${prefix}:synced:${portal}`, round.agency, Date.now());
  await multi.exec();
}

/** Reads one portal's counters. */
export async function readCounters(redis: Redis, prefix: string, portal: string): Promise<PortalCounters> {
  const key = `${prefix}:stats:${portal}`;
  const all = await redis.hgetall(key);
  const rounds: Record<string, number> = {};
  for (const [field, value] of Object.entries(all)) {
    if (field.startsWith('rounds:')) rounds[field.slice(7)] = Number(value);
  }
  const now = Math.floor(Date.now() / MINUTE);
  const recent = await Promise.all(
    [0, 1, 2, 3, 4].map((back) => redis.hget(`${key}:m:${now - back}`, 'items').then(Number)),
  );
  const elapsed = 4 * 60 + ((Date.now() % MINUTE) / 1000 || 1);
  return {
    rounds,
    requests: Number(all.requests ?? 0),
    rateLimited: Number(all.rateLimited ?? 0),
    retries: Number(all.retries ?? 0),
    items: Number(all.items ?? 0),
    writes: Number(all.writes ?? 0),
    itemsPerSecond: recent.reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0) / elapsed,
  };
}

/** Seconds since each agency's last completed round on `portal`. */
export async function readLag(redis: Redis, prefix: string, portal: string): Promise<Record<string, number>> {
  const synced = await redis.hgetall(`${prefix}:synced:${portal}`);
  const now = Date.now();
  const lag: Record<string, number> = {};
  for (const [agency, at] of Object.entries(synced)) lag[agency] = Math.max(0, (now - Number(at)) / 1000);
  return lag;
}

const escapeLabel = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/** Renders a snapshot in the Prometheus text exposition format, for a `/metrics` endpoint. */
export function toPrometheus(metrics: FleetMetrics): string {
  const lines: string[] = [];
  const family = (name: string, type: 'gauge' | 'counter', help: string, samples: Array<[string, number]>) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) lines.push(`${name}{${labels}} ${value}`);
  };
  const portals = Object.entries(metrics.portals);
  const label = (pairs: Record<string, string>) =>
    Object.entries(pairs)
      .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
      .join(',');
  family(
    'sync_queue_jobs',
    'gauge',
    'Round jobs in each portal queue, by state.',
    portals.flatMap(([portal, { queue }]) =>
      Object.entries(queue).map(([state, n]): [string, number] => [label({ portal, state }), n]),
    ),
  );
  family(
    'sync_rounds_total',
    'counter',
    'Rounds finished, by portal and outcome.',
    portals.flatMap(([portal, { counters }]) =>
      Object.entries(counters.rounds).map(([status, n]): [string, number] => [label({ portal, status }), n]),
    ),
  );
  for (const [name, field, help] of [
    ['sync_requests_total', 'requests', 'HTTP attempts sent to the portal.'],
    ['sync_rate_limited_total', 'rateLimited', '429 answers from the portal.'],
    ['sync_retries_total', 'retries', 'Retried attempts.'],
    ['sync_round_items_total', 'items', 'Listings handled by completed rounds.'],
    ['sync_round_writes_total', 'writes', 'Listings created, updated or removed by completed rounds.'],
  ] as const) {
    family(
      name,
      'counter',
      help,
      portals.map(([portal, { counters }]) => [label({ portal }), counters[field]]),
    );
  }
  family(
    'sync_lag_seconds',
    'gauge',
    "Seconds since an agency's last completed round on a portal.",
    Object.entries(metrics.lagSeconds).flatMap(([portal, agencies]) =>
      Object.entries(agencies).map(([agency, s]): [string, number] => [label({ portal, agency }), s]),
    ),
  );
  return `${lines.join('\n')}\n`;
}
