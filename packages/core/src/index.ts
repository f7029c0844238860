/**
 * Shared mechanisms of the `@sync` portal clients: the HTTP pipeline with
 * authentication, safe retries and rate limits; batching with per-item reports;
 * identifier maps (memory, SQLite, JSON file; PostgreSQL and Redis in `@sync/core/postgres`
 * and `@sync/core/redis`); fingerprints; the sync mechanism under every portal package's
 * sync call (`syncItems`, `syncPortals`); and the error classes every client throws.
 *
 * @packageDocumentation
 * @module @sync/core
 * @document ../README.md
 */
export {
  type AccessToken,
  type AuthStrategy,
  apiKeyAuth,
  type BearerAuthOptions,
  basicAuth,
  bearerAuth,
  checkCredentials,
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
export { type ClientOptions, httpClientOptions, type PortalHttpOptions } from './client-options.js';
export {
  DEFAULT_DOWNLOAD_MAX_BYTES,
  DEFAULT_DOWNLOAD_TIMEOUT_MS,
  type DownloadOptions,
  type DownloadResult,
  download,
} from './download.js';
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
  loneSurrogateIssues,
  MAX_ERROR_BODY,
  NetworkError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  type RateLimitErrorOptions,
  RETRYABLE_STATUS,
  RedirectError,
  type RedirectErrorOptions,
  ServerError,
  StateLockedError,
  type StateLockHolder,
  StateStoreError,
  type StateStoreErrorOptions,
  type StateStoreProblem,
  SyncError,
  type SyncErrorOptions,
  TimeoutError,
  toInputIssues,
  UnexpectedResponseError,
  ValidationError,
} from './errors.js';
export {
  forwardHttpEvents,
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
  MemoryIdentifierMap,
  nextVersion,
  SingleEntryWrites,
} from './identifier-map.js';
export { JsonDepthError, MAX_JSON_DEPTH, parseJsonSafely } from './json.js';
export { JsonFileIdentifierMap } from './json-file-identifier-map.js';
export {
  HOUSING_MARKETS,
  type HousingMarket,
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
  PROPERTY_CONDITIONS,
  PROPERTY_TYPES,
  type PropertyCategory,
  type PropertyCondition,
  type PropertyType,
} from './listing.js';
export { environmentLogger, type Logger, logHttpEvents } from './logger.js';
export {
  ByteLimitSchema,
  booleanOption,
  checkOptions,
  checkServiceUrl,
  DelayMsSchema,
  DurationMsSchema,
  HttpClientOptionsSchema,
  ownOption,
  PositiveIntegerSchema,
  RateLimitSchema,
  RetryBudgetOptionsSchema,
  RetryOptionsSchema,
  type ServiceUrlOptions,
} from './options.js';
export {
  type CollectOptions,
  collect,
  type IterateOptions,
  iteratePages,
  type Page,
  type PageWalk,
} from './pagination.js';
export {
  MIN_SERVER_LIMIT_FRACTION,
  type RateLimit,
  RateLimitBucket,
  RateLimiter,
  type RateLimitWait,
  raceAbort,
  readRateLimitHeaders,
  type ServerRateLimitState,
  type SharedRateLimiter,
  sleep,
} from './rate-limiter.js';
export { isSensitiveName, MAX_REQUEST_ID, REDACTED, Redactor } from './redact.js';
export {
  type CallOptions,
  callOptions,
  callResource,
  type ResourceRequest,
  type ResourceResponse,
} from './resource.js';
export {
  backoffCeiling,
  DEFAULT_RETRY,
  decideRetry,
  type FailedAttempt,
  fullJitterDelay,
  IDEMPOTENT_METHODS,
  RetryBudget,
  type RetryBudgetOptions,
  type RetryDecision,
  type RetryOptions,
  type RetryRefusalReason,
  resetToDelayMs,
  retryAfterMs,
  retryPolicy,
  serverRetryDelayMs,
} from './retry.js';
export { compiledPart, compiledSchema, parseInput, parseResponse, type ResponseContext } from './schema.js';
export { SQLITE_SCHEMA, SqliteIdentifierMap, type SqliteIdentifierMapOptions } from './sqlite-identifier-map.js';
export {
  type BulkSyncHandlers,
  failureReason,
  type ItemSyncHandlers,
  type SyncAction,
  type SyncHandlers,
  type SyncItemRules,
  type SyncItemsOptions,
  type SyncOptions,
  type SyncOutcome,
  type SyncReport,
  type SyncWrite,
  type SyncWritten,
  syncItems,
  syncItemsOptions,
  UNCHANGED,
} from './sync.js';
export {
  type SyncPortalsOptions,
  type SyncPortalsProgress,
  type SyncRunOptions,
  type SyncTarget,
  syncPortals,
  syncTarget,
} from './sync-portals.js';
export {
  REMOVED,
  type SyncPlan,
  type SyncRecord,
  type SyncRecordOptions,
  type SyncRecordResult,
  SyncState,
} from './sync-state.js';
export { DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_MAX_SOCKETS } from './transport.js';
