/**
 * Typed client for the Indomio (Immobiliare.it group) listing import: property XML valid
 * against the portal's XSD, the real-time REST client, `syncListings` (a CRM's canonical
 * listings kept in line on the portal), and the legacy batch feed.
 *
 * @packageDocumentation
 * @module @sync/indomio
 * @document ../README.md
 */

export type { CallOptions } from '@sync/core';
export {
  DEFAULT_MAX_RESPONSE_BYTES,
  IndomioClient,
  type IndomioClientOptions,
  LISTING_KIND,
  PORTAL,
} from './client.js';
export * from './error-codes.js';
export * from './errors.js';
export * from './feed.js';
export {
  fromListing,
  INDOMIO_BASEMENT_FLOORS,
  INDOMIO_BUILDING_STATUSES,
  INDOMIO_DOCUMENTED_TYPOLOGIES,
  INDOMIO_OPERATIONS,
  type IndomioAgency,
  type IndomioFromListingOptions,
  type IndomioIstatResolver,
  type IndomioIstatTable,
  type ListingTypeKey,
} from './from-listing.js';
export * from './resources/companies.js';
export * from './resources/media.js';
export * from './resources/properties.js';
export { REALTOR_KIND, type RealtorsPutResult, RealtorsResource, realtorKey } from './resources/realtors.js';
export * from './schemas/company.js';
export * from './schemas/partial.js';
export * from './schemas/property.js';
export {
  type ConnectionType,
  ConnectionTypeSchema,
  type RealtorConnection,
  RealtorConnectionSchema,
  type RealtorRole,
  RealtorRoleSchema,
  type RealtorsUpdate,
  type RealtorsUpdateInput,
  RealtorsUpdateSchema,
} from './schemas/realtor.js';
export * from './schemas/roots.js';
export { SERVICE_RESPONSE_NODES, type ServiceResponse, ServiceResponseSchema } from './schemas/service-response.js';
export { EmailSchema, type UserLanguage, UuidSchema } from './schemas/xsd.js';
export {
  DATE_UPDATED_KIND,
  type IndomioSyncClient,
  type IndomioSyncClock,
  type IndomioSyncOptions,
  indomioTarget,
  MEDIA_SENT_KIND,
  type PropertiesSyncOptions,
  REALTOR_SENT_KIND,
  realtorFromAgent,
  type SyncPropertyInput,
  syncListings,
  syncProperties,
} from './sync.js';
export * from './typologies.js';
export { VERSION } from './version.js';
export { buildPropertyXml, propertyDocument, propertyFragment, validateProperty } from './xml/build.js';
export { buildFeedXml, type FeedDocumentInput, FeedDocumentSchema } from './xml/feed-document.js';
export {
  assertNoDoctype,
  decodeXmlText,
  parseServiceResponse,
  parseXmlSafely,
  textOf,
  XmlParseError,
} from './xml/parse.js';
export { buildPartialXml, partialDocument, validatePartialUpdate, writePartial } from './xml/partial.js';
export {
  buildRealtorsXml,
  realtorsDocument,
  validateRealtorsUpdate,
  writeRealtor,
  writeRealtors,
  writeRealtorsUpdate,
} from './xml/realtor.js';
export { buildAuctionXml, buildProjectXml, writeAuction, writeProject } from './xml/roots.js';
