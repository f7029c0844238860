import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { StateStoreError } from './errors.js';
import { acquireLock, type HeldLock } from './file-lock.js';
import { type IdentifierEntry, MemoryIdentifierMap } from './identifier-map.js';

/** The file format this version writes, and the only one it reads. */
const FORMAT_VERSION = 1;

const OPEN = 'JsonFileIdentifierMap.open';
const SAVE = 'JsonFileIdentifierMap.save';

/** File-system error codes in words; the code itself is kept on the error. */
const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exhausted',
  EISDIR: 'a directory is in the way',
  ENOTDIR: 'a part of the path is not a directory',
  EEXIST: 'a file is in the way',
  ENOENT: 'the directory does not exist',
  ENAMETOOLONG: 'the path is too long',
  ELOOP: 'too many symbolic links',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files',
  EIO: 'an input/output error',
};

function codeOf(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A file-system error in words, without its message (which may come from anywhere). */
function describe(error: unknown): string {
  const code = codeOf(error);
  if (code) return `${REASONS[code] ?? 'the file system refused'} (${code})`;
  return error instanceof Error ? `unexpected ${error.name}` : 'unexpected error';
}

function ioError(file: string, operation: string, what: string, error: unknown, retryable = false): StateStoreError {
  return new StateStoreError(`${what}: ${describe(error)}`, {
    file,
    operation,
    problem: 'io',
    code: codeOf(error),
    cause: error,
    retryable,
  });
}

function isEntry(value: unknown): value is IdentifierEntry {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Record<string, unknown>;
  return (
    typeof e.portal === 'string' &&
    typeof e.kind === 'string' &&
    typeof e.externalId === 'string' &&
    typeof e.portalId === 'string'
  );
}

/** The entries of a state file's bytes; every refusal names the file and quotes nothing of it. */
function parseState(bytes: Uint8Array, file: string): IdentifierEntry[] {
  const corrupt = (what: string) =>
    new StateStoreError(
      `${file} ${what}. It is left as it is: restore a backup, or move it away to start from an empty state`,
      { file, operation: OPEN, problem: 'corrupt' },
    );
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw corrupt('is not UTF-8 text');
  }
  if (text.trim() === '') throw corrupt('is empty');
  if (text.charCodeAt(0) === 0xfeff) throw corrupt('starts with a byte-order mark, which a state file never has');
  if (text.includes('\u0000')) throw corrupt('contains NUL bytes (a torn write or a damaged disk)');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw corrupt('is not complete JSON (truncated or damaged)');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw corrupt('is not an identifier map (not a JSON object)');
  }
  const { version, entries } = value as Record<string, unknown>;
  if (typeof version === 'number' && Number.isInteger(version) && version > FORMAT_VERSION) {
    throw new StateStoreError(
      `${file} was written in a newer format than this version of @sync/core reads (format ${FORMAT_VERSION}). ` +
        'It is left untouched: open it with the newer @sync/core that wrote it',
      { file, operation: OPEN, problem: 'unsupported-version' },
    );
  }
  if (version !== FORMAT_VERSION) throw corrupt('is not an identifier map (no known format version)');
  if (!Array.isArray(entries)) throw corrupt('is not an identifier map (no list of entries)');
  const bad = entries.findIndex((e) => !isEntry(e));
  if (bad >= 0) {
    throw corrupt(`is not an identifier map (entry ${bad} lacks a string portal, kind, externalId or portalId)`);
  }
  return entries as IdentifierEntry[];
}

