import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFeed } from '../src/index.js';
import { minimalProperty, validateAgainstXsd } from './helpers.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'indomio-feed-realtors-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('writeFeed and realtors', () => {
  it('leaves agent/realtors out of the batch feed, counts the listings that named some, and keeps the rest of the agent', async () => {
    const named = {
      ...minimalProperty('with-realtor'),
      agent: { email: 'agency@example.com', officeName: 'Agenzia', realtors: [{ externalId: 'agent-7', id: 12 }] },
    };
    const report = await writeFeed(
      [named, minimalProperty('plain')],
      { publisher: { name: 'CRM', email: 'feeds@crm.example', phone: '+39 000' }, buildDate: '2024-05-01T10:00:00Z' },
      dir,
    );
    expect(report).toMatchObject({ total: 2, written: 2, failed: [], realtorsLeftOut: 1 });
    const xml = gunzipSync(await readFile(report.file)).toString('utf8');
    expect(xml).not.toContain('<realtors>');
    expect(xml).not.toContain('agent-7');
    expect(xml).toContain('<office-name><![CDATA[Agenzia]]></office-name>');
    expect(named.agent.realtors).toHaveLength(1);
    const result = await validateAgainstXsd([xml]);
    expect(result.errors).toEqual([]);
  });
});
