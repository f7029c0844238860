import {
  type AccessToken,
  type AuthStrategy,
  basicAuth,
  bearerAuth,
  booleanOption,
  checkCredentials,
  checkServiceUrl,
  HttpClient,
  ownOption,
  type Redactor,
  SyncError,
  type TokenProvider,
  UnexpectedResponseError,
} from '@sync/core';
import { TokenResponseSchema } from './schemas/resources.js';
import { DEFAULT_TOKEN_URL } from './urls.js';
import { VERSION } from './version.js';

/** What an access token may hold to travel in an `Authorization` header (visible ASCII). */
const HEADER_SAFE_TOKEN = /^[\x21-\x7e]+$/;

/** Options of {@link clientCredentialsProvider}. */
export interface ClientCredentialsOptions {
  /** The API key (OAuth client id). */
  apiKey: string;
  /** The API secret (OAuth client secret). */
  apiSecret: string;
  /** Token endpoint (default {@link DEFAULT_TOKEN_URL}). */
  tokenUrl?: string | undefined;
  /** OAuth scope (default `openid`). */
  scope?: string | undefined;
  /** Allows an `http:` token URL, e.g. a mock on 127.0.0.1. */
  allowInsecureHttp?: boolean | undefined;
  /** A `fetch` implementation. */
  fetch?: typeof globalThis.fetch | undefined;
  /** Per-attempt limit of a token request, in milliseconds. */
  timeoutMs?: number | undefined;
  /** Most bytes read from the token endpoint's answer, after decoding (default: core's). */
  maxResponseBytes?: number | undefined;
}

/**
 * A {@link TokenProvider} for the OAuth2 client-credentials grant: `POST tokenUrl`
 * with HTTP Basic `apiKey:apiSecret` and `{ scope, grant_type: "client_credentials" }`.
 * Give it to `bearerAuth`, which caches the token and renews it before `expires_in`.
 * Asking twice for a token changes nothing on the server, so transient failures are retried.
 */
export function clientCredentialsProvider(options: ClientCredentialsOptions): TokenProvider {
  checkCredentials({ apiKey: options.apiKey, apiSecret: options.apiSecret }, { portal: 'pfcrm' }, []);
  const url = checkServiceUrl(options.tokenUrl ?? DEFAULT_TOKEN_URL, {
    field: 'tokenUrl',
    portal: 'pfcrm',
    allowInsecureHttp: booleanOption(options, 'allowInsecureHttp', { portal: 'pfcrm' }) === true,
  });
  const http = new HttpClient({
    portal: 'pfcrm',
    baseUrl: url.origin,
    allowInsecureHttp: ownOption(options, 'allowInsecureHttp'),
    auth: basicAuth({ username: options.apiKey, password: options.apiSecret }),
    userAgent: `@sync/pfcrm/${VERSION}`,
    fetch: options.fetch,
    timeoutMs: options.timeoutMs,
    maxResponseBytes: options.maxResponseBytes,
    // The client id travels with the secret in the Basic header: both are kept out of errors and events.
    secrets: [options.apiKey, options.apiSecret, `${options.apiKey}:${options.apiSecret}`],
  });
  const body = { scope: options.scope ?? 'openid', grant_type: 'client_credentials' };
  return async (signal?: AbortSignal): Promise<AccessToken> => {
    const response = await http.request<unknown>({
      method: 'POST',
      path: `${url.pathname}${url.search}`,
      json: body,
      idempotent: true,
      operation: 'auth.token',
      signal,
    });
    const parsed = TokenResponseSchema.safeParse(response.data);
    const context = { portal: 'pfcrm', operation: 'auth.token', status: response.status };
    if (!parsed.success) {
      throw new UnexpectedResponseError('the token endpoint answered without an access_token', context);
    }
    const { access_token: token, token_type: type } = parsed.data;
    // Whatever the endpoint issued is a secret from here on, even a token that cannot be used.
    http.redactor.addSecret(token);
    if (!HEADER_SAFE_TOKEN.test(token)) {
      throw new UnexpectedResponseError(
        'the token endpoint issued an access_token that cannot be sent in a header',
        context,
      );
    }
    if (type && type.toLowerCase() !== 'bearer') {
      // The type is quoted only when it looks like one: an endpoint may echo anything there.
      const shown = /^[A-Za-z][\w.-]{0,31}$/.test(type) ? `a "${http.redactor.text(type)}"` : 'another kind of';
      throw new SyncError(`the token endpoint issued ${shown} token; a Bearer token is needed`, {
        portal: 'pfcrm',
        operation: 'auth.token',
      });
    }
    return { token, expiresIn: parsed.data.expires_in };
  };
}

/**
 * Bearer auth over a token provider, with two additions: each fresh token is also
 * registered with `extraRedactors`, and a 401 caused by the token endpoint itself
 * (bad credentials) is not retried — a new token cannot cure it.
 */
export function oauthStrategy(
  provider: TokenProvider,
  options: { now?: (() => number) | undefined; refreshMarginMs?: number | undefined; redactors: Redactor[] },
): AuthStrategy {
  let tokenEndpointFailed = false;
  const inner = bearerAuth(
    async (signal) => {
      try {
        const token = await provider(signal);
        tokenEndpointFailed = false;
        for (const redactor of options.redactors) redactor.addSecret(token.token);
        return token;
      } catch (error) {
        tokenEndpointFailed = true;
        throw error;
      }
    },
    {
      ...(options.now ? { now: options.now } : {}),
      ...(options.refreshMarginMs !== undefined ? { refreshMarginMs: options.refreshMarginMs } : {}),
    },
  );
  return {
    apply: (headers, signal, deadline) => inner.apply(headers, signal, deadline),
    invalidate: () => {
      if (tokenEndpointFailed) return false;
      return inner.invalidate?.() ?? false;
    },
    registerSecrets: (redactor) => inner.registerSecrets(redactor),
  };
}
