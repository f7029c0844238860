import { fingerprint as hash } from './fingerprint.js';
import { type IdentifierMap, type IdentifierWrite, MemoryIdentifierMap, nextVersion } from './identifier-map.js';

/** Fingerprint recorded for an item that was removed from (or hidden on) the portal. */
export const REMOVED = 'removed';

/** What changed since the last sync, computed by {@link SyncState.plan}. */
export interface SyncPlan<T> {
  /** Items that are new or whose content changed, with their new fingerprint. */
  changed: Array<{ item: T; key: string; fingerprint: string; isNew: boolean }>;
  /** Items sent before with the same content. */
  unchanged: Array<{ item: T; key: string }>;
  /** Keys sent before that are no longer among the items. */
  removed: string[];
  /**
   * Version of this plan ({@link nextVersion}, taken before the state was read): record what
   * it sends with it, so a worker that planned later is never overwritten by this one.
   */
  version: number;
  /** How many CRM ids the state knew when the plan was made (removed ones included). */
  known: number;
}

/** What the portal acknowledged for one CRM item, for {@link SyncState.recordMany}. */
export interface SyncRecord {
  /** The CRM id. */
  externalId: string;
  /** Fingerprint of the content the portal accepted ({@link REMOVED} once removed). */
  fingerprint: string;
  /** The portal id, when known; recorded before (in the same transaction as) the fingerprint. */
  portalId?: string | undefined;
  /**
   * The portal created a new record for it: its id is recorded only if none is recorded yet
   * (set-if-absent), so when two workers created the same item the first one's id wins.
   */
  created?: boolean | undefined;
}

/** Options of {@link SyncState.record} and {@link SyncState.recordMany}. */
export interface SyncRecordOptions {
  /**
   * Record-if-newer: the version of what was sent (the plan's {@link SyncPlan.version}); an
   * entry already recorded with a higher version is kept. Without it, records replace.
   */
  version?: number | undefined;
}

/** What {@link SyncState.recordMany} recorded for one item. */
export interface SyncRecordResult {
  /** The CRM id. */
  externalId: string;
  /** `false` when a newer record was already stored, which was kept instead. */
  stored: boolean;
  /** The portal id stored once recorded (`undefined` when the record had none): its own, or the one that won over it. */
  portalId: string | undefined;
  /** For a create another writer won: the id this one got from the portal — a duplicate there. */
  discardedPortalId: string | undefined;
}

/** Fewest ids that `SyncState.portalIds` reads in one pass over the store rather than one by one. */
export const PORTAL_ID_PASS_MIN = 64;

/**
 * What a continuous sync remembers for one portal: for each CRM item, the portal's id
 * and the fingerprint of the content last sent. Kept in an {@link IdentifierMap}
 * (kind `<kind>` for ids, `<kind>-fingerprint` for fingerprints): an SQLite map makes it
 * survive restarts, a PostgreSQL or Redis map shares it between workers, and
 * `map.forAccount(agency)` keeps each agency's state apart in one store.
 *
 * Every record writes the portal id before the fingerprint, in one batch (one transaction
 * where the store has them), so a crash never leaves a fingerprint without its id.
 *
 * @example
 * // Survives restarts: ids and fingerprints in an SQLite file (one state per portal).
 * const state = new SyncState(await SqliteIdentifierMap.open('./sync-state.db'), 'acme');
 */
export class SyncState {
  /** Where the state lives. */
  readonly map: IdentifierMap;
  /** Portal name the entries are stored under. */
  readonly portal: string;
  /** Kind of item, e.g. `listing`. */
  readonly kind: string;

  constructor(map: IdentifierMap = new MemoryIdentifierMap(), portal = 'portal', kind = 'listing') {
    this.map = map;
    this.portal = portal;
    this.kind = kind;
  }

