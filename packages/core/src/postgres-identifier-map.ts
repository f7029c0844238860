/**
 * `@sync/core/postgres`: an identifier map in PostgreSQL, for a fleet of workers sharing
 * one state. Needs the `pg` package (an optional peer dependency of `@sync/core`).
 *
 * @packageDocumentation
 */
import { InputValidationError, SyncError } from './errors.js';
import {
  checkAccount,
  checkWrites,
  DEFAULT_ACCOUNT,
  type IdentifierEntry,
  type IdentifierMap,
  type IdentifierWrite,
  type IdentifierWriteResult,
} from './identifier-map.js';

/** A query as node-postgres takes it; `name` makes it a prepared statement. */
export interface PostgresQuery {
  text: string;
  values?: unknown[];
  name?: string;
}

/**
 * What the map needs of a PostgreSQL client: node-postgres' `Pool` (or `Client`) fits.
 * Queries without values must run as one simple query (several statements allowed).
 */
export interface PostgresQueryable {
  query(query: PostgresQuery): Promise<{ rows: unknown[] }>;
}

/** Options of {@link PostgresIdentifierMap.open}. */
export interface PostgresIdentifierMapOptions {
  /** A `pg.Pool` the application already has; {@link PostgresIdentifierMap.close} leaves it open. */
  pool?: PostgresQueryable | undefined;
  /** Or a connection string: the map opens its own `pg.Pool` (loading `pg`) and closes it on `close()`. */
  connectionString?: string | undefined;
  /** Connections of the map's own pool (default 4). */
  maxConnections?: number | undefined;
  /** Table name, optionally schema-qualified (default `sync_identifiers`); its function is named `<table>_write`. */
  table?: string | undefined;
  /** The account the map is scoped to (default {@link DEFAULT_ACCOUNT}); see {@link IdentifierMap.forAccount}. */
  account?: string | undefined;
}

const NAME = /^[a-z_][a-z0-9_]{0,40}(\.[a-z_][a-z0-9_]{0,40})?$/;

/**
 * The DDL {@link PostgresIdentifierMap.open} runs (idempotent, under an advisory lock so
 * several workers may open at once): the table, the reverse-lookup index, and the function
 * that applies a batch of writes in order in one statement.
 */
export function postgresSchema(table = 'sync_identifiers'): string {
  const index = `${table.replace(/^.*\./, '')}_by_portal_id`;
  return `
CREATE TABLE IF NOT EXISTS ${table} (
  account     text   NOT NULL,
  portal      text   NOT NULL,
  kind        text   NOT NULL,
  external_id text   NOT NULL,
  portal_id   text   NOT NULL,
  version     bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (account, portal, kind, external_id)
);
CREATE INDEX IF NOT EXISTS ${index} ON ${table} (account, portal, kind, portal_id);
-- mode 0 replaces, 1 sets if absent, 2 records if newer; one (stored, portal_id) row per write, in order.
CREATE OR REPLACE FUNCTION ${table}_write(
  p_account text, p_portal text[], p_kind text[], p_external_id text[], p_portal_id text[],
  p_version bigint[], p_mode smallint[]
) RETURNS TABLE (r_stored boolean, r_portal_id text) LANGUAGE plpgsql AS $fn$
DECLARE
  i integer;
  found_id text;
BEGIN
  FOR i IN 1 .. coalesce(array_length(p_portal, 1), 0) LOOP
    LOOP
      IF p_mode[i] = 1 THEN
        INSERT INTO ${table} AS m (account, portal, kind, external_id, portal_id, version)
        VALUES (p_account, p_portal[i], p_kind[i], p_external_id[i], p_portal_id[i], p_version[i])
        ON CONFLICT (account, portal, kind, external_id) DO NOTHING
        RETURNING m.portal_id INTO found_id;
      ELSIF p_mode[i] = 2 THEN
        INSERT INTO ${table} AS m (account, portal, kind, external_id, portal_id, version)
        VALUES (p_account, p_portal[i], p_kind[i], p_external_id[i], p_portal_id[i], p_version[i])
        ON CONFLICT (account, portal, kind, external_id)
        DO UPDATE SET portal_id = excluded.portal_id, version = excluded.version WHERE m.version < excluded.version
        RETURNING m.portal_id INTO found_id;
      ELSE
        INSERT INTO ${table} AS m (account, portal, kind, external_id, portal_id, version)
        VALUES (p_account, p_portal[i], p_kind[i], p_external_id[i], p_portal_id[i], 0)
        ON CONFLICT (account, portal, kind, external_id)
        DO UPDATE SET portal_id = excluded.portal_id, version = 0
        RETURNING m.portal_id INTO found_id;
      END IF;
      IF FOUND THEN
        r_stored := true;
        r_portal_id := found_id;
        EXIT;
      END IF;
      -- Not stored: the entry that won, locked so it cannot vanish before the transaction ends.
      SELECT m.portal_id INTO found_id FROM ${table} AS m
      WHERE m.account = p_account AND m.portal = p_portal[i] AND m.kind = p_kind[i] AND m.external_id = p_external_id[i]
      FOR KEY SHARE;
      IF FOUND THEN
        r_stored := false;
        r_portal_id := found_id;
        EXIT;
      END IF;
      -- Deleted between the two statements: try the write again.
    END LOOP;
    RETURN NEXT;
  END LOOP;
END
$fn$;
`;
}

