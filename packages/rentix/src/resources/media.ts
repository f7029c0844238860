import {
  type CallOptions,
  callResource,
  createHttpError,
  type HttpClient,
  InputValidationError,
  NetworkError,
  parseInput,
  path,
} from '@sync/core';
import { PORTAL } from '../portal.js';
import {
  type Media,
  type MediaDeleteResult,
  MediaDeleteResultSchema,
  MediaSchema,
  type MediaUploadInput,
  MediaUploadInputSchema,
  type MediaUploadResult,
  MediaUploadResultSchema,
  type SignedUpload,
  type SignedUploadInput,
  SignedUploadInputSchema,
  SignedUploadSchema,
} from '../schemas/account.js';

/** Options of {@link MediaResource.uploadToSignedUrl}. */
export interface SignedUploadOptions extends CallOptions {
  /** Give up after this many milliseconds (default 120 s). */
  timeoutMs?: number | undefined;
}

/** Photos and other files: uploaded by URL, or sent from the client to a signed URL. */
export class MediaResource {
  readonly #http: HttpClient;
  readonly #allowInsecureHttp: boolean;

  /** @internal */
  constructor(http: HttpClient, allowInsecureHttp = false) {
    this.#http = http;
    this.#allowInsecureHttp = allowInsecureHttp;
  }

  /**
   * Asks for a signed URL to send a file's bytes to — the third way Rentix offers to
   * upload photos, "for uploading files from client". Rentix names it without
   * publishing its request; the client asks `POST /media/signed-url` with the file's
   * name and type and reads the answer loosely ({@link SignedUpload}).
   */
  async createSignedUpload(input: SignedUploadInput, options: CallOptions = {}): Promise<SignedUpload> {
    const body = parseInput(SignedUploadInputSchema, input, {
      portal: PORTAL,
      operation: 'media.createSignedUpload',
      itemId: input.externalId,
    });
    return (
      await callResource(
        this.#http,
        {
          schema: SignedUploadSchema,
          method: 'POST',
          path: '/media/signed-url',
          json: body,
          idempotent: body.externalId !== undefined,
          operation: 'media.createSignedUpload',
          itemId: body.externalId,
        },
        options,
      )
    ).data;
  }

  /**
   * Sends a file's bytes to a signed URL. The URL carries its own signature: the API
   * key is never sent there, nor is a redirect followed. Only `https` URLs, unless the
   * client allows plain HTTP (`allowInsecureHttp`, for a mock).
   */
  async uploadToSignedUrl(
    signed: SignedUpload,
    data: Uint8Array<ArrayBuffer> | Blob,
    contentType: string,
    options: SignedUploadOptions = {},
  ): Promise<void> {
    const context = { portal: PORTAL, operation: 'media.uploadToSignedUrl', itemId: signed.mediaId };
    const url = new URL(signed.uploadUrl);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && this.#allowInsecureHttp)) {
      throw new InputValidationError(
        [{ path: 'uploadUrl', message: `a signed URL must use https, not ${url.protocol}`, code: 'custom' }],
        context,
      );
    }
    const timeout = AbortSignal.timeout(options.timeoutMs ?? 120_000);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    let response: Response;
    try {
      response = await fetch(url, {
        method: signed.method ?? 'PUT',
        headers: { 'content-type': contentType, ...signed.headers },
        body: data,
        redirect: 'manual',
        signal,
      });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      throw new NetworkError(`the upload to the signed URL failed: ${(error as Error).message}`, {
        ...context,
        cause: error,
      });
    }
    await response.body?.cancel();
    if (!response.ok) {
      throw createHttpError({
        ...context,
        status: response.status,
        method: signed.method ?? 'PUT',
        url: url.origin + url.pathname,
      });
    }
  }

  /**
   * A file from the client, in one call: {@link MediaResource.createSignedUpload}, then
   * {@link MediaResource.uploadToSignedUrl}. Resolves with the signed upload, whose
   * `mediaId` goes into a listing's `fileIds`.
   *
   * @example
   * const photo = await rentix.media.upload({ fileName: 'a.jpg', contentType: 'image/jpeg', externalId: 'p-1' }, bytes);
   * await rentix.listings.upsert({ externalId: 'crm-7', fileIds: [photo.mediaId] });
   */
  async upload(
    input: SignedUploadInput,
    data: Uint8Array<ArrayBuffer> | Blob,
    options: SignedUploadOptions = {},
  ): Promise<SignedUpload> {
    const signed = await this.createSignedUpload(input, options);
    await this.uploadToSignedUrl(signed, data, input.contentType, options);
    return signed;
  }

  /**
   * Asks the portal to download a file from `url`. Returns at once with the media id
   * and a job id; the file is processed in the background (see `jobs.wait`). An
   * `externalId` lets listings reuse the file by `externalFileId`.
   */
  async uploadFromUrl(input: MediaUploadInput, options: CallOptions = {}): Promise<MediaUploadResult> {
    const body = parseInput(MediaUploadInputSchema, input, {
      portal: PORTAL,
      operation: 'media.uploadFromUrl',
      itemId: input.externalId,
    });
    return (
      await callResource(
        this.#http,
        {
          schema: MediaUploadResultSchema,
          method: 'POST',
          path: '/media/upload-from-url',
          json: body,
          // Keyed by externalId the upload is repeatable; without it a retry could store the file twice.
          idempotent: body.externalId !== undefined,
          operation: 'media.uploadFromUrl',
          itemId: body.externalId,
        },
        options,
      )
    ).data;
  }

  /** A file by its Rentix id. */
  async get(id: string, options: CallOptions = {}): Promise<Media> {
    return (
      await callResource(
        this.#http,
        {
          schema: MediaSchema,
          method: 'GET',
          path: path`/media/${id}`,
          operation: 'media.get',
          itemId: id,
        },
        options,
      )
    ).data;
  }

  /** A file by the CRM's id. */
  async getByExternalId(externalId: string, options: CallOptions = {}): Promise<Media> {
    return (
      await callResource(
        this.#http,
        {
          schema: MediaSchema,
          method: 'GET',
          path: path`/media/external/${externalId}`,
          operation: 'media.getByExternalId',
          itemId: externalId,
        },
        options,
      )
    ).data;
  }

  /** Deletes a file by its Rentix id; it disappears from every listing that shows it. */
  async delete(id: string, options: CallOptions = {}): Promise<MediaDeleteResult> {
    return (
      await callResource(
        this.#http,
        {
          schema: MediaDeleteResultSchema,
          method: 'DELETE',
          path: path`/media/${id}`,
          operation: 'media.delete',
          itemId: id,
        },
        options,
      )
    ).data;
  }

  /** Deletes a file by the CRM's id; it disappears from every listing that shows it. */
  async deleteByExternalId(externalId: string, options: CallOptions = {}): Promise<MediaDeleteResult> {
    return (
      await callResource(
        this.#http,
        {
          schema: MediaDeleteResultSchema,
          method: 'DELETE',
          path: path`/media/external/${externalId}`,
          operation: 'media.deleteByExternalId',
          itemId: externalId,
        },
        options,
      )
    ).data;
  }
}
