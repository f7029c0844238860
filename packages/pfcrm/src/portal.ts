import type { RateLimit } from '@sync/core';

/** Portal name used in errors, events and identifier maps. */
export const PORTAL = 'pfcrm';

/** Root of the production API. */
export const DEFAULT_BASE_URL = 'https://api-v2.mycrm.com';
/** Host of the production upload endpoint. */
export const DEFAULT_UPLOAD_URL = 'https://api-upload.mycrm.com';
/** The production OAuth2 token endpoint of Property Finder. */
export const DEFAULT_TOKEN_URL = 'https://auth.propertyfinder.com/auth/oauth/v1/token';

/**
 * The rate limit of a client given no `rateLimit`: no limit of its own (Property Finder
 * publishes none), only the server's `X-RateLimit-Remaining` and `X-RateLimit-Reset`,
 * with resets taken as at most a minute (and a second) away.
 */
export const SERVER_RATE_LIMIT: RateLimit = { limit: Number.POSITIVE_INFINITY, windowMs: 60_000 };

/**
 * Default `maxResponseBytes` of a PF CRM client: 16 MiB of decoded body. The largest
 * answers are list pages of at most 100 properties; 100 properties with English and
 * Arabic 4,000-character descriptions and 30 images each come to about 1.3 MB, expanded.
 */
export const DEFAULT_MAX_RESPONSE_BYTES: number = 16 * 1024 * 1024;
