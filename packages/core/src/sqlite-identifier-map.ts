import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { SyncError } from './errors.js';
import {
  checkAccount,
  checkWrites,
  DEFAULT_ACCOUNT,
  type IdentifierEntry,
  type IdentifierMap,
  type IdentifierWrite,
  type IdentifierWriteResult,
  SingleEntryWrites,
} from './identifier-map.js';

/** Options of {@link SqliteIdentifierMap.open}. */
export interface SqliteIdentifierMapOptions {
  /** The account the map is scoped to (default {@link DEFAULT_ACCOUNT}); see {@link IdentifierMap.forAccount}. */
  account?: string | undefined;
  /**
   * `full` (default): each commit is flushed to disk before its write resolves, so an
   * acknowledged write survives a power cut. `normal`: flushed at WAL checkpoints only —
   * still never corrupt, but the last commits may be lost on a power cut (not on a crash
   * of the process).
   */
  synchronous?: 'full' | 'normal' | undefined;
  /** How long a write waits for another process's write lock before failing (default 5000 ms). */
  busyTimeoutMs?: number | undefined;
}

/** The SQL that creates the map's table and index, run by {@link SqliteIdentifierMap.open}. */
export const SQLITE_SCHEMA = `
CREATE TABLE IF NOT EXISTS sync_identifiers (
  account     TEXT    NOT NULL,
  portal      TEXT    NOT NULL,
  kind        TEXT    NOT NULL,
  external_id TEXT    NOT NULL,
  portal_id   TEXT    NOT NULL,
  version     INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (account, portal, kind, external_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS sync_identifiers_by_portal_id ON sync_identifiers (account, portal, kind, portal_id);
`;

const KEY = 'account = ? AND portal = ? AND kind = ? AND external_id = ?';
const INSERT = `INSERT INTO sync_identifiers (account, portal, kind, external_id, portal_id, version) VALUES (?, ?, ?, ?, ?, ?)`;
const CONFLICT = 'ON CONFLICT (account, portal, kind, external_id)';
const REPLACE = 'DO UPDATE SET portal_id = excluded.portal_id, version = excluded.version';
const PAGE_SELECT =
  'SELECT kind, external_id, portal_id, version FROM sync_identifiers WHERE account = ? AND portal = ?';

/** One open database, shared by a map and its views for other accounts. */
interface Connection {
  db: DatabaseSync;
  open: boolean;
  get: StatementSync;
  replace: StatementSync;
  ifAbsent: StatementSync;
  ifNewer: StatementSync;
  remove: StatementSync;
  /** First page and next pages of one kind, and of every kind (keyset pagination on the primary key). */
  pageKind: StatementSync;
  pageKindAfter: StatementSync;
  pageAll: StatementSync;
  pageAllAfter: StatementSync;
  find: StatementSync;
}

/** Rows per page of {@link SqliteIdentifierMap.iterate}. */
const PAGE = 2000;

/** A statement whose rows come back as arrays (Node 22.16+, 24+), objects otherwise. */
function arrays(statement: StatementSync): StatementSync {
  const s = statement as StatementSync & { setReturnArrays?: (on: boolean) => void };
  s.setReturnArrays?.(true);
  return statement;
}

type PageRow = [kind: string, externalId: string, portalId: string, version: number];
const pageRow = (row: unknown): PageRow => {
  if (Array.isArray(row)) return row as PageRow;
  const r = row as { kind: string; external_id: string; portal_id: string; version: number };
  return [r.kind, r.external_id, r.portal_id, r.version];
};

type SqliteModule = typeof import('node:sqlite');

/** node:sqlite, loaded only when a map is opened; an error naming the Node.js needed when it is missing. */
function loadSqlite(file: string): SqliteModule {
  let mod: SqliteModule | undefined;
  try {
    mod = process.getBuiltinModule?.('node:sqlite') as SqliteModule | undefined;
  } catch {
    mod = undefined;
  }
  if (!mod?.DatabaseSync) {
    throw new SyncError(
      `SqliteIdentifierMap needs the node:sqlite module of Node.js 22.13 or later (on 22.5 to 22.12, start Node ` +
        `with --experimental-sqlite); this is Node.js ${process.version}. JsonFileIdentifierMap works on any Node.js.`,
      { operation: 'SqliteIdentifierMap.open', itemId: file },
    );
  }
  return mod;
}

