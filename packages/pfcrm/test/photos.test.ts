import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type Listing, MemoryIdentifierMap, SyncState } from '@sync/core';
import { type PfCrmSyncOptions, PfPhotoUploader, PHOTO_KIND, syncListings } from '@sync/pfcrm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './support.js';

// A 1×1 PNG (signature, IHDR, IDAT, IEND).
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
  'hex',
);

interface Served {
  body: Buffer;
  etag?: string;
  lastModified?: string;
  type?: string;
  status?: number;
  location?: string;
}

/** A photo host on 127.0.0.1: serves what `files` holds, answers conditional GETs, records every request. */
async function startImageHost() {
  const files = new Map<string, Served>();
  const seen: Array<{ path: string; headers: IncomingHttpHeaders; status: number }> = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    const file = files.get(path);
    const answer = (status: number, headers: Record<string, string | number> = {}, body?: Buffer) => {
      seen.push({ path, headers: req.headers, status });
      res.writeHead(status, headers).end(body);
    };
    if (!file) return answer(404);
    if (file.location) return answer(file.status ?? 302, { location: file.location });
    if (file.etag && req.headers['if-none-match'] === file.etag) return answer(304, { etag: file.etag });
    if (file.lastModified && req.headers['if-modified-since'] === file.lastModified) return answer(304);
    answer(
      200,
      {
        'content-type': file.type ?? 'image/png',
        ...(file.etag && { etag: file.etag }),
        ...(file.lastModified && { 'last-modified': file.lastModified }),
        'content-length': file.body.length,
      },
      file.body,
    );
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    files,
    seen,
    /** Full downloads (200) so far. */
    downloads: () => seen.filter((s) => s.status === 200).length,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

let h: Harness;
let host: Awaited<ReturnType<typeof startImageHost>>;
let clock = Date.UTC(2026, 11, 1, 12);
const now = () => clock;

beforeAll(async () => {
  h = await startHarness({ now });
  host = await startImageHost();
});
afterAll(async () => {
  await h.close();
  await host.close();
});
afterEach(() => {
  h.portal.reset();
  host.files.clear();
  host.seen.length = 0;
  clock = Date.UTC(2026, 11, 1, 12);
});

function listing(id: string, photos: string[], overrides: Partial<Listing> = {}): Listing {
  return {
    id,
    offer: 'sale',
    price: 1_500_000,
    currency: 'AED',
    category: 'residential',
    type: 'apartment',
    bedrooms: 2,
    bathrooms: 2,
    area: 100,
    address: { country: 'AE', city: 'Dubai', district: 'Dubai Marina' },
    title: { en: 'Marina view' },
    description: { en: 'Two bedrooms over the marina.' },
    photos: photos.map((p) => ({ url: `${host.url}${p}` })),
    status: 'active',
    updatedAt: '2026-11-01T10:00:00Z',
    ...overrides,
  };
}

const serve = (path: string, file: Partial<Served> = {}) =>
  host.files.set(path, { body: PNG, etag: `"${path}"`, ...file });

function options(state: SyncState, extra: Partial<PfCrmSyncOptions> = {}): PfCrmSyncOptions {
  return {
    state,
    currency: 'AED',
    sizeUnit: 'sqm',
    types: { 'residential.apartment': 1 },
    locations: { 'Dubai/Dubai Marina': 'are.3.15' },
    agents: 'omit',
    images: 'upload',
    photos: { now },
    ...extra,
  };
}

/** Uploads the account stored (a request refused for an expired access token is not one). */
const uploads = () => h.portal.uploads.size;
const writes = () => h.portal.requests.filter((r) => r.path === '/properties' && r.method !== 'GET').length;
const imagesOf = (reference: string) =>
  [...h.portal.properties.values()].find((p) => p.reference === reference)?.images as unknown[] | undefined;

describe('photos by URL', () => {
  it('uploads each photo once on the first sync and nothing on a second one with the same photos', async () => {
    serve('/a.png');
    serve('/b.png');
    const state = new SyncState(new MemoryIdentifierMap(), 'pfcrm');
    const items = [listing('CRM-1', ['/a.png', '/b.png']), listing('CRM-2', ['/b.png'])];

    const first = await syncListings(h.client, items, options(state));
    expect(first.failed).toBe(0);
    expect(first.created).toBe(2);
    expect(uploads()).toBe(2);
    expect(imagesOf('CRM-1')).toHaveLength(2);
    expect(imagesOf('CRM-2')).toHaveLength(1);
    const cached = JSON.parse((await state.map.get('pfcrm', PHOTO_KIND, `${host.url}/a.png`)) ?? '{}');
    expect(cached).toMatchObject({ etag: '"/a.png"', hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(cached.token).toEqual(expect.any(String));

    const writesBefore = writes();
    const second = await syncListings(h.client, items, options(state));
    expect(second.unchanged).toBe(2);
    expect(uploads()).toBe(2);
    expect(writes()).toBe(writesBefore);
    // The second round asked conditionally and got 304s: no photo was downloaded again.
    expect(host.downloads()).toBe(2);
    expect(host.seen.filter((s) => s.status === 304)).toHaveLength(2);
  });

  it('uploads a photo again when its content changes (new ETag) and updates its listing', async () => {
    serve('/a.png');
    const state = new SyncState(new MemoryIdentifierMap(), 'pfcrm');
    const items = [listing('CRM-1', ['/a.png'])];
    await syncListings(h.client, items, options(state));
    expect(uploads()).toBe(1);

    serve('/a.png', { body: Buffer.concat([PNG, Buffer.from([0])]), etag: '"v2"' });
    const report = await syncListings(h.client, items, options(state));
    expect(report.updated).toBe(1);
    expect(uploads()).toBe(2);
  });

  it('does not upload again when a new ETag carries the same bytes', async () => {
    serve('/a.png');
    const state = new SyncState(new MemoryIdentifierMap(), 'pfcrm');
    const items = [listing('CRM-1', ['/a.png'])];
    await syncListings(h.client, items, options(state));
    serve('/a.png', { etag: '"same-bytes"' });
    const report = await syncListings(h.client, items, options(state));
    expect(report.unchanged).toBe(1);
    expect(uploads()).toBe(1);
  });

  it('asks with If-Modified-Since when the host gives Last-Modified and no ETag', async () => {
    serve('/a.png', { etag: undefined, lastModified: 'Tue, 01 Dec 2026 10:00:00 GMT' });
    const state = new SyncState(new MemoryIdentifierMap(), 'pfcrm');
    const items = [listing('CRM-1', ['/a.png'])];
    await syncListings(h.client, items, options(state));
    const report = await syncListings(h.client, items, options(state));
    expect(report.unchanged).toBe(1);
    expect(uploads()).toBe(1);
    expect(host.seen.at(-1)).toMatchObject({ status: 304 });
    expect(host.seen.at(-1)?.headers['if-modified-since']).toBe('Tue, 01 Dec 2026 10:00:00 GMT');
  });

  it('keeps the unchanged images by id and uploads only the changed photo', async () => {
    serve('/a.png');
    serve('/b.png');
    const state = new SyncState(new MemoryIdentifierMap(), 'pfcrm');
    const items = [listing('CRM-1', ['/a.png', '/b.png'])];
    await syncListings(h.client, items, options(state));
    const [first] = imagesOf('CRM-1') as Array<{ id: number }>;

    serve('/b.png', { body: Buffer.concat([PNG, Buffer.from([1])]), etag: '"b2"' });
    const report = await syncListings(h.client, items, options(state));
    expect(report.updated).toBe(1);
    expect(uploads()).toBe(3);
    const after = imagesOf('CRM-1') as Array<{ id: number }>;
    expect(after).toHaveLength(2);
    expect(after[0]?.id).toBe(first?.id);
  });

  it('keeps the images of an existing property by id when it is updated, with no upload', async () => {
    serve('/a.png');
    serve('/b.png');
    const state = new SyncState(new MemoryIdentifierMap(), 'pfcrm');
    await syncListings(h.client, [listing('CRM-1', ['/a.png', '/b.png'])], options(state));
    const ids = (imagesOf('CRM-1') as Array<{ id: number }>).map((i) => i.id);
    expect(uploads()).toBe(2);

    // A day later (every token expired) the price changes: the images stay, nothing is uploaded.
    clock += 25 * 60 * 60 * 1000;
    const report = await syncListings(
      h.client,
      [listing('CRM-1', ['/a.png', '/b.png'], { price: 1_600_000 })],
      options(state),
    );
    expect(report.updated).toBe(1);
    expect(uploads()).toBe(2);
    expect((imagesOf('CRM-1') as Array<{ id: number }>).map((i) => i.id)).toEqual(ids);
  });

  it('re-uploads a cached photo whose token expired before a property is written with it', async () => {
    serve('/a.png');
    const state = new SyncState(new MemoryIdentifierMap(), 'pfcrm');
    await syncListings(h.client, [listing('CRM-1', ['/a.png'])], options(state));
    expect(uploads()).toBe(1);

    // The mock's clock and the cache's move past 24 h; a new listing uses the same photo.
    clock += 25 * 60 * 60 * 1000;
    const report = await syncListings(
      h.client,
      [listing('CRM-1', ['/a.png']), listing('CRM-2', ['/a.png'])],
      options(state),
    );
    expect(report.failed).toBe(0);
    expect(report.created).toBe(1);
    expect(report.unchanged).toBe(1);
    expect(uploads()).toBe(2);
    expect(imagesOf('CRM-2')).toHaveLength(1);
    const cached = JSON.parse((await state.map.get('pfcrm', PHOTO_KIND, `${host.url}/a.png`)) ?? '{}');
    expect(cached.expiresAt).toBe(clock + 24 * 60 * 60 * 1000);
  });

  it('renews a token with less than the safety margin left', async () => {
    serve('/a.png');
    const state = new SyncState(new MemoryIdentifierMap(), 'pfcrm');
    const photos = new PfPhotoUploader(h.client, state, { now });
    const first = await photos.token(`${host.url}/a.png`);
    clock += 23 * 60 * 60 * 1000 + 1;
    const second = await photos.token(`${host.url}/a.png`);
    expect(second).not.toBe(first);
    expect(uploads()).toBe(2);
  });

  it.each([
    ['over the size limit', () => serve('/bad.png', { body: Buffer.alloc(2048, 1) }), /larger than 1024 bytes/],
    ['of a content type PF does not take', () => serve('/bad.png', { type: 'text/html' }), /media type text\/html/],
    ['that redirects', () => serve('/bad.png', { location: `${host.url}/a.png` }), /redirected/],
    ['that is missing', () => undefined, /404/],
  ])('fails the listing of a photo %s, naming the field', async (_name, arrange, message) => {
    serve('/a.png');
    arrange();
    const state = new SyncState(new MemoryIdentifierMap(), 'pfcrm');
    const report = await syncListings(
      h.client,
      [listing('CRM-1', ['/a.png']), listing('CRM-2', ['/a.png', '/bad.png'])],
      options(state, { photos: { now, maxBytes: 1024 } }),
    );
    expect(report.created).toBe(1);
    expect(report.failed).toBe(1);
    const failed = report.items.find((o) => o.key === 'CRM-2');
    expect(failed?.action).toBe('failed');
    expect(failed?.reason).toMatch(/^photos\.1\.url: /);
    expect(failed?.reason).toMatch(message);
    expect(imagesOf('CRM-2')).toBeUndefined();
    // Nothing was followed: the good photo was fetched once, for the first listing.
    expect(host.seen.filter((s) => s.path === '/a.png')).toHaveLength(1);
  });

  it('refuses photo URLs that are not http(s) without fetching them', async () => {
    const state = new SyncState(new MemoryIdentifierMap(), 'pfcrm');
    const photos = new PfPhotoUploader(h.client, state, { now });
    await expect(photos.token('file:///etc/passwd')).rejects.toThrow(/only http and https/);
    await expect(photos.token('http://user:pw@127.0.0.1/a.png')).rejects.toThrow(/credentials/);
  });

  it('refuses photo options that are not positive integers, naming the field', async () => {
    const state = new SyncState(new MemoryIdentifierMap(), 'pfcrm');
    expect(() => new PfPhotoUploader(h.client, state, { maxBytes: 0 })).toThrow(/photos\.maxBytes/);
    expect(() => new PfPhotoUploader(h.client, state, { timeoutMs: Number.NaN })).toThrow(/photos\.timeoutMs/);
    expect(() => new PfPhotoUploader(h.client, state, { renewBeforeMs: -1 })).toThrow(/photos\.renewBeforeMs/);
    await expect(syncListings(h.client, [], options(state, { photos: { concurrency: 1.5 } }))).rejects.toThrow(
      /photos\.concurrency/,
    );
  });

  it('never sends the PF credentials to the photo host', async () => {
    serve('/a.png');
    const state = new SyncState(new MemoryIdentifierMap(), 'pfcrm');
    await syncListings(h.client, [listing('CRM-1', ['/a.png'])], options(state));
    clock += 25 * 60 * 60 * 1000;
    await syncListings(h.client, [listing('CRM-1', ['/a.png']), listing('CRM-2', ['/a.png'])], options(state));
    expect(uploads()).toBe(2);
    expect(host.seen.length).toBeGreaterThanOrEqual(3);
    for (const request of host.seen) {
      expect(request.headers.authorization).toBeUndefined();
      expect(request.headers.cookie).toBeUndefined();
      expect(JSON.stringify(request.headers)).not.toMatch(/test-secret|test-key|Bearer/);
    }
  });
});
