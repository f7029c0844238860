import { randomUUID } from 'node:crypto';
import { queryListings } from './listings-query.js';
import { fileFor, startJob } from './media.js';
import type { MockListing, MockMedia } from './model.js';
import { type Body, isObject } from './model.js';
import { checkCombination } from './reference.js';
import { MockHttpError } from './responses.js';
import type { RentixStore } from './store.js';
import { userById } from './users.js';
import { checkExternalId, checkListingFields, checkMergedListing } from './validate.js';

/** Fields of a listing payload that are not form fields. */
const LISTING_RESERVED = new Set(['op', 'id', 'externalId', 'files', 'fileIds', 'user', 'userId']);

/** The listing with this Rentix id; 404 when there is none. */
export function listingById(s: RentixStore, id: string): MockListing {
  const listing = s.listings.get(id);
  if (!listing) throw new MockHttpError(404, 'Listing not found');
  return listing;
}

/** The listing with this CRM id; 404 when there is none. */
export function listingByExternal(s: RentixStore, externalId: string): MockListing {
  const listing = s.listingByExternalId(externalId);
  if (!listing) throw new MockHttpError(404, 'Listing not found');
  return listing;
}

/** `GET /listings`: the listings that pass the query's filters, from `offset`, at most `limit` (see `queryListings`). */
export function listListings(s: RentixStore, query: URLSearchParams): unknown[] {
  return queryListings(s.listings.values(), query).map((l) => listingView(s, l));
}

/** A listing as the API returns it, with its user and files. */
export function listingView(s: RentixStore, listing: MockListing) {
  const user = listing.userId ? s.users.get(listing.userId) : undefined;
  return {
    id: listing.id,
    externalId: listing.externalId,
    publicUrl: listing.publicUrl,
    createdAt: listing.createdAt,
    updatedAt: listing.updatedAt,
    lastSyncedAt: listing.lastSyncedAt,
    formData: { id: listing.id, ...listing.formData },
    user: user
      ? { id: user.id, externalId: user.externalId, name: user.name, phone: user.phone, role: user.role }
      : null,
    files: listing.fileIds
      .map((id) => s.media.get(id))
      .filter((m): m is MockMedia => m !== undefined)
      .map((m) => ({
        id: m.id,
        externalId: m.externalId,
        contentType: m.contentType,
        size: m.size === null ? null : String(m.size),
        optimization: m.optimization,
      })),
  };
}

/** `PUT /listings`: one upsert. */
export function putListing(s: RentixStore, body: unknown): { body: unknown; status?: number } {
  if (!isObject(body)) throw new MockHttpError(400, 'Request body must be an object');
  const result = upsertListing(s, body, false);
  return { body: result };
}

/**
 * Creates or updates a listing from a payload; with `dryRun` only checks it. Throws
 * a {@link MockHttpError} with every problem found.
 */
