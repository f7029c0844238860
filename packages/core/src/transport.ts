import type { Agent, ClientRequest, IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { brotliDecompress, gunzip, inflate } from 'node:zlib';

/** One attempt as the pipeline hands it to a transport: everything already resolved. */
export interface Exchange {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: BodyInit | undefined;
  /** The `node:http`/`node:https` agent to send through (the global one when unset); a fetch transport ignores it. */
  agent?: Agent | undefined;
}

/** What one attempt brought back: the status line, headers and the whole body. */
export interface RawResponse {
  status: number;
  headers: Headers;
  bytes: Uint8Array;
}

/**
 * Ends an attempt early. The pipeline calls {@link stop} when the attempt's timer fires or
 * the caller aborts; the transport registers how to tear its request down. Cheaper than a
 * fresh `AbortSignal` per attempt, which the default transport does not need.
 */
export class AttemptControl {
  #onStop: ((reason: unknown) => void) | undefined;
  #stopped = false;
  #reason: unknown;

  /** Ends the attempt with `reason` as its rejection. */
  stop(reason: unknown): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#reason = reason;
    this.#onStop?.(reason);
  }

  /** Registers the tear-down; runs it at once when the attempt was stopped before it started. */
  onStop(listener: (reason: unknown) => void): void {
    this.#onStop = listener;
    if (this.#stopped) listener(this.#reason);
  }
}

/**
 * The connection failed (refused, reset, cut mid-body, unparsable response): the request
 * may or may not have reached the server. `cause` keeps only the system error's code and
 * message, never the request it belonged to.
 */
export class ConnectionFailure extends Error {
  constructor(cause: Error | undefined) {
    super(cause?.message ?? 'connection failed', { cause });
    this.name = 'ConnectionFailure';
  }
}

/** Sends one exchange and reads its whole body, or rejects with the stop reason or a {@link ConnectionFailure}. */
export type Transport = (exchange: Exchange, control: AttemptControl) => Promise<RawResponse>;

function systemError(error: unknown): Error | undefined {
  let cause: unknown = error;
  while (cause instanceof Error && cause.cause instanceof Error) cause = cause.cause;
  if (!(cause instanceof Error)) return undefined;
  const code = (cause as { code?: unknown }).code;
  return new Error(typeof code === 'string' ? `${code}: ${cause.message}` : cause.message);
}

const decoders: Record<string, (input: Buffer, done: (error: Error | null, result: Buffer) => void) => void> = {
  gzip: gunzip,
  'x-gzip': gunzip,
  deflate: inflate,
  br: brotliDecompress,
};

/** Undoes a `Content-Encoding` the server applied, as `fetch` would. */
function decode(body: Buffer, encoding: string | undefined): Promise<Buffer> | Buffer {
  const decoder = encoding ? decoders[encoding.trim().toLowerCase()] : undefined;
  if (!decoder || body.length === 0) return body;
  return new Promise((resolve, reject) => {
    decoder(body, (error, result) => (error ? reject(new ConnectionFailure(systemError(error))) : resolve(result)));
  });
}

function responseHeaders(res: IncomingMessage): Headers {
  const headers = new Headers();
  const raw = res.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string);
  return headers;
}

/**
 * `node:http` or `node:https`, loaded on the first request rather than on import — a process
 * that only writes files (a feed) keeps no HTTP stack in memory — and read at every call,
 * because a test's interceptor (MSW) patches the module objects.
 */
function httpModule(secure: boolean): Pick<typeof import('node:http'), 'request'> {
  return secure ? process.getBuiltinModule('node:https') : process.getBuiltinModule('node:http');
}

/**
 * Sends through `node:http`/`node:https`, on the exchange's agent (an {@link HttpClient}'s
 * {@link ConnectionPool}) or else the keep-alive global agents. It is the
 * default because `fetch` costs noticeably more per request (its stream and signal
 * machinery), and a sync job sends many small requests; MSW's `setupServer` intercepts
 * it like `fetch`. Redirects are not followed: a portal API answering 3xx is an error,
 * and credentials must not travel to another host.
 */
export const nodeTransport: Transport = (exchange, control) =>
  new Promise<RawResponse>((resolve, reject) => {
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      reject(error);
    };
    const headers = exchange.headers;
    if (headers['accept-encoding'] === undefined) headers['accept-encoding'] = 'gzip, deflate, br';
    const req = httpModule(exchange.url.startsWith('https:')).request(
      exchange.url,
      { method: exchange.method, headers, agent: exchange.agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error) => fail(new ConnectionFailure(systemError(error))));
        res.on('close', () => {
          if (!res.complete) fail(new ConnectionFailure(new Error('the response ended before it was complete')));
        });
        res.on('end', () => {
          if (settled) return;
          const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
          const status = res.statusCode ?? 0;
          const decoded = decode(body, res.headers['content-encoding']);
          const finish = (bytes: Buffer) => {
            if (settled) return;
            settled = true;
            resolve({ status, headers: responseHeaders(res), bytes });
          };
          if (decoded instanceof Promise) decoded.then(finish, fail);
          else finish(decoded);
        });
      },
    );
    req.on('error', (error) => fail(new ConnectionFailure(systemError(error))));
    control.onStop((reason) => {
      fail(reason);
      req.destroy();
    });
    writeBody(req, exchange, fail);
  });

