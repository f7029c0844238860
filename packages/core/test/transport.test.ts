import type { ServerResponse } from 'node:http';
import type { Transform } from 'node:stream';
import { brotliCompressSync, constants, createBrotliCompress, createGzip, deflateSync, gzipSync } from 'node:zlib';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  apiKeyAuth,
  DEFAULT_MAX_RESPONSE_BYTES,
  HttpClient,
  type HttpClientOptions,
  HttpError,
  NetworkError,
  RedirectError,
  TimeoutError,
  UnexpectedResponseError,
} from '../src/index.js';
import { json, startServer, type TestServer } from './support/server.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(handler: Parameters<typeof startServer>[0]): Promise<TestServer> {
  const server = await startServer(handler);
  servers.push(server);
  return server;
}

function client(
  url: string,
  fetchImpl?: typeof globalThis.fetch,
  options: Partial<HttpClientOptions> = {},
): HttpClient {
  return new HttpClient({
    portal: 'test',
    baseUrl: url,
    allowInsecureHttp: true,
    userAgent: '@sync/test/1.0.0',
    retry: { baseDelayMs: 1, maxDelayMs: 2 },
    fetch: fetchImpl,
    ...options,
  });
}

// Both ways out: node:http (the default) and an injected fetch.
const TRANSPORTS: Array<[string, typeof globalThis.fetch | undefined]> = [
  ['node:http', undefined],
  ['fetch', (input, init) => globalThis.fetch(input, init)],
];

describe('the default node:http transport', () => {
  it.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
  ] as const)('asks for compression and decodes a %s body', async (encoding, compress) => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': encoding });
      res.end(compress(Buffer.from(JSON.stringify({ encoded: encoding, text: 'è'.repeat(2000) }))));
    });
    const res = await client(server.url).request<{ encoded: string; text: string }>({
      method: 'GET',
      path: '/x',
      operation: 'x',
    });
    expect(res.data).toEqual({ encoded: encoding, text: 'è'.repeat(2000) });
    expect(server.requests[0]?.headers['accept-encoding']).toContain(encoding);
  });

  it('reports a body that does not decompress as a network failure', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end('not gzip at all');
    });
    const error = await client(server.url)
      .request({ method: 'POST', path: '/x', operation: 'x' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
  });

  it('sends the body of a DELETE with its length, so the server reads it', async () => {
    const server = await serve((req, res) => json(res, 200, { got: JSON.parse(req.body) }));
    const res = await client(server.url).request<{ got: unknown }>({
      method: 'DELETE',
      path: '/items',
      json: { ids: [1, 2, 3], note: 'ünïcode' },
      operation: 'items.delete',
    });
    expect(res.data.got).toEqual({ ids: [1, 2, 3], note: 'ünïcode' });
    expect(server.requests[0]?.headers['content-length']).toBe(
      String(Buffer.byteLength(JSON.stringify({ ids: [1, 2, 3], note: 'ünïcode' }))),
    );
  });

  it('sends form data as multipart with the boundary in its content type', async () => {
    const server = await serve((_req, res) => json(res, 200, {}));
    const form = new FormData();
    form.set('title', 'Casa');
    form.set('file', new Blob(['%PDF-1.7 bytes'], { type: 'application/pdf' }), 'plan.pdf');
    await client(server.url).request({ method: 'POST', path: '/upload', body: form, operation: 'upload' });
    const seen = server.requests[0];
    const boundary = /boundary=(.+)$/.exec(seen?.headers['content-type'] ?? '')?.[1];
    expect(boundary).toBeDefined();
    expect(seen?.body).toContain(`--${boundary}`);
    expect(seen?.body).toContain('name="title"\r\n\r\nCasa');
    expect(seen?.body).toContain('filename="plan.pdf"');
    expect(seen?.body).toContain('%PDF-1.7 bytes');
  });

  it('streams a ReadableStream body in chunks', async () => {
    const server = await serve((req, res) => json(res, 200, { length: req.body.length }));
    const parts = ['<feed>', '<a/>'.repeat(1000), '</feed>'];
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const part of parts) controller.enqueue(new TextEncoder().encode(part));
        controller.close();
      },
    });
    const res = await client(server.url).request<{ length: number }>({
      method: 'POST',
      path: '/feed',
      body,
      operation: 'feed',
    });
    expect(res.data.length).toBe(parts.join('').length);
    expect(server.requests[0]?.headers['transfer-encoding']).toBe('chunked');
  });

  it('keeps every value of a repeated response header', async () => {
    const server = await serve((_req, res) => {
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      json(res, 200, {});
    });
    const res = await client(server.url).request({ method: 'GET', path: '/x', operation: 'x' });
    expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
  });

  it('answers a HEAD with its headers and no body', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': '5000' });
      res.end();
    });
    const res = await client(server.url).request({
      method: 'HEAD',
      path: '/pic.jpg',
      operation: 'x',
      responseType: 'bytes',
    });
    expect(res.headers.get('content-length')).toBe('5000');
    expect((res.data as Uint8Array).byteLength).toBe(0);
  });
});

