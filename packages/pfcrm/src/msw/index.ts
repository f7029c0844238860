/**
 * A mock of the Property Finder CRM API v2 for MSW: handlers backed by an in-memory
 * account ({@link PfCrmMockPortal}) with tokens, rights, filters, bulk actions and
 * fault switches. Add the handlers to your own server; this module never starts one.
 *
 * @packageDocumentation
 */
export { createPfCrmHandlers, type PfCrmHandlersOptions } from './handlers.js';
export { type PhpValue, parsePhpQuery } from './php-query.js';
export {
  ALL_RIGHTS,
  MOCK_AMENITIES,
  MOCK_TYPES,
  type MockApiClient,
  type MockEmail,
  type MockErrorBody,
  type MockFieldError,
  MockHttpError,
  type MockProperty,
  type MockRecord,
  type MockRequestLog,
  type MockUpload,
  PfCrmMockPortal,
  type PfCrmMockPortalOptions,
} from './portal.js';
