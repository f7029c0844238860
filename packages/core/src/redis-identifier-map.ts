/**
 * `@sync/core/redis`: an identifier map in Redis, for a fleet of workers sharing one
 * state. Needs the `ioredis` package (an optional peer dependency of `@sync/core`).
 *
 * @packageDocumentation
 * @module @sync/core/redis
 */
import { createHash } from 'node:crypto';
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

/** What the map needs of a Redis client: an `ioredis` client fits. */
export interface RedisCommands {
  /** Sends one command and resolves with its reply. */
  call(command: string, ...args: Array<string | number>): Promise<unknown>;
  /** Starts a pipeline: commands sent in one round trip. */
  pipeline(): RedisPipeline;
}

/** A pipeline of {@link RedisCommands}, as `ioredis` has it. */
export interface RedisPipeline {
  /** Queues one command. */
  call(command: string, ...args: Array<string | number>): unknown;
  /** Sends the queued commands and resolves with `[error, reply]` per command. */
  exec(): Promise<unknown>;
}

/** Options of {@link RedisIdentifierMap.open}. */
export interface RedisIdentifierMapOptions {
  /** An `ioredis` client the application already has; {@link RedisIdentifierMap.close} leaves it connected. */
  client?: RedisCommands | undefined;
  /** Or a `redis://` URL: the map connects its own `ioredis` client and quits it on `close()`. */
  url?: string | undefined;
  /** Prefix of every key (default `sync:ids`); without `{` or `}`. */
  prefix?: string | undefined;
  /**
   * Hashes per (account, portal, kind), fixed when the prefix is first used (default 1024):
   * about entries ÷ 100 for the largest one keeps each hash in Redis' compact encoding.
   */
  buckets?: number | undefined;
  /** The account the map is scoped to (default {@link DEFAULT_ACCOUNT}); see {@link IdentifierMap.forAccount}. */
  account?: string | undefined;
}

// The bucket of a field: the first 32 bits of its SHA-1, modulo the bucket count — computed the same way here and in Lua.
const BUCKET_LUA = `
local buckets = tonumber(ARGV[2])
local function bucket(s) return tonumber(string.sub(redis.sha1hex(s), 1, 8), 16) % buckets end
local function split(v) local at = string.find(v, ':', 1, true) return tonumber(string.sub(v, 1, at - 1)), string.sub(v, at + 1) end
`;

// ARGV: base, buckets, then per write: portal, kind, externalId, portalId, mode (0 replace, 1 if absent, 2 if newer), version.
// Returns stored (1/0) and the portal id now stored, per write.
const WRITE_LUA = `${BUCKET_LUA}
local base = ARGV[1]
local out = {}
for i = 3, #ARGV, 6 do
  local portal, kind, ext, pid, mode, version = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4], ARGV[i + 5]
  local ns = base .. ':' .. portal .. ':' .. kind
  local b = bucket(ext)
  local ekey = ns .. ':e:' .. b
  local current = redis.call('HGET', ekey, ext)
  local store = true
  local currentId
  if current then
    local currentVersion
    currentVersion, currentId = split(current)
    if mode == '1' or (mode == '2' and tonumber(version) <= currentVersion) then store = false end
  end
  if store then
    redis.call('HSET', ekey, ext, version .. ':' .. pid)
    if not current then
      -- A new entry: its bucket and kind may be new too.
      redis.call('SADD', ns .. ':b', tostring(b))
      redis.call('SADD', base .. ':' .. portal .. ':kinds', kind)
    end
    if currentId ~= pid then
      if current then
        local rkey = ns .. ':r:' .. bucket(currentId)
        if redis.call('HGET', rkey, currentId) == ext then redis.call('HDEL', rkey, currentId) end
      end
      redis.call('HSET', ns .. ':r:' .. bucket(pid), pid, ext)
    end
    out[#out + 1] = 1
    out[#out + 1] = pid
  else
    out[#out + 1] = 0
    out[#out + 1] = currentId
  end
end
return out
`;

