import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPropertyXml, type PropertyInput, writeFeed } from '../src/index.js';
import { fullProperty, minimalProperty, userProperty, validateAgainstXsd } from './helpers.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'indomio-feed-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Whether a command runs here: the archive checks use real ZIP readers when the machine has them. */
const runs = (command: string, args: string[]) => spawnSync(command, args, { stdio: 'ignore' }).status === 0;
const hasPython = runs('python3', ['-c', 'import zipfile']);
const hasUnzip = runs('unzip', ['-v']);

const READ_ZIP = `
import json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
info = z.infolist()
print(json.dumps({
  "bad": z.testzip(),
  "names": z.namelist(),
  "dateTime": list(info[0].date_time),
  "method": info[0].compress_type,
  "descriptor": bool(info[0].flag_bits & 8),
  "size": info[0].file_size,
  "xml": z.read("feed.xml").decode("utf-8"),
}))
`;

/** A listing as the feed writes it: as `buildPropertyXml` does alone, without `agent/realtors` (never in a feed). */
function asInFeed(p: PropertyInput): string {
  const { realtors: _realtors, ...agent } = p.agent ?? { email: '' };
  return buildPropertyXml(p.agent ? { ...p, agent } : p).replace(/^<\?xml[^>]*\?>/, '');
}

function mixedListings(count: number): PropertyInput[] {
  return Array.from({ length: count }, (_, i) =>
    i % 10 === 0 ? fullProperty(`full-${i}`) : minimalProperty(`min-${i}`),
  );
}

const metadata = {
  publisher: { name: 'CRM & Co', email: 'feeds@crm.example', phone: '+39 000' },
  version: '2.9' as const,
  buildDate: new Date('2024-06-01T02:00:00Z'),
};

