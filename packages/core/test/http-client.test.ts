import { afterEach, describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  apiKeyAuth,
  basicAuth,
  bearerAuth,
  HttpClient,
  type HttpClientOptions,
  type HttpEvents,
  InputValidationError,
  NetworkError,
  NotFoundError,
  path,
  RateLimitError,
  ServerError,
  SyncError,
  TimeoutError,
  UnexpectedResponseError,
  ValidationError,
} from '../src/index.js';
import { json, startServer, type TestServer } from './support/server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function baseClient(url: string, options: Partial<HttpClientOptions> = {}): HttpClient {
  return new HttpClient({
    portal: 'test',
    baseUrl: `${url}/api/v1`,
    allowInsecureHttp: true,
    userAgent: '@sync/test/1.2.3',
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
    ...options,
  });
}

function collect<K extends keyof HttpEvents>(http: HttpClient, name: K): HttpEvents[K][] {
  const seen: HttpEvents[K][] = [];
  http.on(name, (e) => seen.push(e));
  return seen;
}

// Every network behaviour holds on both ways out: node:http (the default) and an injected fetch.
const TRANSPORTS: Array<[string, typeof globalThis.fetch | undefined]> = [
  ['node:http', undefined],
  ['fetch', (input, init) => globalThis.fetch(input, init)],
];

