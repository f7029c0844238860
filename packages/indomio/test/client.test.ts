import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AuthenticationError,
  InputValidationError,
  JsonFileIdentifierMap,
  MemoryIdentifierMap,
  NetworkError,
  REMOVED,
  RedirectError,
  SyncState,
  UnexpectedResponseError,
} from '@sync/core';
import { type HandlerServer, serveHandlers } from '@sync/core/msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  DATE_UPDATED_KIND,
  DEFAULT_MAX_RESPONSE_BYTES,
  ErrorCode,
  IndomioClient,
  IndomioError,
  IndomioLockedError,
  type PropertyInput,
} from '../src/index.js';
import { createIndomioHandlers, IndomioMockPortal } from '../src/msw/index.js';
import { minimalProperty } from './helpers.js';

const portal = new IndomioMockPortal({
  agencies: ['agency@example.com', { email: 'offline@example.com', id: '9', online: false }],
});
let server: HandlerServer;

beforeAll(async () => {
  server = await serveHandlers((url) => createIndomioHandlers({ portal, baseUrl: url }));
});
afterAll(() => server.close());
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  portal.reset();
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** A plain server on 127.0.0.1 that records what reaches it. */
async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    req.resume();
    req.on('end', () => handler(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const TRANSPORTS = [
  ['node:http', undefined],
  ['fetch', (input: string | URL | Request, init?: RequestInit) => globalThis.fetch(input, init)],
] as const;

function client(overrides: Partial<ConstructorParameters<typeof IndomioClient>[0]> = {}) {
  return new IndomioClient({
    username: 'user',
    password: 'secret',
    source: 'crm',
    baseUrl: server.url,
    allowInsecureHttp: true,
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    ...overrides,
  });
}

describe('properties.put', () => {
  it('writes a listing, returns the typed ServiceResponse and remembers its idListing', async () => {
    const idMap = new MemoryIdentifierMap();
    const result = await client({ idMap }).properties.put(minimalProperty('p-1'));
    const stored = portal.getListing('p-1');
    expect(stored).toBeDefined();
    expect(result.idListing).toBe(stored?.idListing);
    expect(result.response).toMatchObject({ result: true, errorCode: 0, lock: false, entityId: 'p-1' });
    expect(typeof result.response.requestId).toBe('string');
    expect(await idMap.get('indomio', 'listing', 'p-1')).toBe(String(stored?.idListing));
  });

  it('writes the listing of a private advertiser (user), whose e-mail identifies the account', async () => {
    const { agent: _agency, ...rest } = minimalProperty('u-1');
    const result = await client().properties.put({ ...rest, user: { email: 'agency@example.com', name: 'Mario' } });
    expect(result.response).toMatchObject({ result: true, realEstate: 'agency@example.com' });
    expect(portal.getListing('u-1')?.xml).toContain('<user><name><![CDATA[Mario]]></name>');
  });

  it('sends Basic credentials and X-IMMO-SOURCE: a wrong source is refused as an authentication error', async () => {
    await expect(client({ source: 'other' }).properties.put(minimalProperty())).rejects.toBeInstanceOf(
      AuthenticationError,
    );
    await expect(client({ password: 'nope' }).properties.put(minimalProperty())).rejects.toBeInstanceOf(
      AuthenticationError,
    );
    expect(portal.listings()).toHaveLength(0);
  });

  it('refuses an invalid listing before any call, naming the listing and the field', async () => {
    const bad = { ...minimalProperty('p-bad'), transactions: [{ type: 'S', price: 1, currency: 'USD' }] };
    const error = await client()
      .properties.put(bad as PropertyInput)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputValidationError);
    expect((error as InputValidationError).issues.map((i) => i.path)).toContain('transactions.0.currency');
    expect((error as Error).message).toContain('[p-bad]');
    expect(portal.requests).toHaveLength(0);
  });

  it('ignores a write whose date-updated is not newer, and applies a newer one', async () => {
    const c = client();
    await c.properties.put({ ...minimalProperty('p-2'), dateUpdated: '2024-05-01T10:00:00' });
    const same = await c.properties.put({
      ...minimalProperty('p-2'),
      dateUpdated: '2024-05-01T10:00:00',
      building: { typeId: 15 },
    });
    expect(same.response.result).toBe(true);
    expect(portal.getListing('p-2')).toMatchObject({ writes: 1, typeId: 14 });
    await c.properties.put({ ...minimalProperty('p-2'), dateUpdated: '2024-05-01T10:00:01', building: { typeId: 15 } });
    expect(portal.getListing('p-2')).toMatchObject({ writes: 2, typeId: 15 });
  });

  it.each([
    ['an unknown agency', { agent: { email: 'nobody@example.com' } }, ErrorCode.MISSING_RE],
    ['an offline agency', { agent: { email: 'offline@example.com' } }, ErrorCode.OFFLINE_RE],
    ['an unknown typology', { building: { typeId: 9999 } }, ErrorCode.UNRESOLVED_TYPOLOGY],
    [
      'a typology not allowed for the contract',
      { building: { typeId: 259 }, transactions: [{ type: 'S' as const, price: 5 }] },
      ErrorCode.UNRESOLVED_TYPOLOGY,
    ],
  ])('throws an IndomioError with the code for %s, without retrying', async (_name, patch, code) => {
    const error = await client()
      .properties.put({ ...minimalProperty('p-3'), ...patch })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IndomioError);
    const e = error as IndomioError;
    expect(e.code).toBe(code);
    expect(e.retryable).toBe(false);
    expect(typeof e.requestId).toBe('string');
    expect(e.itemId).toBe('p-3');
    expect(portal.requests).toHaveLength(1);
  });

  it('reports a locked listing distinctly, with lock=true and its idListing', async () => {
    const c = client();
    const first = await c.properties.put(minimalProperty('p-4'));
    portal.lock('p-4');
    const error = await c.properties
      .put({ ...minimalProperty('p-4'), dateUpdated: '2030-01-01T00:00:00Z' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IndomioLockedError);
    expect(error).toBeInstanceOf(IndomioError);
    expect(error).toMatchObject({ lock: true, status: 403, code: 403, idListing: first.idListing });
  });

  it('retries a dropped connection and a 5xx, then succeeds', async () => {
    portal.dropNext(1);
    portal.failNext(1, 503);
    const result = await client().properties.put(minimalProperty('p-5'));
    expect(result.response.result).toBe(true);
    expect(portal.requests.map((r) => r.status)).toEqual([503, 200]);
  });

  it('retries GENERIC_ERROR whether it comes with a 500 or a 200', async () => {
    portal.failNext(1, 500);
    portal.failNext(2, 200, ErrorCode.GENERIC_ERROR);
    const result = await client().properties.put(minimalProperty('p-6'));
    expect(result.response.result).toBe(true);
    expect(portal.requests.map((r) => [r.status, r.errorCode])).toEqual([
      [500, 500],
      [200, 500],
      [200, 500],
      [200, 0],
    ]);
  });

  it('gives up on GENERIC_ERROR after the attempt limit with a retryable IndomioError', async () => {
    portal.failNext(5, 200, ErrorCode.GENERIC_ERROR);
    const error = await client({ retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 } })
      .properties.put(minimalProperty('p-7'))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 500, codeName: 'GENERIC_ERROR', retryable: true });
    expect(portal.requests).toHaveLength(2);
  });

  it('fails with a network error when the connection keeps dropping', async () => {
    portal.dropNext(10);
    await expect(
      client({ retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 } }).properties.put(minimalProperty()),
    ).rejects.toBeInstanceOf(NetworkError);
  });

  it('addresses a listing by idListing in the URL when asked', async () => {
    const c = client();
    const { idListing } = await c.properties.put(minimalProperty('p-8'));
    const again = await c.properties.put(
      { ...minimalProperty('p-8'), dateUpdated: '2030-01-01T00:00:00Z' },
      { pathId: idListing },
    );
    expect(again.response.result).toBe(true);
    expect(portal.requests.at(-1)?.path).toBe(`/ws/import/immobiliare/property/${idListing}`);
    const mismatch = await c.properties
      .put({ ...minimalProperty('p-8'), dateUpdated: '2031-01-01T00:00:00Z' }, { pathId: 'other' })
      .catch((e: unknown) => e);
    expect(mismatch).toMatchObject({ code: ErrorCode.ID_MISMATCH });
  });
});

