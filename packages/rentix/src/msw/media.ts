import { randomUUID } from 'node:crypto';
import type { MockJob, MockMedia } from './model.js';
import { isObject } from './model.js';
import { MockHttpError } from './responses.js';
import type { RentixStore } from './store.js';
import { checkExternalId } from './validate.js';

/** The file a listing's photo refers to: a known one by CRM id, or a new processed one. */
export function fileFor(s: RentixStore, url: string, externalFileId: string | undefined): string {
  if (externalFileId !== undefined) {
    const known = s.mediaByExternalId(externalFileId);
    if (known) return known.id;
  }
  const media: MockMedia = {
    id: randomUUID(),
    externalId: externalFileId ?? null,
    originalUrl: url,
    size: 245_760,
    contentType: 'image/jpeg',
    optimization: 'completed',
    blurhash: 'LEHV6nWB2yk8pyo0adR*.7kCMdnj',
  };
  s.media.set(media.id, media);
  s.mediaIndex.note(media);
  return media.id;
}

/** The file with this Rentix id; 404 when there is none. */
export function mediaById(s: RentixStore, id: string): MockMedia {
  const media = s.media.get(id);
  if (!media) throw new MockHttpError(404, 'Media not found');
  return media;
}

/** The file with this CRM id; 404 when there is none. */
export function mediaByExternal(s: RentixStore, externalId: string): MockMedia {
  const media = s.mediaByExternalId(externalId);
  if (!media) throw new MockHttpError(404, 'Media not found');
  return media;
}

/** A file as the API returns it, with its variants once processed. */
export function mediaView(media: MockMedia) {
  const done = media.optimization === 'completed';
  return {
    id: media.id,
    externalId: media.externalId,
    size: media.size,
    contentType: media.contentType,
    optimization: media.optimization,
    blurhash: media.blurhash,
    originalUrl: media.originalUrl,
    variants: done
      ? (['128', '512', '1024'] as const).map((variantSize) => ({
          url: `https://cdn.rentix.md/media/${media.id}/${variantSize}.webp`,
          variantSize,
          size: Number(variantSize) * 40,
        }))
      : [],
  };
}

/** `POST /media/upload-from-url`: a pending file and its upload job. */
export function uploadMedia(s: RentixStore, body: unknown) {
  if (!isObject(body)) throw new MockHttpError(400, 'Request body must be an object');
  const messages: string[] = [];
  try {
    const url = new URL(String(body.url));
    if (url.protocol !== 'http:' && url.protocol !== 'https:') messages.push('url must be a URL address');
  } catch {
    messages.push('url must be a URL address');
  }
  messages.push(...checkExternalId(body.externalId));
  if (messages.length > 0) throw new MockHttpError(400, messages);
  const externalId = typeof body.externalId === 'string' ? body.externalId : null;
  let media = externalId === null ? undefined : s.mediaByExternalId(externalId);
  if (!media) {
    media = {
      id: randomUUID(),
      externalId,
      originalUrl: String(body.url),
      size: null,
      contentType: null,
      optimization: 'pending',
      blurhash: null,
    };
    s.media.set(media.id, media);
    s.mediaIndex.note(media);
  } else {
    media.originalUrl = String(body.url);
    media.optimization = 'pending';
  }
  const job = startJob(s, 'media_upload', media.id);
  return { mediaId: media.id, status: 'pending', externalId, jobId: job.id };
}

/** Deletes a file and takes it out of every listing. */
export function deleteMedia(s: RentixStore, media: MockMedia) {
  s.media.delete(media.id);
  for (const listing of s.listings.values()) {
    if (listing.fileIds.includes(media.id)) listing.fileIds = listing.fileIds.filter((id) => id !== media.id);
  }
  return { deleted: true };
}

/** Starts a background job on the portal clock. */
export function startJob(s: RentixStore, type: MockJob['type'], targetId: string): MockJob {
  const job: MockJob = {
    id: randomUUID(),
    type,
    status: 'pending',
    createdAt: s.now(),
    targetId,
    publicErrorMessage: null,
  };
  s.jobs.set(job.id, job);
  s.openJobs.add(job.id);
  return job;
}

/**
 * Ends an open job; a publishing job makes its listing `active` or `publish_failed`.
 * `failed_retryable` is a temporary failure the client may retry.
 */
export function finish(s: RentixStore, job: MockJob, status: 'completed' | 'failed' | 'failed_retryable'): void {
  if (!s.openJobs.has(job.id)) return;
  s.openJobs.delete(job.id);
  job.status = status;
  if (job.type === 'announcement_finalize') {
    const listing = s.listings.get(job.targetId);
    if (listing && listing.formData.announcementStatus === 'pending_active') {
      listing.formData.announcementStatus = status === 'completed' ? 'active' : 'publish_failed';
    }
  } else {
    const media = s.media.get(job.targetId);
    if (media) {
      media.optimization = status === 'completed' ? 'completed' : 'failed';
      if (status === 'completed') {
        media.size = 245_760;
        media.contentType = 'image/jpeg';
        media.blurhash = 'LEHV6nWB2yk8pyo0adR*.7kCMdnj';
      }
    }
  }
}

/** `GET /job/status`: where a job stands. */
export function jobStatus(s: RentixStore, id: string | null) {
  if (!id) throw new MockHttpError(400, ['id should not be empty']);
  const job = s.jobs.get(id);
  if (!job) throw new MockHttpError(404, 'Job not found');
  const open = [...s.openJobs];
  const position = open.indexOf(job.id);
  const age = s.now() - job.createdAt;
  const status = position === -1 ? job.status : age * 2 >= s.jobDurationMs ? 'processing' : 'pending';
  return {
    id: job.id,
    type: job.type,
    status,
    queuePosition: status === 'pending' ? position : null,
    createdAt: new Date(job.createdAt).toISOString(),
    ...(job.status === 'completed' ? { resultData: { targetId: job.targetId } } : {}),
    ...(job.publicErrorMessage ? { publicErrorMessage: job.publicErrorMessage } : {}),
  };
}

/**
 * `POST /media/signed-url`: a URL below the mock's root that takes the file's bytes
 * (see `SignedUploads`); the file is known at once, pending until they arrive.
 */
export function signMediaUpload(s: RentixStore, body: unknown, requestUrl: string, path: string) {
  if (!isObject(body)) throw new MockHttpError(400, 'Request body must be an object');
  const problems = checkExternalId(body.externalId);
  if (problems.length > 0) throw new MockHttpError(400, problems);
  const externalId = typeof body.externalId === 'string' ? body.externalId : null;
  const known = externalId === null ? undefined : s.mediaByExternalId(externalId);
  const id = known?.id ?? randomUUID();
  const signed = s.signedUploads.sign(id, body, requestUrl, path, s.now());
  if (!known) {
    const media: MockMedia = {
      id,
      externalId,
      originalUrl: '',
      size: null,
      contentType: null,
      optimization: 'pending',
      blurhash: null,
    };
    s.media.set(media.id, media);
    s.mediaIndex.note(media);
  }
  return { ...signed, externalId };
}