interface Shared {
  pool: PostgresQueryable;
  table: string;
  /** Ends the pool when the map opened it. */
  end: (() => Promise<void>) | undefined;
  statements: Record<'get' | 'write' | 'remove' | 'listAll' | 'listKind' | 'find', string>;
}

const MODE = (w: IdentifierWrite) => (w.ifAbsent ? 1 : w.version !== undefined ? 2 : 0);

/**
 * An {@link IdentifierMap} in a PostgreSQL table, for fleets: every worker opens it on the
 * same database, and one table holds every account ({@link IdentifierMap.forAccount}).
 * Set-if-absent and record-if-newer are single `INSERT … ON CONFLICT` statements, so two
 * workers racing on one listing get one answer; a batch ({@link PostgresIdentifierMap.setMany})
 * is one call of the table's write function — one round trip, one transaction.
 *
 * Layout ({@link postgresSchema}): table `sync_identifiers` with primary key
 * `(account, portal, kind, external_id)`, columns `portal_id` and `version` (bigint), an
 * index `(account, portal, kind, portal_id)` for the reverse lookup, and the function
 * `sync_identifiers_write`. Created on open if missing.
 *
 * @example
 * ```ts
 * import { PostgresIdentifierMap } from '@sync/core/postgres';
 * const map = await PostgresIdentifierMap.open({ connectionString: process.env.DATABASE_URL });
 * const state = new SyncState(map.forAccount('agency-42'), 'acme');
 * ```
 */
export class PostgresIdentifierMap implements IdentifierMap {
  /** The account this map reads and writes. */
  readonly account: string;
  readonly #shared: Shared;

  private constructor(account: string, shared: Shared) {
    this.account = account;
    this.#shared = shared;
  }

  /** Connects (or takes the given pool), creates the table and function if missing, and returns the map. */
  static async open(options: PostgresIdentifierMapOptions): Promise<PostgresIdentifierMap> {
    const operation = 'PostgresIdentifierMap.open';
    const account = checkAccount(options.account ?? DEFAULT_ACCOUNT, operation);
    const table = options.table ?? 'sync_identifiers';
    if (!NAME.test(table)) {
      throw new InputValidationError(
        [
          {
            path: 'table',
            message: 'must be a lower-case SQL name, optionally schema-qualified',
            code: 'invalid_name',
          },
        ],
        { operation },
      );
    }
    let pool = options.pool;
    let end: (() => Promise<void>) | undefined;
    if (!pool) {
      if (!options.connectionString) {
        throw new InputValidationError(
          [{ path: 'pool', message: 'give a pool or a connectionString', code: 'missing' }],
          {
            operation,
          },
        );
      }
      const own = new (await loadPg()).Pool({
        connectionString: options.connectionString,
        max: options.maxConnections ?? 4,
      });
      // An idle connection dropped by the server must not crash the process; the next query reconnects.
      own.on('error', () => undefined);
      pool = own;
      end = () => own.end();
    }
    try {
      // One simple query, so one implicit transaction (rolled back whole on error): the advisory
      // lock serializes the DDL of workers opening at once and is released when it ends.
      await pool.query({ text: `SELECT pg_advisory_xact_lock(hashtext('${table}')); ${postgresSchema(table)}` });
    } catch (error) {
      await end?.().catch(() => undefined);
      throw new SyncError(`cannot create the identifier table ${table}: ${(error as Error).message}`, {
        operation,
        cause: error,
      });
    }
    const columns = 'kind, external_id, portal_id, version';
    const statements = {
      get: `SELECT portal_id FROM ${table} WHERE account = $1 AND portal = $2 AND kind = $3 AND external_id = $4`,
      write:
        `SELECT r_stored, r_portal_id FROM ${table}_write($1, $2::text[], $3::text[], $4::text[], $5::text[], ` +
        '$6::bigint[], $7::smallint[]) WITH ORDINALITY AS r(r_stored, r_portal_id, n) ORDER BY n',
      remove: `DELETE FROM ${table} WHERE account = $1 AND portal = $2 AND kind = $3 AND external_id = $4`,
      listAll: `SELECT ${columns} FROM ${table} WHERE account = $1 AND portal = $2`,
      listKind: `SELECT ${columns} FROM ${table} WHERE account = $1 AND portal = $2 AND kind = $3`,
      find: `SELECT external_id FROM ${table} WHERE account = $1 AND portal = $2 AND kind = $3 AND portal_id = $4 LIMIT 1`,
    };
    return new PostgresIdentifierMap(account, { pool, table, end, statements });
  }