/** `<name>.<pid>.<8 hex>.tmp`: the temporary files this store writes beside `file`. */
function tempPattern(file: string): RegExp {
  const name = basename(file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${name}\\.\\d+\\.[0-9a-f]{8}\\.tmp$`);
}

/** Removes temporary files a killed writer left; only this store's own, by their name. */
async function removeOrphans(file: string): Promise<void> {
  const dir = dirname(file);
  const pattern = tempPattern(file);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  await Promise.all(names.filter((n) => pattern.test(n)).map((n) => unlink(join(dir, n)).catch(() => undefined)));
}

/** Makes a rename in `dir` durable. Best effort: not every platform can sync a directory. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // The rename is done; only its durability across a power cut is not guaranteed here.
  }
}

/**
 * An {@link IdentifierMap} kept in a JSON file — small, portable sync state (a file to read,
 * diff or copy by hand). It holds every entry in memory and rewrites the whole file on each
 * change, so its costs grow with the map: measured, one change and its save take about 8 ms at
 * 10k entries, 70 to 170 ms at 100k and close to a second at 1M, and opening 1M entries 3 s and
 * 830 MB. For larger or long-lived state use `SqliteIdentifierMap`, whose change costs under a
 * millisecond at any size.
 *
 * Each change is saved by writing a temporary file, flushing it to disk and renaming it over
 * the old one, so the file on disk is always complete: a crash leaves either the previous
 * state or the new one. Changes made while a save runs are coalesced into the next save;
 * `set` and `delete` resolve once their change is on disk, and reject with a
 * {@link StateStoreError} when it could not be saved (the change stays in memory and goes
 * into the next save; `flush()` rejects until it is on disk).
 *
 * The file has one writer at a time: `open` takes `<file>.lock` and refuses with a
 * {@link StateLockedError} naming the holder while another process (or another open map in
 * this one) has it. `close()` releases it, and so does the process's exit; the lock of a
 * process that died without exiting (killed) is taken over, as its pid no longer runs.
 *
 * @example
 * ```ts
 * const map = await JsonFileIdentifierMap.open('./sync-state.json');
 * try {
 *   await map.set('acme', 'listing', 'CRM-1', '101');
 * } finally {
 *   await map.close();
 * }
 * ```
 */
export class JsonFileIdentifierMap extends MemoryIdentifierMap {
  /** Absolute path of the JSON file. */
  readonly file: string;
  readonly #lock: HeldLock;
  /** Changes made so far, and how many of them are on disk. */
  #changes = 0;
  #saved = 0;
  /** The save running, the changes it covers, and the save queued behind it. */
  #saving: Promise<void> | undefined;
  #savingUpTo = 0;
  #queued: Promise<void> | undefined;
  #closed = false;
  #released: Promise<void> | undefined;

  private constructor(file: string, lock: HeldLock) {
    super();
    this.file = file;
    this.#lock = lock;
  }

  /**
   * Opens (or starts) the map stored at `file` and takes its lock. Rejects with a
   * {@link StateLockedError} when another writer has the file, and with a
   * {@link StateStoreError} when the file cannot be read, is damaged, or was written in a
   * newer format. Temporary files a killed writer left beside it are removed.
   */
  static async open(file: string): Promise<JsonFileIdentifierMap> {
    const path = resolve(file);
    try {
      await mkdir(dirname(path), { recursive: true });
    } catch (error) {
      throw ioError(path, OPEN, `cannot create the directory of ${path}`, error);
    }
    const lock = await acquireLock({ file: path, operation: OPEN, describe });
    try {
      let bytes: Uint8Array | undefined;
      try {
        bytes = await readFile(path);
      } catch (error) {
        if (codeOf(error) !== 'ENOENT') throw ioError(path, OPEN, `cannot read ${path}`, error);
      }
      const map = new JsonFileIdentifierMap(path, lock);
      if (bytes !== undefined) map.load(parseState(bytes, path));
      await removeOrphans(path);
      return map;
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  protected override changed(): Promise<void> {
    if (this.#closed) {
      return Promise.reject(
        new StateStoreError(`${this.file} is closed: the change is not saved`, {
          file: this.file,
          operation: SAVE,
          problem: 'closed',
        }),
      );
    }
    this.#changes++;
    return this.#save();
  }

  /** A save that covers every change made so far: the queued one, or a new one. */
  #save(): Promise<void> {
    if (this.#queued) return this.#queued;
    if (!this.#saving) return this.#start();
    // One save at a time; everything changed meanwhile goes into a single next save,
    // which runs whether or not the current one fails.
    const next = () => {
      this.#queued = undefined;
      return this.#start();
    };
    this.#queued = this.#saving.then(next, next);
    return this.#queued;
  }

  #start(): Promise<void> {
    const upTo = this.#changes;
    const body = JSON.stringify({ version: FORMAT_VERSION, entries: [...this.entries.values()] });
    const run = this.#write(body).then(() => {
      if (upTo > this.#saved) this.#saved = upTo;
    });
    const tracked = run.finally(() => {
      if (this.#saving === tracked) this.#saving = undefined;
    });
    this.#saving = tracked;
    this.#savingUpTo = upTo;
    return tracked;
  }

  async #write(body: string): Promise<void> {
    const temp = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      const handle = await open(temp, 'wx');
      try {
        await handle.writeFile(body);
        await handle.sync();
      } catch (error) {
        await handle.close().catch(() => undefined);
        throw error;
      }
      await handle.close();
      await rename(temp, this.file);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw ioError(
        this.file,
        SAVE,
        `cannot save ${this.file} (the change is kept in memory and saved by the next change or flush())`,
        error,
        true,
      );
    }
    await syncDirectory(dirname(this.file));
  }

  /**
   * Resolves once every change made so far is on disk. Rejects with the
   * {@link StateStoreError} of the save that failed while any change is not; each call tries
   * to save again, so a later `flush()` resolves once the cause is gone.
   */
  async flush(): Promise<void> {
    while (this.#saved < this.#changes) {
      if (this.#saving && !this.#queued && this.#savingUpTo === this.#changes) await this.#saving;
      else await this.#save();
    }
  }

  /**
   * Saves what is not on disk yet, then releases the file's lock; later changes are refused.
   * Rejects, keeping the map open and its lock held, when the last changes cannot be saved.
   */
  async close(): Promise<void> {
    if (!this.#released) {
      for (;;) {
        if (this.#saved < this.#changes) {
          await this.flush();
          continue;
        }
        const inFlight = this.#queued ?? this.#saving;
        if (!inFlight) break;
        await inFlight.catch(() => undefined);
      }
      // Nothing is pending and no save runs: from here on, changes are refused.
      this.#closed = true;
      this.#released ??= this.#lock.release();
    }
    return this.#released;
  }
}
