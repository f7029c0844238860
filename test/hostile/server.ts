// A node:http server on 127.0.0.1 that records every request exactly as it arrived (raw
// request line path, headers, body) and answers with whatever the test programs.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request as the server saw it. */
export interface CapturedRequest {
  method: string;
  /** The request target exactly as sent on the wire (path and query, still percent-encoded). */
  rawUrl: string;
  /** `rawUrl` up to the query. */
  rawPath: string;
  headers: IncomingHttpHeaders;
  body: string;
  bytes: number;
}

/** What to answer: a plain response, a dropped connection, a stall, or a hand-written reply. */
export type Reply =
  | { status: number; body?: string; headers?: Record<string, string> }
  | { drop: true }
  | { stall: true }
  | { raw: (res: ServerResponse, socket: Socket) => void };

export type Responder = (request: CapturedRequest) => Reply;

export interface CaptureServer {
  readonly url: string;
  readonly requests: CapturedRequest[];
  /** Replaces the responder; `undefined` restores the default. */
  respond(responder: Responder | undefined): void;
  reset(): void;
  close(): Promise<void>;
}

export const json = (status: number, value: unknown, headers: Record<string, string> = {}): Reply => ({
  status,
  body: JSON.stringify(value),
  headers: { 'content-type': 'application/json', ...headers },
});

export const xml = (status: number, text: string): Reply => ({
  status,
  body: text,
  headers: { 'content-type': 'application/xml; charset=utf-8' },
});

export async function startCaptureServer(fallback: Responder): Promise<CaptureServer> {
  const requests: CapturedRequest[] = [];
  const sockets = new Set<Socket>();
  let responder: Responder = fallback;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const rawUrl = req.url ?? '';
      const captured: CapturedRequest = {
        method: req.method ?? '',
        rawUrl,
        rawPath: rawUrl.split('?')[0] ?? '',
        headers: req.headers,
        body: body.toString('utf8'),
        bytes: body.byteLength,
      };
      requests.push(captured);
      let reply: Reply;
      try {
        reply = responder(captured);
      } catch (error) {
        reply = { status: 599, body: String(error) };
      }
      if ('drop' in reply) {
        req.socket.destroy();
        return;
      }
      if ('stall' in reply) return; // the socket stays open without an answer
      if ('raw' in reply) {
        reply.raw(res, req.socket);
        return;
      }
      res.writeHead(reply.status, reply.headers ?? {});
      res.end(reply.body ?? '');
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    respond(next) {
      responder = next ?? fallback;
    },
    reset() {
      requests.length = 0;
      responder = fallback;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