describe('an injected fetch', () => {
  it('carries every request instead of node:http', async () => {
    const server = await serve((_req, res) => json(res, 200, { via: 'server' }));
    const seen: string[] = [];
    const http = client(server.url, async (input, init) => {
      seen.push(`${init?.method} ${String(input)}`);
      return globalThis.fetch(input, init);
    });
    const res = await http.request({ method: 'GET', path: '/x', operation: 'x' });
    expect(res.data).toEqual({ via: 'server' });
    expect(seen).toEqual([`GET ${server.url}/x`]);
  });
});

const MiB = 1024 * 1024;
const LIMIT = MiB;
/** What each compression bomb expands to: far above the limit, and above what the memory check allows. */
const BOMB_BYTES = 200 * MiB;

/** Compresses `size` zero bytes through `stream` without ever holding them: a compression bomb. */
async function bomb(stream: Transform, size: number): Promise<Buffer> {
  const zeros = Buffer.alloc(MiB);
  const out: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => out.push(chunk));
  const ended = new Promise((resolve) => stream.on('end', resolve));
  for (let written = 0; written < size; written += zeros.length) {
    if (!stream.write(zeros)) await new Promise((resolve) => stream.once('drain', resolve));
  }
  stream.end();
  await ended;
  return Buffer.concat(out);
}

/**
 * How far the process's resident memory rose above its level before `run`, sampled
 * while it runs and once after. Loose on purpose: only compared with sizes far apart.
 */
async function memoryGrowth(run: () => Promise<unknown>): Promise<number> {
  const before = process.memoryUsage.rss();
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 1);
  try {
    await run();
  } finally {
    clearInterval(sampler);
  }
  return Math.max(peak, process.memoryUsage.rss()) - before;
}

/** Writes a body that never ends (bounded at 1 GiB), as fast as the client reads it. */
function endless(res: ServerResponse, status = 200): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let chunks = 0;
  const pump = () => {
    while (chunks < 16_384 && !res.destroyed) {
      chunks++;
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
    if (!res.destroyed) res.end();
  };
  pump();
}

let gzipBomb: Buffer;
let brotliBomb: Buffer;
beforeAll(async () => {
  gzipBomb = await bomb(createGzip({ level: 9 }), BOMB_BYTES);
  brotliBomb = await bomb(createBrotliCompress({ params: { [constants.BROTLI_PARAM_QUALITY]: 4 } }), BOMB_BYTES);
});

