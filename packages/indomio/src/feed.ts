import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { addAbortSignal, type Transform, type Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { createDeflateRaw, createGzip } from 'node:zlib';
import { compiledSchema, InputValidationError, parseInput, SyncError } from '@sync/core';
import { z } from 'zod';
import {
  CommonPropertySchema,
  DateTimeSchema,
  type Property,
  type PropertyInput,
  xsDateTimeToMs,
} from './schemas/property.js';
import { type FeedSectionsInput, FeedSectionsSchema } from './schemas/roots.js';
import { validateProperty, writeProperty, XML_DECLARATION } from './xml/build.js';
import { writeFeedSections } from './xml/roots.js';
import { XmlWriter } from './xml/writer.js';
import { type ZipEntryState, zipChecksum, zipEntry, zipFrame } from './zip.js';

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
  /**
   * The feed's other sections — agencies' profiles, projects, auctions — written before the
   * properties. They are validated before anything is written: an invalid one throws an
   * `InputValidationError` naming it.
   */
  sections?: FeedSectionsInput | undefined;
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
  /**
   * Listings written without the realtors they named (`agent/realtors`): the portal's docs say
   * not to use that node in a batch feed, so the feed never carries it. Name realtors over
   * the REST API (`realtors.put`, then `properties.put` or `syncListings`).
   */
  realtorsLeftOut: number;
}

/**
 * Bytes of XML per chunk handed to the compressor or the file. Each chunk costs the event
 * loop a round of stream calls and callbacks: at 256 KiB that is a few percent of the time
 * the compressor takes for it.
 */
const CHUNK = 256 * 1024;
/** Bytes of compressed output per Buffer the compressor hands on (zlib's default is 16 KiB). */
const COMPRESSED_CHUNK = 64 * 1024;
/** Bytes handed over and not yet taken in, at most: memory stays bounded whatever the feed's size. */
const QUEUED_BYTES = 4 * CHUNK;

/**
 * Writes the legacy daily batch feed — `<feed><version/><metadata/><properties>…</properties></feed>`
 * — into `directory` as `feed.xml.gz` (or `feed.xml.zip`, or `feed.xml`), streaming from an
 * iterable or async iterable with bounded memory. Each listing is validated first; invalid
 * ones are left out and reported, never dropped silently. Remember that the portal removes
 * the unprotected listings missing from the feed. Realtors (`agent/realtors`) are never
 * written: the portal's docs rule them out of the batch feed; each listing that named some is
 * counted in {@link FeedReport.realtorsLeftOut}.
 *
 * @example
 * const report = await writeFeed(
 *   crmListings.map((l) => fromListing(l, { agency: { email: 'agency@example.com' }, typologies: { apartment: 14 } })),
 *   { publisher: { name: 'My CRM', email: 'feeds@crm.example', phone: '+39 000' }, version: '2.9', buildDate: new Date() },
 *   './out',
 * ); // writes ./out/feed.xml.gz
 * console.info(`${report.written} written, ${report.failed.length} left out`);
 */
