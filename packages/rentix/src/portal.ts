import type { RateLimit } from '@sync/core';

/** Portal name used in errors, events and identifier maps. */
export const PORTAL = 'rentix';

/** Where the Rentix CRM API lives. */
export const DEFAULT_BASE_URL = 'https://crm.rentix.md/api/v1';

/** Rentix's documented limits: 300 requests a minute in all, 30 a minute to the bulk endpoints. */
export const DEFAULT_RATE_LIMITS: { default: RateLimit; bulk: RateLimit } = {
  default: { limit: 300, windowMs: 60_000 },
  bulk: { limit: 30, windowMs: 60_000 },
};

/**
 * Default `maxResponseBytes` of a Rentix client: 16 MiB of decoded body. The largest
 * answer is a listings list; 100 listings with 2,000-character descriptions and 30
 * files each come to under 1 MB, so this leaves room for a much longer `limit`.
 */
export const DEFAULT_MAX_RESPONSE_BYTES: number = 16 * 1024 * 1024;
