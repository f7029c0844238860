export { type CommandIo, formatStatus, loadConfig, parseDuration, runCommand, USAGE } from './command.js';
export type {
  AccountStore,
  FleetConfig,
  FleetRedisOptions,
  ItemFailure,
  PortalConfig,
  RoundContext,
} from './config.js';
export {
  type FleetWorker,
  type FleetWorkerOptions,
  type RoundJobData,
  type RoundProgress,
  type RoundSummary,
  SyncFleet,
} from './fleet.js';
export { createLeases, type LeaseOptions, type Leases } from './lease.js';
export { type FleetMetrics, type PortalCounters, type QueueDepth, toPrometheus } from './metrics.js';
export { RedisRateLimiter, type RedisRateLimiterOptions, RoundDeferral } from './rate-limiter.js';
export { VERSION } from './version.js';
