/**
 * A mock Rentix portal for tests: `createRentixHandlers` returns MSW handlers backed
 * by an in-memory {@link RentixMockPortal} that behaves as Rentix documents it.
 * This module never starts a server; add the handlers to yours.
 *
 * @packageDocumentation
 * @module @sync/rentix/msw
 */
export { createRentixHandlers, type RentixHandlersOptions } from './handlers.js';
export type {
  MockAgency,
  MockJob,
  MockListing,
  MockMedia,
  MockRateLimit,
  MockRequestRecord,
  MockUser,
  RentixMockPortalOptions,
} from './model.js';
export { DEFAULT_MOCK_API_KEY, type RentixFailNextOptions, RentixMockPortal } from './portal.js';
export type { MockBaseSchema } from './reference.js';
