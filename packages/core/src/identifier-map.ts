/**
 * The account every map is scoped to unless it says otherwise: state written before
 * accounts existed (and by callers that never name one) lives here.
 */
export const DEFAULT_ACCOUNT = 'default';

/** One stored link between a CRM identifier and a portal identifier. */
export interface IdentifierEntry {
  /** The account (agency) the entry belongs to; {@link DEFAULT_ACCOUNT} unless a scoped view wrote it. */
  account: string;
  /** Portal name, e.g. `acme`. */
  portal: string;
  /** What is identified, e.g. `listing`, `user`, `media`. */
  kind: string;
  /** The CRM's identifier. */
  externalId: string;
  /** The portal's identifier. */
  portalId: string;
  /** Version given by the last record-if-newer write; `0` after an unconditional {@link IdentifierMap.set}. */
  version: number;
}

/**
 * One write of {@link IdentifierMap.setMany}. Without options it replaces the entry, like
 * {@link IdentifierMap.set}; `ifAbsent` makes it set-if-absent and `version` makes it
 * record-if-newer (both may be given: stored only when absent).
 */
export interface IdentifierWrite {
  /** Portal name. */
  portal: string;
  /** What is identified. */
  kind: string;
  /** The CRM's identifier. */
  externalId: string;
  /** The portal's identifier to store. */
  portalId: string;
  /**
   * Record-if-newer: stored only when no entry exists or the stored entry's version is
   * lower (a non-negative safe integer, e.g. the time the writer read its input).
   */
  version?: number | undefined;
  /** Set-if-absent: stored only when the CRM id has no entry yet; the first writer wins. */
  ifAbsent?: boolean | undefined;
}

/** What a conditional write did. */
export interface IdentifierWriteResult {
  /** `true` when this write was stored. */
  stored: boolean;
  /** The portal id stored once the write is done: this write's, or the one that won over it. */
  portalId: string;
}

/**
 * Remembers which portal identifier belongs to which CRM identifier, per account, portal
 * and kind, in both directions. Every method is async so shared stores fit the same
 * interface.
 *
 * A map is scoped to one account (agency): {@link IdentifierMap.forAccount} returns a view
 * of the same store for another one, so one store holds a whole fleet while every method
 * keeps its account-free signature; a map opened without an account uses
 * {@link DEFAULT_ACCOUNT}. The conditional writes ({@link IdentifierMap.setIfAbsent},
 * {@link IdentifierMap.setIfNewer}, {@link IdentifierMap.setMany}) are atomic in every
 * store, so workers sharing a store can race on them safely.
 */
export interface IdentifierMap {
  /** The account this map reads and writes. */
  readonly account: string;
  /** A view of the same store scoped to `account`; writes through it land in this store. */
  forAccount(account: string): IdentifierMap;
  /** The portal id stored for a CRM id. */
  get(portal: string, kind: string, externalId: string): Promise<string | undefined>;
  /** Stores (or replaces) the portal id of a CRM id, unconditionally (its version becomes `0`). */
  set(portal: string, kind: string, externalId: string, portalId: string): Promise<void>;
  /**
   * Set-if-absent: stores `portalId` only when the CRM id has no entry yet. The first
   * writer wins; a later one is told the winner's id (`stored: false`).
   */
  setIfAbsent(portal: string, kind: string, externalId: string, portalId: string): Promise<IdentifierWriteResult>;
  /**
   * Record-if-newer: stores `portalId` only when no entry exists or the stored one has a
   * lower `version`, so a late write from a stale worker cannot replace a newer record.
   */
  setIfNewer(
    portal: string,
    kind: string,
    externalId: string,
    portalId: string,
    version: number,
  ): Promise<IdentifierWriteResult>;
  /**
   * Applies several writes in order as one transaction (one round trip where the store is
   * remote): all of them or none. One result per write, in order.
   */
  setMany(writes: readonly IdentifierWrite[]): Promise<IdentifierWriteResult[]>;
  /** Forgets a CRM id; `true` when it was stored. */
  delete(portal: string, kind: string, externalId: string): Promise<boolean>;
  /** Every entry of a portal, optionally of one kind. */
  list(portal: string, kind?: string): Promise<IdentifierEntry[]>;
  /**
   * The same entries as {@link IdentifierMap.list}, read page by page, so that however large
   * the map only one page is held at a time: how {@link SyncState} reads a round's
   * fingerprints. Not a snapshot: an entry written while it runs may or may not be seen.
   */
  iterate(portal: string, kind?: string): AsyncIterable<IdentifierEntry>;
  /** The CRM id stored for a portal id. */
  findExternalId(portal: string, kind: string, portalId: string): Promise<string | undefined>;
}

