/**
 * Typed client of the Property Finder CRM API v2 (myCRM): OAuth2 client credentials,
 * every property filter and sort as types (sent in PHP bracket syntax), pagination as
 * async iteration, bulk actions with builders and a guard against deleting everything,
 * and `syncListings`, which keeps the account in line with a CRM's canonical listings.
 *
 * @packageDocumentation
 * @module @sync/pfcrm
 * @document ../README.md
 */

export type { CollectOptions, IterateOptions } from '@sync/core';
export { type ClientCredentialsOptions, clientCredentialsProvider } from './auth.js';
export {
  DEFAULT_MAX_RESPONSE_BYTES,
  PfCrmClient,
  type PfCrmClientOptions,
  type PfCrmCommonOptions,
  type PfCrmCredentialsOptions,
  type PfCrmTokenOptions,
  SERVER_RATE_LIMIT,
} from './client.js';
export { configurationIssues } from './configuration.js';
export { pfErrorMessage } from './errors.js';
export {
  fromListing,
  type ListingTypeKey,
  PF_STATUSES,
  PF_TYPE_NAMES,
  type PfAgentResolver,
  type PfAgentTable,
  type PfFromListingOptions,
  type PfImageRef,
  type PfImageResolver,
  type PfImageTable,
  type PfLocationId,
  type PfLocationResolver,
  type PfLocationTable,
  type PfStatusMapping,
  type PfTypeNameTable,
  type PfTypeTable,
  SQUARE_FEET_PER_SQUARE_METRE,
} from './from-listing.js';
export {
  type DuplicateValue,
  describeOperation,
  type FloorPlanValue,
  type ListingLevelValue,
  type OperationKind,
  type OperationTarget,
  operationIssues,
  ops,
  type PropertyId,
  type PropertyOperation,
  type RenewalValue,
  type ReraValue,
  type StateValue,
  type VerificationDocument,
  type VerificationValue,
} from './operations.js';
export {
  PF_PHOTO_CONTENT_TYPES,
  PF_UPLOAD_TOKEN_LIFETIME_MS,
  PF_UPLOAD_TOKEN_MARGIN_MS,
  type PfPhotoCacheEntry,
  type PfPhotoOptions,
  PfPhotoUploader,
  PHOTO_IMAGE_KIND,
  PHOTO_KIND,
} from './photos.js';
export { DEFAULT_BASE_URL, DEFAULT_TOKEN_URL, DEFAULT_UPLOAD_URL, PORTAL } from './portal.js';
export { landlordsQuery, leadsQuery, MAX_INPUT_VARS, phpQuery, propertiesQuery } from './query.js';
export { ClientsResource } from './resources/clients.js';
export { LandlordsResource } from './resources/landlords.js';
export { LeadsResource } from './resources/leads.js';
export { LocationsResource } from './resources/locations.js';
export {
  type Acknowledgement,
  type BulkOptions,
  type CallOptions,
  type DeleteManyOptions,
  type DeleteManyReport,
  type GetOptions,
  PropertiesResource,
  type PropertyIterateParams,
  type WriteOptions,
} from './resources/properties.js';
export { type ParsedListParams, ReadResource, type ReadResourceShape } from './resources/read-resource.js';
export { type UploadFile, type UploadOptions, UploadsResource } from './resources/uploads.js';
export { type UserListParams, UserListParamsSchema, UsersResource } from './resources/users.js';
export * from './schemas/common.js';
export * from './schemas/filters.js';
export * from './schemas/property.js';
export * from './schemas/resources.js';
export { type PfCrmSyncOptions, pfCrmTarget, syncListings } from './sync.js';
export type { Page } from './transport.js';
export {
  type ApiWarningEvent,
  EXPAND_HEADER,
  type PfCrmEvents,
  type ResponseMeta,
  WARNING_HEADER,
  type WithResponse,
} from './transport.js';
export { VERSION } from './version.js';
