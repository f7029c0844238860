import {
  DEFAULT_DOWNLOAD_MAX_BYTES,
  DEFAULT_DOWNLOAD_TIMEOUT_MS,
  type DownloadResult,
  download,
  InputValidationError,
  type SyncState,
} from '@sync/core';
import type { PfCrmClient } from './client.js';

/** Kind under which the photo cache lives in the sync state's identifier map (keyed by photo URL). */
export const PHOTO_KIND = 'photo';

/**
 * Kind under which the image ids photos became on properties live (keyed by
 * `<property id> <photo URL>`, as JSON `{ id, hash }`).
 */
export const PHOTO_IMAGE_KIND = 'photo-image';

/**
 * Media types downloaded by default. The API's documentation names no list; these are
 * the web's photo formats Property Finder listings carry.
 */
export const PF_PHOTO_CONTENT_TYPES: readonly string[] = ['image/jpeg', 'image/png', 'image/webp'];

/** How long an upload token can be put in a property: 24 hours. */
export const PF_UPLOAD_TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** Default {@link PfPhotoOptions.renewBeforeMs}: a token with less than an hour left is not used. */
export const PF_UPLOAD_TOKEN_MARGIN_MS = 60 * 60 * 1000;

/** Options of photos by URL (`syncListings(…, { images: 'upload', photos })`). */
export interface PfPhotoOptions {
  /** Largest photo downloaded, in bytes (default 10 MiB). */
  maxBytes?: number | undefined;
  /** Time allowed for each photo's download (default 30 s). */
  timeoutMs?: number | undefined;
  /** Media types accepted (default {@link PF_PHOTO_CONTENT_TYPES}). */
  contentTypes?: readonly string[] | undefined;
  /** Photos downloaded at once (default 4). */
  concurrency?: number | undefined;
  /** A token with less than this left is not used: the photo is uploaded again (default 1 h). */
  renewBeforeMs?: number | undefined;
  /** The clock tokens expire on (default `Date.now`). */
  now?: (() => number) | undefined;
  /** The `fetch` photos are downloaded with (default the global one); it never gets the PF credentials. */
  fetch?: typeof fetch | undefined;
}

/** What the photo cache remembers for one URL (stored as JSON in the identifier map). */
export interface PfPhotoCacheEntry {
  /** The upload token. */
  token: string;
  /** When the token stops being valid, in milliseconds on the cache's clock. */
  expiresAt: number;
  /** The photo's `ETag` when it was downloaded. */
  etag?: string | undefined;
  /** The photo's `Last-Modified` when it was downloaded. */
  lastModified?: string | undefined;
  /** SHA-256 of the photo's bytes. */
  hash: string;
}

function readEntry(raw: string | undefined): PfPhotoCacheEntry | undefined {
  if (raw === undefined) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<PfPhotoCacheEntry> | null;
    if (typeof value?.token === 'string' && typeof value.hash === 'string' && typeof value.expiresAt === 'number') {
      return value as PfPhotoCacheEntry;
    }
  } catch {
    // An unreadable entry is treated as absent: the photo is downloaded and uploaded again.
  }
  return undefined;
}

const FILE_EXTENSIONS: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };

function fileName(url: string, contentType: string): string {
  const last = new URL(url).pathname.split('/').pop() ?? '';
  return /^[\w.-]{1,100}$/.test(last) ? last : `photo.${FILE_EXTENSIONS[contentType] ?? 'img'}`;
}

/**
 * Photos by URL for Property Finder, which takes upload tokens: downloads each photo
 * (bounded by size and time, its media type checked, no redirect followed, no credentials
 * sent), uploads it (`pf.uploads.create(…, 'property_image')`) and caches the token in the
 * sync state's identifier map under {@link PHOTO_KIND}, keyed by URL with the photo's
 * validators (`ETag`, `Last-Modified`, content hash). A photo whose conditional GET answers
 * `304`, or whose bytes hash the same, is not uploaded again while its token is valid;
 * a token is never used once less than `renewBeforeMs` of its 24 hours is left.
 *
 * `syncListings(pf, listings, { images: 'upload' })` uses one; call it directly to put
 * photos in properties written by hand.
 *
 * @example
 * const photos = new PfPhotoUploader(pf, state);
 * const token = await photos.token('https://crm.example.com/photos/1.jpg');
 * await pf.properties.create({ ...input, images: [{ token, order: 1 }] });
 */
export class PfPhotoUploader {
  readonly #client: PfCrmClient;
  readonly #state: SyncState;
  readonly #options: PfPhotoOptions;
  readonly #now: () => number;
  readonly #pending = new Map<string, Promise<string>>();

