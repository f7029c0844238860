import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PropertyInput, writeFeed } from '../src/index.js';
import { fullProperty, minimalProperty, validateAgainstXsd } from './helpers.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'indomio-feed-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const metadata = {
  publisher: { name: 'CRM & Co', email: 'feeds@crm.example', phone: '+39 000' },
  version: '2.9' as const,
  buildDate: new Date('2024-06-01T02:00:00Z'),
};

describe('writeFeed', () => {
  it('streams 1,000 listings from an async iterable into feed.xml.gz that the XSD accepts as a whole', async () => {
    async function* listings(): AsyncGenerator<PropertyInput> {
      for (let i = 0; i < 1000; i++) yield i % 10 === 0 ? fullProperty(`full-${i}`) : minimalProperty(`min-${i}`);
    }
    const report = await writeFeed(listings(), metadata, join(dir, 'a'));
    expect(report).toMatchObject({ total: 1000, written: 1000, failed: [], format: 'gzip' });
    expect(report.file.endsWith('feed.xml.gz')).toBe(true);
    const xml = gunzipSync(await readFile(report.file)).toString('utf8');
    expect(xml.match(/<property /g)).toHaveLength(1000);
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

  it('refuses metadata the XSD would refuse, before writing', async () => {
    await expect(
      writeFeed([], { ...metadata, publisher: { ...metadata.publisher, email: 'nope' } }, join(dir, 'c')),
    ).rejects.toThrow(/publisher.email/);
  });
});
