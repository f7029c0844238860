/**
 * A mock Indomio import portal for MSW: add {@link createIndomioHandlers} to your own
 * server (this module never starts one), or serve them over HTTP for end-to-end tests.
 *
 * @packageDocumentation
 * @module @sync/indomio/msw
 */
export { type AnswerFields, httpStatusOf, type MockAnswer } from './answer.js';
export { createIndomioHandlers, type IndomioHandlersOptions } from './handlers.js';
export {
  DEFAULT_TYPOLOGIES,
  type IndomioFailNextOptions,
  IndomioMockPortal,
  type IndomioMockPortalOptions,
  type MockAgency,
  type MockListing,
  type MockRequest,
} from './portal.js';
export { CURRENCIES, type MockTypology } from './rules.js';
export { SchemaValidator, type SchemaVerdict, VALIDATOR_PACKAGE } from './validate.js';
