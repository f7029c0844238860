import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AgentSchema,
  AuctionSchema,
  buildAuctionXml,
  buildFeedXml,
  buildProjectXml,
  buildPropertyXml,
  ProjectSchema,
  type PropertyInput,
  PropertySchema,
  TYPOLOGY_SIZE_TYPES,
  UserSchema,
} from '../src/index.js';
import { arbitraryOf, type Fill } from './arbitrary.js';
import { validateAgainstXsd } from './helpers.js';
import { contentModel, isMarkedDeprecated } from './xsd-model.js';

// biome-ignore lint/suspicious/noExplicitAny: a generated model is adjusted key by key, whatever its nesting.
type Loose = { [key: string]: any };

/**
 * Makes a generated model follow the guide's rules that the XSD cannot express (one
 * advertiser, a place, one contract of each kind, no room for sale, units for auctions and
 * new constructions), so that every generated model is one the package accepts.
 */
function followGuideRules(generated: unknown, advertiser: unknown, pickUser: boolean): PropertyInput {
  const p = structuredClone(generated) as Loose;
  delete p.agent;
  delete p.user;
  p[pickUser ? 'user' : 'agent'] = advertiser;
  p.location.locality ??= {};
  const locality = p.location.locality as Loose;
  locality.latitude ??= 43.5;
  locality.longitude ??= 13.2;
  const seen = new Set<string>();
  p.documents = (p.documents as Loose[] | undefined)?.map((d) => {
    if ((d.type === 'planimetria' || d.type === 'ape') && seen.has(d.type)) return { ...d, type: 'altro' };
    seen.add(d.type);
    return d;
  });
  if (p.documents?.length === 0) delete p.documents;
  const isRoom = p.extraFeatures?.rentRoom !== undefined || p.extraFeatures?.accommodationType !== undefined;
  const byType = new Map<string, Loose>();
  for (const t of p.transactions as Loose[]) byType.set(isRoom ? 'R' : t.type, { ...t, type: isRoom ? 'R' : t.type });
  p.transactions = [...byType.values()];
  const only = TYPOLOGY_SIZE_TYPES[p.building.typeId as number];
  if (only) for (const item of p.features.sizes?.items ?? []) item.type = only;
  if (p.estates === undefined) {
    for (const key of ['auctionFeatures', 'projectName', 'projectStatus', 'workStartDate', 'workEndDate'])
      delete p[key];
    for (const t of p.transactions as Loose[]) delete t.auction;
  } else {
    (p.estates.items as Loose[]).forEach((unit, i) => {
      unit.uniqueId = `unit-${i}`;
    });
  }
  return p as PropertyInput;
}

const propertyOf = (fill: Fill) =>
  fc
    .tuple(arbitraryOf(PropertySchema, fill), fc.boolean())
    .chain(([generated, pickUser]) =>
      arbitraryOf(pickUser ? UserSchema : AgentSchema, fill).map((advertiser) =>
        followGuideRules(generated, advertiser, pickUser),
      ),
    );

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
        if (!names.has(name) && !isMarkedDeprecated(name)) unused.push(`${locator}/${name}`);
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
});
