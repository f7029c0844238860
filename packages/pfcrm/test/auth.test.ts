import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AuthenticationError,
  PermissionError,
  REDACTED,
  RedirectError,
  TimeoutError,
  UnexpectedResponseError,
} from '@sync/core';
import { DEFAULT_MAX_RESPONSE_BYTES, PfCrmClient } from '@sync/pfcrm';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, saleInput, startHarness } from './support.js';

let h: Harness | undefined;
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await h?.close();
  h = undefined;
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

/** A server answering every request with `status` and a Location on `to`. */
function redirecting(status: number, to: string) {
  return serve((_req, res) => res.writeHead(status, { location: `${to}/steal` }).end());
}

const TRANSPORTS = [
  ['node:http', undefined],
  ['fetch', (input: string | URL | Request, init?: RequestInit) => globalThis.fetch(input, init)],
] as const;

describe('OAuth2 client credentials', () => {
  it('fetches one token with Basic credentials and reuses it for later calls', async () => {
    h = await startHarness();
    const tokenCalls: Array<{ auth: string | null; body: unknown }> = [];
    const client = h.makeClient({
      fetch: async (input, init) => {
        const request = new Request(input as Request, init);
        if (request.url.endsWith('/auth/oauth/v1/token')) {
          tokenCalls.push({ auth: request.headers.get('authorization'), body: await request.clone().json() });
        }
        return fetch(request);
      },
    });
    await client.users.list();
    await client.users.get(1);
    await client.properties.options();
    expect(tokenCalls).toHaveLength(1);
    expect(tokenCalls[0]?.auth).toBe(`Basic ${Buffer.from('test-key:test-secret').toString('base64')}`);
    expect(tokenCalls[0]?.body).toEqual({ scope: 'openid', grant_type: 'client_credentials' });
  });

  it('asks the token of the host its baseUrl names when tokenUrl is not given', async () => {
    h = await startHarness();
    const tokenHosts: string[] = [];
    const client = new PfCrmClient({
      apiKey: 'test-key',
      apiSecret: 'test-secret',
      baseUrl: h.server.url,
      allowInsecureHttp: true,
      fetch: async (input, init) => {
        const request = new Request(input as Request, init);
        if (request.url.includes('/oauth/')) tokenHosts.push(new URL(request.url).origin);
        return fetch(request);
      },
    });
    await client.users.list();
    expect(tokenHosts).toEqual([new URL(h.server.url).origin]);
    expect(h.portal.tokenRequests).toBe(1);
  });

  it('asks for a single token however many calls start at once', async () => {
    h = await startHarness();
    await Promise.all(Array.from({ length: 10 }, (_, i) => h?.client.users.get((i % 2) + 1)));
    expect(h.portal.tokenRequests).toBe(1);
  });

  it('renews the token shortly before expires_in runs out', async () => {
    let now = 1_000_000;
    h = await startHarness({ tokenLifetimeSeconds: 1800, now: () => now });
    const client = h.makeClient({ now: () => now });
    await client.users.list();
    now += 1750 * 1000; // past 30 min minus the 60 s margin, but before the server would refuse the token
    await client.users.list();
    expect(h.portal.tokenRequests).toBe(2);
    now += 60 * 1000; // still well inside the new token's life
    await client.users.list();
    expect(h.portal.tokenRequests).toBe(2);
  });

  it('after a 401 gets a new token and repeats the call once', async () => {
    h = await startHarness();
    await h.client.users.list();
    h.portal.revokeTokens();
    const page = await h.client.users.list();
    expect(page.items.length).toBeGreaterThan(0);
    expect(h.portal.tokenRequests).toBe(2);
    expect(h.portal.requests.filter((r) => r.path === '/users')).toHaveLength(3);
  });

  it('repeats even a create after a 401, since the server did not process it', async () => {
    h = await startHarness();
    await h.client.users.list();
    h.portal.revokeTokens();
    await h.client.properties.email({
      properties: [h.portal.addProperty().id],
      to: ['a@example.com'],
      subject: 'Hi',
      body: 'Look',
      copy: false,
      language: 'en',
    });
    expect(h.portal.emails).toHaveLength(1);
  });

  it('fails with an AuthenticationError for bad credentials, without asking twice or leaking the secret', async () => {
    h = await startHarness();
    const client = h.makeClient({ apiSecret: 'wrong-secret-value' });
    const error = await client.users.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).status).toBe(401);
    expect((error as AuthenticationError).operation).toBe('auth.token');
    expect(JSON.stringify(error)).not.toContain('wrong-secret-value');
    expect(String((error as Error).message)).not.toContain('wrong-secret-value');
    expect(h.portal.tokenRequests).toBe(1);
    expect(h.portal.requests).toHaveLength(0);
  });

  it('maps a missing right to PermissionError (403)', async () => {
    h = await startHarness({
      clients: [{ apiKey: 'reader', apiSecret: 'reader-secret', rights: ['property.read'] }],
    });
    const client = h.makeClient({ apiKey: 'reader', apiSecret: 'reader-secret' });
    h.portal.addProperty();
    await expect(client.properties.list()).resolves.toBeDefined();
    const error = await client.properties
      .bulk([{ op: 'replace', path: '/1/state', value: { state: 'approved' } }])
      .then((r) => r.items[0]?.status === 'failed' && r.items[0].error);
    expect(error).toBeInstanceOf(PermissionError);
    expect((error as PermissionError).serverMessage).toMatch(/property\.update|property\.approve/);
    await expect(client.properties.delete(1)).rejects.toBeInstanceOf(PermissionError);
  });

  it('keeps the secret and the tokens out of events', async () => {
    h = await startHarness();
    const seen: string[] = [];
    h.client.on('request', (e) => seen.push(JSON.stringify(e)));
    h.client.on('response', (e) => seen.push(JSON.stringify(e)));
    await h.client.users.list();
    const text = seen.join('\n');
    expect(text).toContain(REDACTED);
    expect(text).not.toContain('test-secret');
    expect(text).not.toMatch(/mock-token-/);
  });

  it('uses a given access token as is', async () => {
    h = await startHarness();
    const token = h.portal.issueToken(`Basic ${Buffer.from('test-key:test-secret').toString('base64')}`, {
      grant_type: 'client_credentials',
    }).access_token;
    const client = new PfCrmClient({ accessToken: token, baseUrl: h.server.url, allowInsecureHttp: true });
    await expect(client.users.get(2)).resolves.toMatchObject({ id: 2 });
    expect(h.portal.tokenRequests).toBe(1);
  });

  it('ends a call at its deadline while the token endpoint stalls, and abandons the token request', async () => {
    let tokenRequests = 0;
    let apiRequests = 0;
    let tokenSocketClosed!: () => void;
    const closed = new Promise<void>((resolve) => {
      tokenSocketClosed = resolve;
    });
    // The token endpoint takes the request and never answers; the test waits for the client to hang up.
    const server = createServer((req, res) => {
      if (req.url === '/token') {
        tokenRequests++;
        req.socket.once('close', tokenSocketClosed);
        return;
      }
      apiRequests++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"users":[]}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const client = new PfCrmClient({
        apiKey: 'k',
        apiSecret: 's',
        baseUrl: url,
        tokenUrl: `${url}/token`,
        allowInsecureHttp: true,
        timeoutMs: 60_000,
        deadlineMs: 200,
      });
      const error = await client.users.list().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TimeoutError);
      expect((error as TimeoutError).message).toMatch(
        /^pfcrm users\.list: the call's deadline of 200 ms passed while obtaining credentials/,
      );
      await closed;
      expect(tokenRequests).toBe(1);
      expect(apiRequests).toBe(0);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('refuses a plain-http base URL unless allowed', () => {
    expect(() => new PfCrmClient({ accessToken: 'x', baseUrl: 'http://127.0.0.1:1' })).toThrow(/https/);
  });
});

