export type { AccountStore, FleetConfig, ItemFailure, PortalConfig, RoundContext } from './config.js';
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