describe.each(TRANSPORTS)('the response size limit (%s)', (_transport, fetchImpl) => {
  const limited = (url: string, options: Partial<HttpClientOptions> = {}) =>
    client(url, fetchImpl, { maxResponseBytes: LIMIT, ...options });

  async function refusal(url: string, options: Partial<HttpClientOptions> = {}) {
    const error = await limited(url, options)
      .request({ method: 'GET', path: '/x', operation: 'x.get' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    return error as UnexpectedResponseError;
  }

  it('stops a body that never ends at the limit, at once and without a retry', async () => {
    const server = await serve((_req, res) => endless(res));
    let error: UnexpectedResponseError | undefined;
    const growth = await memoryGrowth(async () => {
      error = await refusal(server.url, { timeoutMs: 60_000 });
    });
    expect(error).not.toBeInstanceOf(TimeoutError);
    expect(error?.message).toBe(
      'test x.get: the response body is over the limit of 1,048,576 bytes (maxResponseBytes); reading stopped there',
    );
    expect(error).toMatchObject({ status: 200, retryable: false, method: 'GET' });
    expect(server.requests).toHaveLength(1);
    expect(growth).toBeLessThan(64 * MiB);
  });

  it('refuses a complete body over the limit, whether or not its length is declared', async () => {
    const body = Buffer.alloc(8 * MiB, 0x20);
    const declared = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) });
      res.end(body);
    });
    const undeclared = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(body.subarray(0, body.length / 2));
      res.end(body.subarray(body.length / 2));
    });
    expect((await refusal(declared.url)).message).toBe(
      'test x.get: the response declares 8,388,608 bytes (Content-Length), over the limit of 1,048,576 bytes (maxResponseBytes)',
    );
    expect((await refusal(undeclared.url)).message).toContain('over the limit of 1,048,576 bytes');
    expect(declared.requests).toHaveLength(1);
    expect(undeclared.requests).toHaveLength(1);
  });

  it('refuses an error body over the limit the same way, without a retry', async () => {
    const server = await serve((_req, res) => endless(res, 503));
    const error = await refusal(server.url);
    expect(error).toMatchObject({ status: 503, retryable: false });
    expect(server.requests).toHaveLength(1);
  });

  it.each([
    ['gzip', () => gzipBomb],
    ['br', () => brotliBomb],
  ] as const)('stops a %s bomb as it expands, far below its expanded size in memory', async (encoding, payload) => {
    const compressed = payload();
    expect(compressed.length).toBeLessThan(LIMIT);
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': encoding });
      res.end(compressed);
    });
    let error: UnexpectedResponseError | undefined;
    const growth = await memoryGrowth(async () => {
      error = await refusal(server.url);
    });
    expect(error?.message).toContain('over the limit of 1,048,576 bytes (maxResponseBytes)');
    expect(server.requests).toHaveLength(1);
    expect(growth).toBeLessThan(BOMB_BYTES / 4);
  });

  it.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
  ] as const)('still decodes a legitimate %s body below the limit', async (encoding, compress) => {
    const payload = { encoded: encoding, text: 'è'.repeat(200_000) };
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': encoding });
      res.end(compress(Buffer.from(JSON.stringify(payload))));
    });
    const res = await limited(server.url).request({ method: 'GET', path: '/x', operation: 'x' });
    expect(res.data).toEqual(payload);
  });

  it('reads a body of exactly the limit, and a call can raise its own limit', async () => {
    const server = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(Buffer.alloc(req.url === '/exact' ? LIMIT : 3 * LIMIT, 7));
    });
    const http = limited(server.url);
    const exact = await http.request<Uint8Array>({
      method: 'GET',
      path: '/exact',
      operation: 'x',
      responseType: 'bytes',
    });
    expect(exact.data.byteLength).toBe(LIMIT);
    const raised = await http.request<Uint8Array>({
      method: 'GET',
      path: '/big',
      operation: 'x',
      responseType: 'bytes',
      maxResponseBytes: 4 * LIMIT,
    });
    expect(raised.data.byteLength).toBe(3 * LIMIT);
    const error = await http
      .request({ method: 'GET', path: '/big', operation: 'x', responseType: 'bytes' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnexpectedResponseError);
  });

  it('answers a HEAD whatever length and encoding it announces', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, {
        'content-type': 'image/jpeg',
        'content-length': String(50 * MiB),
        'content-encoding': 'gzip',
      });
      res.end();
    });
    const res = await limited(server.url).request<Uint8Array>({
      method: 'HEAD',
      path: '/pic.jpg',
      operation: 'x',
      responseType: 'bytes',
    });
    expect(res.headers.get('content-length')).toBe(String(50 * MiB));
    expect(res.data.byteLength).toBe(0);
  });
});

describe('the response size limit by default', () => {
  it('is 32 MiB, and a limit that is not a positive number is refused when the client is made', async () => {
    expect(DEFAULT_MAX_RESPONSE_BYTES).toBe(32 * MiB);
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': String(DEFAULT_MAX_RESPONSE_BYTES + 1) });
      res.end();
    });
    const error = await client(server.url)
      .request({ method: 'GET', path: '/x', operation: 'x' })
      .catch((e: unknown) => e);
    expect((error as Error).message).toContain('over the limit of 33,554,432 bytes');
    expect(() => client(server.url, undefined, { maxResponseBytes: 0 })).toThrow(/maxResponseBytes/);
  });
});

const REDIRECTS = [301, 302, 303, 307, 308] as const;

/** The calls a redirect must not carry elsewhere: a read, and writes with a body. */
const CALLS = [
  { method: 'GET' },
  { method: 'PUT', json: { listing: 'L-1', price: 1 } },
  { method: 'POST', json: { create: 'L-2' }, idempotent: true },
] as const;

