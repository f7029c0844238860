import type { Redactor } from './redact.js';

/**
 * How a client authenticates its requests. Build one with {@link apiKeyAuth},
 * {@link basicAuth} or {@link bearerAuth}.
 */
export interface AuthStrategy {
  /** Sets the credentials on an outgoing request's headers (lower-case names). */
  apply(headers: Record<string, string>, signal?: AbortSignal): Promise<void> | void;
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
  const encoded = Buffer.from(`${options.username}:${options.password}`, 'utf8').toString('base64');
  return {
    apply: (headers) => {
      headers.authorization = `Basic ${encoded}`;
    },
    registerSecrets: (redactor) => {
      redactor.addSecret(options.password);
      redactor.addSecret(encoded);
    },
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

/** Obtains a fresh access token, e.g. with an OAuth2 client-credentials grant. */
export type TokenProvider = (signal?: AbortSignal) => Promise<AccessToken>;

/** Options of {@link bearerAuth}. */
export interface BearerAuthOptions {
  /** Renew this long before the token expires, in milliseconds. */
  refreshMarginMs?: number;
  /** Clock, for tests. */
  now?: () => number;
}

/**
 * Bearer tokens from a provider: cached until shortly before expiry, with one
 * renewal in flight at a time however many calls need a token at once. A 401 drops
 * the cached token so the client's single retry gets a new one.
 */
export function bearerAuth(provider: TokenProvider | string, options: BearerAuthOptions = {}): AuthStrategy {
  if (typeof provider === 'string') {
    const token = provider;
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
  let inFlight: Promise<string> | undefined;
  let redactor: Redactor | undefined;

  const renew = (signal?: AbortSignal): Promise<string> => {
    inFlight ??= (async () => {
      try {
        const issuedAt = now();
        const fresh = await provider(signal);
        redactor?.addSecret(fresh.token);
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
        inFlight = undefined;
      }
    })();
    return inFlight;
  };

  return {
    async apply(headers, signal) {
      const token = cached && now() < cached.renewAt ? cached.token : await renew(signal);
      headers.authorization = `Bearer ${token}`;
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
