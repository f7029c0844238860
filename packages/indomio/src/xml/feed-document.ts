// A whole `<feed>` document — metadata, agents, projects, properties, auctions — built in
// memory. The streaming daily feed is `writeFeed`.
import { parseInput } from '@sync/core';
import { z } from 'zod';
import { FeedMetadataSchema } from '../feed.js';
import { PORTAL } from '../portal.js';
import { AgentSchema } from '../schemas/agent.js';
import { PropertySchema } from '../schemas/property.js';
import { AuctionSchema, ProjectSchema } from '../schemas/roots.js';
import { agentXml } from './agent.js';
import { writeProperty, XML_DECLARATION } from './build.js';
import { writeAuction, writeProject, writeSection } from './roots.js';
import { XmlWriter } from './writer.js';

/** A whole `<feed>` document: metadata and any of its four sections. */
export const FeedDocumentSchema = z.strictObject({
  metadata: FeedMetadataSchema.extend({
    publisher: FeedMetadataSchema.shape.publisher.extend({
      /** What the publisher's feed carries and how strictly it is read (`setup`). */
      setup: z
        .strictObject({
          hasAuctions: z.int32().optional(),
          hasProjects: z.int32().optional(),
          condition: z.string().optional(),
          certificable: z.int32().optional(),
          strict: z.int32().optional(),
        })
        .optional(),
    }),
    /** The snapshot the feed was taken from, as the publisher names it (`snaptime`). */
    snaptime: z.string().optional(),
    /** This file's page of a feed split over several files (`multipage`). */
    multipage: z.strictObject({ current: z.int32(), last: z.int32() }).optional(),
  }),
  /** Agencies' profiles (`agents/agent`). */
  agents: z.array(AgentSchema).optional(),
  projects: z.array(ProjectSchema).optional(),
  properties: z.array(PropertySchema).optional(),
  auctions: z.array(AuctionSchema).optional(),
});
/** A whole feed document, as accepted. */
export type FeedDocumentInput = z.input<typeof FeedDocumentSchema>;

/**
 * Validates and writes a whole `<feed>` — metadata, agents, projects, properties and
 * auctions — as one XML document valid against the XSD, in memory. For the daily feed of
 * many properties, streamed and compressed, use `writeFeed`.
 *
 * @example
 * ```ts
 * const xml = buildFeedXml({
 *   metadata: { publisher: { name: 'My CRM', email: 'feeds@crm.example', phone: '+39 000' }, buildDate: new Date() },
 *   agents: [{ email: 'agency@example.com', name: 'Agenzia Centrale' }],
 *   properties: [property],
 * });
 * ```
 */
export function buildFeedXml(feed: FeedDocumentInput): string {
  const f = parseInput(FeedDocumentSchema, feed, { portal: PORTAL, operation: 'buildFeedXml' });
  const out = new XmlWriter();
  out.raw(`${XML_DECLARATION}<feed>`);
  out.textElement('version', f.metadata.version);
  const meta = f.metadata;
  out.start('metadata');
  out.start('publisher');
  const setup = meta.publisher.setup;
  if (setup) {
    out.start('setup');
    out.textElement('has_auctions', setup.hasAuctions);
    out.textElement('has_projects', setup.hasProjects);
    out.cdataElement('condition', setup.condition);
    out.textElement('certificable', setup.certificable);
    out.textElement('strict', setup.strict);
    out.end('setup');
  }
  out.cdataElement('name', meta.publisher.name);
  out.cdataElement('site', meta.publisher.site);
  out.textElement('email', meta.publisher.email);
  out.cdataElement('phone', meta.publisher.phone);
  out.end('publisher');
  out.textElement('build-date', meta.buildDate);
  out.cdataElement('snaptime', meta.snaptime);
  if (meta.multipage) {
    out.start('multipage');
    out.textElement('current', meta.multipage.current);
    out.textElement('last', meta.multipage.last);
    out.end('multipage');
  }
  out.end('metadata');
  writeSection(out, 'agents', f.agents, agentXml);
  writeSection(out, 'projects', f.projects, writeProject);
  writeSection(out, 'properties', f.properties, writeProperty);
  writeSection(out, 'auctions', f.auctions, writeAuction);
  out.raw('</feed>');
  return out.toString();
}
