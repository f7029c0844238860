/**
 * A mock of the Property Finder CRM API v2 for MSW: handlers backed by an in-memory
 * account ({@link PfCrmMockPortal}) with tokens, rights, every documented filter and
 * sort, the API's refusals, bulk actions and fault switches. Add the handlers to your
 * own server; this module never starts one.
 *
 * @packageDocumentation
 */
export { type MockErrorBody, type MockFieldError, MockHttpError } from './errors.js';
export type { FilterRecord, FilterRule, FilterScope, FilterTable } from './filters.js';
export { createPfCrmHandlers, type PfCrmHandlersOptions } from './handlers.js';
export { LANDLORD_FILTERS } from './landlords.js';
export { LEAD_FILTERS } from './leads.js';
export {
  ALL_RIGHTS,
  type MockApiClient,
  type MockEmail,
  type MockRequestLog,
  type MockUpload,
  type PfCrmMockPortalOptions,
} from './model.js';
export { type PhpQueryOptions, type PhpValue, parsePhpQuery } from './php-query.js';
export { type PfCrmFailNextOptions, PfCrmMockPortal } from './portal.js';
export {
  MOCK_AMENITIES,
  MOCK_TYPES,
  type MockProperty,
  type MockRecord,
  UPLOAD_TOKEN_LIFETIME_MS,
} from './properties.js';
export { PROPERTY_FILTERS, TRANSACTION_FILTERS } from './property-filters.js';
