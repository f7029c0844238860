// A real redis-server for the queue tests: started on a free 127.0.0.1 port with no persistence,
// stopped by `stop()` — or when the test process dies, since it runs with its stdin on a pipe that
// a small shell wrapper watches.
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { Redis } from 'ioredis';

/** A Redis started for a test. */
export interface RedisService {
  port: number;
  stop(): Promise<void>;
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {}
  }
  return undefined;
}

/** Why Redis cannot be started here, or `undefined` when it can. */
export function redisMissing(): string | undefined {
  return onPath('redis-server') ? undefined : 'redis-server is not installed (apt-get install redis-server)';
}

/** `false` (with the reason printed) when Redis is missing outside CI; under `CI=true` a missing Redis fails. */
export function redisAvailable(): boolean {
  const missing = redisMissing();
  if (missing === undefined) return true;
  if (process.env.CI === 'true') throw new Error(`the queue tests cannot run under CI: ${missing}`);
  console.warn(`skipping the queue tests: ${missing}`);
  return false;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port was assigned');
  return address.port;
}

const WRAPPER = '"$@" & pid=$!; cat > /dev/null; kill "$pid" 2>/dev/null; wait "$pid"';

/** Starts redis-server and waits until it answers PING (bounded: 50 tries). */
export async function startRedis(): Promise<RedisService> {
  const bin = redisMissing() === undefined ? (onPath('redis-server') as string) : undefined;
  if (!bin) throw new Error(redisMissing());
  const port = await freePort();
  const args = [bin, '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child = spawn('sh', ['-c', WRAPPER, 'sh', ...args], { stdio: ['pipe', 'ignore', 'ignore'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.unref();
  (child.stdin as unknown as { unref(): void }).unref();
  const probe = new Redis({
    host: '127.0.0.1',
    port,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  probe.on('error', () => undefined);
  for (let attempt = 0; ; attempt++) {
    try {
      await probe.connect();
      await probe.ping();
      break;
    } catch (error) {
      if (attempt >= 50) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  probe.disconnect();
  return {
    port,
    stop: async () => {
      child.ref();
      child.stdin?.end();
      await exited;
    },
  };
}