/**
 * An {@link IdentifierMap} in one SQLite file, on Node's built-in `node:sqlite` (no
 * dependency): the embedded default for persistent sync state. A change is one indexed
 * write in a transaction (write-ahead log; flushed to disk before it resolves unless
 * `synchronous: 'normal'`), so its cost does not grow with the map, and opening reads
 * nothing up front. Several processes may share the file (SQLite's locks; a writer waits up
 * to `busyTimeoutMs`), and the conditional writes are atomic across them.
 *
 * Layout: one table, `sync_identifiers` ({@link SQLITE_SCHEMA}), keyed by account, portal,
 * kind and CRM id, with an index for the reverse lookup. `node:sqlite` is loaded when a map
 * is opened, never on import.
 *
 * @example
 * ```ts
 * const map = await SqliteIdentifierMap.open('./sync-state.db');
 * const state = new SyncState(map.forAccount('agency-42'), 'acme');
 * // … syncs …
 * await map.close();
 * ```
 */
export class SqliteIdentifierMap extends SingleEntryWrites implements IdentifierMap {
  /** Path of the database file. */
  readonly file: string;
  /** The account this map reads and writes. */
  readonly account: string;
  readonly #conn: Connection;

  private constructor(file: string, account: string, conn: Connection) {
    super();
    this.file = file;
    this.account = account;
    this.#conn = conn;
  }

