import { type HandlerServer, serveHandlers } from '@sync/core/msw';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IndomioClient, type PropertyInput } from '../src/index.js';
import { createIndomioHandlers, IndomioMockPortal } from '../src/msw/index.js';
import { propertyOf } from './arbitrary.js';

let server: HandlerServer;
const portal = new IndomioMockPortal({ agencies: ['agency@example.com'] });

beforeAll(async () => {
  server = await serveHandlers((url) => createIndomioHandlers({ portal, baseUrl: url }));
});
afterAll(async () => {
  await server.close();
});

describe('the bundled mock and the whole model', () => {
  it('takes a property using every part of the model', async () => {
    const client = new IndomioClient({
      username: 'user',
      password: 'secret',
      source: 'crm',
      baseUrl: server.url,
      allowInsecureHttp: true,
    });
    const [generated = {} as PropertyInput] = fc.sample(propertyOf('every'), { numRuns: 1, seed: 3 });
    // A write (the generated operation may be a delete of a listing the mock never had), of a
    // typology the mock knows.
    const p = {
      ...generated,
      user: undefined,
      agent: { email: 'agency@example.com' },
      building: { ...generated.building, typeId: 14 },
      operation: 'write',
    } as PropertyInput;
    const result = await client.properties.put(p);
    expect(result.idListing).toBeGreaterThan(0);
  });
});
