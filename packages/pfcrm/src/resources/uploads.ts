import { type CallOptions, callOptions, InputValidationError, parseInput } from '@sync/core';
import { type Upload, UploadSchema, type UploadType, UploadTypeSchema } from '../schemas/resources.js';
import { parseResponse, type Transport, unwrapOne, type WithResponse, withMeta } from '../transport.js';

/** File content for an upload: a `Blob`/`File`, bytes (`Buffer`, `Uint8Array`, `ArrayBuffer`) or a stream. */
export type UploadFile =
  | Blob
  | ArrayBuffer
  | ArrayBufferView
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array | string>;

/** Options of {@link UploadsResource.create}. */
export interface UploadOptions extends CallOptions {
  /** File name sent in the multipart part (default: the `File`'s name, else `upload`). */
  filename?: string | undefined;
  /** Media type of the content (default: the `Blob`'s type, else `application/octet-stream`). */
  contentType?: string | undefined;
}

async function toBlob(file: UploadFile, contentType: string | undefined): Promise<Blob> {
  if (file instanceof Blob)
    return contentType && file.type !== contentType ? new Blob([file], { type: contentType }) : file;
  const type = contentType ?? 'application/octet-stream';
  if (file instanceof ArrayBuffer) return new Blob([file], { type });
  if (ArrayBuffer.isView(file)) {
    return new Blob([new Uint8Array(file.buffer as ArrayBuffer, file.byteOffset, file.byteLength)], { type });
  }
  // Streams are read to the end: a multipart body needs the length, and the token only exists once the server has it all.
  const chunks: Uint8Array[] = [];
  const encoder = new TextEncoder();
  const iterable: AsyncIterable<Uint8Array | string> =
    file instanceof ReadableStream ? (file as unknown as AsyncIterable<Uint8Array>) : file;
  for await (const chunk of iterable) chunks.push(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
  return new Blob(chunks as BlobPart[], { type });
}

function isUploadFile(value: unknown): value is UploadFile {
  return (
    value instanceof Blob ||
    value instanceof ArrayBuffer ||
    ArrayBuffer.isView(value) ||
    value instanceof ReadableStream ||
    (typeof value === 'object' && value !== null && Symbol.asyncIterator in value)
  );
}

/** The `uploads` resource: files whose tokens go into properties (`images: [{ token }]`). */
export class UploadsResource {
  readonly #t: Transport;

  /** @internal */
  constructor(transport: Transport) {
    this.#t = transport;
  }

  /**
   * Uploads a file (`POST /upload?type=…`, multipart field `file`) and returns its
   * token, valid 24 hours. Not retried automatically: a repeat would store the file twice.
   */
  async create(file: UploadFile, type: UploadType, options: UploadOptions = {}): Promise<WithResponse<Upload>> {
    const context = { portal: 'pfcrm', operation: 'uploads.create' };
    const kind = parseInput(UploadTypeSchema, type, context);
    if (!isUploadFile(file)) {
      throw new InputValidationError(
        [
          {
            path: 'file',
            message: 'expected a Blob, a Buffer/Uint8Array, an ArrayBuffer or a stream',
            code: 'invalid_type',
          },
        ],
        context,
      );
    }
    const blob = await toBlob(file, options.contentType);
    if (blob.size === 0) {
      throw new InputValidationError([{ path: 'file', message: 'the file is empty', code: 'too_small' }], context);
    }
    const filename = options.filename ?? (file instanceof File ? file.name : 'upload');
    const form = new FormData();
    form.append('file', blob, filename);
    const { response, meta } = await this.#t.send<unknown>({
      method: 'POST',
      path: '/upload',
      query: { type: kind },
      body: form,
      upload: true,
      operation: 'uploads.create',
      itemId: filename,
      ...callOptions(options),
    });
    const raw = unwrapOne(response.data, ['upload'], 'uploads.create', filename);
    return withMeta(parseResponse(UploadSchema, raw, 'uploads.create', filename), meta);
  }
}