describe.each(TRANSPORTS)('HttpClient over a real HTTP server (%s)', (_transport, fetchImpl) => {
  const client = (url: string, options: Partial<HttpClientOptions> = {}) =>
    baseClient(url, { fetch: fetchImpl, ...options });

  it('sends JSON to the path below the base URL with the user agent and query', async () => {
    server = await startServer((req, res) => json(res, 200, { echo: JSON.parse(req.body) }));
    const http = client(server.url);
    const res = await http.request<{ echo: unknown }>({
      method: 'POST',
      path: '/listings',
      query: { page: 2, skip: undefined },
      json: { a: 1 },
      operation: 'listings.create',
    });
    expect(res.data.echo).toEqual({ a: 1 });
    expect(res.attempts).toBe(1);
    expect(server.requests[0]?.url).toBe('/api/v1/listings?page=2');
    expect(server.requests[0]?.headers['user-agent']).toBe('@sync/test/1.2.3');
    expect(server.requests[0]?.headers['content-type']).toContain('application/json');
  });

  it('sends a query string exactly as given', async () => {
    server = await startServer((req, res) => json(res, 200, { url: req.url }));
    const res = await client(server.url).request<{ url: string }>({
      method: 'GET',
      path: '/properties',
      query: 'filters[state]=approved&sort=-price&page=2',
      operation: 'properties.list',
    });
    expect(res.data.url).toBe('/api/v1/properties?filters[state]=approved&sort=-price&page=2');
  });

  it('retries a 429 after the Retry-After the server asked for', async () => {
    server = await startServer((_req, res, n) =>
      n === 1 ? json(res, 429, { message: 'slow down' }, { 'retry-after': '1' }) : json(res, 200, { ok: true }),
    );
    const http = client(server.url);
    const retries = collect(http, 'retry');
    const limited = collect(http, 'rateLimited');
    const started = performance.now();
    const res = await http.request({ method: 'GET', path: '/agency', operation: 'agency.get' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(res.attempts).toBe(2);
    expect(server.requests).toHaveLength(2);
    expect(retries).toMatchObject([{ attempt: 2, reason: '429', delayMs: 1000 }]);
    expect(limited).toMatchObject([{ source: 'server', waitMs: 1000 }]);
  });

  it('caps a long Retry-After at maxRetryAfterMs', async () => {
    server = await startServer((_req, res, n) =>
      n === 1 ? json(res, 503, {}, { 'retry-after': '3600' }) : json(res, 200, {}),
    );
    const http = client(server.url, { retry: { baseDelayMs: 5, maxRetryAfterMs: 50 } });
    const retries = collect(http, 'retry');
    await http.request({ method: 'GET', path: '/x', operation: 'x' });
    expect(retries[0]?.delayMs).toBe(50);
  });

  it('waits for X-RateLimit-Reset only on a 429, not on a 5xx that carries it', async () => {
    server = await startServer((_req, res, n) =>
      n === 1
        ? json(res, 500, {}, { 'x-ratelimit-limit': '300', 'x-ratelimit-remaining': '250', 'x-ratelimit-reset': '60' })
        : n === 2
          ? json(res, 429, {}, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '0.05' })
          : json(res, 200, {}),
    );
    const http = client(server.url);
    const retries = collect(http, 'retry');
    await http.request({ method: 'GET', path: '/x', operation: 'x' });
    expect(retries[0]?.delayMs).toBeLessThan(60);
    expect(retries[1]?.delayMs).toBe(50);
  });

  it('retries a 2xx that checkResponse reports as a transient failure, for idempotent calls only', async () => {
    server = await startServer((_req, res, n) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(n === 3 ? 'DONE' : 'BUSY');
    });
    const http = client(server.url, {
      checkResponse: ({ text }) =>
        text === 'BUSY' ? { error: new SyncError('portal busy'), retryable: true } : undefined,
    });
    const res = await http.request<string>({
      method: 'PUT',
      path: '/x',
      body: 'a',
      operation: 'x',
      responseType: 'text',
    });
    expect(res.data).toBe('DONE');
    expect(res.attempts).toBe(3);
    const error = await http
      .request({ method: 'POST', path: '/x', body: 'a', operation: 'x' })
      .catch((e: unknown) => e);
    expect((error as Error).message).toContain('portal busy');
    expect(server.requests).toHaveLength(4);
  });

  it('gives up on a GET after maxAttempts and throws ServerError with the status', async () => {
    server = await startServer((_req, res) => json(res, 503, { message: 'maintenance' }));
    const http = client(server.url, { retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 } });
    const error = await http.request({ method: 'GET', path: '/x', operation: 'x.get' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ status: 503, serverMessage: 'maintenance', retryable: true, method: 'GET' });
    expect(server.requests).toHaveLength(3);
  });

  it('never retries a POST that is not declared idempotent', async () => {
    server = await startServer((_req, res) => json(res, 503, {}));
    const http = client(server.url);
    await expect(http.request({ method: 'POST', path: '/x', json: {}, operation: 'x.create' })).rejects.toBeInstanceOf(
      ServerError,
    );
    expect(server.requests).toHaveLength(1);
  });

  it('repeats even a POST after a 429, which the server refused before processing it', async () => {
    server = await startServer((_req, res, n) =>
      n === 1 ? json(res, 429, {}, { 'retry-after': '0' }) : json(res, 201, { id: 7 }),
    );
    const res = await client(server.url).request({ method: 'POST', path: '/x', json: {}, operation: 'x.create' });
    expect(res.status).toBe(201);
    expect(server.requests).toHaveLength(2);
  });

  it('retries a POST declared idempotent, resending the same body', async () => {
    server = await startServer((_req, res, n) => (n < 3 ? json(res, 500, {}) : json(res, 200, { done: true })));
    const http = client(server.url);
    const res = await http.request({
      method: 'POST',
      path: '/bulk',
      json: { k: 'v' },
      idempotent: true,
      operation: 'bulk',
    });
    expect(res.data).toEqual({ done: true });
    expect(server.requests.map((r) => r.body)).toEqual(['{"k":"v"}', '{"k":"v"}', '{"k":"v"}']);
  });

  it('does not retry a 4xx other than 408 and 429', async () => {
    server = await startServer((_req, res) => json(res, 404, { message: 'no such listing' }));
    const http = client(server.url);
    const error = await http
      .request({ method: 'GET', path: path`/listings/${'L-1'}`, operation: 'listings.get', itemId: 'L-1' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as Error).message).toContain('test listings.get [L-1]');
    expect((error as Error).message).toContain('no such listing');
    expect(server.requests).toHaveLength(1);
  });

  it('retries a connection reset in the middle of the response body', async () => {
    server = await startServer((_req, res, n) => {
      if (n === 1) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
        res.write('{"partial":');
        setTimeout(() => res.socket?.destroy(), 10);
        return;
      }
      json(res, 200, { whole: true });
    });
    const http = client(server.url);
    const res = await http.request({ method: 'GET', path: '/x', operation: 'x' });
    expect(res.data).toEqual({ whole: true });
    expect(res.attempts).toBe(2);
  });

  it('throws NetworkError when every attempt is reset', async () => {
    server = await startServer((req) => {
      req.socket.destroy();
    });
    const http = client(server.url, { retry: { maxAttempts: 2, baseDelayMs: 1 } });
    const error = await http.request({ method: 'GET', path: '/x', operation: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toBeInstanceOf(SyncError);
    expect(server.requests).toHaveLength(2);
  });

  it('ends an attempt whose response never finishes, and the deadline ends the call', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{');
    });
    const http = client(server.url, { timeoutMs: 150, deadlineMs: 600, retry: { baseDelayMs: 1, maxDelayMs: 5 } });
    const started = performance.now();
    const error = await http.request({ method: 'GET', path: '/x', operation: 'x' }).catch((e: unknown) => e);
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(elapsed).toBeLessThan(1500);
    expect(server.requests.length).toBeGreaterThanOrEqual(2);
  });

  it('reports a 200 with malformed JSON as UnexpectedResponseError without retrying', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"items": [1, 2');
    });
    const http = client(server.url);
    const error = await http.request({ method: 'GET', path: '/x', operation: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect(error).toMatchObject({ status: 200, body: '{"items": [1, 2' });
    expect(server.requests).toHaveLength(1);
  });

  it('drops __proto__ keys from parsed JSON', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"a":{"__proto__":{"polluted":true}},"b":1}');
    });
    const res = await client(server.url).request<{ a: object; b: number }>({
      method: 'GET',
      path: '/x',
      operation: 'x',
    });
    expect(res.data.b).toBe(1);
    expect(Object.getPrototypeOf(res.data.a)).toBe(Object.prototype);
    expect((res.data.a as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('ends a call promptly when its signal aborts', async () => {
    server = await startServer(() => {
      // never answers
    });
    const http = client(server.url);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    const error = await http
      .request({ method: 'GET', path: '/x', operation: 'x', signal: controller.signal })
      .catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
    expect(performance.now() - started).toBeLessThan(600);
  });

  it('ends a call promptly when its signal aborts during a Retry-After wait', async () => {
    server = await startServer((_req, res) => json(res, 429, {}, { 'retry-after': '30' }));
    const http = client(server.url);
    const signal = AbortSignal.timeout(200);
    const started = performance.now();
    await expect(http.request({ method: 'GET', path: '/x', operation: 'x', signal })).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(server.requests).toHaveLength(1);
  });

  it('stops a retry storm once the retry budget is spent', async () => {
    server = await startServer((_req, res) => json(res, 503, {}));
    const http = client(server.url, {
      retry: {
        maxAttempts: 10,
        baseDelayMs: 1,
        maxDelayMs: 2,
        budget: { capacity: 10, retryCost: 5, timeoutCost: 10, successRefund: 1 },
      },
    });
    const errors: unknown[] = [];
    for (let i = 0; i < 5; i++) {
      errors.push(await http.request({ method: 'GET', path: '/x', operation: 'x' }).catch((e: unknown) => e));
    }
    // Two retries were paid for; every other call failed after its first attempt.
    expect(server.requests).toHaveLength(5 + 2);
    expect(errors.every((e) => e instanceof ServerError)).toBe(true);
    expect((errors[4] as Error).message).toContain('retry budget exhausted');
    expect(http.retryBudget?.available).toBe(0);
  });

  it('maps statuses to error classes and keeps the server message and request id', async () => {
    server = await startServer((_req, res) =>
      json(
        res,
        422,
        { statusCode: 422, message: ['price must be positive', 'title too short'] },
        { 'x-request-id': 'req-42' },
      ),
    );
    const error = await client(server.url)
      .request({ method: 'PUT', path: '/x', json: {}, operation: 'x.put' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({
      status: 422,
      requestId: 'req-42',
      serverMessage: 'price must be positive; title too short',
      retryable: false,
    });
    expect((error as ValidationError).body).toMatchObject({ statusCode: 422 });
  });

  it('returns a status the call accepts with its whole body instead of throwing', async () => {
    const results = Array.from({ length: 100 }, (_, i) => ({
      externalId: `L-${i}`,
      success: false,
      error: { message: 'x'.repeat(50) },
    }));
    server = await startServer((_req, res) => json(res, 422, { message: 'All bulk operations failed', results }));
    const res = await client(server.url).request<{ results: unknown[] }>({
      method: 'POST',
      path: '/bulk',
      json: {},
      operation: 'bulk',
      okStatuses: [422],
    });
    expect(res.status).toBe(422);
    expect(res.data.results).toHaveLength(100);
  });

  it('exposes retryAfterMs on a RateLimitError once retries are exhausted', async () => {
    server = await startServer((_req, res) => json(res, 429, {}, { 'retry-after': '0' }));
    const error = await client(server.url, { retry: { maxAttempts: 2 } })
      .request({ method: 'GET', path: '/x', operation: 'x' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(0);
  });

  it('emits request, response and retry events with elapsed times', async () => {
    server = await startServer((_req, res, n) => (n === 1 ? json(res, 502, {}) : json(res, 200, {})));
    const http = client(server.url, { auth: apiKeyAuth({ key: 'key-123456', header: 'X-API-Key' }) });
    const requests = collect(http, 'request');
    const responses = collect(http, 'response');
    const retries = collect(http, 'retry');
    await http.request({ method: 'GET', path: '/x', operation: 'x.get', itemId: 'A' });
    expect(requests.map((e) => e.attempt)).toEqual([1, 2]);
    expect(responses.map((e) => e.status)).toEqual([502, 200]);
    expect(retries).toHaveLength(1);
    expect(requests[0]).toMatchObject({ portal: 'test', operation: 'x.get', itemId: 'A', method: 'GET' });
    expect(requests[0]?.headers['x-api-key']).toBe('[REDACTED]');
    expect(responses[1]?.elapsedMs).toBeGreaterThanOrEqual(responses[0]?.elapsedMs ?? 0);
    expect(responses[0]?.durationMs).toBeGreaterThan(0);
  });

  it('a throwing listener does not break the call', async () => {
    server = await startServer((_req, res) => json(res, 200, { ok: 1 }));
    const http = client(server.url);
    http.on('request', () => {
      throw new Error('listener bug');
    });
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    const res = await http.request({ method: 'GET', path: '/x', operation: 'x' });
    await new Promise((r) => setImmediate(r));
    process.off('warning', onWarning);
    expect(res.data).toEqual({ ok: 1 });
    expect(warnings.some((w) => w.includes('listener bug'))).toBe(true);
  });
});

describe('authentication', () => {
  const client = baseClient;
  it('sends an API key header and Basic credentials', async () => {
    server = await startServer((req, res) =>
      json(res, 200, { key: req.headers['x-api-key'], auth: req.headers.authorization }),
    );
    const a = await client(server.url, { auth: apiKeyAuth({ key: 'k-1', header: 'X-API-Key' }) }).request<{
      key: string;
    }>({
      method: 'GET',
      path: '/',
      operation: 'x',
    });
    expect(a.data.key).toBe('k-1');
    const b = await client(server.url, { auth: basicAuth({ username: 'u', password: 'p' }) }).request<{ auth: string }>(
      {
        method: 'GET',
        path: '/',
        operation: 'x',
      },
    );
    expect(b.data.auth).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
  });

  it('fetches one token for many concurrent calls and reuses it', async () => {
    server = await startServer((req, res) => json(res, 200, { auth: req.headers.authorization }));
    let calls = 0;
    const http = client(server.url, {
      auth: bearerAuth(async () => {
        calls++;
        await new Promise((r) => setTimeout(r, 30));
        return { token: `tok-${calls}`, expiresIn: 3600 };
      }),
    });
    const results = await Promise.all(
      Array.from({ length: 10 }, () => http.request<{ auth: string }>({ method: 'GET', path: '/', operation: 'x' })),
    );
    expect(calls).toBe(1);
    expect(new Set(results.map((r) => r.data.auth))).toEqual(new Set(['Bearer tok-1']));
    await http.request({ method: 'GET', path: '/', operation: 'x' });
    expect(calls).toBe(1);
  });

  it('renews the token after a 401 and repeats the call once, even a POST', async () => {
    server = await startServer((req, res) =>
      req.headers.authorization === 'Bearer tok-2'
        ? json(res, 201, { ok: true })
        : json(res, 401, { message: 'expired' }),
    );
    let calls = 0;
    const http = client(server.url, { auth: bearerAuth(async () => ({ token: `tok-${++calls}`, expiresIn: 3600 })) });
    const res = await http.request({ method: 'POST', path: '/x', json: {}, operation: 'x.create' });
    expect(res.status).toBe(201);
    expect(calls).toBe(2);
    expect(server.requests).toHaveLength(2);
  });

  it('does not loop when the renewed token is refused too', async () => {
    server = await startServer((_req, res) => json(res, 401, { message: 'Invalid API key' }));
    let calls = 0;
    const http = client(server.url, { auth: bearerAuth(async () => ({ token: `tok-${++calls}`, expiresIn: 3600 })) });
    const error = await http.request({ method: 'GET', path: '/x', operation: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).serverMessage).toBe('Invalid API key');
    expect(calls).toBe(2);
    expect(server.requests).toHaveLength(2);
  });

  it('renews a token shortly before it expires', async () => {
    let now = 0;
    let calls = 0;
    const auth = bearerAuth(async () => ({ token: `t${++calls}`, expiresIn: 600 }), {
      refreshMarginMs: 60_000,
      now: () => now,
    });
    const headers: Record<string, string> = {};
    await auth.apply(headers);
    now = 530_000;
    await auth.apply(headers);
    expect(headers.authorization).toBe('Bearer t1');
    now = 541_000;
    await auth.apply(headers);
    expect(headers.authorization).toBe('Bearer t2');
  });
});

describe('configuration', () => {
  const client = baseClient;
  it('refuses a plain http base URL unless explicitly allowed', () => {
    expect(() => new HttpClient({ portal: 'p', baseUrl: 'http://example.com', userAgent: 'x' })).toThrow(/https/);
    expect(
      () => new HttpClient({ portal: 'p', baseUrl: 'http://127.0.0.1:1', userAgent: 'x', allowInsecureHttp: true }),
    ).not.toThrow();
  });

  it('path`` encodes ids as single segments', () => {
    expect(path`/listings/${'a/b?c#d e'}/media`).toBe('/listings/a%2Fb%3Fc%23d%20e/media');
  });

  it('refuses a path an id would change (empty, ".", ".."), naming the item, before any request', async () => {
    server = await startServer((_req, res) => json(res, 200, {}));
    const http = client(server.url);
    for (const id of ['..', '.', '', '%2e%2E']) {
      const error = await http
        .request({ method: 'GET', path: `/listings/${id}/media`, operation: 'listings.get', itemId: id })
        .catch((e: unknown) => e);
      expect(error, id).toBeInstanceOf(InputValidationError);
      expect((error as InputValidationError).itemId).toBe(id);
      expect((error as Error).message).toContain('test listings.get');
    }
    await expect(http.request({ method: 'GET', path: path`/listings/${'..'}`, operation: 'x' })).rejects.toBeInstanceOf(
      InputValidationError,
    );
    expect(server.requests).toHaveLength(0);
  });
});
