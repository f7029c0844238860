import { fingerprint as hash } from './fingerprint.js';
import { type IdentifierMap, MemoryIdentifierMap } from './identifier-map.js';

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
}

/**
 * What a continuous sync remembers for one portal: for each CRM item, the portal's id
 * and the fingerprint of the content last sent. Kept in an {@link IdentifierMap}
 * (kind `<kind>` for ids, `<kind>-fingerprint` for fingerprints), so the JSON-file map
 * makes it survive restarts.
 *
 * @example
 * // Survives restarts: ids and fingerprints in a JSON file (one state per portal).
 * const state = new SyncState(await JsonFileIdentifierMap.open('./sync-state.json'), 'acme');
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

  /** The fingerprint last sent for a CRM id ({@link REMOVED} once removed). */
  fingerprintOf(externalId: string): Promise<string | undefined> {
    return this.map.get(this.portal, this.#fingerprintKind, externalId);
  }

  /** Every CRM id the state knows, with its fingerprint. */
  async fingerprints(): Promise<Map<string, string>> {
    const entries = await this.map.list(this.portal, this.#fingerprintKind);
    return new Map(entries.map((e) => [e.externalId, e.portalId]));
  }

  /** Records what was sent for a CRM id, and its portal id when known. */
  async record(externalId: string, fingerprint: string, portalId?: string): Promise<void> {
    await this.map.set(this.portal, this.#fingerprintKind, externalId, fingerprint);
    if (portalId !== undefined) await this.map.set(this.portal, this.kind, externalId, portalId);
  }

  /** Records that a CRM id was removed from the portal; a later {@link plan} does not report it again. */
  async recordRemoved(externalId: string): Promise<void> {
    await this.map.set(this.portal, this.#fingerprintKind, externalId, REMOVED);
  }

  /** Forgets a CRM id, so the next sync sends it in full. */
  async forget(externalId: string): Promise<void> {
    await this.map.delete(this.portal, this.#fingerprintKind, externalId);
    await this.map.delete(this.portal, this.kind, externalId);
  }

  /**
   * Compares `items` with what was last sent: new or changed items (by fingerprint of
   * `contentOf(item)`, the whole item by default), unchanged ones, and the keys that
   * disappeared. Nothing is recorded: call {@link record} for what the portal accepted.
   */
  async plan<T>(
    items: readonly T[],
    keyOf: (item: T) => string,
    contentOf: (item: T) => unknown = (item) => item,
  ): Promise<SyncPlan<T>> {
    const known = await this.fingerprints();
    const plan: SyncPlan<T> = { changed: [], unchanged: [], removed: [] };
    const seen = new Set<string>();
    for (const item of items) {
      const key = keyOf(item);
      seen.add(key);
      const print = hash(contentOf(item));
      const previous = known.get(key);
      if (previous === print) plan.unchanged.push({ item, key });
      else plan.changed.push({ item, key, fingerprint: print, isNew: previous === undefined || previous === REMOVED });
    }
    for (const [key, print] of known) if (!seen.has(key) && print !== REMOVED) plan.removed.push(key);
    return plan;
  }
}