// ARGV: base, buckets, portal, kind, externalId. Returns 1 when the entry existed.
const DELETE_LUA = `${BUCKET_LUA}
local base, portal, kind, ext = ARGV[1], ARGV[3], ARGV[4], ARGV[5]
local ns = base .. ':' .. portal .. ':' .. kind
local b = bucket(ext)
local ekey = ns .. ':e:' .. b
local current = redis.call('HGET', ekey, ext)
if not current then return 0 end
redis.call('HDEL', ekey, ext)
local _, currentId = split(current)
local rkey = ns .. ':r:' .. bucket(currentId)
if redis.call('HGET', rkey, currentId) == ext then redis.call('HDEL', rkey, currentId) end
if redis.call('HLEN', ekey) == 0 then
  redis.call('SREM', ns .. ':b', tostring(b))
  if redis.call('SCARD', ns .. ':b') == 0 then redis.call('SREM', base .. ':' .. portal .. ':kinds', kind) end
end
return 1
`;

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');
const WRITE_SHA = sha1(WRITE_LUA);
const DELETE_SHA = sha1(DELETE_LUA);
const LAYOUT = '1';
/** Bucket hashes read per round trip by {@link RedisIdentifierMap.iterate}. */
const BUCKETS_PER_PAGE = 64;

/** Encodes a key component so that it never contains `:`, `{` or `}`. */
const part = (s: string) => encodeURIComponent(s);

interface Shared {
  client: RedisCommands;
  prefix: string;
  buckets: number;
  /** Quits the client when the map connected it. */
  quit: (() => Promise<void>) | undefined;
}

/**
 * An {@link IdentifierMap} in Redis, for fleets: every worker opens it on the same server.
 * Set-if-absent, record-if-newer and batches run as Lua scripts, so each is atomic and one
 * round trip; a batch of any size is one script call.
 *
 * Key layout, sized for millions of entries — small hashes per bucket rather than one key
 * per entry (components URI-encoded; `{account}` is the cluster hash tag, so one account's
 * keys share a slot):
 * - `<prefix>:{<account>}:<portal>:<kind>:e:<n>` — hash: CRM id → `<version>:<portal id>`
 * - `<prefix>:{<account>}:<portal>:<kind>:r:<n>` — hash: portal id → CRM id (reverse lookup)
 * - `<prefix>:{<account>}:<portal>:<kind>:b` — set of the buckets `n` holding entries
 * - `<prefix>:{<account>}:<portal>:kinds` — set of the kinds holding entries
 * - `<prefix>:meta` — hash: `buckets` (fixed on first use) and `layout`
 *
 * `n` is the first 32 bits of the SHA-1 of the CRM id (or portal id) modulo `buckets`.
 *
 * @example
 * ```ts
 * import { RedisIdentifierMap } from '@sync/core/redis';
 * const map = await RedisIdentifierMap.open({ url: process.env.REDIS_URL });
 * const state = new SyncState(map.forAccount('agency-42'), 'acme');
 * ```
 */
export class RedisIdentifierMap extends SingleEntryWrites implements IdentifierMap {
  /** The account this map reads and writes. */
  readonly account: string;
  readonly #shared: Shared;
  readonly #base: string;

  private constructor(account: string, shared: Shared) {
    super();
    this.account = account;
    this.#shared = shared;
    this.#base = `${shared.prefix}:{${part(account)}}`;
  }

