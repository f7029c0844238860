// Real PostgreSQL and Redis servers for tests and benchmarks: each started in a temporary
// directory on a free 127.0.0.1 port, and stopped by `stop()` — or by itself when the process
// that started it dies, since its wrapper shell stops the server as soon as its stdin closes.
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { accessSync, constants, readdirSync, readFileSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A server started for a test. */
export interface Service {
  /** Loopback port it listens on. */
  port: number;
  /** `postgres://…` or `redis://…` URL of it. */
  url: string;
  /** Stops the server and removes its directory. */
  stop(): Promise<void>;
}

// Runs the server in the background; once stdin closes — when `stop()` ends the pipe, and also
// when the parent dies without calling it — stops it with the given signal and removes its directory.
const WRAPPER =
  'sig=$1; dir=$2; shift 2; "$@" & pid=$!; cat > /dev/null; kill -s "$sig" "$pid" 2>/dev/null; wait "$pid"; rm -rf "$dir"';

const isRoot = () => process.getuid?.() === 0;

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && executable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** Where `initdb` and `postgres` are: `pg_config --bindir`, Debian's versioned directories, or PATH. */
function postgresBinDir(): string | undefined {
  const candidates: string[] = [];
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: 'pipe' }).trim());
  } catch {}
  try {
    const versions = readdirSync('/usr/lib/postgresql')
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => `/usr/lib/postgresql/${v}/bin`));
  } catch {}
  const initdb = onPath('initdb');
  if (initdb) candidates.push(join(initdb, '..'));
  return candidates.find((dir) => executable(join(dir, 'initdb')) && executable(join(dir, 'postgres')));
}

function postgresUser(): { uid: number; gid: number } | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8', stdio: 'pipe' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8', stdio: 'pipe' }).trim());
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : undefined;
  } catch {
    return undefined;
  }
}

/** Why PostgreSQL cannot be started here, or `undefined` when it can. */
export function postgresMissing(): string | undefined {
  if (!postgresBinDir()) return 'PostgreSQL is not installed (no initdb/postgres found; apt-get install postgresql)';
  if (isRoot() && !postgresUser()) return 'running as root, and there is no postgres user to run PostgreSQL as';
  if (isRoot() && !onPath('runuser')) return 'running as root, and runuser is missing to run PostgreSQL as postgres';
  return undefined;
}

/** Why Redis cannot be started here, or `undefined` when it can. */
export function redisMissing(): string | undefined {
  return onPath('redis-server') ? undefined : 'redis-server is not installed (apt-get install redis-server)';
}

/**
 * Whether tests needing a server can run: prints why not and returns `false` when its
 * binaries are missing, except under `CI=true`, where a skipped server is a failure.
 */
export function serviceAvailable(name: string, missing: string | undefined): boolean {
  if (missing === undefined) return true;
  if (process.env.CI === 'true') throw new Error(`${name} tests cannot run under CI: ${missing}`);
  console.warn(`skipping the ${name} tests: ${missing}`);
  return false;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port was assigned');
  return address.port;
}