/**
 * The single-entry writes every store has, each one batch of the store's
 * {@link IdentifierMap.setMany}: a store states its atomic writes once, in `setMany`.
 */
export abstract class SingleEntryWrites {
  /** Applies several writes in order as one transaction; see {@link IdentifierMap.setMany}. */
  abstract setMany(writes: readonly IdentifierWrite[]): Promise<IdentifierWriteResult[]>;

  /** Stores (or replaces) the portal id of a CRM id; see {@link IdentifierMap.set}. */
  async set(portal: string, kind: string, externalId: string, portalId: string): Promise<void> {
    await this.setMany([{ portal, kind, externalId, portalId }]);
  }

  /** Set-if-absent; see {@link IdentifierMap.setIfAbsent}. */
  async setIfAbsent(
    portal: string,
    kind: string,
    externalId: string,
    portalId: string,
  ): Promise<IdentifierWriteResult> {
    const [result] = await this.setMany([{ portal, kind, externalId, portalId, ifAbsent: true }]);
    return result as IdentifierWriteResult;
  }

  /** Record-if-newer; see {@link IdentifierMap.setIfNewer}. */
  async setIfNewer(
    portal: string,
    kind: string,
    externalId: string,
    portalId: string,
    version: number,
  ): Promise<IdentifierWriteResult> {
    const [result] = await this.setMany([{ portal, kind, externalId, portalId, version }]);
    return result as IdentifierWriteResult;
  }
}

let lastVersion = 0;

/**
 * A version for record-if-newer writes: the current time in milliseconds, strictly
 * increasing within the process. Take it when the input is read (before the portal is
 * called), so a worker that read earlier records an older version.
 */
export function nextVersion(): number {
  lastVersion = Math.max(Date.now(), lastVersion + 1);
  return lastVersion;
}

// The checks below throw TypeError/RangeError, like `chunk`: they catch programming errors,
// and keep this module free of imports, so it loads alone (as the stores' child-process tests do).

/** @internal Refuses an account name no store can key on. */
export function checkAccount(account: unknown, operation = 'identifierMap.forAccount'): string {
  if (typeof account !== 'string' || account === '') {
    throw new TypeError(`${operation}: account must be a non-empty string (got ${JSON.stringify(account)})`);
  }
  return account;
}

/** @internal Checks a batch before any of it is applied, so a bad write changes nothing. */
export function checkWrites(writes: readonly IdentifierWrite[], operation: string): void {
  if (!Array.isArray(writes)) throw new TypeError(`${operation}: writes must be an array`);
  writes.forEach((w, i) => {
    for (const field of ['portal', 'kind', 'externalId', 'portalId'] as const) {
      if (typeof w?.[field] !== 'string') {
        throw new TypeError(`${operation}: writes[${i}].${field} must be a string (got ${typeof w?.[field]})`);
      }
    }
    if (w.version !== undefined && !(Number.isSafeInteger(w.version) && w.version >= 0)) {
      throw new RangeError(
        `${operation}: writes[${i}].version must be a non-negative safe integer (got ${w.version}; ` +
          `portal ${w.portal}, ${w.kind} ${w.externalId})`,
      );
    }
  });
}

/** @internal Whether a conditional write may replace the stored entry. */
export function replaces(write: IdentifierWrite, stored: { version: number } | undefined): boolean {
  if (!stored) return true;
  if (write.ifAbsent) return false;
  return write.version === undefined || write.version > stored.version;
}

const SEP = '\u0000';
const keyOf = (account: string, portal: string, kind: string, id: string) =>
  `${account}${SEP}${portal}${SEP}${kind}${SEP}${id}`;

/**
 * An {@link IdentifierMap} held in memory, for tests and short scripts. Its views for other
 * accounts ({@link MemoryIdentifierMap.forAccount}) share its entries and save through it.
 *
 * @example
 * // For tests and one-off runs: the state is gone when the process ends.
 * const state = new SyncState(new MemoryIdentifierMap(), 'acme');
 */
