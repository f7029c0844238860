import type { AnnouncementStatus } from './schemas/common.js';

/** What to do next with a listing in a given status, as Rentix's listings overview says. */
export interface StatusGuidance {
  /** The status. */
  status: AnnouncementStatus;
  /** Who sees the listing: everyone on the site, or only the agency. */
  visibility: 'public' | 'agency';
  /**
   * The next step: `publish` (add photos, set active), `wait` (processing), `none`
   * (on the site), `restore` / `renew` (set active), `reopen` (set active or hidden),
   * `fix-and-retry` (correct the listing and publish again), `contact-support`.
   */
  next: 'publish' | 'wait' | 'none' | 'restore' | 'renew' | 'reopen' | 'fix-and-retry' | 'contact-support';
  /** The statuses the listing may be set to from here through the API. */
  canSetTo: readonly AnnouncementStatus[];
  /** The step in words. */
  action: string;
  /** Whether a person (not the sync) has to act: a failed publication or a blocked listing. */
  needsAttention: boolean;
}

/** Guidance per status, from Rentix's listings overview. */
export const STATUS_GUIDANCE: Readonly<Record<AnnouncementStatus, StatusGuidance>> = {
  draft: {
    status: 'draft',
    visibility: 'agency',
    next: 'publish',
    canSetTo: ['active', 'hidden'],
    action: 'add photos, then set active',
    needsAttention: false,
  },
  pending_active: {
    status: 'pending_active',
    visibility: 'agency',
    next: 'wait',
    canSetTo: [],
    action: 'wait until processing completes',
    needsAttention: false,
  },
  active: {
    status: 'active',
    visibility: 'public',
    next: 'none',
    canSetTo: ['hidden', 'completed'],
    action: 'the listing is on the site',
    needsAttention: false,
  },
  hidden: {
    status: 'hidden',
    visibility: 'agency',
    next: 'restore',
    canSetTo: ['active'],
    action: 'set active to restore',
    needsAttention: false,
  },
  expired: {
    status: 'expired',
    visibility: 'agency',
    next: 'renew',
    canSetTo: ['active'],
    action: 'set active to renew',
    needsAttention: false,
  },
  completed: {
    status: 'completed',
    visibility: 'public',
    next: 'reopen',
    canSetTo: ['active', 'hidden'],
    action: 'the deal is closed; set active or hidden to change that',
    needsAttention: false,
  },
  publish_failed: {
    status: 'publish_failed',
    visibility: 'agency',
    next: 'fix-and-retry',
    canSetTo: ['active'],
    action: 'fix the listing and set active again',
    needsAttention: true,
  },
  blocked: {
    status: 'blocked',
    visibility: 'agency',
    next: 'contact-support',
    canSetTo: [],
    action: 'contact Rentix support',
    needsAttention: true,
  },
};

/**
 * What to do with a listing in `status` (`expired` → set active to renew, `blocked` →
 * contact support…); `undefined` for a status Rentix has not documented.
 *
 * @example
 * const listing = await rentix.listings.getByExternalId('crm-7');
 * if (listing.next?.needsAttention) console.warn(listing.next.action);
 */
export function statusGuidance(status: string | null | undefined): StatusGuidance | undefined {
  return typeof status === 'string' && Object.hasOwn(STATUS_GUIDANCE, status)
    ? STATUS_GUIDANCE[status as AnnouncementStatus]
    : undefined;
}
