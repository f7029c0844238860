import { type ErrorContext, type InputIssue, InputValidationError, SyncError } from './errors.js';
import type { Redactor } from './redact.js';

/** Control characters (CR, LF, NUL…): in a header they break it or forge another one. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f]/;
/** What a header value cannot carry at all: control characters and anything beyond Latin-1. */
const NOT_HEADER_SAFE = /[^\u0020-\u007e\u0080-\u00ff]/;

/**
 * Refuses credentials a request cannot carry as they are, before anything is sent: one
 * that is not a string or is blank, one that holds a CR, an LF, a NUL or another control
 * character, and — for those in `sentAsHeader`, which go into a header value unencoded —
 * one with characters beyond Latin-1. The {@link InputValidationError} names each field
 * and never quotes a value: `fetch` and `node:http` would refuse such a header later with
 * a message that quotes it.
 */
export function checkCredentials(
  credentials: Record<string, unknown>,
  context: ErrorContext = {},
  sentAsHeader: readonly string[] = Object.keys(credentials),
): void {
  const issues: InputIssue[] = [];
  for (const [path, value] of Object.entries(credentials)) {
    if (typeof value !== 'string' || value.trim() === '') {
      issues.push({ path, message: 'expected a non-empty string', code: 'invalid_type' });
    } else if (CONTROL.test(value)) {
      issues.push({ path, message: 'holds a control character (CR, LF, NUL…)', code: 'invalid_credential' });
    } else if (sentAsHeader.includes(path) && NOT_HEADER_SAFE.test(value)) {
      issues.push({ path, message: 'holds a character a header cannot carry', code: 'invalid_credential' });
    }
  }
  if (issues.length > 0) throw new InputValidationError(issues, context);
}

/**
 * How a client authenticates its requests. Build one with {@link apiKeyAuth},
 * {@link basicAuth} or {@link bearerAuth}.
 */
export interface AuthStrategy {
  /**
   * Sets the credentials on an outgoing request's headers (lower-case names). `signal`
   * is the call's; `deadline` is when the call must end (epoch milliseconds). A
   * strategy that has to fetch credentials gives up at either, rejecting with the
   * signal's reason or a `TimeoutError` `DOMException`.
   */
  apply(headers: Record<string, string>, signal?: AbortSignal, deadline?: number): Promise<void> | void;
  /**
   * Called after a 401. Returns `true` when fresh credentials may cure it (the client
   * then retries the call once).
   */
  invalidate?(): boolean;
  /** Registers every secret value with the client's redactor. */
  registerSecrets(redactor: Redactor): void;
}

/** Credentials sent in one header, e.g. `X-API-Key: …` or `Authorization: Api-Key …`. */
export function apiKeyAuth(options: { key: string; header?: string; prefix?: string }): AuthStrategy {
  checkCredentials({ key: options.key });
  const header = (options.header ?? 'X-API-Key').toLowerCase();
  const value = options.prefix ? `${options.prefix} ${options.key}` : options.key;
  return {
    apply: (headers) => {
      headers[header] = value;
    },
    registerSecrets: (redactor) => redactor.addSecret(options.key),
  };
}

/** HTTP Basic authentication. */
export function basicAuth(options: { username: string; password: string }): AuthStrategy {
  checkCredentials({ username: options.username, password: options.password }, {}, []);
  const encoded = Buffer.from(`${options.username}:${options.password}`, 'utf8').toString('base64');
  return {
    apply: (headers) => {
      headers.authorization = `Basic ${encoded}`;
    },
    registerSecrets: (redactor) => redactor.addBasicCredentials(options.username, options.password),
  };
}

/** A bearer token and when it stops being valid. */
export interface AccessToken {
  /** The token itself. */
  token: string;
  /** Lifetime in seconds from when it was issued (OAuth's `expires_in`). */
  expiresIn?: number | undefined;
  /** Absolute expiry; takes precedence over `expiresIn`. */
  expiresAt?: Date | number | undefined;
}

/**
 * Obtains a fresh access token, e.g. with an OAuth2 client-credentials grant. The
 * signal fires once no call waits for the token any more (each aborted or reached
 * its deadline): the request for it should then stop.
 */
export type TokenProvider = (signal?: AbortSignal) => Promise<AccessToken>;