export class MemoryIdentifierMap extends SingleEntryWrites implements IdentifierMap {
  /** The account this map reads and writes. */
  readonly account: string;
  /** `account·portal·kind·externalId` → entry. */
  protected readonly entries = new Map<string, IdentifierEntry>();
  /** `account·portal·kind·portalId` → externalId. */
  protected readonly reverse = new Map<string, string>();
  /** The map whose entries this one shares (itself unless it is a view). */
  #root: MemoryIdentifierMap = this;

  constructor(options: { account?: string | undefined } = {}) {
    super();
    this.account = checkAccount(options.account ?? DEFAULT_ACCOUNT, 'MemoryIdentifierMap');
  }

  /** Loads entries, replacing any with the same key; entries without account or version get the defaults. */
  protected load(entries: Iterable<Partial<IdentifierEntry>>): void {
    for (const e of entries) {
      this.#put({
        account: e.account ?? DEFAULT_ACCOUNT,
        portal: String(e.portal),
        kind: String(e.kind),
        externalId: String(e.externalId),
        portalId: String(e.portalId),
        version: typeof e.version === 'number' ? e.version : 0,
      });
    }
  }

  /** A view of the same entries for `account`; its changes are saved by this map. */
  forAccount(account: string): MemoryIdentifierMap {
    const view = new MemoryIdentifierMap({ account: checkAccount(account) });
    view.#root = this.#root;
    return view;
  }

  #put(entry: IdentifierEntry): void {
    const { entries, reverse } = this.#root;
    const key = keyOf(entry.account, entry.portal, entry.kind, entry.externalId);
    const previous = entries.get(key);
    if (previous) {
      const old = keyOf(previous.account, previous.portal, previous.kind, previous.portalId);
      if (reverse.get(old) === previous.externalId) reverse.delete(old);
    }
    entries.set(key, entry);
    reverse.set(keyOf(entry.account, entry.portal, entry.kind, entry.portalId), entry.externalId);
  }

  #apply(write: IdentifierWrite): IdentifierWriteResult {
    const previous = this.#root.entries.get(keyOf(this.account, write.portal, write.kind, write.externalId));
    if (previous && !replaces(write, previous)) return { stored: false, portalId: previous.portalId };
    this.#put({
      account: this.account,
      portal: write.portal,
      kind: write.kind,
      externalId: write.externalId,
      portalId: write.portalId,
      version: write.version ?? 0,
    });
    return { stored: true, portalId: write.portalId };
  }

  async get(portal: string, kind: string, externalId: string): Promise<string | undefined> {
    return this.#root.entries.get(keyOf(this.account, portal, kind, externalId))?.portalId;
  }

  override async setMany(writes: readonly IdentifierWrite[]): Promise<IdentifierWriteResult[]> {
    checkWrites(writes, 'identifierMap.setMany');
    const results = writes.map((w) => this.#apply(w));
    if (results.some((r) => r.stored)) await this.#root.changed();
    return results;
  }

  async delete(portal: string, kind: string, externalId: string): Promise<boolean> {
    const { entries, reverse } = this.#root;
    const key = keyOf(this.account, portal, kind, externalId);
    const entry = entries.get(key);
    if (!entry) return false;
    entries.delete(key);
    const back = keyOf(this.account, portal, kind, entry.portalId);
    if (reverse.get(back) === externalId) reverse.delete(back);
    await this.#root.changed();
    return true;
  }

  async list(portal: string, kind?: string): Promise<IdentifierEntry[]> {
    const out: IdentifierEntry[] = [];
    for (const entry of this.#root.entries.values()) {
      if (entry.account === this.account && entry.portal === portal && (kind === undefined || entry.kind === kind)) {
        out.push({ ...entry });
      }
    }
    return out;
  }

  async *iterate(portal: string, kind?: string): AsyncIterable<IdentifierEntry> {
    yield* await this.list(portal, kind);
  }

  async findExternalId(portal: string, kind: string, portalId: string): Promise<string | undefined> {
    return this.#root.reverse.get(keyOf(this.account, portal, kind, portalId));
  }

  /** Called after every change; persistent subclasses save here. */
  protected async changed(): Promise<void> {}
}
