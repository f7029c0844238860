/**
 * Typed client for the Rentix CRM API: listings (single and bulk), agents, media,
 * jobs and reference data, and `syncListings`, which keeps Rentix in line with a CRM's
 * canonical listings. The mock portal for tests is in `@sync/rentix/msw`.
 *
 * @packageDocumentation
 * @module @sync/rentix
 * @document ../README.md
 */
export type { BatchProgress, CallOptions, CollectOptions, Page } from '@sync/core';
export type { BulkLimits, BulkOptions, BulkReport, BulkResult } from './bulk.js';
export {
  DEFAULT_BASE_URL,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_RATE_LIMITS,
  RentixClient,
  type RentixClientOptions,
} from './client.js';
export { BulkOperationError, JobFailedError, rentixErrorMessage } from './errors.js';
export {
  fromListing,
  type ListingTypeKey,
  RENTIX_DESCRIPTION_LANGUAGES,
  RENTIX_HOUSING_MARKETS,
  RENTIX_PAY_PERIODS,
  RENTIX_STATUSES,
  RENTIX_TYPES,
  RENTIX_VISUAL_STATES,
  type RentixFromListingOptions,
  type RentixTypeMapping,
  type RentixTypeTable,
} from './from-listing.js';
export {
  type InitialLinkingOptions,
  type LinkOutcome,
  type LinkPlan,
  normalizeAddress,
  type PlannedLink,
  planInitialLinks,
} from './linking.js';
export { ops, type RecordKey, userOps } from './operations.js';
export { type NormalizePhoneOptions, normalizePhone } from './phone.js';
export { PORTAL } from './portal.js';
export { AgencyResource } from './resources/agency.js';
export { JobsResource, type WaitOptions } from './resources/jobs.js';
export {
  type CollectListingsOptions,
  type InitialLinkingReport,
  type IterateListingsOptions,
  type ListingFilters,
  type ListingPage,
  type ListingPageOptions,
  ListingsResource,
  type ListListingsOptions,
} from './resources/listings.js';
export { MediaResource, type SignedUploadOptions } from './resources/media.js';
export { ReferenceResource, type SchemaOptions } from './resources/reference.js';
export {
  type CrmAgent,
  type LinkByPhoneOptions,
  type LinkByPhoneReport,
  UsersResource,
} from './resources/users.js';
export * from './schemas/index.js';
export { STATUS_GUIDANCE, type StatusGuidance, statusGuidance } from './status.js';
export {
  continuousSync,
  type InitialSyncOptions,
  type InitialSyncReport,
  initialSync,
  type ListingAttention,
  type RentixSyncClient,
  type RentixSyncOptions,
  type RentixSyncReport,
  RentixSyncState,
  rentixTarget,
  syncListings,
} from './sync.js';
export { VERSION } from './version.js';