  /**
   * @param client The PF client uploads go through (downloads never use it).
   * @param state The sync state whose identifier map keeps the cache (its portal and account).
   * @throws InputValidationError for a `maxBytes`, `timeoutMs` or `concurrency` that is not a positive integer,
   *   or a `renewBeforeMs` outside 0 to 24 h.
   */
  constructor(client: PfCrmClient, state: SyncState, options: PfPhotoOptions = {}) {
    for (const field of ['maxBytes', 'timeoutMs', 'concurrency'] as const) {
      const value = options[field];
      if (value !== undefined && !(Number.isSafeInteger(value) && value > 0)) {
        throw new InputValidationError(
          [{ path: `photos.${field}`, message: 'expected a positive integer', code: 'invalid_type' }],
          { portal: 'pfcrm', operation: 'photos' },
        );
      }
    }
    const margin = options.renewBeforeMs;
    if (
      margin !== undefined &&
      !(Number.isSafeInteger(margin) && margin >= 0 && margin < PF_UPLOAD_TOKEN_LIFETIME_MS)
    ) {
      throw new InputValidationError(
        [{ path: 'photos.renewBeforeMs', message: 'expected an integer from 0 to under 24 h', code: 'invalid_type' }],
        { portal: 'pfcrm', operation: 'photos' },
      );
    }
    this.#client = client;
    this.#state = state;
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** Photos downloaded at once. */
  get concurrency(): number {
    return this.#options.concurrency ?? 4;
  }

  /** The cache entry of a photo URL. */
  async cached(url: string): Promise<PfPhotoCacheEntry | undefined> {
    return readEntry(await this.#state.map.get(this.#state.portal, PHOTO_KIND, url));
  }

  #store(url: string, entry: PfPhotoCacheEntry): Promise<void> {
    return this.#state.map.set(this.#state.portal, PHOTO_KIND, url, JSON.stringify(entry));
  }

  #usable(entry: PfPhotoCacheEntry | undefined): entry is PfPhotoCacheEntry {
    const margin = this.#options.renewBeforeMs ?? PF_UPLOAD_TOKEN_MARGIN_MS;
    return entry !== undefined && entry.expiresAt - margin > this.#now();
  }

