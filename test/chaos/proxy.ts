// A fault-injecting proxy on 127.0.0.1 between a client and a portal served over real HTTP.
// Faults are drawn per request, never by the clock: by probability (each request's draws come from
// the seed and its number alone, so a run can be replayed and a slow machine gets the same faults
// per request as a fast one) or by schedule (the Nth request gets a given fault); a burst lasts a
// number of requests. The proxy is bounded: it injects at most `maxFaults` faults and closes itself
// after `lifetimeMs`, even if nobody stops it.
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { seededRandom } from '@sync/core/msw';

/** The faults the proxy can inject. */
export const FAULT_KINDS = [
  'latency',
  'resetBefore',
  'resetAfter',
  'cutResponse',
  'stall',
  'burst429',
  'burst5xx',
] as const;
/** One kind of fault. */
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface ChaosOptions {
  /** Where the real server listens, e.g. `http://127.0.0.1:4000`. */
  target: string;
  /** Probability (0–1) that a request gets each fault. */
  probabilities?: Partial<Record<FaultKind, number>>;
  /** Request number (1-based) → fault, applied before probabilities. */
  schedule?: Record<number, FaultKind>;
  /** Added latency range in milliseconds for `latency` faults. */
  latencyMs?: [number, number];
  /** Length of a 429 or 5xx burst: the requests that follow the first also get it. */
  burstLength?: number;
  /** `Retry-After` of a 429 burst, in seconds. */
  retryAfterSeconds?: number;
  /** Status of a 5xx burst. */
  burstStatus?: number;
  /** Most faults injected; requests after that pass untouched. */
  maxFaults?: number;
  /** The proxy closes itself after this long. */
  lifetimeMs?: number;
  /** Seed of the random draws. */
  seed?: number;
}

export interface ChaosProxy {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** Faults injected so far, by kind. */
  injected: Record<FaultKind, number>;
  /** Every fault injected, with the number of the request (1-based) that got it. */
  readonly log: ReadonlyArray<{ request: number; fault: FaultKind }>;
  /** Requests seen. */
  readonly requests: number;
  /** Turns fault injection off or on (e.g. to read the final state cleanly). */
  setEnabled(enabled: boolean): void;
  close(): Promise<void>;
}

/**
 * The random draws of request `n`: from the seed and `n` alone, so they do not depend on how
 * many draws earlier requests made, nor on when their asynchronous steps ran.
 */
function requestRandom(seed: number, n: number): () => number {
  return seededRandom((Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(n, 0x85ebca6b)) >>> 0);
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection']);

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

interface Upstream {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

function forward(target: URL, req: IncomingMessage, body: Buffer): Promise<Upstream> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
    }
    headers.host = target.host;
    headers['content-length'] = String(body.length);
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const out: Record<string, string | string[]> = {};
          for (const [name, value] of Object.entries(res.headers)) {
            if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
          }
          resolve({ status: res.statusCode ?? 502, headers: out, body: Buffer.concat(chunks) });
        });
        res.on('error', reject);
      },
    );
    upstream.on('error', reject);
    upstream.end(body);
  });
}

function reset(socket: Socket | null): void {
  if (!socket || socket.destroyed) return;
  // An RST, as a crashed peer or a middlebox would send, rather than an orderly close.
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
  else socket.destroy();
}

export async function startChaosProxy(options: ChaosOptions): Promise<ChaosProxy> {
  const target = new URL(options.target);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(target.hostname)) {
    throw new Error(`the chaos proxy only forwards to loopback addresses, not ${target.hostname}`);
  }
  const seed = options.seed ?? 1;
  const maxFaults = options.maxFaults ?? 1_000;
  const burstLength = options.burstLength ?? 3;
  const injected = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
  const log: Array<{ request: number; fault: FaultKind }> = [];
  let total = 0;
  let requests = 0;
  let enabled = true;
  let burst: { kind: 'burst429' | 'burst5xx'; left: number } | undefined;
  const sockets = new Set<Socket>();
  const stalled = new Set<ServerResponse>();

  const choose = (n: number, draw: () => number): FaultKind | undefined => {
    if (!enabled || total >= maxFaults) return undefined;
    if (burst && burst.left > 0) {
      burst.left--;
      return burst.kind;
    }
    let kind = options.schedule?.[n];
    if (!kind) {
      for (const candidate of FAULT_KINDS) {
        const p = options.probabilities?.[candidate] ?? 0;
        if (p > 0 && draw() < p) {
          kind = candidate;
          break;
        }
      }
    }
    // A burst goes on for the requests that follow.
    if (kind === 'burst429' || kind === 'burst5xx') burst = { kind, left: burstLength - 1 };
    return kind;
  };

  const server = createServer((req, res) => {
    void (async () => {
      requests++;
      const draw = requestRandom(seed, requests);
      const fault = choose(requests, draw);
      if (fault) {
        total++;
        injected[fault]++;
        log.push({ request: requests, fault });
      }
      try {
        if (fault === 'resetBefore') {
          reset(req.socket);
          return;
        }
        if (fault === 'burst429') {
          res.writeHead(429, {
            'content-type': 'application/json',
            'retry-after': String(options.retryAfterSeconds ?? 1),
          });
          res.end(JSON.stringify({ statusCode: 429, message: 'Too Many Requests' }));
          return;
        }
        if (fault === 'burst5xx') {
          res.writeHead(options.burstStatus ?? 503, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ statusCode: options.burstStatus ?? 503, message: 'Service Unavailable' }));
          return;
        }
        const body = await readBody(req);
        if (fault === 'latency') {
          const [min, max] = options.latencyMs ?? [50, 250];
          await new Promise((r) => setTimeout(r, min + draw() * (max - min)));
        }
        const upstream = await forward(target, req, body);
        if (fault === 'resetAfter') {
          // The server did the work; the client never hears of it.
          reset(req.socket);
          return;
        }
        if (fault === 'stall') {
          // The request reached the server; the answer never comes back.
          stalled.add(res);
          return;
        }
        if (fault === 'cutResponse') {
          res.writeHead(upstream.status, { ...upstream.headers, 'content-length': String(upstream.body.length) });
          res.write(upstream.body.subarray(0, Math.floor(upstream.body.length / 2)));
          setTimeout(() => req.socket.destroy(), 5);
          return;
        }
        res.writeHead(upstream.status, { ...upstream.headers, 'content-length': String(upstream.body.length) });
        res.end(upstream.body);
      } catch (error) {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ statusCode: 502, message: `chaos proxy: ${(error as Error).message}` }));
      }
    })();
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= new Promise<void>((resolve) => {
      clearTimeout(lifetime);
      for (const socket of sockets) socket.destroy();
      stalled.clear();
      server.close(() => resolve());
    });
    return closed;
  };
  const lifetime = setTimeout(() => void close(), options.lifetimeMs ?? 120_000);
  lifetime.unref();

  return {
    url: `http://127.0.0.1:${port}`,
    injected,
    log,
    get requests() {
      return requests;
    },
    setEnabled(value) {
      enabled = value;
    },
    close,
  };
}
