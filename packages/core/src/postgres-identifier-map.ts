/**
 * `@sync/core/postgres`: an identifier map in PostgreSQL, for a fleet of workers sharing
 * one state. Needs the `pg` package (an optional peer dependency of `@sync/core`).
 *
 * @packageDocumentation
 * @module @sync/core/postgres
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
  SingleEntryWrites,
} from './identifier-map.js';

/** A query as node-postgres takes it; `name` makes it a prepared statement. */
export interface PostgresQuery {
  /** The SQL. */
  text: string;
  /** Its `$n` parameters. */
  values?: unknown[];
  /** Name of the prepared statement it becomes. */
  name?: string;
}

/**
 * What the map needs of a PostgreSQL client: node-postgres' `Pool` (or `Client`) fits.
 * Queries without values must run as one simple query (several statements allowed).
 */
export interface PostgresQueryable {
  /** Runs one query and resolves with its rows. */
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
  /**
   * Create the table, index and function when missing (default `true`). `false` for a role
   * without the CREATE privilege, once {@link postgresSchema} has been run by one that has it.
   */
  createSchema?: boolean | undefined;
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
-- Applies a batch in one statement's transaction: mode 0 replaces, 1 sets if absent, 2 records
-- if newer; returns one (stored, portal_id) row per write, in order.
CREATE OR REPLACE FUNCTION ${table}_write(
  p_account text, p_portal text[], p_kind text[], p_external_id text[], p_portal_id text[],
  p_version bigint[], p_mode smallint[]
) RETURNS TABLE (r_stored boolean, r_portal_id text) LANGUAGE plpgsql AS $fn$
DECLARE
  n integer := coalesce(array_length(p_portal, 1), 0);
  done boolean[];
  ids text[];
  i integer;
  found_id text;
BEGIN
  IF n = 0 THEN
    RETURN;
  END IF;
  done := array_fill(NULL::boolean, ARRAY[n]);
  ids := array_fill(NULL::text, ARRAY[n]);
  -- Distinct keys: each mode's writes in one set-based statement, in key order (so that two
  -- batches lock their rows in the same order and cannot deadlock).
  IF n > 1 AND (SELECT count(DISTINCT (u.portal, u.kind, u.external_id))
                FROM unnest(p_portal, p_kind, p_external_id) AS u(portal, kind, external_id)) = n THEN
    FOR i IN
      WITH input AS (
        SELECT * FROM unnest(p_portal, p_kind, p_external_id, p_portal_id, p_version, p_mode)
          WITH ORDINALITY AS u(portal, kind, external_id, portal_id, version, mode, n)
      ), replaced AS (
        INSERT INTO ${table} AS m (account, portal, kind, external_id, portal_id, version)
        SELECT p_account, portal, kind, external_id, portal_id, 0 FROM input WHERE mode = 0
        ORDER BY portal, kind, external_id
        ON CONFLICT (account, portal, kind, external_id)
        DO UPDATE SET portal_id = excluded.portal_id, version = 0
        RETURNING m.portal, m.kind, m.external_id
      ), absent AS (
        INSERT INTO ${table} AS m (account, portal, kind, external_id, portal_id, version)
        SELECT p_account, portal, kind, external_id, portal_id, version FROM input WHERE mode = 1
        ORDER BY portal, kind, external_id
        ON CONFLICT (account, portal, kind, external_id) DO NOTHING
        RETURNING m.portal, m.kind, m.external_id
      ), newer AS (
        INSERT INTO ${table} AS m (account, portal, kind, external_id, portal_id, version)
        SELECT p_account, portal, kind, external_id, portal_id, version FROM input WHERE mode = 2
        ORDER BY portal, kind, external_id
        ON CONFLICT (account, portal, kind, external_id)
        DO UPDATE SET portal_id = excluded.portal_id, version = excluded.version WHERE m.version < excluded.version
        RETURNING m.portal, m.kind, m.external_id
      ), written AS (
        SELECT * FROM replaced UNION ALL SELECT * FROM absent UNION ALL SELECT * FROM newer
      )
      SELECT input.n FROM input JOIN written USING (portal, kind, external_id)
    LOOP
      done[i] := true;
      ids[i] := p_portal_id[i];
    END LOOP;
    -- The entries that won over the others, locked until the transaction ends (a new snapshot sees them).
    FOR i, found_id IN
      SELECT u.n, m.portal_id
      FROM unnest(p_portal, p_kind, p_external_id) WITH ORDINALITY AS u(portal, kind, external_id, n)
      JOIN ${table} AS m
        ON m.account = p_account AND m.portal = u.portal AND m.kind = u.kind AND m.external_id = u.external_id
      WHERE done[u.n] IS NULL
      FOR KEY SHARE OF m
    LOOP
      done[i] := false;
      ids[i] := found_id;
    END LOOP;
  END IF;
  -- Write by write, in order: a batch with a key repeated, and any write still undecided
  -- (its winner deleted meanwhile).
  FOR i IN 1 .. n LOOP
    CONTINUE WHEN done[i] IS NOT NULL;
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
        done[i] := true;
        ids[i] := found_id;
        EXIT;
      END IF;
      SELECT m.portal_id INTO found_id FROM ${table} AS m
      WHERE m.account = p_account AND m.portal = p_portal[i] AND m.kind = p_kind[i] AND m.external_id = p_external_id[i]
      FOR KEY SHARE;
      IF FOUND THEN
        done[i] := false;
        ids[i] := found_id;
        EXIT;
      END IF;
      -- The entry that won was deleted between the two statements: write again.
    END LOOP;
  END LOOP;
  RETURN QUERY SELECT d, x FROM unnest(done, ids) WITH ORDINALITY AS r(d, x, k) ORDER BY k;
