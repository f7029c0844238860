// The feed's exact bytes for a fixed set of varied listings, recorded once: a change to the
// writer, the schemas or the feed that alters a single byte (an escape, a number, an order)
// or a reported error shows up here.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type PropertyInput, writeFeed } from '../src/index.js';
import { propertyOf } from './arbitrary.js';
import { fullProperty, minimalProperty, userProperty } from './helpers.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'indomio-feed-bytes-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const long = (seed: string, length: number) => seed.repeat(Math.ceil(length / seed.length)).slice(0, length);

/** Listings whose strings take every path of the writer: short and long, ASCII or not, with markup and references. */
function varied(): PropertyInput[] {
  const texts = [
    'plain',
    'àèìòù € 中文 🏠',
    'a ]]> b ]]]]> c',
    ']]>',
    'tab\tnew\nline\rreturn',
    '&<>"\' &amp; &#9;',
    long('Trilocale luminoso, ', 70),
    long('Trilocale luminoso & <centro> "vista" ', 300),
    long('città — ', 200),
    `${long('x', 63)}é`,
    `${long('&', 64)}`,
    `${long('"', 65)}`,
    long('ab]]>cd', 5000),
    '',
  ];
  const listings: PropertyInput[] = [minimalProperty('min'), userProperty('user'), fullProperty('full')];
  texts.forEach((text, i) => {
    const p = fullProperty(`text-${i}-${text.slice(0, 10)}`);
    p.referenceCode = text || undefined;
    p.pictures = [
      { url: `https://img.example.com/${i}/a.jpg?x=1&y="${text.slice(0, 20)}"` },
      { url: `https://img.example.com/${long('p', 40 + i * 7)}.jpg` },
    ];
    p.location.locality = { ...p.location.locality, thoroughfare: { value: text || 'via', display: i % 2 === 0 } };
    if (p.agent) p.agent = { ...p.agent, name: text || 'n', officeName: `${text}\t"${i}"` };
    p.features.descriptions = [{ language: 'it', title: text.slice(0, 200) || 't', content: text || 'c' }];
    listings.push(p);
  });
  // Invalid ones: left out and reported, with their fields.
  const bad = (id: string, change: (p: PropertyInput) => void) => {
    const p = fullProperty(id);
    change(p);
    listings.push(p);
  };
  bad('control', (p) => {
    p.referenceCode = 'a\u0001b';
  });
  bad('surrogate', (p) => {
    if (p.agent) p.agent.name = 'x\uD800y';
  });
  bad('fffe', (p) => {
    p.features.descriptions = [{ language: 'it', title: 't', content: `${long('long ', 200)}\uFFFE` }];
  });
  bad('long-control', (p) => {
    p.pictures = [{ url: `https://img.example.com/${long('q', 100)}\u001F.jpg` }];
  });
  bad('many', (p) => {
    p.referenceCode = '\u0000';
    p.transactions = [{ type: 'S', price: -1 }];
    p.location.city.name = 'b\uDFFF';
  });
  listings.push(
    ...fc.sample(propertyOf('some'), { seed: 20240601, numRuns: 40 }),
    ...fc.sample(propertyOf('every'), { seed: 7, numRuns: 10 }),
  );
  return listings;
}

it('writes the same bytes and reports the same failures as recorded', async () => {
  const report = await writeFeed(
    varied(),
    {
      publisher: { name: 'CRM & Co ]]>', email: 'feeds@crm.example', phone: '+39 000' },
      buildDate: '2024-06-01T02:00:00Z',
    },
    dir,
    { format: 'xml' },
  );
  const xml = await readFile(report.file);
  // The document is 1.5 MB: its digest is recorded, and the failures in full.
  const digest = createHash('sha256').update(xml).digest('hex');
  const failures = report.failed.map((f) => ({
    index: f.index,
    uniqueId: f.uniqueId,
    message: f.error.message,
    issues: f.error.issues,
  }));
  await expect(`${xml.length} bytes, sha256 ${digest}\n${JSON.stringify(failures, null, 1)}\n`).toMatchFileSnapshot(
    'fixtures/feed-bytes.txt',
  );
  expect(report.written).toBeGreaterThan(60);
});