describe('writeFeed', () => {
  it('streams 1,000 listings from an async iterable into feed.xml.gz that the XSD accepts as a whole', async () => {
    const make = (i: number) =>
      i % 10 === 0 ? fullProperty(`full-${i}`) : i % 10 === 5 ? userProperty(`user-${i}`) : minimalProperty(`min-${i}`);
    async function* listings(): AsyncGenerator<PropertyInput> {
      for (let i = 0; i < 1000; i++) yield make(i);
    }
    const report = await writeFeed(listings(), metadata, join(dir, 'a'));
    expect(report).toMatchObject({ total: 1000, written: 1000, failed: [], format: 'gzip' });
    expect(report.file.endsWith('feed.xml.gz')).toBe(true);
    const xml = gunzipSync(await readFile(report.file)).toString('utf8');
    expect(xml.match(/<property /g)).toHaveLength(1000);
    // Each listing is in the feed exactly as buildPropertyXml writes it alone, but for its realtors.
    const alone = Array.from({ length: 1000 }, (_, i) => asInFeed(make(i)));
    expect(xml.slice(xml.indexOf('<properties>') + 12, xml.lastIndexOf('</properties>'))).toBe(alone.join(''));
    const result = await validateAgainstXsd([xml]);
    expect(result.errors.slice(0, 3)).toEqual([]);
  });

  it('leaves invalid listings out and reports each with its reasons', async () => {
    const bad = { ...minimalProperty('bad-1'), transactions: [] };
    const report = await writeFeed([minimalProperty('ok-1'), bad, minimalProperty('ok-2')], metadata, join(dir, 'b'), {
      format: 'xml',
    });
    expect(report).toMatchObject({ total: 3, written: 2 });
    expect(report.failed).toHaveLength(1);
    expect(report.failed[0]).toMatchObject({ index: 1, uniqueId: 'bad-1' });
    expect(report.failed[0]?.error.issues[0]?.path).toBe('transactions');
    const xml = await readFile(report.file, 'utf8');
    expect(report.file.endsWith('feed.xml')).toBe(true);
    expect(xml).not.toContain('bad-1');
    expect((await validateAgainstXsd([xml])).valid).toBe(true);
  });

  it.skipIf(!hasPython)(
    'writes feed.xml.zip that python zipfile reads back with a good CRC, holding the XML the XSD accepts',
    async () => {
      const listings = [...mixedListings(300), { ...minimalProperty('bad'), transactions: [] }];
      const zip = await writeFeed(listings, metadata, join(dir, 'zip-py'), { format: 'zip' });
      const plain = await writeFeed(listings, metadata, join(dir, 'zip-py-plain'), { format: 'xml' });
      expect(zip).toMatchObject({ format: 'zip', total: 301, written: 300 });
      expect(zip.failed.map((f) => f.uniqueId)).toEqual(['bad']);
      expect(zip.file.endsWith('feed.xml.zip')).toBe(true);
      const run = spawnSync('python3', ['-c', READ_ZIP, zip.file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      expect(run.stderr).toBe('');
      const read = JSON.parse(run.stdout) as Record<string, unknown>;
      const build = metadata.buildDate;
      expect(read).toMatchObject({
        bad: null,
        names: ['feed.xml'],
        method: 8,
        descriptor: true,
        dateTime: [
          build.getFullYear(),
          build.getMonth() + 1,
          build.getDate(),
          build.getHours(),
          build.getMinutes(),
          build.getSeconds() - (build.getSeconds() % 2),
        ],
      });
      const xml = read.xml as string;
      expect(xml).toBe(await readFile(plain.file, 'utf8'));
      expect(read.size).toBe(Buffer.byteLength(xml));
      const result = await validateAgainstXsd([xml]);
      expect(result.errors.slice(0, 3)).toEqual([]);
      expect(result.valid).toBe(true);
    },
  );

  it.skipIf(!hasUnzip)('writes feed.xml.zip that unzip tests and extracts, even with no listing', async () => {
    for (const [name, listings] of [
      ['zip-unzip', mixedListings(50)],
      ['zip-empty', []],
    ] as const) {
      const zip = await writeFeed(listings, metadata, join(dir, name), { format: 'zip' });
      const plain = await writeFeed(listings, metadata, join(dir, `${name}-plain`), { format: 'xml' });
      const test = spawnSync('unzip', ['-t', zip.file], { encoding: 'utf8' });
      expect(test.status, test.stdout + test.stderr).toBe(0);
      expect(test.stdout).toContain('No errors detected');
      const extracted = spawnSync('unzip', ['-p', zip.file, 'feed.xml'], { maxBuffer: 64 * 1024 * 1024 });
      expect(extracted.stdout.toString('utf8')).toBe(await readFile(plain.file, 'utf8'));
      expect((await validateAgainstXsd([extracted.stdout.toString('utf8')])).valid).toBe(true);
    }
  });

  it("writes a listing longer than a chunk whole, and leaves the caller's listings as they were", async () => {
    // Several hundred kilobytes of free text, with characters of every UTF-8 length and a "]]>".
    const long = `${'Attico luminoso è ancora più bello 中文 😀 & <b> '.repeat(8000)}]]>fine`;
    const big = fullProperty('long-1');
    big.features.descriptions = [{ language: 'it', title: 'Lungo', content: long }];
    const listings = [minimalProperty('before'), big, fullProperty('after'), minimalProperty('last')];
    const copies = structuredClone(listings);
    for (const format of ['gzip', 'xml'] as const) {
      const report = await writeFeed(listings, metadata, join(dir, `long-${format}`), { format });
      expect(report).toMatchObject({ total: 4, written: 4, failed: [] });
      const bytes = await readFile(report.file);
      const xml = (format === 'gzip' ? gunzipSync(bytes) : bytes).toString('utf8');
      const alone = listings.map(asInFeed).join('');
      expect(xml.slice(xml.indexOf('<properties>') + 12, xml.lastIndexOf('</properties>'))).toBe(alone);
      expect((await validateAgainstXsd([xml])).valid).toBe(true);
    }
    expect(listings).toEqual(copies);
  });

  it('stops writing when its signal aborts', async () => {
    const controller = new AbortController();
    async function* listings(): AsyncGenerator<PropertyInput> {
      for (let i = 0; i < 1000; i++) {
        if (i === 200) controller.abort();
        yield minimalProperty(`abort-${i}`);
      }
    }
    await expect(
      writeFeed(listings(), metadata, join(dir, 'aborted'), { signal: controller.signal }),
    ).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('fails when the feed file cannot be written', async () => {
    // A directory stands where the file should go.
    await mkdir(join(dir, 'blocked', 'feed.xml.gz'), { recursive: true });
    await expect(writeFeed(mixedListings(500), metadata, join(dir, 'blocked'))).rejects.toMatchObject({
      code: 'EISDIR',
    });
  });

  it('refuses an unknown format before writing anything', async () => {
    await expect(
      writeFeed([minimalProperty()], metadata, join(dir, 'bad-format'), { format: 'rar' as 'zip' }),
    ).rejects.toThrow(/unsupported feed format "rar"/);
  });

  it('refuses metadata the XSD would refuse, before writing', async () => {
    await expect(
      writeFeed([], { ...metadata, publisher: { ...metadata.publisher, email: 'nope' } }, join(dir, 'c')),
    ).rejects.toThrow(/publisher.email/);
  });
});
