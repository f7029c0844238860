import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_SOCKETS, HttpClient, type HttpClientOptions, TimeoutError } from '../src/index.js';

/** A server on 127.0.0.1 that counts the connections it is given and sees closed. */
interface CountingServer {
  url: string;
  /** Distinct connections opened so far. */
  connections: number;
  /** Connections open right now. */
  open: Set<Socket>;
  /** Resolves once no connection is open. */
  allClosed(): Promise<void>;
  close(): Promise<void>;
}

let server: (CountingServer & { server: Server }) | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function countingServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<CountingServer> {
  const http = createServer(handler);
  const state = {
    server: http,
    url: '',
    connections: 0,
    open: new Set<Socket>(),
    allClosed: async () => {
      for (let i = 0; i < 1000 && state.open.size > 0; i++) await new Promise((r) => setTimeout(r, 5));
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of state.open) s.destroy();
        http.close(() => resolve());
      }),
  };
  http.on('connection', (socket: Socket) => {
    state.connections++;
    state.open.add(socket);
    socket.on('close', () => state.open.delete(socket));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  server = state;
  return state;
}

function client(url: string, options: Partial<HttpClientOptions> = {}): HttpClient {
  return new HttpClient({ portal: 'p', baseUrl: url, allowInsecureHttp: true, userAgent: 'x', ...options });
}

const later = (res: ServerResponse, ms: number) =>
  setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'), ms);

describe('each client has a bounded pool of connections', () => {
  it(`1,000 concurrent calls share at most ${DEFAULT_MAX_SOCKETS} sockets by default, and close() ends them`, async () => {
    const s = await countingServer((_req, res) => later(res, 2));
    const http = client(s.url);
    const results = await Promise.all(
      Array.from({ length: 1000 }, () => http.request({ method: 'GET', path: '/', operation: 'x' })),
    );
    expect(results.every((r) => r.status === 200 && r.attempts === 1)).toBe(true);
    expect(s.connections).toBeGreaterThan(0);
    expect(s.connections).toBeLessThanOrEqual(DEFAULT_MAX_SOCKETS);
    expect(s.open.size).toBeGreaterThan(0);
    http.close();
    await s.allClosed();
    expect(s.open.size).toBe(0);
    // Still usable: a later call opens a new connection.
    await http.request({ method: 'GET', path: '/', operation: 'x' });
    expect(s.connections).toBeLessThanOrEqual(DEFAULT_MAX_SOCKETS + 1);
    http[Symbol.dispose]();
    await s.allClosed();
    expect(s.open.size).toBe(0);
  });

  it('concurrency sets the number of sockets', async () => {
    const s = await countingServer((_req, res) => later(res, 2));
    const http = client(s.url, { concurrency: 3 });
    await Promise.all(Array.from({ length: 300 }, () => http.request({ method: 'GET', path: '/', operation: 'x' })));
    expect(s.connections).toBeLessThanOrEqual(3);
    http.close();
  });

  it('two clients do not share their connections', async () => {
    const s = await countingServer((_req, res) => later(res, 2));
    const a = client(s.url, { concurrency: 2 });
    const b = client(s.url, { concurrency: 2 });
    await Promise.all([a, b].map((http) => http.request({ method: 'GET', path: '/', operation: 'x' })));
    const opened = s.connections;
    a.close();
    await b.request({ method: 'GET', path: '/', operation: 'x' });
    // b's connection survived a.close(): no new one was needed.
    expect(s.connections).toBe(opened);
    b.close();
  });

  it("time spent waiting for a connection does not count against an attempt's timeout", async () => {
    // 16 sockets, 320 calls of 40 ms each: the last ones wait about 800 ms for a connection.
    const s = await countingServer((_req, res) => later(res, 40));
    const http = client(s.url, { timeoutMs: 500, deadlineMs: 60_000 });
    const retries: string[] = [];
    http.on('retry', (e) => retries.push(e.reason));
    const results = await Promise.all(
      Array.from({ length: 320 }, () => http.request({ method: 'GET', path: '/', operation: 'x' })),
    );
    expect(results.every((r) => r.attempts === 1)).toBe(true);
    expect(retries).toEqual([]);
    http.close();
  });

  it('a call waiting for a connection ends at its deadline, or at once when aborted', async () => {
    const s = await countingServer(() => {
      // Never answers: every connection stays busy.
    });
    const http = client(s.url, { concurrency: undefined, timeoutMs: 60_000, retry: false });
    const busy = Array.from({ length: DEFAULT_MAX_SOCKETS }, () =>
      http.request({ method: 'GET', path: '/', operation: 'busy' }).catch((e: unknown) => e),
    );
    const late = await http
      .request({ method: 'GET', path: '/', operation: 'late', deadlineMs: 50 })
      .catch((e: unknown) => e);
    expect(late).toBeInstanceOf(TimeoutError);
    expect((late as TimeoutError).message).toBe(
      "p late: the call's deadline of 50 ms passed while waiting for a connection (0 attempts)",
    );
    const controller = new AbortController();
    const reason = new Error('stop');
    const aborted = http.request({ method: 'GET', path: '/', operation: 'late', signal: controller.signal });
    controller.abort(reason);
    await expect(aborted).rejects.toBe(reason);
    http.close();
    await Promise.all(busy);
  });
});