describe('properties.delete', () => {
  it('deletes by unique-id through the identifier map and forgets the mapping', async () => {
    const idMap = new MemoryIdentifierMap();
    const c = client({ idMap });
    const { idListing } = await c.properties.put(minimalProperty('d-1'));
    const result = await c.properties.delete('d-1');
    expect(result.idListing).toBe(String(idListing));
    expect(portal.requests.at(-1)).toMatchObject({
      method: 'DELETE',
      path: `/ws/import/immobiliare/property/${idListing}`,
    });
    expect(portal.getListing('d-1')).toBeUndefined();
    expect(await idMap.get('indomio', 'listing', 'd-1')).toBeUndefined();
  });

  it('refuses an unknown unique-id without a call', async () => {
    const error = await client()
      .properties.delete('never-written')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputValidationError);
    expect((error as Error).message).toContain('never-written');
    expect(portal.requests).toHaveLength(0);
  });

  it('deletes by idListing and reports NOT_FOUND for an unknown one', async () => {
    const c = client();
    const { idListing } = await c.properties.put(minimalProperty('d-2'));
    await c.properties.delete({ idListing: idListing ?? 0 });
    expect(portal.listings()).toHaveLength(0);
    await expect(c.properties.delete({ idListing: 1 })).rejects.toMatchObject({
      code: ErrorCode.NOT_FOUND,
      status: 404,
    });
  });
});

