import { randomUUID } from 'node:crypto';
import { MockHttpError } from './responses.js';

/** Where the mock accepts the bytes of a signed upload, below the API root. */
export const SIGNED_UPLOAD_PATH = '/media/signed-upload/';

/** How long a signed URL stays valid. */
const VALID_MS = 15 * 60_000;

/** A file the mock signed a URL for and has not received yet. */
interface PendingUpload {
  mediaId: string;
  contentType: string;
  expiresAt: number;
}

/** What the mock needs of a stored file to complete a signed upload. */
interface UploadTarget {
  size: number | null;
  contentType: string | null;
  optimization: 'pending' | 'completed' | 'failed';
  blurhash: string | null;
}

/**
 * Signed uploads of the mock: `POST /media/signed-url` answers a URL below the mock's
 * own root that takes the file's bytes with `PUT` and no API key, once, before it
 * expires; the file is then stored and processed.
 */
export class SignedUploads {
  readonly #pending = new Map<string, PendingUpload>();

  /** Signs a URL for `mediaId`; `requestUrl` and `path` locate the mock's root. */
  sign(mediaId: string, body: Record<string, unknown>, requestUrl: string, path: string, now: number) {
    const messages: string[] = [];
    if (typeof body.fileName !== 'string' || body.fileName === '') messages.push('fileName should not be empty');
    if (typeof body.contentType !== 'string' || !/^image\/[a-z0-9.+-]+$/i.test(body.contentType)) {
      messages.push('contentType must be an image MIME type');
    }
    if (messages.length > 0) throw new MockHttpError(400, messages);
    const token = randomUUID();
    this.#pending.set(token, { mediaId, contentType: String(body.contentType), expiresAt: now + VALID_MS });
    const url = new URL(requestUrl);
    url.pathname = `${url.pathname.slice(0, url.pathname.length - path.length)}${SIGNED_UPLOAD_PATH}${token}`;
    url.search = '';
    return {
      mediaId,
      uploadUrl: url.toString(),
      method: 'PUT',
      headers: { 'content-type': String(body.contentType) },
      expiresAt: new Date(now + VALID_MS).toISOString(),
    };
  }

  /** Receives the bytes of a signed upload; 403 for an unknown, used or expired signature. */
  async receive(
    request: Request,
    token: string,
    now: number,
    media: (id: string) => UploadTarget | undefined,
  ): Promise<Response> {
    const pending = this.#pending.get(token);
    if (request.method !== 'PUT') return new Response('Method Not Allowed', { status: 405 });
    if (!pending || pending.expiresAt <= now) return new Response('Signature invalid or expired', { status: 403 });
    const bytes = new Uint8Array(await request.arrayBuffer());
    if (bytes.byteLength === 0) return new Response('Empty body', { status: 400 });
    this.#pending.delete(token);
    const target = media(pending.mediaId);
    if (target) {
      target.size = bytes.byteLength;
      target.contentType = request.headers.get('content-type') ?? pending.contentType;
      target.optimization = 'completed';
      target.blurhash = 'LEHV6nWB2yk8pyo0adR*.7kCMdnj';
    }
    return new Response(null, { status: 200 });
  }
}
