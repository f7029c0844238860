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

/**
 * An {@link IdentifierMap} held in memory, for tests and short scripts.
 *
 * @example
 * // For tests and one-off runs: the state is gone when the process ends.
 * const state = new SyncState(new MemoryIdentifierMap(), 'acme');
 */
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