describe('properties.sync', () => {
  const listing = (id: string, price = 100_000) => {
    const { dateUpdated: _omit, ...rest } = minimalProperty(id);
    return { ...rest, transactions: [{ type: 'S' as const, price }] };
  };
  const syncState = () => new SyncState(new MemoryIdentifierMap(), 'indomio');

  it('sends only changed listings with a strictly newer date, and deletes the ones that disappeared', async () => {
    const c = client();
    const state = syncState();
    let clock = Date.parse('2024-06-01T00:00:00Z');
    const now = () => clock;
    const first = await c.properties.sync([listing('s-1'), listing('s-2')], { state, now, concurrency: 2 });
    expect(first).toMatchObject({ total: 2, created: 2, failed: 0 });
    expect(first.items.map((i) => i.action)).toEqual(['created', 'created']);
    expect(await state.portalId('s-1')).toBe(String(portal.getListing('s-1')?.idListing));

    // Same clock second: the changed listing must still get a newer date than the last one sent.
    const second = await c.properties.sync([listing('s-1'), listing('s-2', 99_000)], { state, now });
    expect(second.items.map((i) => i.action)).toEqual(['unchanged', 'updated']);
    expect(second).toMatchObject({ unchanged: 1, updated: 1 });
    expect(portal.getListing('s-2')?.writes).toBe(2);
    expect(portal.getListing('s-2')?.dateUpdated).toBe('2024-06-01T00:00:01Z');
    expect(await state.map.get('indomio', DATE_UPDATED_KIND, 's-2')).toBe('2024-06-01T00:00:01Z');

    clock += 60_000;
    const third = await c.properties.sync([listing('s-2', 99_000)], { state, now });
    expect(third.items).toHaveLength(2);
    expect(third.items[1]).toMatchObject({ key: 's-1', action: 'removed' });
    expect(third.removed).toBe(1);
    expect(portal.getListing('s-1')).toBeUndefined();
    expect([...(await state.fingerprints()).keys()].sort()).toEqual(['s-1', 's-2']);
    expect(await state.map.get('indomio', DATE_UPDATED_KIND, 's-1')).toBeUndefined();

    // Nothing left to remove a second time; removals can also be turned off.
    const fourth = await c.properties.sync([], { state, now, removeMissing: false });
    expect(fourth.items).toHaveLength(0);
    expect(portal.getListing('s-2')).toBeDefined();
  });

  it('keeps its dates across a restart, so a write after it is still newer than the last one', async () => {
    const { mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'indomio-sync-'));
    try {
      const file = join(dir, 'state.json');
      const now = () => Date.parse('2024-06-01T00:00:00Z');
      const before = await JsonFileIdentifierMap.open(file);
      await client({ idMap: before }).properties.sync([listing('r-1')], {
        state: new SyncState(before, 'indomio'),
        now,
      });
      await before.close();

      const after = await JsonFileIdentifierMap.open(file);
      const report = await client({ idMap: after }).properties.sync([listing('r-1', 120_000)], {
        state: new SyncState(after, 'indomio'),
        now,
      });
      await after.close();
      expect(report.items[0]).toMatchObject({ action: 'updated' });
      expect(portal.getListing('r-1')?.dateUpdated).toBe('2024-06-01T00:00:01Z');
      expect(portal.getListing('r-1')?.writes).toBe(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('counts a listing already gone from the portal as deleted', async () => {
    const c = client();
    const state = syncState();
    await c.properties.sync([listing('g-1')], { state });
    portal.reset();
    const report = await c.properties.sync([], { state });
    expect(report.items).toHaveLength(1);
    expect(report.items[0]).toMatchObject({ key: 'g-1', action: 'removed' });
    expect(await state.fingerprintOf('g-1')).toBe(REMOVED);
  });

  it('reports a failing listing and goes on with the others', async () => {
    const state = syncState();
    const report = await client().properties.sync(
      [listing('f-1'), { ...listing('f-2'), building: { typeId: 9999 } }, listing('f-1')],
      { state },
    );
    expect(report.items.map((i) => i.action)).toEqual(['created', 'failed', 'failed']);
    expect(report.items[1]?.error).toBeInstanceOf(IndomioError);
    expect(report.items[2]).toMatchObject({
      reason: 'id: given twice in one sync',
      error: { portal: 'indomio', operation: 'properties.sync', itemId: 'f-1' },
    });
    expect(await state.fingerprintOf('f-2')).toBeUndefined();
  });

  it('keeps a unique-id named __proto__ as an ordinary key', async () => {
    const state = syncState();
    const report = await client().properties.sync([listing('__proto__')], { state });
    expect(report.created).toBe(1);
    expect(await state.portalId('__proto__')).toBe(String(portal.getListing('__proto__')?.idListing));
    expect(await state.fingerprintOf('__proto__')).toMatch(/^[0-9a-f]{16,}$/);
  });
});

describe('responses', () => {
  it('turns a 2xx body that is not a ServiceResponse into an UnexpectedResponseError', async () => {
    const c = client({ fetch: async () => new Response('<html>maintenance</html>', { status: 200 }) });
    await expect(c.properties.put(minimalProperty())).rejects.toBeInstanceOf(UnexpectedResponseError);
  });
});

describe.each(TRANSPORTS)('redirects and response size (%s)', (_transport, fetchImpl) => {
  it('never follows a redirect of a write: credentials, X-IMMO-SOURCE and the XML stay with the portal', async () => {
    const elsewhere = await serve((_req, res) => res.writeHead(200).end());
    const api = await serve((_req, res) => res.writeHead(307, { location: `${elsewhere.url}/collect` }).end());
    const error = await client({ baseUrl: api.url, fetch: fetchImpl })
      .properties.put(minimalProperty())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedirectError);
    expect(error).toMatchObject({ status: 307, location: elsewhere.url, retryable: false });
    expect(api.seen).toHaveLength(1);
    expect(elsewhere.seen).toEqual([]);
  });

  it('refuses an answer over 1 MiB by default, before reading it, and honours maxResponseBytes', async () => {
    expect(DEFAULT_MAX_RESPONSE_BYTES).toBe(1024 * 1024);
    const api = await serve((_req, res) =>
      res.writeHead(200, { 'content-length': String(DEFAULT_MAX_RESPONSE_BYTES + 1) }).end(),
    );
    const error = await client({ baseUrl: api.url, fetch: fetchImpl })
      .properties.put(minimalProperty())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect((error as Error).message).toContain('over the limit of 1,048,576 bytes (maxResponseBytes)');
    const small = await client({ fetch: fetchImpl, maxResponseBytes: 50 })
      .properties.put(minimalProperty())
      .catch((e: unknown) => e);
    expect((small as Error).message).toContain('over the limit of 50 bytes (maxResponseBytes)');
  });
});
