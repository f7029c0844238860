import { type CallOptions, callResource, type HttpClient, parseInput, path } from '@sync/core';
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
} from '../schemas/account.js';

/** Photos and other files, uploaded by URL. */
export class MediaResource {
  readonly #http: HttpClient;

  /** @internal */
  constructor(http: HttpClient) {
    this.#http = http;
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