  get #fingerprintKind(): string {
    return `${this.kind}-fingerprint`;
  }

  /** The portal id last seen for a CRM id. */
  portalId(externalId: string): Promise<string | undefined> {
    return this.map.get(this.portal, this.kind, externalId);
  }

  /**
   * The portal ids last seen for several CRM ids. When they are a good share of the `known`
   * entries (a first round, a large change), one pass over the ids replaces a read per id —
   * one round trip to a shared store instead of thousands; otherwise each is read on its own.
   */
  async portalIds(externalIds: readonly string[], known: number): Promise<Map<string, string | undefined>> {
    const out = new Map<string, string | undefined>();
    if (externalIds.length >= PORTAL_ID_PASS_MIN && externalIds.length * 4 >= known) {
      const every = await this.everyPortalId();
      for (const id of externalIds) if (every.has(id)) out.set(id, every.get(id));
      return out;
    }
    const ids = await Promise.all(externalIds.map((id) => this.portalId(id)));
    for (const [k, id] of externalIds.entries()) out.set(id, ids[k]);
    return out;
  }

  /** Every portal id recorded, by CRM id: one pass over the store, page by page. */
  async everyPortalId(): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for await (const e of this.map.iterate(this.portal, this.kind)) out.set(e.externalId, e.portalId);
    return out;
  }

  /** The fingerprint last sent for a CRM id ({@link REMOVED} once removed). */
  fingerprintOf(externalId: string): Promise<string | undefined> {
    return this.map.get(this.portal, this.#fingerprintKind, externalId);
  }

  /** Every CRM id the state knows, with its fingerprint. */
  async fingerprints(): Promise<Map<string, string>> {
    // Read page by page: only the map of fingerprints is held, however many entries there are.
    const out = new Map<string, string>();
    for await (const e of this.map.iterate(this.portal, this.#fingerprintKind)) out.set(e.externalId, e.portalId);
    return out;
  }

  /** Records what was sent for a CRM id, and its portal id when known (see {@link recordMany}). */
  async record(
    externalId: string,
    fingerprint: string,
    portalId?: string,
    options: SyncRecordOptions = {},
  ): Promise<SyncRecordResult> {
    const [result] = await this.recordMany([{ externalId, fingerprint, portalId }], options);
    return result as SyncRecordResult;
  }

  /**
   * Records what the portal acknowledged for several items — e.g. one bulk chunk's results —
   * in one batch write of the map: one transaction or round trip. For each item the portal
   * id (when known) is written before its fingerprint.
   */
  async recordMany(records: readonly SyncRecord[], options: SyncRecordOptions = {}): Promise<SyncRecordResult[]> {
    const { version } = options;
    const writes: IdentifierWrite[] = [];
    for (const r of records) {
      if (r.portalId !== undefined) {
        writes.push({
          portal: this.portal,
          kind: this.kind,
          externalId: r.externalId,
          portalId: r.portalId,
          version,
          ifAbsent: r.created,
        });
      }
      writes.push({
        portal: this.portal,
        kind: this.#fingerprintKind,
        externalId: r.externalId,
        portalId: r.fingerprint,
        version,
      });
    }
    const results = writes.length > 0 ? await this.map.setMany(writes) : [];
    let at = 0;
    return records.map((r): SyncRecordResult => {
      const id = r.portalId === undefined ? undefined : results[at++];
      const print = results[at++];
      const portalId = id ? id.portalId : undefined;
      return {
        externalId: r.externalId,
        stored: print?.stored ?? false,
        portalId: portalId ?? r.portalId,
        discardedPortalId: r.created && id && !id.stored && id.portalId !== r.portalId ? r.portalId : undefined,
      };
    });
  }

  /** Records that a CRM id was removed from the portal; a later {@link plan} does not report it again. */
  async recordRemoved(externalId: string, options: SyncRecordOptions = {}): Promise<void> {
    await this.recordMany([{ externalId, fingerprint: REMOVED }], options);
  }

  /** Forgets a CRM id, so the next sync sends it in full. */
  async forget(externalId: string): Promise<void> {
    await this.map.delete(this.portal, this.#fingerprintKind, externalId);
    await this.map.delete(this.portal, this.kind, externalId);
  }

  /**
   * Compares `items` with what was last sent: new or changed items (by fingerprint of
   * `contentOf(item)`, the whole item by default), unchanged ones, and the keys that
   * disappeared. Nothing is recorded: call {@link record} (or {@link recordMany}) for what the
   * portal accepted, with the plan's `version`.
   */
  async plan<T>(
    items: readonly T[],
    keyOf: (item: T) => string,
    contentOf: (item: T) => unknown = (item) => item,
  ): Promise<SyncPlan<T>> {
    const { version, fingerprints: known } = await this.planBasis();
    const plan: SyncPlan<T> = { changed: [], unchanged: [], removed: [], version, known: known.size };
    const seen = new Set<string>();
    for (const item of items) {
      const key = keyOf(item);
      seen.add(key);
      const change = compareContent(known, key, contentOf(item));
      if (change) plan.changed.push({ item, key, ...change });
      else plan.unchanged.push({ item, key });
    }
    plan.removed = liveKeysMissing(known, seen);
    return plan;
  }

  /**
   * What a plan starts from: its version ({@link nextVersion}, taken before the state is read,
   * see {@link SyncPlan.version}) and every fingerprint known. A round that compares its items
   * part by part reads the state once, here.
   */
  async planBasis(): Promise<{ version: number; fingerprints: Map<string, string> }> {
    const version = nextVersion();
    return { version, fingerprints: await this.fingerprints() };
  }
}

/**
 * How an item's content compares with the fingerprint known for its key: `undefined` when it is
 * unchanged, else its new fingerprint and whether the portal has no live copy (never sent, or removed).
 */
export function compareContent(
  known: ReadonlyMap<string, string>,
  key: string,
  content: unknown,
): { fingerprint: string; isNew: boolean } | undefined {
  const print = hash(content);
  const previous = known.get(key);
  if (previous === print) return undefined;
  return { fingerprint: print, isNew: previous === undefined || previous === REMOVED };
}

/** The keys with a live copy on the portal (fingerprint not {@link REMOVED}) that `seen` lacks. */
export function liveKeysMissing(known: ReadonlyMap<string, string>, seen: ReadonlySet<string>): string[] {
  const missing: string[] = [];
  for (const [key, print] of known) if (!seen.has(key) && print !== REMOVED) missing.push(key);
  return missing;
}