END
$fn$;
`;
}

interface Shared {
  pool: PostgresQueryable;
  table: string;
  /** Ends the pool when the map opened it. */
  end: (() => Promise<void>) | undefined;
  statements: Record<
    | 'get'
    | 'write'
    | 'remove'
    | 'listAll'
    | 'listKind'
    | 'find'
    | 'pageKind'
    | 'pageAll'
    | 'pageKindAfter'
    | 'pageAllAfter',
    string
  >;
}

/** Rows per page of {@link PostgresIdentifierMap.iterate}. */
const PAGE = 5000;

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
export class PostgresIdentifierMap extends SingleEntryWrites implements IdentifierMap {
  /** The account this map reads and writes. */
  readonly account: string;
  readonly #shared: Shared;

  private constructor(account: string, shared: Shared) {
    super();
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
      if (options.createSchema === false) {
        // Only check that the function is there, so that a missing schema fails here rather than on the first write.
        await pool.query({ text: `SELECT '${table}_write'::regproc` });
      } else {
        // One simple query, so one implicit transaction (rolled back whole on error): the advisory
        // lock serializes the DDL of workers opening at once and is released when it ends.
        await pool.query({ text: `SELECT pg_advisory_xact_lock(hashtext('${table}')); ${postgresSchema(table)}` });
      }
    } catch (error) {
      await end?.().catch(() => undefined);
      const what = options.createSchema === false ? 'find' : 'create';
      throw new SyncError(`cannot ${what} the identifier table ${table}: ${(error as Error).message}`, {
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
      pageKind: `SELECT ${columns} FROM ${table} WHERE account = $1 AND portal = $2 AND kind = $3 ORDER BY external_id LIMIT ${PAGE}`,
      pageAll: `SELECT ${columns} FROM ${table} WHERE account = $1 AND portal = $2 ORDER BY kind, external_id LIMIT ${PAGE}`,
      pageKindAfter:
        `SELECT ${columns} FROM ${table} WHERE account = $1 AND portal = $2 AND kind = $3 AND external_id > $4 ` +
        `ORDER BY external_id LIMIT ${PAGE}`,
      pageAllAfter:
        `SELECT ${columns} FROM ${table} WHERE account = $1 AND portal = $2 AND (account, portal, kind, external_id) > ` +
        `($1, $2, $3, $4) ORDER BY kind, external_id LIMIT ${PAGE}`,
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

  /** Applies `writes` in order in one statement (one round trip, one transaction). */
  override async setMany(writes: readonly IdentifierWrite[]): Promise<IdentifierWriteResult[]> {
    checkWrites(writes, 'identifierMap.setMany');
    if (writes.length === 0) return [];
    const values = [
      this.account,
      writes.map((w) => w.portal),
      writes.map((w) => w.kind),
      writes.map((w) => w.externalId),
      writes.map((w) => w.portalId),
      writes.map((w) => String(w.version ?? 0)),
      writes.map(MODE),
    ];
    for (let attempt = 1; ; attempt++) {
      try {
        const rows = await this.#query<{ r_stored: boolean; r_portal_id: string }>('write', values);
        return rows.map((r) => ({ stored: r.r_stored, portalId: r.r_portal_id }));
      } catch (error) {
        // A deadlock with another batch rolled this one back whole: it can run again as it is.
        if (attempt >= 5 || (error as { code?: unknown })?.code !== '40P01') throw error;
      }
    }
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

  /** Pages of 5000 rows in key order (keyset pagination on the primary key), one query each. */
  async *iterate(portal: string, kind?: string): AsyncIterable<IdentifierEntry> {
    const account = this.account;
    let last: Row | undefined;
    for (;;) {
      const rows =
        kind === undefined
          ? last
            ? await this.#query<Row>('pageAllAfter', [account, portal, last.kind, last.external_id])
            : await this.#query<Row>('pageAll', [account, portal])
          : last
            ? await this.#query<Row>('pageKindAfter', [account, portal, kind, last.external_id])
            : await this.#query<Row>('pageKind', [account, portal, kind]);
      for (const r of rows) {
        yield {
          account,
          portal,
          kind: r.kind,
          externalId: r.external_id,
          portalId: r.portal_id,
          version: Number(r.version),
        };
      }
      if (rows.length < PAGE) return;
      last = rows[rows.length - 1];
    }
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