  /** Connects (or takes the given client), reads or fixes the bucket count, and returns the map. */
  static async open(options: RedisIdentifierMapOptions): Promise<RedisIdentifierMap> {
    const operation = 'RedisIdentifierMap.open';
    const account = checkAccount(options.account ?? DEFAULT_ACCOUNT, operation);
    const prefix = options.prefix ?? 'sync:ids';
    if (prefix === '' || /[{}]/.test(prefix)) {
      throw new InputValidationError(
        [{ path: 'prefix', message: 'must be non-empty, without { or }', code: 'invalid_prefix' }],
        { operation },
      );
    }
    const wanted = options.buckets ?? 1024;
    if (!Number.isSafeInteger(wanted) || wanted < 1 || wanted > 1 << 20) {
      throw new InputValidationError(
        [{ path: 'buckets', message: 'must be an integer from 1 to 1048576', code: 'invalid_buckets' }],
        { operation },
      );
    }
    let client = options.client;
    let quit: (() => Promise<void>) | undefined;
    if (!client) {
      if (!options.url) {
        throw new InputValidationError([{ path: 'client', message: 'give a client or a url', code: 'missing' }], {
          operation,
        });
      }
      const own = new (await loadIoredis())(options.url, { lazyConnect: false, maxRetriesPerRequest: 3 });
      client = own;
      quit = async () => {
        await own.quit();
      };
    }
    try {
      // The first opener fixes the layout; everyone after reads it.
      const meta = `${prefix}:meta`;
      await client.call('HSETNX', meta, 'buckets', String(wanted));
      await client.call('HSETNX', meta, 'layout', LAYOUT);
      const [buckets, layout] = (await client.call('HMGET', meta, 'buckets', 'layout')) as [string, string];
      if (layout !== LAYOUT) throw new Error(`${meta} has layout ${layout}, this version reads layout ${LAYOUT}`);
      return new RedisIdentifierMap(account, { client, prefix, buckets: Number(buckets), quit });
    } catch (error) {
      await quit?.().catch(() => undefined);
      throw error instanceof SyncError
        ? error
        : new SyncError(`cannot open the Redis identifier map: ${(error as Error).message}`, {
            operation,
            cause: error,
          });
    }
  }

  /** A view of the same keys for `account`, on the same client. */
  forAccount(account: string): RedisIdentifierMap {
    return new RedisIdentifierMap(checkAccount(account), this.#shared);
  }

  /** Bucket count in use (read from the server on open). */
  get buckets(): number {
    return this.#shared.buckets;
  }

  #bucket(field: string): number {
    return Number.parseInt(sha1(field).slice(0, 8), 16) % this.#shared.buckets;
  }

