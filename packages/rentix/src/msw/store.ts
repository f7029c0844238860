import { ExternalIdIndex } from './external-index.js';
import { SignedUploads } from './media-upload.js';
import type { MockAgency, MockJob, MockListing, MockMedia, MockUser } from './model.js';
import { type MockBaseSchema, mockBaseSchema } from './reference.js';

/**
 * The state of a mock Rentix portal, shared by the rules of each resource
 * (`listings.ts`, `users.ts`, `media.ts`); the portal exposes it to tests.
 */
export class RentixStore {
  /** Listings by Rentix id. */
  readonly listings = new Map<string, MockListing>();
  /** Listings by CRM id. */
  readonly listingIndex = new ExternalIdIndex(this.listings);
  /** Users by Rentix id. */
  readonly users = new Map<string, MockUser>();
  /** Files by Rentix id. */
  readonly media = new Map<string, MockMedia>();
  /** Files by CRM id. */
  readonly mediaIndex = new ExternalIdIndex(this.media);
  /** Jobs by id. */
  readonly jobs = new Map<string, MockJob>();
  /** Ids of the jobs not finished yet. */
  readonly openJobs = new Set<string>();
  /** The portal's clock. */
  readonly now: () => number;
  /** The agency. */
  agency: MockAgency;
  /** How long a job takes; `Infinity` for manual completion. */
  jobDurationMs: number;
  /** The base schema served by `GET /reference/schema/base`; listings are validated against its secondary types. */
  referenceSchema: MockBaseSchema = mockBaseSchema();
  /** Signed upload URLs handed out, until their bytes arrive or they expire. */
  signedUploads = new SignedUploads();

  constructor(now: () => number, agency: MockAgency, jobDurationMs: number) {
    this.now = now;
    this.agency = agency;
    this.jobDurationMs = jobDurationMs;
  }

  /** Empties every store. */
  clear(): void {
    this.listings.clear();
    this.users.clear();
    this.media.clear();
    this.jobs.clear();
    this.openJobs.clear();
    this.referenceSchema = mockBaseSchema();
    this.signedUploads = new SignedUploads();
  }

  /** The listing with this CRM id. */
  listingByExternalId(externalId: string): MockListing | undefined {
    return this.listingIndex.find(externalId);
  }

  /** Links a listing to a CRM id (or unlinks it with `null`), keeping the index in step. */
  setListingExternalId(listing: MockListing, externalId: string | null): void {
    const previous = listing.externalId;
    listing.externalId = externalId;
    this.listingIndex.note(listing, previous);
  }

  /** The user with this CRM id. */
  userByExternalId(externalId: string): MockUser | undefined {
    for (const user of this.users.values()) if (user.externalId === externalId) return user;
    return undefined;
  }

  /** The file with this CRM id. */
  mediaByExternalId(externalId: string): MockMedia | undefined {
    return this.mediaIndex.find(externalId);
  }
}