describe.each(TRANSPORTS)('no request follows a redirect (%s)', (_transport, fetchImpl) => {
  it('the token request: the credentials never reach the other origin', async () => {
    const elsewhere = await serve((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token":"other","expires_in":60}'),
    );
    const token = await redirecting(307, elsewhere.url);
    h = await startHarness();
    const client = h.makeClient({ tokenUrl: `${token.url}/auth/oauth/v1/token`, fetch: fetchImpl });
    const error = await client.users.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedirectError);
    expect(error).toMatchObject({ status: 307, operation: 'auth.token', location: elsewhere.url });
    expect(JSON.stringify(error)).not.toContain('test-secret');
    expect(token.seen).toEqual(['POST /auth/oauth/v1/token']);
    expect(elsewhere.seen).toEqual([]);
    expect(h.portal.requests).toHaveLength(0);
  });

  it('a create: its body and token never reach the other origin', async () => {
    const elsewhere = await serve((_req, res) => res.writeHead(201).end('{"id":1}'));
    const api = await redirecting(308, elsewhere.url);
    h = await startHarness();
    const client = h.makeClient({ baseUrl: api.url, fetch: fetchImpl });
    const error = await client.properties.create(saleInput()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedirectError);
    expect(error).toMatchObject({ status: 308, operation: 'properties.create' });
    expect(api.seen).toEqual(['POST /properties']);
    expect(elsewhere.seen).toEqual([]);
  });
});

describe('response size', () => {
  it(`refuses an answer over ${DEFAULT_MAX_RESPONSE_BYTES} bytes by default, before reading it`, async () => {
    expect(DEFAULT_MAX_RESPONSE_BYTES).toBe(16 * 1024 * 1024);
    const api = await serve((_req, res) =>
      res.writeHead(200, { 'content-length': String(DEFAULT_MAX_RESPONSE_BYTES + 1) }).end(),
    );
    h = await startHarness();
    const error = await h
      .makeClient({ baseUrl: api.url })
      .users.list()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect((error as Error).message).toContain('over the limit of 16,777,216 bytes (maxResponseBytes)');
    expect(api.seen).toEqual(['GET /users']);
  });
});
