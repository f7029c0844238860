import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpClient, HttpError, NetworkError } from '../src/index.js';
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

function client(url: string, fetchImpl?: typeof globalThis.fetch): HttpClient {
  return new HttpClient({
    portal: 'test',
    baseUrl: url,
    allowInsecureHttp: true,
    userAgent: '@sync/test/1.0.0',
    retry: { baseDelayMs: 1, maxDelayMs: 2 },
    fetch: fetchImpl,
  });
}

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

  it('does not follow a redirect: credentials never travel to the other host', async () => {
    const elsewhere = await serve((_req, res) => json(res, 200, { stolen: true }));
    const server = await serve((_req, res) => {
      res.writeHead(302, { location: `${elsewhere.url}/collect` });
      res.end();
    });
    const error = await client(server.url)
      .request({ method: 'GET', path: '/x', operation: 'x', headers: { authorization: 'Bearer secret' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: 302 });
    expect(elsewhere.requests).toHaveLength(0);
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
