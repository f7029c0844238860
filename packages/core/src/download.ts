import { createHash } from 'node:crypto';
import {
  HttpError,
  InputValidationError,
  NetworkError,
  RedirectError,
  type SyncErrorOptions,
  TimeoutError,
  UnexpectedResponseError,
} from './errors.js';

/** Default {@link DownloadOptions.maxBytes}: 10 MiB. */
export const DEFAULT_DOWNLOAD_MAX_BYTES = 10 * 1024 * 1024;

/** Default {@link DownloadOptions.timeoutMs}: 30 seconds. */
export const DEFAULT_DOWNLOAD_TIMEOUT_MS = 30_000;

/** Options of {@link download}. */
export interface DownloadOptions {
  /** Largest body accepted, in bytes after decoding (default {@link DEFAULT_DOWNLOAD_MAX_BYTES}). */
  maxBytes?: number | undefined;
  /** Time allowed for the whole download, headers and body (default {@link DEFAULT_DOWNLOAD_TIMEOUT_MS}). */
  timeoutMs?: number | undefined;
  /** Media types accepted (compared without parameters, case-insensitively); any when absent. */
  accept?: readonly string[] | undefined;
  /** Conditional GET: the `ETag` of the copy held; a `304` answers `notModified`. */
  ifNoneMatch?: string | undefined;
  /** Conditional GET: the `Last-Modified` of the copy held. */
  ifModifiedSince?: string | undefined;
  /** Cancels the download. */
  signal?: AbortSignal | undefined;
  /** The `fetch` to use (default the global one). */
  fetch?: typeof fetch | undefined;
  /** What the errors name (portal, operation, item). */
  context?: Pick<SyncErrorOptions, 'portal' | 'operation' | 'itemId'> | undefined;
}

/** What {@link download} got. */
export type DownloadResult =
  | {
      /** The copy held is current (the server answered `304`). */
      notModified: true;
    }
  | {
      notModified: false;
      /** The body. */
      bytes: Uint8Array;
      /** Its media type, without parameters, lower case. */
      contentType: string;
      /** SHA-256 of the body, hex. */
      hash: string;
      /** The `ETag` header, if sent. */
      etag: string | undefined;
      /** The `Last-Modified` header, if sent. */
      lastModified: string | undefined;
    };

/** The URL as errors show it: no credentials, no query (signed URLs carry secrets there). */
function shown(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/**
 * Downloads a public file, bounded: only `http:`/`https:` URLs, no credentials of any
 * kind (only the conditional headers given are sent, and a URL with a user name or
 * password is refused), redirects refused rather than followed, a size cap counted while
 * the body streams in, one timeout over the whole download, and the media type checked
 * against `accept`. Used to fetch what a portal wants uploaded (e.g. listing photos by URL).
 *
 * @throws InputValidationError for a URL that is not absolute `http(s)` or carries credentials.
 * @throws RedirectError for any redirect; HttpError for another non-2xx status.
 * @throws UnexpectedResponseError for a body too large or of a media type not accepted.
 * @throws TimeoutError, NetworkError when the download does not complete.
 *
 * @example A photo, again only when it changed
 * ```ts
 * const first = await download('https://cdn.example.com/p/1.jpg', { accept: ['image/jpeg'], maxBytes: 10 * 1024 * 1024 });
 * if (!first.notModified) {
 *   const again = await download('https://cdn.example.com/p/1.jpg', { ifNoneMatch: first.etag });
 *   if (again.notModified) keepCachedCopy(); // the server answered 304
 * }
 * ```
 */
export async function download(url: string, options: DownloadOptions = {}): Promise<DownloadResult> {
  const context = options.context ?? {};
  const maxBytes = options.maxBytes ?? DEFAULT_DOWNLOAD_MAX_BYTES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_DOWNLOAD_TIMEOUT_MS;
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new InputValidationError([{ path: 'url', message: 'not an absolute URL', code: 'invalid_url' }], context);
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new InputValidationError(
      [
        {
          path: 'url',
          message: `only http and https URLs are downloaded (got ${target.protocol})`,
          code: 'invalid_url',
        },
      ],
      context,
    );
  }
  if (target.username !== '' || target.password !== '') {
    throw new InputValidationError(
      [{ path: 'url', message: 'a URL with credentials is not downloaded', code: 'invalid_url' }],
      context,
    );
  }
  const where = { ...context, method: 'GET', url: shown(target) };
  const headers: Record<string, string> = {};
  if (options.accept?.length) headers.accept = options.accept.join(', ');
  if (options.ifNoneMatch !== undefined) headers['if-none-match'] = options.ifNoneMatch;
  if (options.ifModifiedSince !== undefined) headers['if-modified-since'] = options.ifModifiedSince;

  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const failed = (error: unknown): never => {
    if (options.signal?.aborted) throw options.signal.reason;
    if (timeout.aborted) throw new TimeoutError(`download took over ${timeoutMs} ms`, { ...where, timeoutMs });
    if (error instanceof HttpError || error instanceof UnexpectedResponseError) throw error;
    throw new NetworkError('download failed', { ...where, cause: error });
  };

  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(target, {
      method: 'GET',
      headers,
      redirect: 'manual',
      credentials: 'omit',
      signal,
    });
  } catch (error) {
    return failed(error);
  }
  const drop = () => response.body?.cancel().catch(() => undefined);
  if (response.status === 304 && (options.ifNoneMatch !== undefined || options.ifModifiedSince !== undefined)) {
    await drop();
    return { notModified: true };
  }
  if (response.redirected || response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
    await drop();
    let location: string | undefined;
    try {
      const to = new URL(response.headers.get('location') ?? '', target);
      location = `${to.protocol}//${to.host}`;
    } catch {
      location = undefined;
    }
    throw new RedirectError(`download redirected${location ? ` to ${location}` : ''}; redirects are not followed`, {
      ...where,
      status: response.redirected || response.type === 'opaqueredirect' ? 0 : response.status,
      location,
    });
  }
  if (!response.ok) {
    await drop();
    throw new HttpError(`download answered ${response.status}`, {
      ...where,
      status: response.status,
      retryable: response.status >= 500 || response.status === 429,
    });
  }
  const contentType = (response.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (options.accept?.length && !options.accept.some((t) => t.toLowerCase() === contentType)) {
    await drop();
    throw new UnexpectedResponseError(
      `download has media type ${contentType || '(none)'}; expected ${options.accept.join(', ')}`,
      { ...where, status: response.status },
    );
  }
  const declared = Number(response.headers.get('content-length'));
  const tooLarge = () =>
    new UnexpectedResponseError(`download is larger than ${maxBytes} bytes`, { ...where, status: response.status });
  if (Number.isFinite(declared) && declared > maxBytes) {
    await drop();
    throw tooLarge();
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    const reader = response.body?.getReader();
    while (reader) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      chunks.push(value);
    }
  } catch (error) {
    return failed(error);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return {
    notModified: false,
    bytes,
    contentType,
    hash: createHash('sha256').update(bytes).digest('hex'),
    etag: response.headers.get('etag') ?? undefined,
    lastModified: response.headers.get('last-modified') ?? undefined,
  };
}
