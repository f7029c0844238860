import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

/** One stored link between a CRM identifier and a portal identifier. */
export interface IdentifierEntry {
  /** Portal name, e.g. `acme`. */
  portal: string;
  /** What is identified, e.g. `listing`, `user`, `media`. */
  kind: string;
  /** The CRM's identifier. */
  externalId: string;
  /** The portal's identifier. */
  portalId: string;
}

/**
 * Remembers which portal identifier belongs to which CRM identifier, per portal and
 * kind, in both directions. Every method is async so shared stores fit the same
 * interface.
 */
export interface IdentifierMap {
  /** The portal id stored for a CRM id. */
  get(portal: string, kind: string, externalId: string): Promise<string | undefined>;
  /** Stores (or replaces) the portal id of a CRM id. */
  set(portal: string, kind: string, externalId: string, portalId: string): Promise<void>;
  /** Forgets a CRM id; `true` when it was stored. */
  delete(portal: string, kind: string, externalId: string): Promise<boolean>;
  /** Every entry of a portal, optionally of one kind. */
  list(portal: string, kind?: string): Promise<IdentifierEntry[]>;
  /** The CRM id stored for a portal id. */
  findExternalId(portal: string, kind: string, portalId: string): Promise<string | undefined>;
}

const SEP = '\u0000';
const keyOf = (portal: string, kind: string, id: string) => `${portal}${SEP}${kind}${SEP}${id}`;

/** An {@link IdentifierMap} held in memory, for tests and short scripts. */
export class MemoryIdentifierMap implements IdentifierMap {
  /** `portal·kind·externalId` → entry. */
  protected readonly entries = new Map<string, IdentifierEntry>();
  /** `portal·kind·portalId` → externalId. */
  protected readonly reverse = new Map<string, string>();

  /** Loads entries, replacing any with the same key. */
  protected load(entries: Iterable<IdentifierEntry>): void {
    for (const e of entries) this.#put(e);
  }

  #put(entry: IdentifierEntry): void {
    const key = keyOf(entry.portal, entry.kind, entry.externalId);
    const previous = this.entries.get(key);
    if (previous) this.reverse.delete(keyOf(previous.portal, previous.kind, previous.portalId));
    this.entries.set(key, entry);
    this.reverse.set(keyOf(entry.portal, entry.kind, entry.portalId), entry.externalId);
  }

  async get(portal: string, kind: string, externalId: string): Promise<string | undefined> {
    return this.entries.get(keyOf(portal, kind, externalId))?.portalId;
  }

  async set(portal: string, kind: string, externalId: string, portalId: string): Promise<void> {
    this.#put({ portal, kind, externalId, portalId });
    await this.changed();
  }

  async delete(portal: string, kind: string, externalId: string): Promise<boolean> {
    const key = keyOf(portal, kind, externalId);
    const entry = this.entries.get(key);
    if (!entry) return false;
    this.entries.delete(key);
    if (this.reverse.get(keyOf(portal, kind, entry.portalId)) === externalId) {
      this.reverse.delete(keyOf(portal, kind, entry.portalId));
    }
    await this.changed();
    return true;
  }

  async list(portal: string, kind?: string): Promise<IdentifierEntry[]> {
    const out: IdentifierEntry[] = [];
    for (const entry of this.entries.values()) {
      if (entry.portal === portal && (kind === undefined || entry.kind === kind)) out.push({ ...entry });
    }
    return out;
  }

  async findExternalId(portal: string, kind: string, portalId: string): Promise<string | undefined> {
    return this.reverse.get(keyOf(portal, kind, portalId));
  }

  /** Called after every change; persistent subclasses save here. */
  protected async changed(): Promise<void> {}
}

interface FileShape {
  version: 1;
  entries: IdentifierEntry[];
}

/**
 * An {@link IdentifierMap} kept in a JSON file — the embedded default for sync state.
 *
 * Each change is saved by writing a temporary file, flushing it to disk and renaming
 * it over the old one, so the file on disk is always complete: a crash leaves either
 * the previous state or the new one. Changes made while a save runs are coalesced
 * into the next save; `set` and `delete` resolve once their change is on disk.
 */
export class JsonFileIdentifierMap extends MemoryIdentifierMap {
  /** Path of the JSON file. */
  readonly file: string;
  #saving: Promise<void> | undefined;
  #pending: Promise<void> | undefined;

  private constructor(file: string) {
    super();
    this.file = file;
  }

  /** Opens (or starts) the map stored at `file`. */
  static async open(file: string): Promise<JsonFileIdentifierMap> {
    const map = new JsonFileIdentifierMap(file);
    let text: string | undefined;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (text !== undefined) {
      const parsed = JSON.parse(text) as Partial<FileShape>;
      if (!Array.isArray(parsed.entries)) throw new Error(`${file} is not an identifier map`);
      map.load(parsed.entries);
    }
    return map;
  }

  protected override changed(): Promise<void> {
    // One save at a time; everything changed meanwhile goes into a single next save.
    if (this.#pending) return this.#pending;
    if (!this.#saving) {
      this.#saving = this.#save().finally(() => {
        this.#saving = undefined;
      });
      return this.#saving;
    }
    const next = () => {
      this.#pending = undefined;
      this.#saving = this.#save().finally(() => {
        this.#saving = undefined;
      });
      return this.#saving;
    };
    // The next save runs whether or not the current one failed.
    this.#pending = this.#saving.then(next, next);
    return this.#pending;
  }

  /** Resolves when every change made so far is on disk. */
  async flush(): Promise<void> {
    while (this.#pending || this.#saving) await (this.#pending ?? this.#saving);
  }

  async #save(): Promise<void> {
    const body: FileShape = { version: 1, entries: [...this.entries.values()] };
    const temp = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    await mkdir(dirname(this.file), { recursive: true });
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(JSON.stringify(body));
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(temp, this.file);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
  }
}