  #ns(portal: string, kind: string): string {
    return `${this.#base}:${part(portal)}:${part(kind)}`;
  }

  /** Runs a script by its SHA, loading it once when the server does not have it yet. */
  async #script(sha: string, lua: string, args: string[]): Promise<unknown> {
    const { client } = this.#shared;
    try {
      return await client.call('EVALSHA', sha, 1, this.#base, ...args);
    } catch (error) {
      if (!String((error as Error)?.message).startsWith('NOSCRIPT')) throw error;
      return client.call('EVAL', lua, 1, this.#base, ...args);
    }
  }

  async get(portal: string, kind: string, externalId: string): Promise<string | undefined> {
    const key = `${this.#ns(portal, kind)}:e:${this.#bucket(externalId)}`;
    const value = (await this.#shared.client.call('HGET', key, externalId)) as string | null;
    return value === null ? undefined : value.slice(value.indexOf(':') + 1);
  }

  /** Applies `writes` in order in one Lua script: atomic, one round trip. */
  override async setMany(writes: readonly IdentifierWrite[]): Promise<IdentifierWriteResult[]> {
    checkWrites(writes, 'identifierMap.setMany');
    if (writes.length === 0) return [];
    const args = [this.#base, String(this.#shared.buckets)];
    for (const w of writes) {
      const mode = w.ifAbsent ? '1' : w.version !== undefined ? '2' : '0';
      args.push(part(w.portal), part(w.kind), w.externalId, w.portalId, mode, String(w.version ?? 0));
    }
    const out = (await this.#script(WRITE_SHA, WRITE_LUA, args)) as Array<number | string>;
    const results: IdentifierWriteResult[] = [];
    for (let i = 0; i < out.length; i += 2) results.push({ stored: out[i] === 1, portalId: String(out[i + 1]) });
    return results;
  }

  async delete(portal: string, kind: string, externalId: string): Promise<boolean> {
    const args = [this.#base, String(this.#shared.buckets), part(portal), part(kind), externalId];
    return (await this.#script(DELETE_SHA, DELETE_LUA, args)) === 1;
  }

  async list(portal: string, kind?: string): Promise<IdentifierEntry[]> {
    const out: IdentifierEntry[] = [];
    for (const k of await this.#kinds(portal, kind)) {
      const ns = this.#ns(portal, k);
      const buckets = (await this.#shared.client.call('SMEMBERS', `${ns}:b`)) as string[];
      for (const entry of await this.#read(portal, k, buckets)) out.push(entry);
    }
    return out;
  }

  /** Reads 64 bucket hashes per round trip, so only one page is held at a time. */
  async *iterate(portal: string, kind?: string): AsyncIterable<IdentifierEntry> {
    for (const k of await this.#kinds(portal, kind)) {
      const buckets = (await this.#shared.client.call('SMEMBERS', `${this.#ns(portal, k)}:b`)) as string[];
      for (let i = 0; i < buckets.length; i += BUCKETS_PER_PAGE) {
        yield* await this.#read(portal, k, buckets.slice(i, i + BUCKETS_PER_PAGE));
      }
    }
  }

  async #kinds(portal: string, kind: string | undefined): Promise<string[]> {
    if (kind !== undefined) return [kind];
    const kinds = (await this.#shared.client.call('SMEMBERS', `${this.#base}:${part(portal)}:kinds`)) as string[];
    return kinds.map(decodeURIComponent);
  }

  /** The entries of some buckets of one kind, in one pipelined round trip. */
  async #read(portal: string, kind: string, buckets: readonly string[]): Promise<IdentifierEntry[]> {
    if (buckets.length === 0) return [];
    const ns = this.#ns(portal, kind);
    const pipeline = this.#shared.client.pipeline();
    for (const b of buckets) pipeline.call('HGETALL', `${ns}:e:${b}`);
    const replies = (await pipeline.exec()) as Array<[Error | null, unknown]>;
    const out: IdentifierEntry[] = [];
    for (const [error, reply] of replies) {
      if (error) throw error;
      const pairs = Array.isArray(reply) ? pairsOf(reply as string[]) : Object.entries(reply as object);
      for (const [externalId, value] of pairs as Array<[string, string]>) {
        const at = value.indexOf(':');
        out.push({
          account: this.account,
          portal,
          kind,
          externalId,
          portalId: value.slice(at + 1),
          version: Number(value.slice(0, at)),
        });
      }
    }
    return out;
  }

  async findExternalId(portal: string, kind: string, portalId: string): Promise<string | undefined> {
    const key = `${this.#ns(portal, kind)}:r:${this.#bucket(portalId)}`;
    const value = (await this.#shared.client.call('HGET', key, portalId)) as string | null;
    return value ?? undefined;
  }

  /** Quits the client the map connected itself (a client given in the options stays connected). Closing twice is harmless. */
  async close(): Promise<void> {
    const quit = this.#shared.quit;
    this.#shared.quit = undefined;
    await quit?.();
  }
}

function pairsOf(flat: readonly string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i] as string, flat[i + 1] as string]);
  return out;
}

type RedisConstructor = new (
  url: string,
  options: { lazyConnect: boolean; maxRetriesPerRequest: number },
) => RedisCommands & { quit(): Promise<unknown> };

/** `ioredis`, loaded when the map connects its own client; an error saying to install it when it is missing. */
async function loadIoredis(): Promise<RedisConstructor> {
  try {
    const mod = (await import('ioredis')) as unknown as { default?: unknown; Redis?: unknown };
    const Redis = (mod.Redis ?? (mod.default as { Redis?: unknown } | undefined)?.Redis ?? mod.default) as
      | RedisConstructor
      | undefined;
    if (typeof Redis !== 'function') throw new Error('ioredis exports no Redis class');
    return Redis;
  } catch (error) {
    throw new SyncError('RedisIdentifierMap needs the ioredis package: npm install ioredis', {
      operation: 'RedisIdentifierMap.open',
      cause: error,
    });
  }
}
