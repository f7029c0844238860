import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Worker } from 'node:worker_threads';
import { createDeflateRaw } from 'node:zlib';
import { InputValidationError, parseInput, SyncError } from '@sync/core';
import { z } from 'zod';
import { DateTimeSchema, type PropertyInput, xsDateTimeToMs } from './schemas/property.js';
import { propertyFragment, validateProperty, XML_DECLARATION } from './xml/build.js';
import { cdataElement, element, textElement } from './xml/writer.js';
import { zipChecksum, zipEntry, zipFrame } from './zip.js';

/** The feed's `<metadata>` and `<version>`. */
export const FeedMetadataSchema = z.strictObject({
  publisher: z.strictObject({
    name: z.string().min(1),
    email: z.string().regex(/^[^@]+@[^.]+\..+$/, 'must be an e-mail address'),
    phone: z.string(),
    site: z.string().optional(),
  }),
  /** Feed format version (default `2.9`). */
  version: z.enum(['2.8', '2.9']).default('2.9'),
  /** When the feed was built. */
  buildDate: DateTimeSchema,
});
/** The feed's metadata, as accepted. */
export type FeedMetadata = z.input<typeof FeedMetadataSchema>;

/** How the feed file is written: `gzip` (`feed.xml.gz`), `zip` (`feed.xml.zip`) or plain `xml` (`feed.xml`). */
export type FeedFormat = 'gzip' | 'zip' | 'xml';

const FILE_NAMES: Readonly<Record<FeedFormat, string>> = {
  gzip: 'feed.xml.gz',
  zip: 'feed.xml.zip',
  xml: 'feed.xml',
};

/** Options of {@link writeFeed}. */
export interface WriteFeedOptions {
  /**
   * `gzip` (the portal's preference, `feed.xml.gz`), `zip` (`feed.xml.zip`, one entry
   * `feed.xml`, at most 4 GiB of XML) or plain `xml` (`feed.xml`). Default `gzip`.
   */
  format?: FeedFormat | undefined;
  /** Stops writing; the partial file is left for the caller to remove. */
  signal?: AbortSignal | undefined;
}

/** A listing left out of the feed. */
export interface FeedFailure {
  /** Position in the input. */
  index: number;
  /** The listing's `unique-id`, when it had one. */
  uniqueId: string | undefined;
  /** Why it was left out. */
  error: InputValidationError;
}

/** What {@link writeFeed} wrote. */
export interface FeedReport {
  /** Path of the file written. */
  file: string;
  format: FeedFormat;
  /** Listings read from the input. */
  total: number;
  /** Listings written. */
  written: number;
  /** Listings left out because they are invalid, each with its reasons. */
  failed: FeedFailure[];
}

const CHUNK = 256 * 1024;

/**
 * Writes the legacy daily batch feed — `<feed><version/><metadata/><properties>…</properties></feed>`
 * — into `directory` as `feed.xml.gz` (or `feed.xml.zip`, or `feed.xml`), streaming from an
 * iterable or async iterable with bounded memory. Each listing is validated first; invalid
 * ones are left out and reported, never dropped silently. Remember that the portal removes
 * the unprotected listings missing from the feed.
 */
export async function writeFeed(
  properties: Iterable<PropertyInput> | AsyncIterable<PropertyInput>,
  metadata: FeedMetadata,
  directory: string,
  options: WriteFeedOptions = {},
): Promise<FeedReport> {
  const meta = parseInput(FeedMetadataSchema, metadata, { portal: 'indomio', operation: 'writeFeed' });
  const format = options.format ?? 'gzip';
  if (!Object.hasOwn(FILE_NAMES, format)) {
    throw new SyncError(`unsupported feed format "${String(format)}": use gzip, zip or xml`, {
      operation: 'writeFeed',
    });
  }
  await mkdir(directory, { recursive: true });
  const file = join(directory, FILE_NAMES[format]);
  const report: FeedReport = { file, format, total: 0, written: 0, failed: [] };

  const publisher = meta.publisher;
  const head =
    `${XML_DECLARATION}<feed>` +
    textElement('version', meta.version) +
    element(
      'metadata',
      element(
        'publisher',
        cdataElement('name', publisher.name) +
          cdataElement('site', publisher.site) +
          textElement('email', publisher.email) +
          cdataElement('phone', publisher.phone),
      ) + textElement('build-date', meta.buildDate),
    );

  const recycled: ArrayBuffer[] = [];
  const fresh = (size: number): Buffer => {
    const reuse = size <= CHUNK ? recycled.pop() : undefined;
    return reuse ? Buffer.from(reuse) : Buffer.allocUnsafe(Math.max(CHUNK, size));
  };

  async function* chunks(): AsyncGenerator<Buffer> {
    // Each listing's XML is encoded into a byte chunk at once: its string dies young, so a
    // long feed leaves no garbage behind for the heap to grow on.
    let chunk = fresh(CHUNK);
    let used = 0;
    function* append(text: string): Generator<Buffer> {
      // UTF-8 needs at most 3 bytes per UTF-16 unit.
      if (used + text.length * 3 > chunk.length) {
        if (used > 0) yield chunk.subarray(0, used);
        chunk = fresh(text.length * 3);
        used = 0;
      }
      used += chunk.write(text, used);
    }
    yield* append(`${head}<properties>`);
    let index = 0;
    for await (const property of properties) {
      const at = index++;
      report.total++;
      try {
        yield* append(propertyFragment(validateProperty(property, 'writeFeed')));
        report.written++;
      } catch (error) {
        if (!(error instanceof InputValidationError)) throw error;
        const uniqueId = typeof property?.uniqueId === 'string' ? property.uniqueId : undefined;
        report.failed.push({ index: at, uniqueId, error });
      }
    }
    yield* append('</properties></feed>');
    if (used > 0) yield chunk.subarray(0, used);
  }

  const signal = options.signal;
  if (format === 'gzip') {
    await gzipInWorker(chunks(), file, signal, (buffer) => {
      if (buffer.byteLength === CHUNK) recycled.push(buffer);
    });
    return report;
  }
  const source = Readable.from(chunks(), { objectMode: false });
  const out = createWriteStream(file);
  if (format === 'zip') {
    const entry = zipEntry('feed.xml', new Date(xsDateTimeToMs(meta.buildDate)));
    await pipeline(source, zipChecksum(entry), createDeflateRaw(), zipFrame(entry), out, { signal });
  } else await pipeline(source, out, { signal });
  return report;
}