  #download(url: string, held: PfPhotoCacheEntry | undefined, signal: AbortSignal | undefined) {
    return download(url, {
      maxBytes: this.#options.maxBytes ?? DEFAULT_DOWNLOAD_MAX_BYTES,
      timeoutMs: this.#options.timeoutMs ?? DEFAULT_DOWNLOAD_TIMEOUT_MS,
      accept: this.#options.contentTypes ?? PF_PHOTO_CONTENT_TYPES,
      ifNoneMatch: held?.etag,
      ifModifiedSince: held?.etag === undefined ? held?.lastModified : undefined,
      fetch: this.#options.fetch,
      signal,
      context: { portal: 'pfcrm', operation: 'photos.download' },
    });
  }

  async #upload(url: string, got: Extract<DownloadResult, { notModified: false }>, signal: AbortSignal | undefined) {
    const issuedBy = this.#now();
    const upload = await this.#client.uploads.create(got.bytes, 'property_image', {
      filename: fileName(url, got.contentType),
      contentType: got.contentType,
      signal,
    });
    const entry: PfPhotoCacheEntry = {
      token: upload.token,
      expiresAt: issuedBy + PF_UPLOAD_TOKEN_LIFETIME_MS,
      etag: got.etag,
      lastModified: got.lastModified,
      hash: got.hash,
    };
    await this.#store(url, entry);
    return entry;
  }

  /**
   * The id of the image a photo became on a property, when that property was written with
   * the same content (`hash`) before: sending `{ id }` keeps it, with no upload.
   */
  async imageOn(propertyId: number, url: string, hash: string): Promise<number | undefined> {
    const raw = await this.#state.map.get(this.#state.portal, PHOTO_IMAGE_KIND, `${propertyId} ${url}`);
    if (raw === undefined) return undefined;
    try {
      const value = JSON.parse(raw) as { id?: unknown; hash?: unknown } | null;
      return value?.hash === hash && typeof value.id === 'number' ? value.id : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Learns the image ids the photos sent as tokens became on a property (one read, with
   * images expanded, matched by order), so later updates keep them by id. Best effort:
   * when the read fails, later updates send tokens again.
   */
  async learnImages(propertyId: number, fresh: readonly PfFreshPhoto[], signal?: AbortSignal): Promise<void> {
    if (fresh.length === 0) return;
    try {
      const property = await this.#client.properties.get(propertyId, { expand: true, signal });
      const images = property.images ?? [];
      const writes = fresh.flatMap((photo) => {
        const image = images.find((im) => im.order === photo.order);
        return image
          ? [
              {
                portal: this.#state.portal,
                kind: PHOTO_IMAGE_KIND,
                externalId: `${propertyId} ${photo.url}`,
                portalId: JSON.stringify({ id: image.id, hash: photo.hash }),
              },
            ]
          : [];
      });
      if (writes.length > 0) await this.#state.map.setMany(writes);
    } catch (error) {
      if (signal?.aborted) throw error;
    }
  }

  /**
   * Checks a photo against its cached copy and says what its content is (its hash): a
   * conditional GET when the cache has validators; new or changed content is uploaded
   * at once (the bytes are at hand), unchanged content is not.
   */
  async check(url: string, signal?: AbortSignal): Promise<{ hash: string }> {
    const held = await this.cached(url);
    const got = await this.#download(url, held, signal);
    if (got.notModified) return { hash: (held as PfPhotoCacheEntry).hash };
    if (held && held.hash === got.hash) {
      if (held.etag !== got.etag || held.lastModified !== got.lastModified) {
        await this.#store(url, { ...held, etag: got.etag, lastModified: got.lastModified });
      }
      if (this.#usable(held)) return { hash: got.hash };
    }
    return { hash: (await this.#upload(url, got, signal)).hash };
  }

  /**
   * A valid upload token for a photo: the cached one while it has more than
   * `renewBeforeMs` left, else the photo is downloaded and uploaded again. Concurrent
   * calls for one URL share one upload.
   */
  token(url: string, signal?: AbortSignal): Promise<string> {
    const pending = this.#pending.get(url);
    if (pending) return pending;
    const work = (async () => {
      const held = await this.cached(url);
      if (this.#usable(held)) return held.token;
      const got = await this.#download(url, undefined, signal);
      if (got.notModified) throw new Error('unreachable: an unconditional GET answered 304');
      return (await this.#upload(url, got, signal)).token;
    })().finally(() => this.#pending.delete(url));
    this.#pending.set(url, work);
    return work;
  }
}

/**
 * @internal The error a listing fails with when its photo `index` could not be downloaded
 * or uploaded: it names `photos.<index>.url`, with the cause's message (never a secret).
 */
export function photoFailure(index: number, error: unknown, itemId?: string): InputValidationError {
  const message = error instanceof Error ? error.message : String(error);
  return new InputValidationError([{ path: `photos.${index}.url`, message, code: 'photo' }], {
    portal: 'pfcrm',
    operation: 'syncListings',
    itemId,
    cause: error,
  });
}

/** @internal What {@link checkPhotos} found for one URL. */
export type PfPhotoCheck = { hash: string } | { error: unknown };

/**
 * @internal Checks every distinct photo URL of `listings` once ({@link PfPhotoUploader.check}),
 * `uploader.concurrency` at a time. A photo that fails is reported, not thrown.
 */
export async function checkPhotos(
  uploader: PfPhotoUploader,
  listings: readonly unknown[],
  signal: AbortSignal | undefined,
): Promise<Map<string, PfPhotoCheck>> {
  const urls = new Set<string>();
  for (const listing of listings) {
    const photos = (listing as { photos?: unknown } | null | undefined)?.photos;
    if (!Array.isArray(photos)) continue;
    for (const photo of photos) {
      const url = (photo as { url?: unknown } | null | undefined)?.url;
      if (typeof url === 'string') urls.add(url);
    }
  }
  const queue = [...urls];
  const out = new Map<string, PfPhotoCheck>();
  let next = 0;
  const worker = async () => {
    while (next < queue.length) {
      const url = queue[next++] as string;
      signal?.throwIfAborted();
      try {
        out.set(url, await uploader.check(url, signal));
      } catch (error) {
        if (signal?.aborted) throw error;
        out.set(url, { error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(uploader.concurrency, queue.length) }, worker));
  return out;
}

const PLACEHOLDER = /^photo:([0-9a-f]{64}):(.+)$/s;

/**
 * @internal What a photo's image is in a mapped property until it is written: its content
 * hash and URL, so the property's fingerprint follows the photo's content, not its token.
 */
export const photoPlaceholder = (hash: string, url: string): string => `photo:${hash}:${url}`;

/** @internal A photo sent as a new upload, whose image id is to be learnt once the property is written. */
export interface PfFreshPhoto {
  /** The photo's URL. */
  url: string;
  /** SHA-256 of its bytes. */
  hash: string;
  /** Its `order` in the property's images. */
  order: number;
}

/**
 * @internal The property with each photo placeholder replaced: by the image already on
 * property `propertyId` when the same content was put there before (`{ id }`, which
 * keeps it), else by a valid upload token. Says which photos went as tokens.
 */
export async function withPhotoTokens<
  P extends { images?: Array<{ token: string; order?: number } | { id: unknown; order?: number }> | undefined },
>(
  property: P,
  uploader: PfPhotoUploader,
  itemId: string,
  propertyId: number | undefined,
  signal: AbortSignal | undefined,
): Promise<{ property: P; fresh: PfFreshPhoto[] }> {
  const fresh: PfFreshPhoto[] = [];
  if (!property.images) return { property, fresh };
  const images = await Promise.all(
    property.images.map(async (image, i) => {
      const match = 'token' in image ? PLACEHOLDER.exec(image.token) : null;
      if (!match) return image;
      const [, hash, url] = match as unknown as [string, string, string];
      const order = image.order ?? i + 1;
      try {
        const kept = propertyId === undefined ? undefined : await uploader.imageOn(propertyId, url, hash);
        if (kept !== undefined) return { id: kept, order };
        const token = await uploader.token(url, signal);
        fresh.push({ url, hash, order });
        return { token, order };
      } catch (error) {
        if (signal?.aborted) throw error;
        throw photoFailure(i, error, itemId);
      }
    }),
  );
  return { property: { ...property, images }, fresh };
}