export function upsertListing(s: RentixStore, body: Body, dryRun: boolean): Record<string, unknown> {
  const messages = checkListingFields(body);
  if (body.id === undefined && body.externalId === undefined) {
    messages.push('Either id or externalId must be provided');
  }
  if (messages.length > 0) throw new MockHttpError(400, messages);
  let existing: MockListing | undefined;
  if (typeof body.id === 'string') {
    existing = listingById(s, body.id);
    if (typeof body.externalId === 'string') {
      const other = s.listingByExternalId(body.externalId);
      if (other && other !== existing) {
        throw new MockHttpError(400, `externalId "${body.externalId}" is already used by another listing`);
      }
    }
  } else if (typeof body.externalId === 'string') {
    existing = s.listingByExternalId(body.externalId);
  }
  const fields: Body = {};
  for (const [key, value] of Object.entries(body)) if (!LISTING_RESERVED.has(key)) fields[key] = value;
  const previousStatus = existing?.formData.announcementStatus;
  const formData: Body = { ...(existing?.formData ?? { announcementStatus: 'draft' }), ...fields };
  const files = Array.isArray(body.files) ? (body.files as Array<{ url: string; externalFileId?: string }>) : undefined;
  const fileIds = Array.isArray(body.fileIds) ? (body.fileIds as unknown[]).map(String) : undefined;
  const missingFiles = (fileIds ?? []).flatMap((id, i) =>
    s.media.has(id) ? [] : [`fileIds.${i}: media ${id} not found`],
  );
  if (missingFiles.length > 0) throw new MockHttpError(400, missingFiles);
  const photoCount =
    (files || fileIds ? 0 : (existing?.fileIds.length ?? 0)) + (files?.length ?? 0) + (fileIds?.length ?? 0);
  const requested = body.announcementStatus ?? (existing ? undefined : 'draft');
  const mergedProblems = [
    ...checkCombination(s.referenceSchema, formData),
    ...checkMergedListing({ formData, photoCount }, requested ?? previousStatus),
  ];
  if (mergedProblems.length > 0) throw new MockHttpError(400, mergedProblems);
  const userId = resolveUser(s, body);
  if (!existing) {
    const { used, limit } = s.agency.limits.monthlyListings;
    if (used >= limit) throw new MockHttpError(403, `Monthly listing limit reached (${limit})`);
  }
  if (dryRun) return { id: existing?.id ?? null, externalId: body.externalId ?? existing?.externalId ?? null };

  const now = new Date(s.now()).toISOString();
  const listing: MockListing = existing ?? {
    id: randomUUID(),
    externalId: null,
    createdAt: now,
    updatedAt: now,
    lastSyncedAt: null,
    publicUrl: '',
    formData: {},
    userId: null,
    fileIds: [],
  };
  if (!existing) {
    listing.publicUrl = `https://rentix.md/listing/${listing.id}`;
    s.listings.set(listing.id, listing);
    s.listingIndex.note(listing);
    s.agency.limits.monthlyListings.used++;
  }
  if (typeof body.externalId === 'string') s.setListingExternalId(listing, body.externalId);
  if (files || fileIds) {
    listing.fileIds = [...(fileIds ?? []), ...(files ?? []).map((f) => fileFor(s, f.url, f.externalFileId))];
  }
  if (userId !== undefined) listing.userId = userId;
  let jobId: string | null = null;
  const wasLive = previousStatus === 'active' || previousStatus === 'pending_active';
  if (previousStatus === 'blocked') {
    // Only Rentix's support lifts a block: the listing's other fields change, its status does not.
    formData.announcementStatus = 'blocked';
  } else if (body.announcementStatus === 'active' && !wasLive) {
    formData.announcementStatus = 'pending_active';
    jobId = startJob(s, 'announcement_finalize', listing.id).id;
  } else if (body.announcementStatus === 'active' && wasLive) {
    formData.announcementStatus = previousStatus;
  }
  listing.formData = formData;
  listing.updatedAt = now;
  listing.lastSyncedAt = now;
  const status = listing.formData.announcementStatus;
  return existing
    ? { id: listing.id, externalId: listing.externalId, status, updated: true, jobId }
    : { id: listing.id, externalId: listing.externalId, status, publicUrl: listing.publicUrl, created: true, jobId };
}

/** The user a listing payload names: an id, `null` for the agency, `undefined` when it names none. */
export function resolveUser(s: RentixStore, body: Body): string | null | undefined {
  if (body.user === null) return null;
  if (isObject(body.user)) {
    const { externalUserId, id } = body.user as { externalUserId?: string; id?: string };
    // A CRM agent not linked yet: the listing shows the agency instead.
    if (typeof id === 'string') return userById(s, id).id;
    if (typeof externalUserId === 'string') return s.userByExternalId(externalUserId)?.id ?? null;
  }
  if (typeof body.userId === 'string') return userById(s, body.userId).id;
  return undefined;
}

/** Links a listing to a CRM id; 400 when another listing has it. */
export function linkListing(s: RentixStore, id: string, body: unknown) {
  const listing = listingById(s, id);
  const externalId = isObject(body) ? body.externalId : undefined;
  const problems = externalId === undefined ? ['externalId should not be empty'] : checkExternalId(externalId);
  if (problems.length > 0) throw new MockHttpError(400, problems);
  const other = s.listingByExternalId(externalId as string);
  if (other && other !== listing) {
    throw new MockHttpError(400, `externalId "${String(externalId)}" is already used by another listing`);
  }
  s.setListingExternalId(listing, externalId as string);
  return { id: listing.id, externalId: listing.externalId, linked: true };
}

/** Removes a listing's CRM id. */
export function unlinkListing(s: RentixStore, listing: MockListing) {
  const externalId = listing.externalId;
  s.setListingExternalId(listing, null);
  return { id: listing.id, externalId, unlinked: true };
}

/** One operation of `POST /listings/bulk`. */
export function listingOperation(s: RentixStore, op: Body): Record<string, unknown> {
  switch (op.op) {
    case 'upsert':
      return upsertListing(s, op, false);
    case 'validate':
      return upsertListing(s, op, true);
    case 'link':
      if (typeof op.id !== 'string') throw new MockHttpError(400, 'id must be a string');
      return linkListing(s, op.id, op);
    case 'unlink':
      return unlinkListing(s, findListing(s, op));
    case 'delete': {
      const listing = findListing(s, op);
      s.listings.delete(listing.id);
      return { id: listing.id, externalId: listing.externalId, deleted: true };
    }
    default:
      throw new MockHttpError(400, 'op must be one of: upsert, link, unlink, delete, validate');
  }
}

/** The listing an operation names by id or CRM id. */
export function findListing(s: RentixStore, op: Body): MockListing {
  if (typeof op.id === 'string') return listingById(s, op.id);
  if (typeof op.externalId === 'string') return listingByExternal(s, op.externalId);
  throw new MockHttpError(400, 'Either id or externalId must be provided');
}