/** Starts `command` under the wrapper; keeps the end of its output for error messages. */
function startWrapped(command: string[], signal: string, asUser: string | undefined, cwd: string) {
  const argv = ['sh', '-c', WRAPPER, 'sh', signal, cwd, ...command];
  const full = asUser ? ['runuser', '-u', asUser, '--', ...argv] : argv;
  const child = spawn(full[0] as string, full.slice(1), { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // Never hold the test process open: the server is stopped by stop() or by stdin's end.
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as unknown as { unref?(): void })?.unref?.();
  return { child, exited, output: () => output };
}

/** Waits until `ready()` holds, the child exits, or `ms` pass. */
async function waitUntil(
  ready: () => Promise<boolean>,
  started: { exited: Promise<number | null>; output: () => string },
  what: string,
  ms = 30_000,
): Promise<void> {
  let gone = false;
  void started.exited.then(() => {
    gone = true;
  });
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (gone) throw new Error(`${what} exited while starting:\n${started.output()}`);
    if (await ready().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} did not start within ${ms} ms:\n${started.output()}`);
}

async function stopWrapped(child: ChildProcess, exited: Promise<number | null>, pidFile?: string): Promise<void> {
  // Wait for it: the child is referenced again while it stops.
  child.ref();
  child.stdin?.end();
  const timer = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), 15_000).unref());
  if ((await Promise.race([exited, timer])) !== 'late') return;
  // The server did not stop by itself: kill it (its pid file names it) and its wrapper.
  if (pidFile) {
    try {
      process.kill(Number(readFileSync(pidFile, 'utf8').split('\n')[0]), 'SIGKILL');
    } catch {}
  }
  child.kill('SIGKILL');
  await exited;
}

/** Options of {@link startPostgres}. */
export interface PostgresOptions {
  /** Keep PostgreSQL's durability (fsync, synchronous commit), as a benchmark must; tests turn it off. */
  durable?: boolean;
}

/** Starts a PostgreSQL server (as the postgres user when running as root) with a `postgres` superuser, trust auth. */
export async function startPostgres(options: PostgresOptions = {}): Promise<Service> {
  const bin = postgresBinDir();
  if (!bin) throw new Error(postgresMissing());
  const user = isRoot() ? postgresUser() : undefined;
  const dir = await mkdtemp(join(tmpdir(), 'sync-pg-'));
  try {
    if (user) await chown(dir, user.uid, user.gid);
    const data = join(dir, 'data');
    const initdb = [join(bin, 'initdb'), '-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8'];
    initdb.push('--no-locale', '--no-sync');
    await run(user ? 'runuser' : (initdb[0] as string), user ? ['-u', 'postgres', '--', ...initdb] : initdb.slice(1), {
      cwd: dir,
    });
    const settings = ['listen_addresses=127.0.0.1', `unix_socket_directories=${dir}`, 'max_connections=50'];
    if (!options.durable) settings.push('fsync=off', 'synchronous_commit=off', 'full_page_writes=off');
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const command = [join(bin, 'postgres'), '-D', data, '-p', String(port), ...settings.flatMap((s) => ['-c', s])];
      // SIGINT is PostgreSQL's fast shutdown: it does not wait for clients to disconnect.
      const started = startWrapped(command, 'INT', user ? 'postgres' : undefined, dir);
      try {
        await waitUntil(() => pgReady(port), started, 'PostgreSQL');
      } catch (error) {
        await stopWrapped(started.child, started.exited, join(data, 'postmaster.pid'));
        if (attempt < 3 && /already in use/i.test(started.output())) continue;
        throw error;
      }
      return {
        port,
        url: `postgres://postgres@127.0.0.1:${port}/postgres`,
        stop: async () => {
          await stopWrapped(started.child, started.exited, join(data, 'postmaster.pid'));
          await rm(dir, { recursive: true, force: true });
        },
      };
    }
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

async function pgReady(port: number): Promise<boolean> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Starts a Redis server with no persistence. */
export async function startRedis(): Promise<Service> {
  const bin = onPath('redis-server');
  if (!bin) throw new Error(redisMissing());
  const dir = await mkdtemp(join(tmpdir(), 'sync-redis-'));
  try {
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const command = [bin, '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
      command.push('--dir', dir, '--daemonize', 'no', '--logfile', '');
      const started = startWrapped(command, 'TERM', undefined, dir);
      try {
        await waitUntil(() => redisReady(port), started, 'Redis');
      } catch (error) {
        await stopWrapped(started.child, started.exited);
        if (attempt < 3 && /in use/i.test(started.output())) continue;
        throw error;
      }
      return {
        port,
        url: `redis://127.0.0.1:${port}`,
        stop: async () => {
          await stopWrapped(started.child, started.exited);
          await rm(dir, { recursive: true, force: true });
        },
      };
    }
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

function redisReady(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    socket.setTimeout(1000, () => socket.destroy());
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (reply.includes('\r\n')) {
        socket.end();
        resolve(reply.startsWith('+PONG'));
      }
    });
    socket.on('error', () => resolve(false));
    socket.on('close', () => resolve(false));
  });
}
