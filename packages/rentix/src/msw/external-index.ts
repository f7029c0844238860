/** Something the portal stores under its own id and, optionally, a CRM id. */
export interface Identified {
  id: string;
  externalId: string | null;
}

/**
 * CRM id → record lookups in O(1) for the mock's stores, which hold tens of thousands of
 * records in load tests. The store stays the plain `Map` tests inspect; the index
 * checks every hit and rebuilds itself when records were added or re-keyed behind its back.
 */
export class ExternalIdIndex<T extends Identified> {
  readonly #items: Map<string, T>;
  readonly #byExternalId = new Map<string, string>();
  #indexedCount = -1;

  constructor(items: Map<string, T>) {
    this.#items = items;
  }

  /** The record with this CRM id. */
  find(externalId: string): T | undefined {
    if (this.#indexedCount !== this.#items.size) this.#rebuild();
    let id = this.#byExternalId.get(externalId);
    let item = id === undefined ? undefined : this.#items.get(id);
    if (id !== undefined && item?.externalId !== externalId) {
      this.#rebuild();
      id = this.#byExternalId.get(externalId);
      item = id === undefined ? undefined : this.#items.get(id);
    }
    return item?.externalId === externalId ? item : undefined;
  }

  /** Records a record just added to the store, or whose CRM id just changed from `previous`. */
  note(item: T, previous: string | null = null): void {
    if (previous !== null && this.#byExternalId.get(previous) === item.id) this.#byExternalId.delete(previous);
    if (item.externalId !== null) this.#byExternalId.set(item.externalId, item.id);
    // An addition keeps the index in step only if it was in step before.
    if (this.#indexedCount === this.#items.size - 1) this.#indexedCount = this.#items.size;
  }

  #rebuild(): void {
    this.#byExternalId.clear();
    for (const item of this.#items.values())
      if (item.externalId !== null) this.#byExternalId.set(item.externalId, item.id);
    this.#indexedCount = this.#items.size;
  }
}
