/**
 * Serves MSW request handlers over real HTTP, so a mock portal can be reached by any
 * client, process or tool — end-to-end tests, the demo, a notebook; the fault plans
 * the portal packages' mocks take ({@link seededFaults}: faults per request, seeded); and
 * the kit those mocks are built on: fault switches and the request log
 * ({@link MockPortalBase}), fixed rate-limit windows with their headers ({@link MockRateWindow}).
 *
 * @packageDocumentation
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { getResponse, type RequestHandler } from 'msw';

export {
  DEFAULT_MOCK_FAULTS,
  DEFAULT_PLANNED_RETRY_AFTER_MS,
  type FaultPlan,
  type MockFault,
  type SeededFaultPlan,
  type SeededFaultsOptions,
  seededFaults,
  seededRandom,
} from './faults.js';
export {
  injected429Headers,
  type MockRateLimit,
  type MockRateState,
  MockRateWindow,
  type MockRateWindowOptions,
  type RateHeaderFormat,
  rateLimitHeaders,
  secondsHeader,
} from './rate-window.js';
export {
  DEFAULT_INJECTED_RETRY_AFTER_MS,
  type InjectedFailure,
  type InjectedFailureOptions,
  type InjectedFault,
  MockPortalBase,
  plannedFailure,
} from './switches.js';

/** A running {@link serveHandlers} server. */
export interface HandlerServer {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  readonly url: string;
  /** The port it listens on. */
  readonly port: number;
  /** Stops listening and closes every open connection. */
  close(): Promise<void>;
}

/** Options of {@link serveHandlers}. */
export interface ServeHandlersOptions {
  /** Port to listen on (default: any free port). */
  port?: number;
  /** Loopback address to listen on (default `127.0.0.1`). */
  host?: '127.0.0.1' | '::1' | 'localhost';
}

async function toRequest(req: IncomingMessage, origin: string): Promise<Request> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const method = req.method ?? 'GET';
  let body: Buffer | undefined;
  if (method !== 'GET' && method !== 'HEAD') {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    body = Buffer.concat(chunks);
  }
  return new Request(new URL(req.url ?? '/', origin), { method, headers, body: body ? new Uint8Array(body) : null });
}

async function writeResponse(res: ServerResponse, response: Response): Promise<void> {
  if (response.type === 'error') {
    // `HttpResponse.error()` in a handler: the connection drops without a response.
    res.socket?.destroy();
    return;
  }
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    const previous = headers[name];
    headers[name] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  });
  res.writeHead(response.status, response.statusText, headers);
  if (response.body) {
    for await (const chunk of response.body) res.write(chunk);
  }
  res.end();
}

/**
 * Serves `handlers` on a loopback address. Pass a function to build the handlers once
 * the server's URL is known (e.g. `(url) => createAcmeHandlers({ baseUrl: url })`).
 * A request no handler answers gets a 404 that names it; a handler that returns
 * `HttpResponse.error()` drops the connection.
 */
export async function serveHandlers(
  handlers: readonly RequestHandler[] | ((url: string) => readonly RequestHandler[]),
  options: ServeHandlersOptions = {},
): Promise<HandlerServer> {
  const host = options.host ?? '127.0.0.1';
  const sockets = new Set<Socket>();
  let list: RequestHandler[] = typeof handlers === 'function' ? [] : [...handlers];
  let origin = '';
  const server = createServer((req, res) => {
    void (async () => {
      try {
        const request = await toRequest(req, origin);
        const response = await getResponse(list, request);
        if (!response) {
          res.writeHead(404, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ statusCode: 404, message: `no mock handler for ${request.method} ${req.url}` }));
          return;
        }
        await writeResponse(res, response);
      } catch (error) {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ statusCode: 500, message: error instanceof Error ? error.message : String(error) }));
      }
    })();
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const hostPart = host === '::1' ? '[::1]' : host;
  origin = `http://${hostPart}:${port}`;
  if (typeof handlers === 'function') list = [...handlers(origin)];
  return {
    url: origin,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
