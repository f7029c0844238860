import type {
  HttpEvents,
  IdentifierMap,
  Listener,
  Listing,
  RateLimit,
  SharedRateLimiter,
  SyncState,
  SyncTarget,
} from '@sync/core';

/**
 * Where the fleet keeps what each agency's rounds sent: a store shared by every worker
 * (`RedisIdentifierMap` or `PostgresIdentifierMap`), scoped per agency.
 */
export interface AccountStore {
  /** The view of the store that holds one agency's ids and fingerprints. */
  forAccount(account: string): IdentifierMap;
}

/** What a round hands the vendor's {@link PortalConfig.target} to build the portal's sync target with. */
export interface RoundContext {
  /** The agency the round is for. */
  agency: string;
  /** The portal, as its queue and state name it. */
  portal: string;
  /** This agency's state on this portal, in the shared store: pass it as the target's `state`. */
  state: SyncState;
  /** The agency's limits on this portal, shared by every worker: pass it as the client's `rateLimiter`. */
  rateLimiter: SharedRateLimiter;
  /**
   * A per-listing lease in Redis around lookup-by-reference → create, held until the round
   * recorded the id: pass it as Property Finder's `guardCreate`.
   */
  guardCreate: <T>(key: string, create: () => Promise<T>) => Promise<T>;
  /** Counts the client's requests, 429s and retries in the fleet's metrics: pass it the client's `http`. */
  observe(http: { on<K extends keyof HttpEvents>(name: K, listener: Listener<HttpEvents[K]>): () => void }): void;
  /** Aborts when the round stops: its lock was lost, the worker closes, or it was deferred. */
  signal: AbortSignal;
}

/** How the fleet syncs one portal. */
export interface PortalConfig {
  /**
   * The limits of one agency's account on this portal, by the bucket names the portal
   * client's calls use (Rentix: `{ default: { limit: 300, windowMs: 60_000 }, bulk: { limit: 30, windowMs: 60_000 } }`).
   */
  limits: Record<string, RateLimit>;
  /**
   * Builds the round's sync target: resolves the agency's credentials (they never go into
   * job data), makes the client with `context.rateLimiter`, and returns the package's
   * target (`rentixTarget`, `indomioTarget`, `pfCrmTarget`) over `context.state`.
   */
  target(agency: string, context: RoundContext): SyncTarget | Promise<SyncTarget>;
}

/** One listing a round could not sync, as {@link FleetConfig.onItemFailure} gets it. */
export interface ItemFailure {
  agency: string;
  portal: string;
  /** The CRM id. */
  key: string;
  /** Why, naming the field where the portal or the mapping did. */
  reason: string;
}

/** Where the fleet's Redis is (the queues, limiters, leases and counters all live there). */
export interface FleetRedisOptions {
  host?: string | undefined;
  port?: number | undefined;
  username?: string | undefined;
  password?: string | undefined;
  db?: number | undefined;
  /** TLS options as `node:tls` takes them; `{}` for TLS with the defaults. */
  tls?: Record<string, unknown> | undefined;
}

/**
 * Everything the fleet needs, in one module the vendor writes (the `sync-queue` command
 * imports its default export): the Redis connection, the shared state, a loader of each
 * agency's listings, and per portal its limits and how to build a round's target.
 */
export interface FleetConfig {
  /** The Redis that holds the queues, the limiters and the leases. */
  redis: FleetRedisOptions;
  /** Prefix of every key the fleet writes (default `sync`). */
  prefix?: string | undefined;
  /** The shared state, scoped per agency (or the promise of it, e.g. `RedisIdentifierMap.open(…)`). */
  store: AccountStore | Promise<AccountStore>;
  /** The portals, by the name their queue and state use (`rentix`, `indomio`, `pfcrm`). */
  portals: Record<string, PortalConfig>;
  /** Loads an agency's complete current set of listings from the CRM. */
  listings(agency: string, context: { portal: string; signal: AbortSignal }): Promise<readonly Listing[]>;
  /** Every agency, for `sync-queue schedule --all` and `enqueue --all`. */
  agencies?: (() => Promise<readonly string[]>) | undefined;
  /**
   * Largest share of an agency's listings on a portal one round may remove (default 0.2):
   * a round that would remove more (a partial CRM read, say) sends nothing and reports.
   */
  maxRemovalShare?: number | undefined;
  /** A rate-limit wait longer than this delays the round instead of holding a worker (default 5 s). */
  maxWaitMs?: number | undefined;
  /** Called for each listing a round could not sync. */
  onItemFailure?: ((failure: ItemFailure) => void | Promise<void>) | undefined;
}
