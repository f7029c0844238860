import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { InputValidationError, parseInput, SyncError } from '@sync/core';
import { create } from 'xmlbuilder2';
import { z } from 'zod';
import { DateTimeSchema, type PropertyInput } from './schemas/property.js';
import { propertyFragment, validateProperty } from './xml/build.js';

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

/** Options of {@link writeFeed}. */
export interface WriteFeedOptions {
  /** `gzip` (the portal's preference, `feed.xml.gz`) or plain `xml` (`feed.xml`). Default `gzip`. */
  format?: 'gzip' | 'xml' | undefined;
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
  format: 'gzip' | 'xml';
  /** Listings read from the input. */
  total: number;
  /** Listings written. */
  written: number;
  /** Listings left out because they are invalid, each with its reasons. */
  failed: FeedFailure[];
}

const CHUNK = 64 * 1024;

/**
 * Writes the legacy daily batch feed — `<feed><version/><metadata/><properties>…</properties></feed>`
 * — into `directory` as `feed.xml.gz` (or `feed.xml`), streaming from an iterable or async
 * iterable with bounded memory. Each listing is validated first; invalid ones are left
 * out and reported, never dropped silently. Remember that the portal removes the
 * unprotected listings missing from the feed.
 */
export async function writeFeed(
  properties: Iterable<PropertyInput> | AsyncIterable<PropertyInput>,
  metadata: FeedMetadata,
  directory: string,
  options: WriteFeedOptions = {},
): Promise<FeedReport> {
  const meta = parseInput(FeedMetadataSchema, metadata, { portal: 'indomio', operation: 'writeFeed' });
  const format = options.format ?? 'gzip';
  if (format !== 'gzip' && format !== 'xml') {
    throw new SyncError(`unsupported feed format "${String(format)}": use gzip or xml`, { operation: 'writeFeed' });
  }
  await mkdir(directory, { recursive: true });
  const file = join(directory, format === 'gzip' ? 'feed.xml.gz' : 'feed.xml');
  const report: FeedReport = { file, format, total: 0, written: 0, failed: [] };

  const head = create().ele('feed');
  head.ele('version').txt(meta.version).up();
  const md = head.ele('metadata');
  const pub = md.ele('publisher');
  pub.ele('name').dat(meta.publisher.name).up();
  if (meta.publisher.site !== undefined) pub.ele('site').dat(meta.publisher.site).up();
  pub.ele('email').txt(meta.publisher.email).up();
  pub.ele('phone').dat(meta.publisher.phone).up();
  md.ele('build-date').txt(meta.buildDate).up();
  const headXml = head.end({ headless: true }).replace(/<\/feed>$/, '');

  async function* chunks(): AsyncGenerator<string> {
    let buffer = `<?xml version="1.0" encoding="UTF-8"?>${headXml}<properties>`;
    let index = 0;
    for await (const property of properties) {
      const at = index++;
      report.total++;
      try {
        buffer += propertyFragment(validateProperty(property, 'writeFeed'));
        report.written++;
      } catch (error) {
        if (!(error instanceof InputValidationError)) throw error;
        const uniqueId = typeof property?.uniqueId === 'string' ? property.uniqueId : undefined;
        report.failed.push({ index: at, uniqueId, error });
      }
      if (buffer.length >= CHUNK) {
        yield buffer;
        buffer = '';
      }
    }
    yield `${buffer}</properties></feed>`;
  }

  const source = Readable.from(chunks(), { objectMode: false });
  const out = createWriteStream(file);
  if (format === 'gzip') await pipeline(source, createGzip(), out, { signal: options.signal });
  else await pipeline(source, out, { signal: options.signal });
  return report;
}
