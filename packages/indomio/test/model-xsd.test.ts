import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AgentSchema,
  type AuctionInput,
  AuctionSchema,
  buildAuctionXml,
  buildFeedXml,
  buildProjectXml,
  buildPropertyXml,
  type ProjectInput,
  ProjectSchema,
  writeFeed,
} from '../src/index.js';
import { arbitraryOf, type Loose, propertyOf } from './arbitrary.js';
import { validateAgainstXsd } from './helpers.js';
import { contentModel, isMarkedDeprecated } from './xsd-model.js';

/** The XSD names of the elements and attributes of a document, to show the run used every part. */
function elementNames(xml: string): Set<string> {
  return new Set([...xml.matchAll(/<([A-Za-z][\w.-]*)|\s([A-Za-z][\w.-]*)="/g)].map((m) => m[1] ?? m[2] ?? ''));
}

describe('generated models using every part of the model', () => {
  it('give documents that libxml2 validates against the XSD', async () => {
    // Half the models with every optional part set, half with some: the writer meets each
    // part both present and absent. Seeded, so a failure reproduces.
    const models = [
      ...fc.sample(propertyOf('every'), { numRuns: 6, seed: 20261202 }),
      ...fc.sample(propertyOf('some'), { numRuns: 14, seed: 20261203 }),
    ];
    const docs = models.map((m) => buildPropertyXml(m));
    const result = await validateAgainstXsd(docs);
    expect(result.errors.slice(0, 5)).toEqual([]);
    expect(result.valid).toBe(true);
    // Every child element and attribute of the main content models appears in some document.
    const names = new Set(docs.flatMap((d) => [...elementNames(d)]));
    const unused: string[] = [];
    for (const locator of [
      'element:property',
      'element:agent',
      'type:extra-features',
      'type:extended',
      'type:estate',
    ]) {
      const model = contentModel(locator);
      for (const name of [...model.elements, ...model.attributes]) {
        if (!names.has(name) && !isMarkedDeprecated(locator, name)) unused.push(`${locator}/${name}`);
      }
    }
    expect(unused).toEqual([]);
  });

  it('give projects, auctions and whole feeds that libxml2 validates against the XSD', async () => {
    const projects = fc.sample(
      fc
        .tuple(arbitraryOf(ProjectSchema, 'every'), arbitraryOf(AgentSchema, 'some'))
        .map(([p, agent]) => ({ ...(p as Loose), agent, user: undefined }) as Parameters<typeof buildProjectXml>[0]),
      { numRuns: 3, seed: 11 },
    );
    const auctions = fc.sample(
      arbitraryOf(AuctionSchema, 'every') as fc.Arbitrary<Parameters<typeof buildAuctionXml>[0]>,
      { numRuns: 3, seed: 12 },
    );
    const properties = fc.sample(propertyOf('some'), { numRuns: 3, seed: 13 });
    const agents = fc.sample(arbitraryOf(AgentSchema, 'every') as fc.Arbitrary<never>, { numRuns: 2, seed: 14 });
    const docs = [
      ...projects.map((p) => buildProjectXml(p)),
      ...auctions.map((a) => buildAuctionXml(a)),
      buildFeedXml({
        metadata: {
          publisher: {
            name: 'CRM & Co',
            email: 'feeds@crm.example',
            phone: '+39 000',
            site: 'https://crm.example',
            setup: { hasAuctions: 1, hasProjects: 1, condition: 'all', certificable: 0, strict: 1 },
          },
          buildDate: new Date('2026-12-01T00:00:00Z'),
          snaptime: 'nightly',
          multipage: { current: 1, last: 1 },
        },
        agents,
        projects,
        properties,
        auctions,
      }),
    ];
    const result = await validateAgainstXsd(docs);
    expect(result.errors.slice(0, 5)).toEqual([]);
    expect(result.valid).toBe(true);
    const names = new Set(docs.flatMap((d) => [...elementNames(d)]));
    const unused: string[] = [];
    for (const locator of [
      'element:project',
      'element:auction',
      'element:feed',
      'type:metadata',
      'type:publisher',
      'element:setup',
      'type:lot',
    ]) {
      const model = contentModel(locator);
      for (const name of [...model.elements, ...model.attributes])
        if (!names.has(name)) unused.push(`${locator}/${name}`);
    }
    expect(unused).toEqual([]);
  });

  it('streams the agents, projects and auctions sections into the daily feed, and the XSD accepts it', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'indomio-sections-'));
    try {
      const [project] = fc.sample(
        fc
          .tuple(arbitraryOf(ProjectSchema, 'some'), arbitraryOf(AgentSchema, 'some'))
          .map(([p, agent]) => ({ ...(p as Loose), agent, user: undefined }) as ProjectInput),
        { numRuns: 1, seed: 21 },
      );
      const [auction] = fc.sample(arbitraryOf(AuctionSchema, 'some') as fc.Arbitrary<AuctionInput>, {
        numRuns: 1,
        seed: 22,
      });
      const report = await writeFeed(
        fc.sample(propertyOf('some'), { numRuns: 3, seed: 23 }),
        { publisher: { name: 'CRM', email: 'feeds@crm.example', phone: '+39 000' }, buildDate: new Date() },
        directory,
        {
          sections: {
            agents: [{ email: 'agency@example.com', name: 'Agenzia & Co' }],
            projects: project ? [project] : [],
            auctions: auction ? [auction] : [],
          },
        },
      );
      expect(report.written).toBe(3);
      const xml = gunzipSync(await readFile(report.file)).toString('utf8');
      for (const section of ['<agents>', '<projects>', '<properties>', '<auctions>']) expect(xml).toContain(section);
      const result = await validateAgainstXsd([xml]);
      expect(result.errors.slice(0, 5)).toEqual([]);
      expect(result.valid).toBe(true);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('refuses invalid sections before writing anything, naming the field', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'indomio-sections-'));
    try {
      const writing = writeFeed(
        [],
        { publisher: { name: 'CRM', email: 'feeds@crm.example', phone: '+39 000' }, buildDate: new Date() },
        directory,
        { sections: { agents: [{ email: 'not an address' }] } },
      );
      await expect(writing).rejects.toThrow(/agents\.0\.email/);
      await expect(readFile(join(directory, 'feed.xml.gz'))).rejects.toThrow();
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
