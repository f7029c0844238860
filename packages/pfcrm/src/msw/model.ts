/** Every right the mock knows; a client with all of them may call every endpoint. */
export const ALL_RIGHTS = [
  'property.read',
  'property.update',
  'property.update.other',
  'property.approve',
  'landlord.read',
  'landlord.update.other',
  'lead.read',
  'user.read',
  'user.update',
] as const;

/** API credentials the mock accepts, with the rights their tokens carry. */
export interface MockApiClient {
  /** Client id. */
  apiKey: string;
  /** Client secret. */
  apiSecret: string;
  /** Rights of the tokens issued to it (default: {@link ALL_RIGHTS}). */
  rights?: readonly string[] | undefined;
}

/** Options of `PfCrmMockPortal`. */
export interface PfCrmMockPortalOptions {
  /** Accepted credentials (default: one client `test-key` / `test-secret` with every right). */
  clients?: readonly MockApiClient[] | undefined;
  /** Lifetime of issued tokens in seconds (default 1800, as the real API). */
  tokenLifetimeSeconds?: number | undefined;
  /** Requests allowed per window on the API (default 10 000 per minute). */
  rateLimit?: { limit: number; windowMs: number } | undefined;
  /** Clock of tokens, upload tokens (24 h), `current_month`, build years and license expiries (default `Date.now`). */
  now?: (() => number) | undefined;
  /** PHP's `max_input_vars`: query variables read before the rest is silently dropped (default 1000). */
  maxInputVars?: number | undefined;
}

/** A request the mock received. */
export interface MockRequestLog {
  /** HTTP method. */
  method: string;
  /** Path of the URL. */
  path: string;
  /** Query string, with `?`, or `''`. */
  search: string;
  /** The `X-MyCRM-Expand-Data` header, if sent. */
  expand: string | null;
}

/** An e-mail the mock accepted. */
export interface MockEmail {
  /** Property ids. */
  properties: number[];
  /** Recipients. */
  to: string[];
  /** Subject. */
  subject: string;
  /** Body. */
  body: string;
  /** Copy to the sender. */
  copy: boolean;
  /** Language. */
  language: string;
}

/** An upload the mock holds. */
export interface MockUpload {
  /** Token to put in a property (for 24 hours after `createdAt`). */
  token: string;
  /** Upload type. */
  type: string;
  /** File name. */
  filename: string;
  /** Size in bytes. */
  size: number;
  /** Media type. */
  contentType: string;
  /** When it was uploaded, on the portal's clock (milliseconds). */
  createdAt: number;
}
