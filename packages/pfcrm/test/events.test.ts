import type { HttpEvents, Logger } from '@sync/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './support.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('events on pf.http, as on every client', () => {
  it('include the token requests and the upload host’s requests', async () => {
    h = await startHarness();
    // A separate upload pipeline (a different base URL string), still seen through `http`.
    const client = h.makeClient({ uploadBaseUrl: `${h.server.url}/` });
    const seen: Array<HttpEvents['response']> = [];
    client.http.on('response', (e) => seen.push(e));
    await client.users.list();
    await client.uploads.create(Buffer.from('jpeg bytes'), 'property_image', { filename: 'a.jpg' });
    expect(seen.map((e) => [e.operation, e.status])).toEqual([
      ['auth.token', 200],
      ['users.list', 200],
      ['uploads.create', 201],
    ]);
  });

  it('are logged once each by the logger, without the credentials', async () => {
    h = await startHarness();
    const lines: string[] = [];
    const logger: Logger = { debug: (m) => lines.push(m), info: (m) => lines.push(m), warn() {}, error() {} };
    const client = h.makeClient({ uploadBaseUrl: `${h.server.url}/`, logger });
    await client.users.list();
    await client.uploads.create(Buffer.from('jpeg bytes'), 'property_image', { filename: 'a.jpg' });
    expect(lines.filter((line) => line.includes('auth.token'))).toHaveLength(2);
    expect(lines.filter((line) => line.includes('uploads.create'))).toHaveLength(2);
    expect(lines.join('\n')).not.toMatch(/test-secret|test-key/);
  });
});
