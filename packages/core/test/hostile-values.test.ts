// What a hostile server or a careless caller can hand the pipeline, and the typed error each
// one must end in: prototype keys however they are spelled, JSON too deep to walk, ids and
// queries that cannot be encoded, options that cannot work, and headers echoing anything.
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiKeyAuth,
  HttpClient,
  type HttpClientOptions,
  HttpError,
  InputValidationError,
  JsonDepthError,
  MAX_JSON_DEPTH,
  MemoryIdentifierMap,
  parseJsonSafely,
  path,
  REDACTED,
  type ResponseEvent,
  runBatches,
  ServerError,
  SyncState,
  syncItems,
  UnexpectedResponseError,
} from '../src/index.js';
import { startServer, type TestServer } from './support/server.js';

const KEY = 'sk_live_HOSTILE_5c1e7d';
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('parseJsonSafely', () => {
  it.each([
    ['plainly', '"__proto__"'],
    ['with one escaped underscore', '"\\u005f_proto__"'],
    [
      'with every character escaped, in upper-case hex',
      `"${[...'__proto__'].map((c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`).join('')}"`,
    ],
  ])('drops a __proto__ key written %s, at any depth', (_how, key) => {
    const parsed = parseJsonSafely(`{"a":1,${key}:{"polluted":true},"inner":[{${key}:{"polluted":true},"b":2}]}`) as {
      a: number;
      inner: Array<Record<string, unknown>>;
    };
    expect(Object.hasOwn(parsed, '__proto__')).toBe(false);
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.hasOwn(parsed.inner[0] ?? {}, '__proto__')).toBe(false);
    expect(parsed.a).toBe(1);
    expect(parsed.inner[0]?.b).toBe(2);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps a value that merely mentions __proto__ in a string', () => {
    expect(parseJsonSafely('{"note":"\\u005f_proto__ is a key"}')).toEqual({ note: '__proto__ is a key' });
  });

  it(`accepts ${MAX_JSON_DEPTH} levels and refuses one more with a JsonDepthError`, () => {
    expect(() => parseJsonSafely(nested(MAX_JSON_DEPTH))).not.toThrow();
    expect(() => parseJsonSafely(nested(MAX_JSON_DEPTH + 1))).toThrow(JsonDepthError);
    expect(() => parseJsonSafely(nested(100_000))).toThrow(JsonDepthError);
  });

  it('does not count brackets inside strings', () => {
    const text = JSON.stringify({ s: '['.repeat(5_000), t: '\\"['.repeat(5_000), list: [[1], [2]] });
    expect(parseJsonSafely(text)).toEqual(JSON.parse(text));
  });
});

let server: TestServer;
beforeAll(async () => {
  server = await startServer((req, res) => {
    const route = new URL(req.url ?? '/', 'http://x').pathname;
    const status = Number(/\/(\d{3})$/.exec(route)?.[1] ?? 200);
    const headers: Record<string, string> = { 'content-type': 'application/json', 'retry-after': '0' };
    if (route.startsWith('/deep/')) {
      res.writeHead(status, headers);
      res.end(`{"message":"deep","deep":${nested(100_000)}}`);
    } else if (route.startsWith('/proto/')) {
      res.writeHead(status, headers);
      res.end('{"message":"refused","\\u005f_proto__":{"polluted":true},"detail":{"\\u005f_proto__":{"x":1}}}');
    } else if (route === '/echo-id') {
      const id = `${req.headers['x-api-key']}\t${'z'.repeat(500)}é`;
      res.writeHead(503, { ...headers, 'x-request-id': id, 'request-id': id });
      res.end('{"message":"busy"}');
    } else {
      res.writeHead(200, headers);
      res.end('{}');
    }
  });
});
afterAll(() => server.close());

const client = (options: Partial<HttpClientOptions> = {}) =>
  new HttpClient({
    portal: 'acme',
    baseUrl: server.url,
    allowInsecureHttp: true,
    userAgent: 'test',
    auth: apiKeyAuth({ key: KEY }),
    retry: false,
    ...options,
  });

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('the call succeeded');
}

describe('hostile bodies', () => {
  it('an error body with an escaped __proto__ key gives an HttpError whose body has none', async () => {
    const error = (await failure(
      client().request({ method: 'GET', path: '/proto/422', operation: 'read' }),
    )) as HttpError;
    expect(error).toBeInstanceOf(HttpError);
    const body = error.body as Record<string, unknown>;
    expect(Object.hasOwn(body, '__proto__')).toBe(false);
    expect(Object.hasOwn(body.detail as object, '__proto__')).toBe(false);
    expect(body.message).toBe('refused');
  });

  it('a 2xx body nested 100,000 deep is an UnexpectedResponseError with its status', async () => {
    const error = await failure(client().request({ method: 'GET', path: '/deep/200', operation: 'read', itemId: 'x' }));
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect((error as UnexpectedResponseError).status).toBe(200);
    expect((error as Error).message).toMatch(/acme read \[x\]: .*deeper than 512 levels/);
  });

  it('an error body nested 100,000 deep keeps its status and class, the text as body', async () => {
    const error = await failure(client().request({ method: 'GET', path: '/deep/500', operation: 'read' }));
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).status).toBe(500);
    expect(typeof (error as ServerError).body).toBe('string');
  });

  it('request ids are redacted, reduced to printable ASCII and bounded, in errors and events', async () => {
    const http = client();
    const events: ResponseEvent[] = [];
    http.on('response', (e) => events.push(e));
    const error = (await failure(http.request({ method: 'GET', path: '/echo-id', operation: 'read' }))) as HttpError;
    for (const id of [error.requestId, events[0]?.requestId]) {
      expect(id).toBeDefined();
      expect(id).not.toContain(KEY);
      expect(id?.startsWith(REDACTED)).toBe(true);
      expect(id?.length).toBeLessThanOrEqual(129);
      expect(id).toMatch(/^[\x21-\x7e ]+…?$/);
    }
  });
});

