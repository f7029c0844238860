import type { MockRateLimit } from '@sync/core/msw';

export type { MockRateLimit } from '@sync/core/msw';

/** The agency of the mock portal; change it to simulate a suspension or a disabled CRM. */
export interface MockAgency {
  /** Agency id. */
  id: string;
  /** Agency name. */
  name: string;
  /** `active`, or `suspended` to get 403 `Agency is suspended`. */
  status: 'active' | 'suspended';
  /** `false` to get 403 `CRM is not enabled for this agency`. */
  isCrmEnabled: boolean;
  /** Listings created this month and the monthly cap. */
  limits: { monthlyListings: { used: number; limit: number } };
}

/** A stored listing. */
export interface MockListing {
  /** Rentix id. */
  id: string;
  /** The CRM's id, or `null` when unlinked. */
  externalId: string | null;
  /** Creation time (ISO). */
  createdAt: string;
  /** Last change (ISO). */
  updatedAt: string;
  /** Last change made through the API (ISO). */
  lastSyncedAt: string | null;
  /** Public page. */
  publicUrl: string;
  /** Form fields, `announcementStatus` included. */
  formData: Record<string, unknown>;
  /** The agent, or `null` for the agency. */
  userId: string | null;
  /** Ids of its photos in the portal's `media`, in order. */
  fileIds: string[];
}

/** A stored user (agent). */
export interface MockUser {
  /** Rentix id. */
  id: string;
  /** The CRM's id, or `null`. */
  externalId: string | null;
  /** Name. */
  name: string | null;
  /** Phone as the agent entered it. */
  phone: string | null;
  /** Role in the agency. */
  role: string;
  /** Any other profile field. */
  [field: string]: unknown;
}

/** A stored file. */
export interface MockMedia {
  /** Rentix id. */
  id: string;
  /** The CRM's id, or `null`. */
  externalId: string | null;
  /** Where it was downloaded from. */
  originalUrl: string;
  /** Bytes. */
  size: number | null;
  /** MIME type. */
  contentType: string | null;
  /** `pending` until processed, then `completed`. */
  optimization: 'pending' | 'completed' | 'failed';
  /** Placeholder hash, once processed. */
  blurhash: string | null;
}

/** A background job. */
export interface MockJob {
  /** Job id. */
  id: string;
  /** `announcement_finalize` (publishing a listing) or `media_upload`. */
  type: 'announcement_finalize' | 'media_upload';
  /** Current status. */
  status: 'pending' | 'processing' | 'completed' | 'failed' | 'failed_retryable';
  /** Creation time in ms (portal clock). */
  createdAt: number;
  /** The listing or media it works on. */
  targetId: string;
  /** Message of a failed job. */
  publicErrorMessage: string | null;
}

/** One request the mock answered. */
export interface MockRequestRecord {
  /** HTTP method. */
  method: string;
  /** Path below the base URL, e.g. `/listings/bulk`. */
  path: string;
  /** Status answered; `0` for a dropped connection. */
  status: number;
  /** Size of the request body in bytes. */
  bodyBytes: number;
  /** Operations in a bulk request. */
  operations?: number | undefined;
  /** When it arrived (portal clock, ms). */
  at: number;
}

/** Options of `RentixMockPortal`. */
export interface RentixMockPortalOptions {
  /** Accepted API keys (default `rentix-test-key`). */
  apiKeys?: readonly string[] | undefined;
  /** Agency fields to start with. */
  agency?: Partial<Omit<MockAgency, 'limits'>> & { monthlyListingLimit?: number | undefined };
  /**
   * Rate limits (default 300/min in all, 30/min for bulk endpoints); shorten the
   * windows to test throttling quickly, or `false` to switch limiting off.
   */
  rateLimits?: { default?: MockRateLimit | undefined; bulk?: MockRateLimit | undefined } | false | undefined;
  /**
   * Where a rate-limit window starts: at the first request after the last one ended
   * (`'first-request'`, default, as a per-key counter with a time to live works), or on
   * multiples of the window on the clock (`'clock'`).
   */
  windowStart?: 'first-request' | 'clock' | undefined;
  /**
   * How long a job takes on the portal clock (default 100 ms). `Infinity` leaves jobs
   * pending until the test calls `completeJob`.
   */
  jobDurationMs?: number | undefined;
  /** Largest accepted body in bytes (default 512 KB). */
  maxBodyBytes?: number | undefined;
  /** The portal's clock (default: `Date.now()`, read each time, so fake timers move it). */
  now?: (() => number) | undefined;
}

/** A request body or bulk operation, as parsed JSON. */
export type Body = Record<string, unknown>;

/** Whether `value` is a JSON object. */
export function isObject(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