function writeBody(req: ClientRequest, exchange: Exchange, fail: (error: unknown) => void): void {
  const body = exchange.body;
  if (body === undefined || body === null) {
    req.end();
    return;
  }
  // A declared length: Node frames a DELETE's or OPTIONS' body only when told its size.
  if (typeof body === 'string' || body instanceof Uint8Array || body instanceof ArrayBuffer) {
    // A string goes out as is: Node then writes head and body in one packet.
    const data = typeof body === 'string' ? body : new Uint8Array(body);
    if (exchange.headers['content-length'] === undefined) {
      req.setHeader('content-length', typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength);
    }
    req.end(data);
    return;
  }
  // Form data, blobs, search params and streams: let the platform serialise them, with the
  // content type (a multipart boundary, say) it would have sent.
  const serialised = new Response(body as BodyInit);
  const type = serialised.headers.get('content-type');
  if (type !== null && exchange.headers['content-type'] === undefined) req.setHeader('content-type', type);
  if (serialised.body === null) {
    req.end();
    return;
  }
  if (exchange.headers['content-length'] === undefined) req.setHeader('transfer-encoding', 'chunked');
  const source = Readable.fromWeb(serialised.body as import('node:stream/web').ReadableStream<Uint8Array>);
  source.on('error', (error) => {
    fail(new ConnectionFailure(systemError(error)));
    req.destroy();
  });
  source.pipe(req);
}

/** Sends through a `fetch` implementation: the caller's, for instrumentation or mocks. */
export function fetchTransport(fetchImpl: typeof globalThis.fetch): Transport {
  return async (exchange, control) => {
    const controller = new AbortController();
    control.onStop((reason) => controller.abort(reason));
    const init: RequestInit & { duplex?: 'half' } = {
      method: exchange.method,
      headers: exchange.headers,
      body: exchange.body ?? null,
      signal: controller.signal,
    };
    if (exchange.body instanceof ReadableStream) init.duplex = 'half';
    try {
      const response = await fetchImpl(exchange.url, init);
      const bytes = exchange.method === 'HEAD' ? new Uint8Array() : new Uint8Array(await response.arrayBuffer());
      return { status: response.status, headers: response.headers, bytes };
    } catch (error) {
      if (controller.signal.aborted) throw controller.signal.reason;
      // undici reports refused, reset and cut connections as a TypeError ("fetch failed", "terminated").
      if (error instanceof TypeError) throw new ConnectionFailure(systemError(error.cause) ?? systemError(error));
      throw error;
    }
  };
}

/** An attempt waiting for a {@link ConnectionPool} slot. */
interface Waiter {
  gone: boolean;
  grant: () => void;
}

/** Sockets one client keeps open to its portal at most, unless its `concurrency` says otherwise. */
export const DEFAULT_MAX_SOCKETS = 16;

/**
 * The connections of one client on the `node:http` transport: a keep-alive agent of its
 * own, created at the first request, with at most {@link maxSockets} sockets — so a burst
 * of calls cannot open a connection each — and as many attempt slots. An attempt takes a
 * slot before its timer starts, so time spent waiting for a free connection never counts
 * as an attempt that got no answer.
 */
export class ConnectionPool {
  /** Sockets, and attempts in flight, at most. */
  readonly maxSockets: number;
  #agent: Agent | undefined;
  #inUse = 0;
  /** Attempts waiting for a slot, oldest first from `#head`; those that gave up stay, marked `gone`. */
  #waiting: Waiter[] = [];
  #head = 0;

  constructor(maxSockets: number = DEFAULT_MAX_SOCKETS) {
    if (!(Number.isInteger(maxSockets) && maxSockets > 0))
      throw new RangeError(`maxSockets must be a positive integer (got ${maxSockets})`);
    this.maxSockets = maxSockets;
  }

  /**
   * The agent for `secure` (https) or plain URLs, created on first use. `node:http` is
   * read from the process at that point, as the transport does, so an interceptor that
   * patched it (MSW) sees the agent's connections.
   */
  agent(secure: boolean): Agent {
    if (this.#agent === undefined) {
      const { Agent } = secure ? process.getBuiltinModule('node:https') : process.getBuiltinModule('node:http');
      // The global agent's settings, with a bound on the sockets.
      this.#agent = new Agent({ keepAlive: true, scheduling: 'lifo', timeout: 5_000, maxSockets: this.maxSockets });
    }
    return this.#agent;
  }

  /**
   * Takes an attempt slot: `undefined` when one is free at once, else a promise that
   * resolves when one frees, or rejects with the signal's reason on abort or a
   * `TimeoutError` `DOMException` at `deadline` (epoch milliseconds). {@link release} it.
   */
  acquire(signal?: AbortSignal, deadline?: number): Promise<void> | undefined {
    if (this.#inUse < this.maxSockets) {
      this.#inUse++;
      return undefined;
    }
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const settle = () => {
        waiter.gone = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const waiter: Waiter = {
        gone: false,
        grant: () => {
          settle();
          resolve();
        },
      };
      const onAbort = () => {
        settle();
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      if (deadline !== undefined) {
        timer = setTimeout(
          () => {
            settle();
            reject(new DOMException('The deadline passed while waiting for a connection', 'TimeoutError'));
          },
          Math.max(0, deadline - Date.now()),
        );
      }
      this.#waiting.push(waiter);
    });
  }

  /** Gives back a slot taken with {@link acquire}: to the oldest attempt still waiting, if any. */
  release(): void {
    while (this.#head < this.#waiting.length) {
      const next = this.#waiting[this.#head] as Waiter;
      this.#head++;
      if (!next.gone) {
        this.#compact();
        next.grant();
        return;
      }
    }
    this.#compact();
    if (this.#inUse > 0) this.#inUse--;
  }

  #compact(): void {
    if (this.#head === this.#waiting.length) {
      this.#waiting = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#waiting.length) {
      this.#waiting = this.#waiting.slice(this.#head);
      this.#head = 0;
    }
  }

  /** Destroys the agent and its connections; a later request creates a fresh one. */
  close(): void {
    this.#agent?.destroy();
    this.#agent = undefined;
  }
}
