/** Fields every HTTP event carries; URLs and headers are already redacted. */
export interface HttpEventBase {
  /** Portal the client talks to. */
  portal: string;
  /** The SDK operation, e.g. `listings.bulk`. */
  operation: string;
  /** The CRM item the call is about, if any. */
  itemId?: string | undefined;
  /** HTTP method. */
  method: string;
  /** Request URL with secrets removed. */
  url: string;
  /** Milliseconds since the call started (all attempts and waits included). */
  elapsedMs: number;
}

/** An attempt is about to be sent. */
export interface RequestEvent extends HttpEventBase {
  /** 1 for the first attempt. */
  attempt: number;
  /** Request headers, secrets replaced. */
  headers: Record<string, string>;
}

/** A response arrived (any status). */
export interface ResponseEvent extends HttpEventBase {
  /** 1 for the first attempt. */
  attempt: number;
  /** HTTP status. */
  status: number;
  /** Duration of this attempt alone. */
  durationMs: number;
  /** Request id sent back by the server, if any. */
  requestId?: string | undefined;
  /** Response headers, secrets replaced. */
  headers: Record<string, string>;
}

/** A failed attempt will be repeated. */
export interface RetryEvent extends HttpEventBase {
  /** Number of the attempt about to be made (2 for the first retry). */
  attempt: number;
  /** Why: the status code, or the error's name. */
  reason: string;
  /** Wait before the attempt, in milliseconds. */
  delayMs: number;
}

/** A call is being held back by a rate limit. */
export interface RateLimitedEvent extends HttpEventBase {
  /** `client` when a local bucket made the call wait, `server` when the portal answered 429. */
  source: 'client' | 'server';
  /** The bucket that held the call, for `client`. */
  bucket?: string | undefined;
  /** How long the call waited (`client`) or was asked to wait (`server`). */
  waitMs: number;
}

/** Events of an HTTP client, by name. */
export interface HttpEvents {
  /** Before each attempt. */
  request: RequestEvent;
  /** After each response. */
  response: ResponseEvent;
  /** Before each retry. */
  retry: RetryEvent;
  /** When a rate limit delays a call. */
  rateLimited: RateLimitedEvent;
}

/** A listener of event `K`. */
export type Listener<T> = (event: T) => void;

/**
 * A small typed event emitter. A listener that throws cannot break a request: its
 * error is reported as a process warning.
 */
export class TypedEmitter<E extends object> {
  readonly #listeners = new Map<keyof E, Set<Listener<never>>>();

  /** Subscribes to `name`; returns a function that unsubscribes. */
  on<K extends keyof E>(name: K, listener: Listener<E[K]>): () => void {
    let set = this.#listeners.get(name);
    if (!set) {
      set = new Set();
      this.#listeners.set(name, set);
    }
    set.add(listener as Listener<never>);
    return () => this.off(name, listener);
  }

  /** Removes a listener. */
  off<K extends keyof E>(name: K, listener: Listener<E[K]>): void {
    this.#listeners.get(name)?.delete(listener as Listener<never>);
  }

  /** Whether anyone listens to `name`; lets callers skip building an event nobody reads. */
  has(name: keyof E): boolean {
    return (this.#listeners.get(name)?.size ?? 0) > 0;
  }

  /** Calls every listener of `name`. */
  emit<K extends keyof E>(name: K, event: E[K]): void {
    const set = this.#listeners.get(name);
    if (!set) return;
    for (const listener of set) {
      try {
        (listener as Listener<E[K]>)(event);
      } catch (error) {
        process.emitWarning(
          `listener of "${String(name)}" threw: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }
}

const HTTP_EVENTS: ReadonlyArray<keyof HttpEvents> = ['request', 'response', 'retry', 'rateLimited'];

/**
 * Re-emits every HTTP event of `from` on `to`, for a client that sends through more than
 * one pipeline (an upload host, a token endpoint): its users subscribe to one `http` and
 * see every request. Returns a function that stops forwarding.
 */
export function forwardHttpEvents(from: TypedEmitter<HttpEvents>, to: TypedEmitter<HttpEvents>): () => void {
  const off = HTTP_EVENTS.map((name) =>
    from.on(name, (event) => {
      if (to.has(name)) to.emit(name, event as never);
    }),
  );
  return () => {
    for (const stop of off) stop();
  };
}
