import { runBatches } from '@sync/core';
import { MAX_DOCUMENT_BYTES, MAX_PICTURE_BYTES, type PropertyInput } from '../schemas/property.js';

/** Kind of a medium of a listing. */
export type MediumKind = 'picture' | 'blueprint' | 'document';

/** What the preflight found for one medium. */
export interface MediumCheck {
  kind: MediumKind;
  url: string;
  /** Whether the portal can use it. */
  ok: boolean;
  /** HTTP status of the `HEAD`, when one came back. */
  status?: number | undefined;
  /** `Content-Type` the host announced. */
  contentType?: string | undefined;
  /** `Content-Length` the host announced. */
  sizeBytes?: number | undefined;
  /** Why it is refused. */
  problem?: string | undefined;
}

/** Result of {@link MediaResource.preflight}. */
export interface MediaPreflightReport {
  /** Every medium is usable. */
  ok: boolean;
  /** One check per medium, in the listing's order: pictures, blueprints, documents. */
  media: MediumCheck[];
}

/** Options of {@link MediaResource.preflight}. */
export interface MediaPreflightOptions {
  /** `HEAD` requests in flight at once (default 8). */
  concurrency?: number | undefined;
  /** Limit of one `HEAD`, in milliseconds (default 10 s). */
  timeoutMs?: number | undefined;
  /** Cancels the preflight. */
  signal?: AbortSignal | undefined;
}

const LIMITS: Record<MediumKind, number> = {
  picture: MAX_PICTURE_BYTES,
  blueprint: MAX_PICTURE_BYTES,
  document: MAX_DOCUMENT_BYTES,
};

/**
 * Checks media before a write. The portal downloads media asynchronously, minutes after
 * a successful write, and decides with `HEAD` whether a file changed; a broken URL
 * shows up only as a listing without pictures. The preflight finds those first. Like
 * every request of the SDK it never follows a redirect: a URL that redirects is
 * reported, with the origin it points to, so the listing can carry the final URL.
 */
export class MediaResource {
  readonly #fetch: typeof globalThis.fetch;

  /** @internal */
  constructor(fetchImpl: typeof globalThis.fetch) {
    this.#fetch = fetchImpl;
  }

  /**
   * Sends `HEAD` to each picture, blueprint and document URL of a listing, with bounded
   * concurrency, and refuses non-200 answers (redirects included), pictures that are not
   * images (blueprints that are not JPEG) and files over the portal's size limits.
   */
  async preflight(
    property: Pick<PropertyInput, 'pictures' | 'blueprints' | 'documents'>,
    options: MediaPreflightOptions = {},
  ): Promise<MediaPreflightReport> {
    const media: { kind: MediumKind; url: string }[] = [
      ...(property.pictures ?? []).map((p) => ({ kind: 'picture' as const, url: p.url })),
      ...(property.blueprints ?? []).map((p) => ({ kind: 'blueprint' as const, url: p.url })),
      ...(property.documents ?? []).map((d) => ({ kind: 'document' as const, url: d.url })),
    ];
    const report = await runBatches(
      media,
      { size: 1, concurrency: options.concurrency ?? 8, signal: options.signal },
      async ([medium]) => (medium ? [{ status: 'succeeded', value: await this.#check(medium, options) }] : []),
    );
    const checks = report.items.map((item): MediumCheck => {
      if (item.status === 'succeeded') return item.value;
      const problem = item.status === 'failed' ? item.error.message : item.reason;
      return { ...item.item, ok: false, problem };
    });
    return { ok: checks.every((c) => c.ok), media: checks };
  }

  async #check(medium: { kind: MediumKind; url: string }, options: MediaPreflightOptions): Promise<MediumCheck> {
    let url: URL;
    try {
      url = new URL(medium.url);
    } catch {
      return { ...medium, ok: false, problem: 'not a valid URL' };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return { ...medium, ok: false, problem: `unsupported protocol ${url.protocol}` };
    }
    const timeout = AbortSignal.timeout(options.timeoutMs ?? 10_000);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    let response: Response;
    try {
      response = await this.#fetch(url, { method: 'HEAD', redirect: 'manual', signal });
    } catch (error) {
      return { ...medium, ok: false, problem: `HEAD failed: ${(error as Error).message}` };
    }
    await response.body?.cancel().catch(() => {});
    const redirect = redirectProblem(response, url);
    if (redirect) return { ...medium, ok: false, status: response.status, problem: redirect };
    const contentType = response.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() || undefined;
    const length = response.headers.get('content-length');
    const sizeBytes = length !== null && /^\d+$/.test(length) ? Number(length) : undefined;
    const base = { ...medium, status: response.status, contentType, sizeBytes };
    if (response.status !== 200) return { ...base, ok: false, problem: `HEAD answered ${response.status}` };
    if (medium.kind === 'picture' && !contentType?.startsWith('image/')) {
      return { ...base, ok: false, problem: `not an image (${contentType ?? 'no content type'})` };
    }
    if (medium.kind === 'blueprint' && contentType !== 'image/jpeg') {
      return { ...base, ok: false, problem: `blueprints must be JPEG (${contentType ?? 'no content type'})` };
    }
    if (sizeBytes !== undefined && sizeBytes > LIMITS[medium.kind]) {
      return { ...base, ok: false, problem: `${sizeBytes} bytes is over the limit of ${LIMITS[medium.kind]}` };
    }
    return { ...base, ok: true };
  }
}

/** Why a `HEAD` answer is a redirect, naming only the origin it points to; `undefined` when it is none. */
function redirectProblem(response: Response, url: URL): string | undefined {
  const status = response.status;
  const location = response.redirected ? response.url : response.headers.get('location');
  const redirects = status >= 300 && status < 400 && location !== null;
  if (response.type !== 'opaqueredirect' && !response.redirected && !redirects) return undefined;
  let target = '';
  try {
    if (location) target = ` to ${new URL(location, url).origin}`;
  } catch {
    // An unreadable Location: the redirect is reported without it.
  }
  const what =
    status >= 300 && status < 400 ? `HEAD answered ${status}, a redirect${target}` : `HEAD was redirected${target}`;
  return `${what}; redirects are not followed: give the file's final URL`;
}