export async function writeFeed(
  properties: Iterable<PropertyInput> | AsyncIterable<PropertyInput>,
  metadata: FeedMetadata,
  directory: string,
  options: WriteFeedOptions = {},
): Promise<FeedReport> {
  const meta = parseInput(FeedMetadataSchema, metadata, { portal: 'indomio', operation: 'writeFeed' });
  const sections =
    options.sections && parseInput(FeedSectionsSchema, options.sections, { portal: 'indomio', operation: 'writeFeed' });
  const format = options.format ?? 'gzip';
  if (!Object.hasOwn(FILE_NAMES, format)) {
    throw new SyncError(`unsupported feed format "${String(format)}": use gzip, zip or xml`, {
      operation: 'writeFeed',
    });
  }
  // The validator of the common listings is generated before the first listing is read.
  // Generating it is a burst of allocation that calls for a full collection; running while
  // the first listings stream in, that collection keeps them alive, and V8 may then decide to
  // allocate all the input's later listings straight in the old generation (measured: twice
  // the peak memory). The whole model's validator, twice its size, is generated only for a
  // listing with one of the rare fields: generating it here too costs 15–20 MB of peak memory
  // (measured on 10,000 listings without any).
  compiledSchema(CommonPropertySchema);
  await mkdir(directory, { recursive: true });
  const file = join(directory, FILE_NAMES[format]);
  const report: FeedReport = { file, format, total: 0, written: 0, failed: [], realtorsLeftOut: 0 };
  const signal = options.signal;

  // Compressing runs on libuv's threadpool (zlib's asynchronous streams), alongside the
  // listings written here, and costs no second V8 heap.
  const output = createWriteStream(file);
  const entry = format === 'zip' ? zipEntry('feed.xml', new Date(xsDateTimeToMs(meta.buildDate))) : undefined;
  const chain: Writable[] =
    format === 'gzip'
      ? [createGzip({ chunkSize: COMPRESSED_CHUNK }), output]
      : entry
        ? [createDeflateRaw({ chunkSize: COMPRESSED_CHUNK }), zipFrame(entry), output]
        : [output];
  let done: Promise<void>;
  if (chain.length > 1) done = pipeline(chain as [Transform, ...Writable[]], { signal });
  else {
    if (signal) addAbortSignal(signal, output);
    done = finished(output);
  }
  const sink = new ChunkSink(chain[0] as Writable, done, entry);

  try {
    const out = new XmlWriter(CHUNK, sink.take);
    const publisher = meta.publisher;
    out.raw(`${XML_DECLARATION}<feed>`);
    out.textElement('version', meta.version);
    out.start('metadata');
    out.start('publisher');
    out.cdataElement('name', publisher.name);
    out.cdataElement('site', publisher.site);
    out.textElement('email', publisher.email);
    out.cdataElement('phone', publisher.phone);
    out.end('publisher');
    out.textElement('build-date', meta.buildDate);
    out.end('metadata');
    if (sections) writeFeedSections(out, sections);
    out.raw('<properties>');
    const add = (property: PropertyInput): void => {
      const index = report.total++;
      let listing: Property;
      try {
        listing = validateProperty(property, 'writeFeed');
      } catch (error) {
        if (!(error instanceof InputValidationError)) throw error;
        const uniqueId = typeof property?.uniqueId === 'string' ? property.uniqueId : undefined;
        report.failed.push({ index, uniqueId, error });
        return;
      }
      if (listing.agent?.realtors) {
        // Not in a batch feed, say the docs: realtors are named over the REST API only.
        const { realtors: _realtors, ...agent } = listing.agent;
        listing = { ...listing, agent };
        report.realtorsLeftOut++;
      }
      writeProperty(out, listing);
      report.written++;
    };
    // A plain loop over a plain iterable: no promise per listing, only a pause per chunk.
    if (typeof (properties as AsyncIterable<PropertyInput>)[Symbol.asyncIterator] === 'function') {
      for await (const property of properties as AsyncIterable<PropertyInput>) {
        signal?.throwIfAborted();
        add(property);
        if (sink.handedOver) await sink.ready();
      }
    } else {
      for (const property of properties as Iterable<PropertyInput>) {
        signal?.throwIfAborted();
        add(property);
        if (sink.handedOver) await sink.ready();
      }
    }
    signal?.throwIfAborted();
    out.raw('</properties></feed>');
    out.flush();
    sink.end();
    await done;
  } catch (error) {
    sink.fail(error);
    throw error;
  }
  return report;
}

/**
 * Feeds chunks of XML to the first stream of the chain (the compressor, or the file), which
 * takes each one in before calling back: its Buffer is then filled again, and the bytes
 * handed over and not yet taken in stay under {@link QUEUED_BYTES}.
 */
class ChunkSink {
  private queued = 0;
  private failure: { error: unknown } | undefined;
  private wake: (() => void) | undefined;
  private readonly spare: Buffer[] = [];
  /** Whether a chunk was handed over since the last {@link ChunkSink.ready}. */
  handedOver = false;

  constructor(
    private readonly head: Writable,
    done: Promise<void>,
    private readonly entry: ZipEntryState | undefined,
  ) {
    // A failure is reported where it is awaited; until then it must not count as unhandled.
    done.catch((error: unknown) => {
      this.failure ??= { error };
      this.wake?.();
    });
  }

  /** Takes a chunk written and gives the Buffer for the next one. */
  readonly take = (chunk: Buffer): Buffer => {
    if (this.entry) zipChecksum(this.entry, chunk);
    this.queued += chunk.length;
    this.handedOver = true;
    this.head.write(chunk, () => {
      this.queued -= chunk.length;
      const whole = chunk.buffer;
      if (chunk.byteOffset === 0 && whole.byteLength === CHUNK && whole instanceof ArrayBuffer) {
        this.spare.push(Buffer.from(whole));
      }
      this.wake?.();
    });
    return this.spare.pop() ?? Buffer.allocUnsafe(CHUNK);
  };

  /**
   * Lets the event loop run, so the compressor gets the chunks queued for it, and waits
   * while too much is queued. Throws if the chain failed.
   */
  async ready(): Promise<void> {
    this.handedOver = false;
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.queued >= QUEUED_BYTES && !this.failure) {
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    this.wake = undefined;
    if (this.failure) throw this.failure.error;
  }

  /** No more chunks. */
  end(): void {
    this.head.end();
  }

  /** Stops the chain after an error; the partial file stays for the caller to remove. */
  fail(error: unknown): void {
    this.failure ??= { error };
    this.head.destroy(error instanceof Error ? error : new Error(String(error)));
  }
}
