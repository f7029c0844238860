/**
 * Shared mechanisms of the `@sync` portal clients: the HTTP pipeline with
 * authentication, safe retries and rate limits; batching with per-item reports;
 * identifier maps (memory, SQLite, JSON file; PostgreSQL and Redis in `@sync/core/postgres`
 * and `@sync/core/redis`); fingerprints; and the error classes every client throws.
 *
 * @packageDocumentation
 */
export {
  type AccessToken,
  type AuthStrategy,
  apiKeyAuth,
  type BearerAuthOptions,
  basicAuth,
  bearerAuth,
  type TokenProvider,
} from './auth.js';
export {
  type BatchContext,
  type BatchOptions,
  type BatchProgress,
  type BatchReport,
  type BatchWorker,
  chunk,
  type Failed,
  type ItemOutcome,
  refuseRepeatedKeys,
  runBatches,
  type Skipped,
  type Succeeded,
  type WorkerOutcome,
} from './batch.js';
export {
  AuthenticationError,
  ConflictError,
  createHttpError,
  type ErrorContext,
  HttpError,
  type HttpErrorOptions,
  httpErrorClass,
  type InputIssue,
  InputValidationError,
  isSyncError,
  MAX_ERROR_BODY,
  NetworkError,
  NotFoundError,
  PermissionError,
  parseInput,
  RateLimitError,
  type RateLimitErrorOptions,
  RETRYABLE_STATUS,
  ServerError,
  SyncError,
  type SyncErrorOptions,
  TimeoutError,
  toInputIssues,
  UnexpectedResponseError,
  ValidationError,
} from './errors.js';
export {
  type HttpEventBase,
  type HttpEvents,
  type Listener,
  type RateLimitedEvent,
  type RequestEvent,
  type ResponseEvent,
  type RetryEvent,
  TypedEmitter,
} from './events.js';
export { canonicalJson, fingerprint } from './fingerprint.js';
export {
  type CheckedResponse,
  HttpClient,
  type HttpClientOptions,
  type HttpMethod,
  type HttpResponse,
  parseJsonSafely,
  path,
  type QueryInit,
  type RequestOptions,
  type ResponseProblem,
} from './http-client.js';
export {
  DEFAULT_ACCOUNT,
  type IdentifierEntry,
  type IdentifierMap,
  type IdentifierWrite,
  type IdentifierWriteResult,
  JsonFileIdentifierMap,
  MemoryIdentifierMap,
  nextVersion,
} from './identifier-map.js';
export {
  type Listing,
  type ListingAddress,
  ListingAddressSchema,
  type ListingAgent,
  ListingAgentSchema,
  type ListingPhoto,
  ListingPhotoSchema,
  ListingSchema,
  type ListingTypeKey,
  type LocalizedText,
  LocalizedTextSchema,
  PROPERTY_CATEGORIES,
  PROPERTY_TYPES,
  type PropertyCategory,
  type PropertyType,
} from './listing.js';
export {
  type RateLimit,
  RateLimitBucket,
  RateLimiter,
  type RateLimitWait,
  raceAbort,
  readRateLimitHeaders,
  type ServerRateLimitState,
  sleep,
} from './rate-limiter.js';
export { isSensitiveName, REDACTED, Redactor } from './redact.js';
export {
  backoffCeiling,
  DEFAULT_RETRY,
  fullJitterDelay,
  IDEMPOTENT_METHODS,
  RetryBudget,
  type RetryBudgetOptions,
  type RetryOptions,
  resetToDelayMs,
  retryAfterMs,
  serverRetryDelayMs,
} from './retry.js';
export { compiledSchema } from './schema.js';
export { SQLITE_SCHEMA, SqliteIdentifierMap, type SqliteIdentifierMapOptions } from './sqlite-identifier-map.js';
export {
  type SyncDone,
  type SyncHandlers,
  type SyncItemsOptions,
  type SyncReport,
  type SyncTask,
  syncItems,
  UNCHANGED,
} from './sync.js';
export {
  REMOVED,
  type SyncPlan,
  type SyncRecord,
  type SyncRecordOptions,
  type SyncRecordResult,
  SyncState,
} from './sync-state.js';