  /** A view of the same table for `account`, on the same pool. */
  forAccount(account: string): PostgresIdentifierMap {
    return new PostgresIdentifierMap(checkAccount(account), this.#shared);
  }

  async #query<R>(name: keyof Shared['statements'], values: unknown[]): Promise<R[]> {
    const { pool, table, statements } = this.#shared;
    const result = await pool.query({ name: `${table}:${name}`, text: statements[name], values });
    return result.rows as R[];
  }

  async get(portal: string, kind: string, externalId: string): Promise<string | undefined> {
    const rows = await this.#query<{ portal_id: string }>('get', [this.account, portal, kind, externalId]);
    return rows[0]?.portal_id;
  }

  async set(portal: string, kind: string, externalId: string, portalId: string): Promise<void> {
    await this.setMany([{ portal, kind, externalId, portalId }]);
  }

  async setIfAbsent(
    portal: string,
    kind: string,
    externalId: string,
    portalId: string,
  ): Promise<IdentifierWriteResult> {
    const [result] = await this.setMany([{ portal, kind, externalId, portalId, ifAbsent: true }]);
    return result as IdentifierWriteResult;
  }

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

  /** Applies `writes` in order in one statement (one round trip, one transaction). */
  async setMany(writes: readonly IdentifierWrite[]): Promise<IdentifierWriteResult[]> {
    checkWrites(writes, 'identifierMap.setMany');
    if (writes.length === 0) return [];
    const rows = await this.#query<{ r_stored: boolean; r_portal_id: string }>('write', [
      this.account,
      writes.map((w) => w.portal),
      writes.map((w) => w.kind),
      writes.map((w) => w.externalId),
      writes.map((w) => w.portalId),
      writes.map((w) => String(w.version ?? 0)),
      writes.map(MODE),
    ]);
    return rows.map((r) => ({ stored: r.r_stored, portalId: r.r_portal_id }));
  }

  async delete(portal: string, kind: string, externalId: string): Promise<boolean> {
    const { pool, table, statements } = this.#shared;
    const result = (await pool.query({
      name: `${table}:remove`,
      text: statements.remove,
      values: [this.account, portal, kind, externalId],
    })) as { rowCount?: number | null };
    return (result.rowCount ?? 0) > 0;
  }

  async list(portal: string, kind?: string): Promise<IdentifierEntry[]> {
    const rows =
      kind === undefined
        ? await this.#query<Row>('listAll', [this.account, portal])
        : await this.#query<Row>('listKind', [this.account, portal, kind]);
    const account = this.account;
    return rows.map((r) => ({
      account,
      portal,
      kind: r.kind,
      externalId: r.external_id,
      portalId: r.portal_id,
      version: Number(r.version),
    }));
  }

  async findExternalId(portal: string, kind: string, portalId: string): Promise<string | undefined> {
    const rows = await this.#query<{ external_id: string }>('find', [this.account, portal, kind, portalId]);
    return rows[0]?.external_id;
  }

  /** Ends the pool the map opened itself (a pool given in the options stays open). Closing twice is harmless. */
  async close(): Promise<void> {
    const end = this.#shared.end;
    this.#shared.end = undefined;
    await end?.();
  }
}

interface Row {
  kind: string;
  external_id: string;
  portal_id: string;
  version: string | number;
}

interface PgModule {
  Pool: new (config: {
    connectionString: string;
    max: number;
  }) => PostgresQueryable & { end(): Promise<void>; on(event: 'error', listener: (error: Error) => void): unknown };
}

/** `pg`, loaded when the map opens its own pool; an error saying to install it when it is missing. */
async function loadPg(): Promise<PgModule> {
  try {
    const mod = (await import('pg')) as unknown as PgModule & { default?: PgModule };
    return mod.default?.Pool ? mod.default : mod;
  } catch (error) {
    throw new SyncError('PostgresIdentifierMap needs the pg package: npm install pg', {
      operation: 'PostgresIdentifierMap.open',
      cause: error,
    });
  }
}