  /** Opens (or creates) the map stored in `file` (`:memory:` for a private in-memory database). */
  static async open(file: string, options: SqliteIdentifierMapOptions = {}): Promise<SqliteIdentifierMap> {
    const account = checkAccount(options.account ?? DEFAULT_ACCOUNT, 'SqliteIdentifierMap.open');
    const { DatabaseSync } = loadSqlite(file);
    let db: DatabaseSync | undefined;
    try {
      db = new DatabaseSync(file);
      const busy = options.busyTimeoutMs ?? 5000;
      db.exec(`PRAGMA busy_timeout = ${Number.isSafeInteger(busy) && busy >= 0 ? busy : 5000}`);
      db.exec('PRAGMA journal_mode = WAL');
      db.exec(`PRAGMA synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
      db.exec(`BEGIN IMMEDIATE; ${SQLITE_SCHEMA} COMMIT;`);
      const conn: Connection = {
        db,
        open: true,
        get: db.prepare(`SELECT portal_id FROM sync_identifiers WHERE ${KEY}`),
        replace: db.prepare(`${INSERT} ${CONFLICT} ${REPLACE}`),
        ifAbsent: db.prepare(`${INSERT} ${CONFLICT} DO NOTHING`),
        ifNewer: db.prepare(`${INSERT} ${CONFLICT} ${REPLACE} WHERE excluded.version > sync_identifiers.version`),
        remove: db.prepare(`DELETE FROM sync_identifiers WHERE ${KEY}`),
        pageKind: arrays(db.prepare(`${PAGE_SELECT} AND kind = ? ORDER BY external_id LIMIT ${PAGE}`)),
        pageKindAfter: arrays(
          db.prepare(`${PAGE_SELECT} AND kind = ? AND external_id > ? ORDER BY external_id LIMIT ${PAGE}`),
        ),
        pageAll: arrays(db.prepare(`${PAGE_SELECT} ORDER BY kind, external_id LIMIT ${PAGE}`)),
        pageAllAfter: arrays(
          db.prepare(`${PAGE_SELECT} AND (kind, external_id) > (?, ?) ORDER BY kind, external_id LIMIT ${PAGE}`),
        ),
        find: db.prepare(
          'SELECT external_id FROM sync_identifiers WHERE account = ? AND portal = ? AND kind = ? AND portal_id = ? LIMIT 1',
        ),
      };
      return new SqliteIdentifierMap(file, account, conn);
    } catch (error) {
      try {
        db?.close();
      } catch {}
      throw new SyncError(`cannot open ${file} as an SQLite identifier map: ${(error as Error).message}`, {
        operation: 'SqliteIdentifierMap.open',
        itemId: file,
        cause: error,
      });
    }
  }

  /** A view of the same database for `account`; closing either closes both. */
  forAccount(account: string): SqliteIdentifierMap {
    return new SqliteIdentifierMap(this.file, checkAccount(account), this.#conn);
  }

  async get(portal: string, kind: string, externalId: string): Promise<string | undefined> {
    const row = this.#conn.get.get(this.account, portal, kind, externalId) as { portal_id: string } | undefined;
    return row?.portal_id;
  }

  /** Applies `writes` in order in one `BEGIN IMMEDIATE` transaction: one commit, all or nothing. */
  override async setMany(writes: readonly IdentifierWrite[]): Promise<IdentifierWriteResult[]> {
    checkWrites(writes, 'identifierMap.setMany');
    if (writes.length === 0) return [];
    const c = this.#conn;
    c.db.exec('BEGIN IMMEDIATE');
    try {
      const results = writes.map((w): IdentifierWriteResult => {
        const statement = w.ifAbsent ? c.ifAbsent : w.version !== undefined ? c.ifNewer : c.replace;
        const args = [this.account, w.portal, w.kind, w.externalId] as const;
        if (Number(statement.run(...args, w.portalId, w.version ?? 0).changes) > 0) {
          return { stored: true, portalId: w.portalId };
        }
        const row = c.get.get(...args) as { portal_id: string };
        return { stored: false, portalId: row.portal_id };
      });
      c.db.exec('COMMIT');
      return results;
    } catch (error) {
      try {
        c.db.exec('ROLLBACK');
      } catch {}
      throw error;
    }
  }

  async delete(portal: string, kind: string, externalId: string): Promise<boolean> {
    return Number(this.#conn.remove.run(this.account, portal, kind, externalId).changes) > 0;
  }

  /** Read page by page, so the rows of only one page are held besides the entries returned. */
  async list(portal: string, kind?: string): Promise<IdentifierEntry[]> {
    const out: IdentifierEntry[] = [];
    for (const page of this.#pages(portal, kind)) for (const entry of page) out.push(entry);
    return out;
  }

  /** Pages of 2000 rows in key order, each read whole, so no cursor stays open across an `await`. */
  async *iterate(portal: string, kind?: string): AsyncIterable<IdentifierEntry> {
    for (const page of this.#pages(portal, kind)) yield* page;
  }

  /** Keyset pagination on the primary key: each page starts after the last key of the one before. */
  *#pages(portal: string, kind: string | undefined): Generator<IdentifierEntry[]> {
    const c = this.#conn;
    const account = this.account;
    let last: PageRow | undefined;
    for (;;) {
      const rows = (
        kind === undefined
          ? last
            ? c.pageAllAfter.all(account, portal, last[0], last[1])
            : c.pageAll.all(account, portal)
          : last
            ? c.pageKindAfter.all(account, portal, kind, last[1])
            : c.pageKind.all(account, portal, kind)
      ).map(pageRow);
      yield rows.map(([k, externalId, portalId, version]) => ({
        account,
        portal,
        kind: k,
        externalId,
        portalId,
        version,
      }));
      if (rows.length < PAGE) return;
      last = rows[rows.length - 1];
    }
  }

  async findExternalId(portal: string, kind: string, portalId: string): Promise<string | undefined> {
    const row = this.#conn.find.get(this.account, portal, kind, portalId) as { external_id: string } | undefined;
    return row?.external_id;
  }

  /** Closes the database (and so every view of it); later calls fail. Closing twice is harmless. */
  async close(): Promise<void> {
    if (!this.#conn.open) return;
    this.#conn.open = false;
    this.#conn.db.close();
  }
}
