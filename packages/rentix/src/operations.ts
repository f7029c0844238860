import type {
  DeleteOperation,
  LinkOperation,
  UnlinkOperation,
  UpsertOperation,
  ValidateOperation,
} from './schemas/bulk.js';
import type { ListingInput } from './schemas/listing.js';

/** Which record an `unlink` or `delete` concerns: a Rentix id, or the CRM's id. */
export type RecordKey = { id: string; externalId?: undefined } | { externalId: string; id?: undefined };

/**
 * Builders of the operations of `POST /listings/bulk`, typed per operation:
 * `rentix.listings.bulk([ops.upsert(listing), ops.unlink({ externalId: 'crm-7' })])`.
 *
 * @example
 * const report = await rentix.listings.bulk([ops.upsert(myListing), ops.delete({ externalId: 'crm-3' })]);
 * console.info(`${report.succeeded} done, ${report.failed} failed`);
 */
export const ops = {
  /** Create or update a listing keyed by `externalId` (or `id`); send only what changed if you like. */
  upsert(listing: ListingInput): UpsertOperation {
    return { ...listing, op: 'upsert' };
  },
  /** Check a listing as `upsert` would, without saving it. */
  validate(listing: ListingInput): ValidateOperation {
    return { ...listing, op: 'validate' };
  },
  /** Attach the CRM id `externalId` to the Rentix listing `id`. */
  link(id: string, externalId: string): LinkOperation {
    return { op: 'link', id, externalId };
  },
  /** Remove the CRM id of a listing. */
  unlink(key: RecordKey): UnlinkOperation {
    return { op: 'unlink', ...key };
  },
  /** Delete a listing. Hiding it (`upsert` with `announcementStatus: 'hidden'`) keeps its history. */
  delete(key: RecordKey): DeleteOperation {
    return { op: 'delete', ...key };
  },
} as const;

/**
 * Builders of the operations of `POST /users/bulk`.
 *
 * @example
 * ```ts
 * const report = await rentix.users.bulk([userOps.link('u-17', 'crm-agent-4'), userOps.unlink({ externalId: 'crm-agent-9' })]);
 * ```
 */
export const userOps = {
  /** Attach the CRM id `externalId` to the Rentix user `id`. */
  link(id: string, externalId: string): LinkOperation {
    return { op: 'link', id, externalId };
  },
  /** Remove the CRM id of a user. */
  unlink(key: RecordKey): UnlinkOperation {
    return { op: 'unlink', ...key };
  },
} as const;
