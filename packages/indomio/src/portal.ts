/** Name of the portal in errors, events and identifier maps. */
export const PORTAL = 'indomio';
/** Kind of the listing entries in the identifier map. */
export const LISTING_KIND = 'listing';