describe('values that cannot go into a URL', () => {
  it('an id with a lone surrogate is refused before any request, naming the field and the item', async () => {
    const before = server.requests.length;
    const id = 'crm-\ud800-1';
    const error = await failure(
      client().request({ method: 'GET', path: path`/listings/${id}`, operation: 'listings.get', itemId: id }),
    );
    expect(error).toBeInstanceOf(InputValidationError);
    expect((error as InputValidationError).issues.map((i) => i.path)).toEqual(['id']);
    expect((error as InputValidationError).itemId).toBe(id);
    expect((error as Error).message).toContain('acme listings.get');
    expect(server.requests.length).toBe(before);
  });

  it('path encodes the well-formed parts of such an id as usual', () => {
    expect(path`/a/${'x/\udc00y'}`).toBe('/a/x%2F\udc00y');
    expect(path`/a/${'x/y'}`).toBe('/a/x%2Fy');
  });

  it('a query value with a lone surrogate is refused, naming the parameter', async () => {
    const before = server.requests.length;
    const error = await failure(
      client().request({ method: 'GET', path: '/ok', query: { q: 'a\udbff', page: 1 }, operation: 'search' }),
    );
    expect(error).toBeInstanceOf(InputValidationError);
    expect((error as InputValidationError).issues.map((i) => i.path)).toEqual(['query.q']);
    expect(server.requests.length).toBe(before);
  });
});

describe('options that cannot work', () => {
  it.each<[string, Partial<HttpClientOptions>, string]>([
    ['a NaN timeout', { timeoutMs: Number.NaN }, 'timeoutMs'],
    ['a zero deadline', { deadlineMs: 0 }, 'deadlineMs'],
    ['a negative concurrency', { concurrency: -1 }, 'concurrency'],
    ['a fractional concurrency', { concurrency: 1.5 }, 'concurrency'],
    ['no attempt at all', { retry: { maxAttempts: 0 } }, 'retry.maxAttempts'],
    ['an infinite backoff', { retry: { maxDelayMs: Number.POSITIVE_INFINITY } }, 'retry.maxDelayMs'],
    [
      'an empty retry budget',
      { retry: { budget: { capacity: 0, retryCost: 1, timeoutCost: 1, successRefund: 1 } } },
      'retry.budget.capacity',
    ],
    ['a rate limit of 0', { rateLimits: { default: { limit: 0, windowMs: 1_000 } } }, 'rateLimits.default.limit'],
    [
      'a rate limit without a window',
      { rateLimits: { bulk: { limit: 5, windowMs: Number.NaN } } },
      'rateLimits.bulk.windowMs',
    ],
    ['a header value with CR/LF', { headers: { 'x-tenant': 'a\r\nx-evil: 1' } }, 'headers.x-tenant'],
    ['a base URL that does not parse', { baseUrl: `http://[${KEY}]` }, 'baseUrl'],
    ['a base URL with user info', { baseUrl: `http://user:${KEY}@127.0.0.1:9` }, 'baseUrl'],
  ])('%s is an InputValidationError naming the option, quoting no value', (_what, options, option) => {
    let thrown: unknown;
    try {
      client(options);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InputValidationError);
    expect((thrown as InputValidationError).issues.map((i) => i.path)).toEqual([option]);
    expect((thrown as Error).message).toContain(`acme: invalid input: ${option}`);
    const shown = inspect(thrown, { depth: 10, showHidden: true });
    expect(shown).not.toContain(KEY);
    expect(shown).not.toContain('x-evil');
  });

  it('a call with a NaN timeout is refused before anything is sent', async () => {
    const before = server.requests.length;
    const error = await failure(
      client().request({ method: 'GET', path: '/ok', operation: 'read', timeoutMs: Number.NaN }),
    );
    expect(error).toBeInstanceOf(InputValidationError);
    expect((error as InputValidationError).issues.map((i) => i.path)).toEqual(['timeoutMs']);
    expect(server.requests.length).toBe(before);
  });

  it.each([
    ['a batch size of 0', { size: 0 }, 'size'],
    ['a negative concurrency', { concurrency: -2 }, 'concurrency'],
  ])('runBatches refuses %s with an InputValidationError naming it', async (_what, options, option) => {
    const error = await failure(
      runBatches([1, 2], options, async (items) => items.map(() => ({ status: 'succeeded', value: 1 }))),
    );
    expect(error).toBeInstanceOf(InputValidationError);
    expect((error as InputValidationError).issues.map((i) => i.path)).toEqual([option]);
  });

  it('syncItems refuses a concurrency of 0, naming the state’s portal and the operation', async () => {
    const state = new SyncState(new MemoryIdentifierMap(), 'acme');
    const handlers = { key: (x: string) => x, upsert: async () => 'id', remove: async () => {} };
    const error = await failure(syncItems(['a'], handlers, { state, concurrency: 0, operation: 'listings.sync' }));
    expect(error).toBeInstanceOf(InputValidationError);
    expect((error as InputValidationError).issues.map((i) => i.path)).toEqual(['concurrency']);
    expect((error as Error).message).toContain('acme listings.sync');
  });
});
