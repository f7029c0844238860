import type { Agent, ClientRequest, IncomingMessage } from 'node:http';
import { Readable, type Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { type ErrorContext, RedirectError, type SyncError, UnexpectedResponseError } from './errors.js';
import type { Redactor } from './redact.js';

/**
 * Default of `maxResponseBytes`: 32 MiB of decoded body. Far above any JSON or XML
 * answer of the portals' APIs, low enough that a runaway body stops long before it
 * strains a process.
 */
export const DEFAULT_MAX_RESPONSE_BYTES: number = 32 * 1024 * 1024;

/** One attempt as the pipeline hands it to a transport: everything already resolved. */
export interface Exchange {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: BodyInit | undefined;
  /** Most bytes of the response body to read, counted after decoding. */
  maxResponseBytes: number;
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

/**
 * A response the transport refused to read on: the pipeline turns it into the
 * {@link SyncError} it describes, with the call's context, and never retries it.
 */
export abstract class ResponseRefused extends Error {
  /** The error to throw for this refusal, in the call's (already redacted) context. */
  abstract toError(context: ErrorContext, redactor: Redactor): SyncError;
}

/** The statuses `fetch` follows (301, 302, 303, 307, 308). */
const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/**
 * Whether a response redirects: a status `fetch` would follow, or any other 3xx that
 * names a `Location`. A 3xx without one (a code a portal gives its own meaning) is an
 * answer, read like any other non-2xx status.
 */
function isRedirect(status: number, location: string | null | undefined): boolean {
  return REDIRECT_STATUSES.has(status) || (status >= 300 && status < 400 && !!location);
}

/**
 * The server answered with a redirect. It is never followed, on any transport: the
 * credentials and the body of the request must not travel to another origin, and
 * another origin's answer must not pass for the portal's.
 */
export class RedirectRefused extends ResponseRefused {
  readonly status: number;
  /** Origin of the `Location` (scheme, host, port), never its path or query. */
  readonly location: string | undefined;
  /** Whether a `fetch` implementation followed it despite `redirect: 'manual'`. */
  readonly followed: boolean;

  constructor(status: number, location: string | null | undefined, requestUrl: string, followed = false) {
    super(`redirect (${status})`);
    this.name = 'RedirectRefused';
    this.status = status;
    this.location = originOf(location, requestUrl);
    this.followed = followed;
  }

  toError(context: ErrorContext, redactor: Redactor): SyncError {
    const location = this.location === undefined ? undefined : redactor.text(this.location);
    const to = location === undefined ? '' : ` to ${location}`;
    const what = this.followed
      ? `was redirected${to} by the fetch implementation; its answer is refused, as redirects are never followed`
      : this.status > 0
        ? `answered ${this.status}, a redirect${to}, which is never followed`
        : 'answered with an opaque redirect (the fetch implementation hides its status and location), which is never followed';
    const request = `${context.method ?? 'request'} ${context.url ?? ''}`.trim();
    return new RedirectError(`${request} ${what}`, { ...context, status: this.status, location });
  }
}

/** Only the origin of a `Location`: its path and query may carry a token. */
function originOf(location: string | null | undefined, base: string): string | undefined {
  if (!location) return undefined;
  try {
    const url = new URL(location, base);
    return url.origin === 'null' ? url.protocol : url.origin;
  } catch {
    return 'an unreadable location';
  }
}

/** The body is, or says it is, larger than the call's `maxResponseBytes`. */
export class ResponseTooLarge extends ResponseRefused {
  readonly status: number;
  readonly limit: number;
  /** The `Content-Length` that announced it, when it was refused before reading. */
  readonly declared: number | undefined;

  constructor(status: number, limit: number, declared?: number) {
    super(
      declared === undefined
        ? `the response body is over the limit of ${bytes(limit)} (maxResponseBytes); reading stopped there`
        : `the response declares ${bytes(declared)} (Content-Length), over the limit of ${bytes(limit)} (maxResponseBytes)`,
    );
    this.name = 'ResponseTooLarge';
    this.status = status;
    this.limit = limit;
    this.declared = declared;
  }

  toError(context: ErrorContext): SyncError {
    return new UnexpectedResponseError(this.message, { ...context, status: this.status });
  }
}

function bytes(n: number): string {
  return `${n.toLocaleString('en-US')} bytes`;
}

/** A `Content-Length` as a number, when it is one. */
function declaredLength(value: string | null | undefined): number | undefined {
  return value && /^\s*\d+\s*$/.test(value) ? Number(value) : undefined;
}

/** Sends one exchange and reads its whole body, or rejects with the stop reason, a {@link ConnectionFailure} or a {@link ResponseRefused}. */
export type Transport = (exchange: Exchange, control: AttemptControl) => Promise<RawResponse>;

function systemError(error: unknown): Error | undefined {
  let cause: unknown = error;
  while (cause instanceof Error && cause.cause instanceof Error) cause = cause.cause;
  if (!(cause instanceof Error)) return undefined;
  const code = (cause as { code?: unknown }).code;
  return new Error(typeof code === 'string' ? `${code}: ${cause.message}` : cause.message);
}

const decoders: Record<string, () => Transform> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

/**
 * A streaming decoder for a `Content-Encoding` the server applied, as `fetch` would
 * undo it. Streaming, so that the decoded bytes are counted as they come out and a
 * compression bomb is stopped at the limit instead of being expanded whole.
 */
function decoderFor(encoding: string | undefined): Transform | undefined {
  return encoding ? decoders[encoding.trim().toLowerCase()]?.() : undefined;
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
 * it like `fetch`. Redirects are not followed: a portal API redirecting is an error,
 * and credentials must not travel to another host. The body is decoded as it arrives
 * and counted against `maxResponseBytes`; past it the socket is destroyed.
 */
export const nodeTransport: Transport = (exchange, control) =>
  new Promise<RawResponse>((resolve, reject) => {
    let settled = false;
    let decoder: Transform | undefined;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      reject(error);
      req.destroy();
      decoder?.destroy();
    };
    const headers = exchange.headers;
    if (headers['accept-encoding'] === undefined) headers['accept-encoding'] = 'gzip, deflate, br';
    const req = httpModule(exchange.url.startsWith('https:')).request(
      exchange.url,
      { method: exchange.method, headers, agent: exchange.agent },
      (res) => {
        const status = res.statusCode ?? 0;
        if (isRedirect(status, res.headers.location)) {
          fail(new RedirectRefused(status, res.headers.location, exchange.url));
          return;
        }
        const limit = exchange.maxResponseBytes;
        const bodiless = exchange.method === 'HEAD' || status === 204;
        const declared = bodiless ? undefined : declaredLength(res.headers['content-length']);
        if (declared !== undefined && declared > limit) {
          fail(new ResponseTooLarge(status, limit, declared));
          return;
        }
        const chunks: Buffer[] = [];
        let total = 0;
        const take = (chunk: Buffer) => {
          total += chunk.length;
          if (total > limit) fail(new ResponseTooLarge(status, limit));
          else chunks.push(chunk);
        };
        const finish = () => {
          if (settled) return;
          settled = true;
          const bytes = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total);
          resolve({ status, headers: responseHeaders(res), bytes });
        };
        res.on('error', (error) => fail(new ConnectionFailure(systemError(error))));
        res.on('close', () => {
          if (!res.complete) fail(new ConnectionFailure(new Error('the response ended before it was complete')));
        });
        decoder = bodiless ? undefined : decoderFor(res.headers['content-encoding']);
        if (decoder === undefined) {
          res.on('data', take);
          res.on('end', finish);
          return;
        }
        const inflater = decoder;
        inflater.on('data', take);
        inflater.on('end', finish);
        inflater.on('error', (error) => fail(new ConnectionFailure(systemError(error))));
        let received = 0;
        res.on('data', (chunk: Buffer) => {
          if (settled) return;
          received += chunk.length;
          // The socket waits while the decoder works through what it has.
          if (!inflater.write(chunk)) {
            res.pause();
            inflater.once('drain', () => res.resume());
          }
        });
        // An empty body is empty whatever its declared encoding.
        res.on('end', () => (received === 0 ? finish() : inflater.end()));
      },
    );
    req.on('error', (error) => fail(new ConnectionFailure(systemError(error))));
    control.onStop(fail);
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
  source.on('error', (error) => fail(new ConnectionFailure(systemError(error))));
  source.pipe(req);
}

/**
 * Sends through a `fetch` implementation: the caller's, for instrumentation or mocks.
 * It behaves as the default transport does: `redirect: 'manual'`, and a redirect — or the
 * opaque redirect some implementations return instead — is refused, never followed;
 * the body is read chunk by chunk against `maxResponseBytes` and cancelled past it.
 */
export function fetchTransport(fetchImpl: typeof globalThis.fetch): Transport {
  return async (exchange, control) => {
    const controller = new AbortController();
    control.onStop((reason) => controller.abort(reason));
    const init: RequestInit & { duplex?: 'half' } = {
      method: exchange.method,
      headers: exchange.headers,
      body: exchange.body ?? null,
      redirect: 'manual',
      signal: controller.signal,
    };
    if (exchange.body instanceof ReadableStream) init.duplex = 'half';
    // Ends the exchange: the connection is dropped and the body, if any, discarded.
    const refuse = (body: { cancel(reason: unknown): Promise<void> } | null, error: Error): never => {
      controller.abort(error);
      body?.cancel(error).catch(() => {});
      throw error;
    };
    try {
      const response = await fetchImpl(exchange.url, init);
      const status = response.status;
      if (response.type === 'opaqueredirect') refuse(response.body, new RedirectRefused(0, undefined, exchange.url));
      const location = response.headers.get('location');
      if (isRedirect(status, location)) refuse(response.body, new RedirectRefused(status, location, exchange.url));
      if (response.redirected) refuse(response.body, new RedirectRefused(0, response.url, exchange.url, true));
      if (response.type === 'error') {
        refuse(response.body, new ConnectionFailure(new Error('the fetch implementation returned a network error')));
      }
      if (exchange.method === 'HEAD' || status === 204 || response.body === null) {
        response.body?.cancel().catch(() => {});
        return { status, headers: response.headers, bytes: new Uint8Array() };
      }
      const limit = exchange.maxResponseBytes;
      const declared = declaredLength(response.headers.get('content-length'));
      if (declared !== undefined && declared > limit)
        refuse(response.body, new ResponseTooLarge(status, limit, declared));
      const reader = response.body.getReader();
      const chunks: Uint8Array[] = [];
      let total = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.byteLength;
        if (total > limit) refuse(reader, new ResponseTooLarge(status, limit));
        chunks.push(value);
      }
      return { status, headers: response.headers, bytes: concat(chunks, total) };
    } catch (error) {
      if (controller.signal.aborted) throw controller.signal.reason;
      // undici reports refused, reset and cut connections as a TypeError ("fetch failed", "terminated").
      if (error instanceof TypeError) throw new ConnectionFailure(systemError(error.cause) ?? systemError(error));
      throw error;
    }
  };
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
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