/**
 * The compressing side of a gzip feed, in a worker thread: it gzips and writes what it is
 * sent, acknowledging each chunk once it is compressed.
 */
const GZIP_WORKER = `
const { parentPort, workerData } = process.getBuiltinModule('node:worker_threads');
const { createGzip } = process.getBuiltinModule('node:zlib');
const { createWriteStream } = process.getBuiltinModule('node:fs');
const gzip = createGzip();
const out = createWriteStream(workerData.file);
const fail = (error) => parentPort.postMessage({ error: String(error && error.message || error) });
gzip.on('error', fail);
out.on('error', fail);
out.on('finish', () => parentPort.postMessage({ done: true }));
gzip.pipe(out);
parentPort.on('message', (message) => {
  if (message === null) gzip.end();
  else {
    // Once compressed, the chunk's memory goes back to be filled again.
    gzip.write(new Uint8Array(message.buffer, 0, message.length), () =>
      parentPort.postMessage({ ack: message.length, buffer: message.buffer }, [message.buffer]));
  }
});
`;

/** Bytes sent to the compressing worker and not yet compressed, at most: memory stays bounded. */
const IN_FLIGHT_BYTES = 8 * CHUNK;

/**
 * Gzips `chunks` into `file` on a worker thread, so that compressing one part of the feed
 * and writing the next listings run on two cores at once.
 */
async function gzipInWorker(
  chunks: AsyncIterable<Buffer>,
  file: string,
  signal: AbortSignal | undefined,
  recycle: (buffer: ArrayBuffer) => void,
): Promise<void> {
  // The worker only moves bytes through zlib: a small heap is plenty.
  const worker = new Worker(GZIP_WORKER, {
    eval: true,
    workerData: { file },
    resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 32 },
  });
  let inFlight = 0;
  let wake: (() => void) | undefined;
  let failure: Error | undefined;
  const finished = new Promise<void>((resolve, reject) => {
    worker.on('message', (message: { ack?: number; buffer?: ArrayBuffer; done?: boolean; error?: string }) => {
      if (message.ack !== undefined) {
        inFlight -= message.ack;
        if (message.buffer) recycle(message.buffer);
        wake?.();
      } else if (message.done) resolve();
      else if (message.error !== undefined) {
        failure = new Error(message.error);
        reject(failure);
        wake?.();
      }
    });
    worker.on('error', (error) => {
      failure = error;
      reject(error);
      wake?.();
    });
  });
  // A failure is reported where it is awaited; until then it must not count as unhandled.
  finished.catch(() => undefined);
  try {
    for await (const chunk of chunks) {
      signal?.throwIfAborted();
      while (inFlight >= IN_FLIGHT_BYTES && !failure) await new Promise<void>((resolve) => (wake = resolve));
      if (failure) throw failure;
      // The writer never reuses a chunk it has handed over: its memory moves to the worker
      // without a copy when the chunk owns its buffer.
      const owned =
        chunk.byteOffset === 0 &&
        chunk.buffer.byteLength >= chunk.byteLength &&
        !(chunk.buffer instanceof SharedArrayBuffer);
      const bytes = owned ? chunk : new Uint8Array(chunk);
      const buffer = bytes.buffer as ArrayBuffer;
      inFlight += bytes.byteLength;
      worker.postMessage({ buffer, length: bytes.byteLength }, [buffer]);
    }
    signal?.throwIfAborted();
    worker.postMessage(null);
    await finished;
  } finally {
    await worker.terminate();
  }
}
