/** Name of the portal in errors, events and identifier maps. */
export const PORTAL = 'indomio';
/** Kind of the listing entries in the identifier map. */
export const LISTING_KIND = 'listing';

/**
 * Default `maxResponseBytes` of an Indomio client: 1 MiB of decoded body. Every answer
 * of the real-time import is one `ServiceResponse` of a few hundred bytes.
 */
export const DEFAULT_MAX_RESPONSE_BYTES: number = 1024 * 1024;