describe.each(TRANSPORTS)('redirects (%s)', (_transport, fetchImpl) => {
  it.each(REDIRECTS)(
    'refuses a %i for a GET and for a PUT and a POST with a body and credentials; the other origin receives nothing',
    async (status) => {
      const elsewhere = await serve((_req, res) => json(res, 200, { access_token: 'stolen-token' }));
      const server = await serve((_req, res) => {
        res.writeHead(status, { location: `${elsewhere.url}/collect?token=abc-secret-query` });
        res.end('moved');
      });
      const http = client(server.url, fetchImpl, {
        auth: apiKeyAuth({ key: 'key-0123456789', header: 'X-API-Key' }),
        headers: { 'X-IMMO-SOURCE': 'source-0123456789' },
        secrets: ['source-0123456789'],
      });
      for (const call of CALLS) {
        const error = await http.request({ ...call, path: '/x', operation: 'x' }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(RedirectError);
        expect(error).toBeInstanceOf(HttpError);
        expect(error).toMatchObject({ status, location: elsewhere.url, retryable: false });
        expect((error as Error).message).toBe(
          `test x: ${call.method} ${server.url}/x answered ${status}, a redirect to ${elsewhere.url}, which is never followed`,
        );
        const reported = JSON.stringify(error);
        for (const hidden of ['collect', 'abc-secret-query', 'key-0123456789', 'source-0123456789']) {
          expect(reported).not.toContain(hidden);
        }
      }
      // Never retried, never followed.
      expect(server.requests.map((r) => r.method)).toEqual(['GET', 'PUT', 'POST']);
      expect(server.requests[1]?.headers['x-api-key']).toBe('key-0123456789');
      expect(elsewhere.requests).toHaveLength(0);
    },
  );

  it('reads a 3xx that names no Location (a portal code such as 330) as an error answer, with its body', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(330, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'agency offline' }));
    });
    const error = await client(server.url, fetchImpl)
      .request({ method: 'PUT', path: '/x', json: {}, operation: 'x' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).not.toBeInstanceOf(RedirectError);
    expect(error).toMatchObject({ status: 330, serverMessage: 'agency offline' });
  });

  it('refuses any other 3xx that names a Location', async () => {
    const elsewhere = await serve((_req, res) => json(res, 200, {}));
    const server = await serve((_req, res) => {
      res.writeHead(300, { location: `${elsewhere.url}/choice` });
      res.end();
    });
    const error = await client(server.url, fetchImpl)
      .request({ method: 'GET', path: '/x', operation: 'x' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedirectError);
    expect(error).toMatchObject({ status: 300, location: elsewhere.url });
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('refuses a redirect to its own origin too', async () => {
    const server = await serve((req, res) => {
      if (req.url === '/moved') return json(res, 200, { moved: true });
      res.writeHead(307, { location: '/moved' });
      res.end();
    });
    const error = await client(server.url, fetchImpl)
      .request({ method: 'GET', path: '/x', operation: 'x' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 307, location: server.url });
    expect(server.requests.map((r) => r.url)).toEqual(['/x']);
  });
});

describe('redirects with a fetch that does not keep to redirect: manual', () => {
  it('refuses the opaque redirect some fetch implementations return, as a 3xx', async () => {
    const elsewhere = await serve((_req, res) => json(res, 200, { access_token: 'stolen-token' }));
    const server = await serve((_req, res) => {
      res.writeHead(302, { location: `${elsewhere.url}/collect` });
      res.end();
    });
    const modes: Array<RequestRedirect | undefined> = [];
    // What a browser's fetch hands back for redirect: 'manual': no status, no headers, no body.
    const opaque = {
      type: 'opaqueredirect',
      status: 0,
      ok: false,
      redirected: false,
      url: '',
      headers: new Headers(),
      body: null,
    };
    const http = client(server.url, async (input, init) => {
      modes.push(init?.redirect);
      const response = await globalThis.fetch(input, init);
      if (response.status < 300 || response.status >= 400) return response;
      await response.body?.cancel();
      return opaque as unknown as Response;
    });
    const error = await http
      .request({ method: 'PUT', path: '/x', json: { a: 1 }, operation: 'x' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedirectError);
    expect(error).toMatchObject({ status: 0, location: undefined, retryable: false });
    expect((error as Error).message).toContain('answered with an opaque redirect');
    expect(modes).toEqual(['manual']);
    expect(server.requests).toHaveLength(1);
    expect(elsewhere.requests).toHaveLength(0);
  });

  it("refuses the other origin's answer when the fetch implementation followed the redirect anyway", async () => {
    const elsewhere = await serve((_req, res) => json(res, 200, { access_token: 'stolen-token' }));
    const server = await serve((_req, res) => {
      res.writeHead(302, { location: `${elsewhere.url}/collect` });
      res.end();
    });
    const http = client(server.url, (input, init) => globalThis.fetch(input, { ...init, redirect: 'follow' }));
    const error = await http.request({ method: 'GET', path: '/x', operation: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedirectError);
    expect(error).toMatchObject({ location: elsewhere.url });
    expect((error as Error).message).toContain(`was redirected to ${elsewhere.url} by the fetch implementation`);
    expect(JSON.stringify(error)).not.toContain('stolen-token');
  });
});
