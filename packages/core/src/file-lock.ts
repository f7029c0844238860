// An exclusive lock on a file, held by one process at a time through a `<file>.lock` beside it.
import { randomBytes } from 'node:crypto';
import { statSync, unlinkSync } from 'node:fs';
import { link, open, rename, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { StateLockedError, type StateLockHolder, StateStoreError } from './errors.js';

/** A lock this process holds. */
export interface HeldLock {
  /** The lock file. */
  readonly path: string;
  /** Removes the lock file if it is still this lock's. */
  release(): Promise<void>;
}

/** Longest lock file read back; a real one is under 200 bytes. */
const MAX_LOCK_BYTES = 1024;

/** Locks to remove when the process exits, whatever the state of their maps. */
const held = new Map<string, { ino: number; dev: number }>();
let exitHookInstalled = false;

function releaseAllOnExit(): void {
  for (const [path, identity] of held) {
    try {
      const now = statSync(path);
      if (now.ino === identity.ino && now.dev === identity.dev) unlinkSync(path);
    } catch {
      // Best effort: the process is exiting.
    }
  }
  held.clear();
}

/** Whether a process with this pid runs on this machine. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

const HOST = /^[\w.-]{1,255}$/;
const ISO_DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

/** The holder a lock file names, if it is a lock file this module wrote. */
function parseHolder(text: string): StateLockHolder | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { pid, host, since } = value as Record<string, unknown>;
  if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 0) return undefined;
  if (typeof host !== 'string' || !HOST.test(host)) return undefined;
  if (typeof since !== 'string' || !ISO_DATE.test(since)) return undefined;
  return { pid, host, since };
}

/** Reads a lock file through one handle, so its content and identity match. `undefined` when it is gone. */
async function readLock(path: string): Promise<{ text: string; ino: number; dev: number } | undefined> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, 'r');
    const { ino, dev } = await handle.stat();
    const buffer = Buffer.alloc(MAX_LOCK_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, MAX_LOCK_BYTES, 0);
    return { text: buffer.subarray(0, bytesRead).toString('utf8'), ino, dev };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  } finally {
    await handle?.close();
  }
}

/**
 * Removes a lock file judged stale, unless another process replaced it in the meantime. The
 * lock is first moved aside (only one process can move a given file); if what was moved is not
 * the stale lock that was read, it is put back.
 */
async function removeStale(path: string, stale: { text: string; ino: number; dev: number }): Promise<void> {
  const aside = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.stale`;
  try {
    await rename(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = await readLock(aside);
  if (moved && (moved.ino !== stale.ino || moved.dev !== stale.dev || moved.text !== stale.text)) {
    // A fresh lock taken between our read and our move: give it back (unless yet another one exists).
    await link(aside, path).catch(() => undefined);
  }
  await unlink(aside).catch(() => undefined);
}

function fsCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Options of {@link acquireLock}. */
export interface AcquireLockOptions {
  /** The file the lock protects, named in errors. */
  file: string;
  /** The operation named in errors. */
  operation: string;
  /** Describes a file-system error for a message. */
  describe: (error: unknown) => string;
}

/**
 * Takes `<file>.lock` with an exclusive create. A lock whose holder is gone (its pid no
 * longer runs on this host) is taken over; any other existing lock refuses with a
 * {@link StateLockedError} naming the holder. The lock is released by {@link HeldLock.release}
 * or, at the latest, when the process exits normally.
 */
export async function acquireLock(options: AcquireLockOptions): Promise<HeldLock> {
  const { file, operation } = options;
  const path = `${file}.lock`;
  const record = JSON.stringify({
    pid: process.pid,
    host: hostname(),
    since: new Date().toISOString(),
    nonce: randomBytes(8).toString('hex'),
  });
  let holder: StateLockHolder | undefined;
  // Bounded: a stale lock is removed at most twice before giving up.
  for (let attempt = 0; attempt < 3; attempt++) {
    let handle: Awaited<ReturnType<typeof open>> | undefined;
    try {
      handle = await open(path, 'wx');
    } catch (error) {
      if (fsCode(error) !== 'EEXIST') {
        throw new StateStoreError(`cannot create the lock file ${path}: ${options.describe(error)}`, {
          file,
          operation,
          problem: 'io',
          code: fsCode(error),
          cause: error,
        });
      }
    }
    if (handle) {
      let identity: { ino: number; dev: number };
      try {
        await handle.writeFile(record);
        const { ino, dev } = await handle.stat();
        identity = { ino, dev };
      } catch (error) {
        await handle.close().catch(() => undefined);
        await unlink(path).catch(() => undefined);
        throw new StateStoreError(`cannot write the lock file ${path}: ${options.describe(error)}`, {
          file,
          operation,
          problem: 'io',
          code: fsCode(error),
          cause: error,
        });
      }
      await handle.close();
      held.set(path, identity);
      if (!exitHookInstalled) {
        exitHookInstalled = true;
        process.on('exit', releaseAllOnExit);
      }
      return {
        path,
        async release() {
          held.delete(path);
          const now = await readLock(path).catch(() => undefined);
          if (now && now.ino === identity.ino && now.dev === identity.dev && now.text === record) {
            await unlink(path).catch(() => undefined);
          }
        },
      };
    }

    let existing: Awaited<ReturnType<typeof readLock>>;
    try {
      existing = await readLock(path);
    } catch (error) {
      throw new StateStoreError(`cannot read the lock file ${path}: ${options.describe(error)}`, {
        file,
        operation,
        problem: 'io',
        code: fsCode(error),
        cause: error,
      });
    }
    if (!existing) continue; // released meanwhile: try again
    holder = parseHolder(existing.text);
    const stale = holder !== undefined && holder.host === hostname() && !isAlive(holder.pid);
    if (!stale) break;
    await removeStale(path, existing);
  }
  const who = holder
    ? `process ${holder.pid}${holder.pid === process.pid && holder.host === hostname() ? ' (this process)' : ''} on ${holder.host} since ${holder.since}`
    : 'a writer its lock file does not name';
  const remedy = !holder
    ? `, or delete ${path} if no process uses the file`
    : holder.host !== hostname()
      ? `, or delete ${path} if that process is gone`
      : '';
  throw new StateLockedError(
    `${file} is in use by ${who}: a JSON state file has one writer at a time. Close the other map first${remedy}.`,
    { file, operation, holder, lockFile: path },
  );
}
