import { Readable } from 'node:stream';
import { InputValidationError, NotFoundError, RateLimitError } from '@sync/core';
import { PfCrmClient } from '@sync/pfcrm';
import { createPfCrmHandlers, PfCrmMockPortal } from '@sync/pfcrm/msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './support.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
beforeEach(() => h.portal.reset());
afterAll(() => h.close());

describe('uploads', () => {
  it.each([
    ['a Buffer', () => Buffer.from('abc')],
    ['a Blob', () => new Blob(['abc'], { type: 'image/jpeg' })],
    ['a Node stream', () => Readable.from([Buffer.from('a'), Buffer.from('bc')])],
    ['a web stream', () => new Blob(['abc']).stream()],
  ])('uploads %s as multipart and returns its token', async (_name, make) => {
    const upload = await h.client.uploads.create(make(), 'property_image', { filename: 'photo.jpg' });
    expect(upload.token).toMatch(/^upload-/);
    expect(h.portal.uploads.get(upload.token)).toMatchObject({
      filename: 'photo.jpg',
      size: 3,
      type: 'property_image',
    });
  });

  it('refuses an empty file or an unknown type before sending', async () => {
    await expect(h.client.uploads.create(Buffer.alloc(0), 'property_image')).rejects.toBeInstanceOf(
      InputValidationError,
    );
    await expect(h.client.uploads.create(Buffer.from('x'), 'selfie' as never)).rejects.toBeInstanceOf(
      InputValidationError,
    );
    expect(h.portal.requests).toHaveLength(0);
  });
});

describe('read resources', () => {
  it('gets and lists landlords with their filters', async () => {
    expect(await h.client.landlords.get(2)).toMatchObject({ id: 2, first_name: 'Karim' });
    const page = await h.client.landlords.list({ filters: { nationality: 'AE' } });
    expect(page.items.map((l) => l.id)).toEqual([1]);
    const all: number[] = [];
    for await (const l of h.client.landlords.iterate({ perPage: 1 })) all.push(l.id);
    expect(all).toEqual([1, 2]);
    await expect(h.client.landlords.get(99)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('gets and iterates leads', async () => {
    expect(await h.client.leads.get(1)).toMatchObject({ id: 1, first_name: 'Sara' });
    const ids: number[] = [];
    for await (const l of h.client.leads.iterate({ filters: { user: 2 } })) ids.push(l.id);
    expect(ids).toEqual([2]);
  });

  it('lists and gets users', async () => {
    const page = await h.client.users.list();
    expect(page.items.map((u) => u.id)).toEqual([1, 2]);
    expect(await h.client.users.get(1)).toMatchObject({ email: 'amal@example.com' });
  });

  it('searches locations', async () => {
    const found = await h.client.locations.search('marina');
    expect(found.map((l) => l.id)).toEqual(['are.3.15']);
    await expect(h.client.locations.search('  ')).rejects.toBeInstanceOf(InputValidationError);
  });
});

describe('mock portal behaviour', () => {
  it('sends X-RateLimit-* headers and answers 429 with Retry-After past the limit', async () => {
    const limited = await startHarness({ rateLimit: { limit: 2, windowMs: 60_000 } });
    try {
      const token = limited.portal.issueToken(`Basic ${Buffer.from('test-key:test-secret').toString('base64')}`, {
        grant_type: 'client_credentials',
      }).access_token;
      const get = () => fetch(`${limited.server.url}/users`, { headers: { authorization: `Bearer ${token}` } });
      const first = await get();
      expect(first.status).toBe(200);
      expect(first.headers.get('x-ratelimit-limit')).toBe('2');
      expect(first.headers.get('x-ratelimit-remaining')).toBe('1');
      expect(Number(first.headers.get('x-ratelimit-reset'))).toBeGreaterThan(0);
      await get();
      const refused = await get();
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });

  it('follows X-RateLimit-* with no rateLimit configured: it waits for the reset instead of provoking a 429', async () => {
    const limited = await startHarness({ rateLimit: { limit: 2, windowMs: 1_000 } });
    try {
      const statuses: number[] = [];
      const held: Array<string | undefined> = [];
      limited.client.on('response', (e) => statuses.push(e.status));
      limited.client.on('rateLimited', (e) => {
        if (e.source === 'client') held.push(e.bucket);
      });
      for (let i = 0; i < 3; i++) expect((await limited.client.users.list()).lastResponse.status).toBe(200);
      expect(statuses).toEqual([200, 200, 200]);
      expect(held).toEqual(['default']);
    } finally {
      await limited.close();
    }
  });

  it('reports a 429 as a RateLimitError with the wait the server asked for', async () => {
    const limited = await startHarness({ rateLimit: { limit: 1, windowMs: 60_000 } }, { retry: false });
    try {
      await limited.client.users.list();
      // Another client of the account, which has not seen the window spent.
      const error = await limited
        .makeClient()
        .users.list()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RateLimitError);
      expect((error as RateLimitError).retryAfterMs).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });

  it('serves a delay when latency is set', async () => {
    h.portal.latencyMs = 50;
    const started = performance.now();
    await h.client.users.list();
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('answers 422 with field errors to a raw invalid create', async () => {
    const token = h.portal.issueToken(`Basic ${Buffer.from('test-key:test-secret').toString('base64')}`, {
      grant_type: 'client_credentials',
    }).access_token;
    const res = await fetch(`${h.server.url}/properties`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ property: { draft: false } }),
    });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { errors: Array<{ field: string }> };
    expect(body.errors.map((e) => e.field)).toEqual(expect.arrayContaining(['size', 'type', 'languages', 'price']));
  });

  it('works under setupServer on the production URLs', async () => {
    const portal = new PfCrmMockPortal();
    portal.addProperty({ reference: 'MSW-1' });
    const server = setupServer(...createPfCrmHandlers({ portal }));
    server.listen({ onUnhandledFrame: 'error' });
    try {
      const client = new PfCrmClient({ apiKey: 'test-key', apiSecret: 'test-secret' });
      const page = await client.properties.list();
      expect(page.items.map((p) => p.reference)).toEqual(['MSW-1']);
      const upload = await client.uploads.create(Buffer.from('x'), 'client_logo');
      expect(portal.uploads.has(upload.token)).toBe(true);
    } finally {
      server.close();
    }
  });

  it('reset() restores the start state', async () => {
    h.portal.seedProperties(3);
    h.portal.warning = 'x';
    h.portal.failNext(5);
    h.portal.reset();
    expect(h.portal.properties.size).toBe(0);
    expect(h.portal.warning).toBeUndefined();
    await expect(h.client.users.list()).resolves.toBeDefined();
  });
});