/** A token request in flight and the calls waiting for it. */
interface Renewal {
  token: Promise<string>;
  controller: AbortController;
  waiters: number;
}

/**
 * Settles as `promise` does, or rejects with the signal's reason when it aborts, or with
 * a `TimeoutError` `DOMException` at `deadline` (epoch milliseconds).
 */
function settleBy<T>(promise: Promise<T>, signal: AbortSignal | undefined, deadline: number | undefined): Promise<T> {
  if (!signal && deadline === undefined) return promise;
  return new Promise<T>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      done();
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    if (deadline !== undefined) {
      timer = setTimeout(
        () => {
          done();
          reject(new DOMException('The deadline passed while waiting for an access token', 'TimeoutError'));
        },
        Math.max(0, deadline - Date.now()),
      );
    }
    promise.then(
      (value) => {
        done();
        resolve(value);
      },
      (error: unknown) => {
        done();
        reject(error);
      },
    );
  });
}

/** Options of {@link bearerAuth}. */
export interface BearerAuthOptions {
  /** Renew this long before the token expires, in milliseconds. */
  refreshMarginMs?: number;
  /** Clock, for tests. */
  now?: () => number;
}

/**
 * Bearer tokens from a provider: cached until shortly before expiry, with one
 * renewal in flight at a time however many calls need a token at once. Each call
 * waits for the token no longer than its signal and deadline allow; once no call
 * waits, the provider's signal aborts the token request. A 401 drops the cached
 * token so the client's single retry gets a new one.
 */
export function bearerAuth(provider: TokenProvider | string, options: BearerAuthOptions = {}): AuthStrategy {
  if (typeof provider === 'string') {
    const token = provider;
    checkCredentials({ token });
    return {
      apply: (headers) => {
        headers.authorization = `Bearer ${token}`;
      },
      registerSecrets: (redactor) => redactor.addSecret(token),
    };
  }
  const margin = options.refreshMarginMs ?? 60_000;
  const now = options.now ?? Date.now;
  let cached: { token: string; renewAt: number } | undefined;
  let redactor: Redactor | undefined;
  /** The renewal in flight, shared by every call that needs a token meanwhile. */
  let renewal: Renewal | undefined;

  const renew = (): Renewal => {
    const controller = new AbortController();
    const token = (async () => {
      try {
        const issuedAt = now();
        const fresh = await provider(controller.signal);
        redactor?.addSecret(fresh.token);
        if (typeof fresh.token !== 'string' || fresh.token === '' || NOT_HEADER_SAFE.test(fresh.token)) {
          throw new SyncError('the token provider returned a token that cannot be sent in a header');
        }
        const expiresAt =
          fresh.expiresAt !== undefined
            ? Number(fresh.expiresAt)
            : fresh.expiresIn !== undefined
              ? issuedAt + fresh.expiresIn * 1000
              : Number.POSITIVE_INFINITY;
        // A short-lived token is renewed at half its life rather than never used.
        const lifetime = expiresAt - issuedAt;
        const renewAt = expiresAt - Math.min(margin, lifetime / 2);
        cached = { token: fresh.token, renewAt };
        return fresh.token;
      } finally {
        if (renewal?.controller === controller) renewal = undefined;
      }
    })();
    // Calls that gave up no longer listen; the outcome must not go unhandled.
    token.catch(() => undefined);
    renewal = { token, controller, waiters: 0 };
    return renewal;
  };

  return {
    async apply(headers, signal, deadline) {
      if (cached && now() < cached.renewAt) {
        headers.authorization = `Bearer ${cached.token}`;
        return;
      }
      if (signal?.aborted) throw signal.reason;
      const current = renewal ?? renew();
      current.waiters++;
      try {
        headers.authorization = `Bearer ${await settleBy(current.token, signal, deadline)}`;
      } catch (error) {
        current.waiters--;
        // No call waits for this token any more: stop asking for it, and let the next call start afresh.
        if (current.waiters === 0 && renewal === current) {
          renewal = undefined;
          current.controller.abort(error);
        }
        throw error;
      }
      current.waiters--;
    },
    invalidate() {
      cached = undefined;
      return true;
    },
    registerSecrets(r) {
      redactor = r;
      if (cached) r.addSecret(cached.token);
    },
  };
}
