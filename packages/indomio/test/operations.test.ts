import { InputValidationError, type Listing, MemoryIdentifierMap, SyncState } from '@sync/core';
import { describe, expect, it } from 'vitest';
import {
  buildPartialXml,
  ErrorCode,
  IndomioError,
  IndomioLockedError,
  type IndomioSyncOptions,
  syncListings,
} from '../src/index.js';
import { crmListing, minimalProperty, servedMock, validateAgainstXsd } from './helpers.js';

const { portal, client } = servedMock();

const withPictures = (id: string, dateUpdated = '2024-05-01T10:00:00') => ({
  ...minimalProperty(id),
  dateUpdated,
  pictures: [{ url: 'https://img.example.com/1.jpg' }, { url: 'https://img.example.com/2.jpg' }],
});

describe('@operation on properties.put', () => {
  it('force is applied although its date-updated is not newer; a plain write is ignored', async () => {
    const c = client();
    await c.properties.put(withPictures('p', '2024-05-02T10:00:00'));
    await c.properties.put({ ...withPictures('p', '2024-05-01T10:00:00'), transactions: [{ type: 'S', price: 1 }] });
    expect(portal.getListing('p')?.writes).toBe(1);
    await c.properties.force({ ...withPictures('p', '2024-05-01T10:00:00'), transactions: [{ type: 'S', price: 2 }] });
    expect(portal.getListing('p')).toMatchObject({ writes: 2, operation: 'force' });
    expect(portal.getListing('p')?.xml).toContain('operation="force"');
  });

  it('archive keeps the listing and its idListing on the portal, off the search; a later write publishes it again', async () => {
    const c = client();
    const { idListing } = await c.properties.put(withPictures('p', '2024-05-01T10:00:00'));
    const archived = await c.properties.archive(withPictures('p', '2024-05-02T10:00:00'));
    expect(archived.response.idListing).toBe(idListing);
    expect(portal.getListing('p')).toMatchObject({ idListing, operation: 'archive' });
    await c.properties.put(withPictures('p', '2024-05-03T10:00:00'));
    expect(portal.getListing('p')?.operation).toBe('write');
  });

  it('secret writes the listing for the agency only, and an operation option does the same as the typed method', async () => {
    const c = client();
    await c.properties.secret(withPictures('p'));
    expect(portal.getListing('p')?.operation).toBe('secret');
    await c.properties.put(withPictures('q'), { operation: 'secret' });
    expect(portal.getListing('q')?.xml).toContain('<property operation="secret">');
  });

  it('a property with operation partial is refused before any call: media-only updates go as <partial>', async () => {
    const error = await client()
      .properties.put({ ...minimalProperty('p'), operation: 'partial' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputValidationError);
    expect((error as InputValidationError).message).toContain('properties.partial');
    expect(portal.requests).toHaveLength(0);
  });
});

describe('properties.partial (<partial> root)', () => {
  it('replaces one kind of media of a listing and nothing else; the documents are valid against the XSD', async () => {
    const c = client();
    const { idListing } = await c.properties.put(withPictures('p'));
    const before = portal.getListing('p');
    const result = await c.properties.partial({
      identifiers: { listingExternalId: 'p', agencyUsername: 'agency@example.com' },
      pictures: [{ url: 'https://img.example.com/3.jpg' }],
    });
    expect(result.idListing).toBe(idListing);
    const after = portal.getListing('p');
    expect(after?.media.pictures).toEqual(['https://img.example.com/3.jpg']);
    expect(after?.dateUpdated).toBe(before?.dateUpdated);
    expect(after?.writes).toBe(before?.writes);

    await c.properties.partial({
      identifiers: { listingId: idListing ?? 0 },
      virtualTour: 'https://tour.example.com/p',
    });
    expect(portal.getListing('p')?.media).toMatchObject({
      pictures: ['https://img.example.com/3.jpg'],
      virtualTour: 'https://tour.example.com/p',
    });

    const docs = [
      buildPartialXml({ identifiers: { listingExternalId: 'p' }, pictures: [{ url: 'https://i/1.jpg', etag: 'x' }] }),
      buildPartialXml({ identifiers: { listingId: 1 }, documents: [{ url: 'https://d/1.pdf', type: 'planimetria' }] }),
      buildPartialXml({ identifiers: { listingId: 1 }, blueprints: [{ url: 'https://b/1.jpg' }] }),
      buildPartialXml({
        identifiers: { listingId: 1, agencyId: 2 },
        resourceType: 'property',
        virtualTour: 'https://t',
      }),
    ];
    const validation = await validateAgainstXsd(docs);
    expect(validation.errors).toEqual([]);
    expect(validation.valid).toBe(true);
  });

  it('needs exactly one kind of media and a listing id, checked before any call', async () => {
    const c = client();
    for (const bad of [
      { identifiers: { listingId: 1 } },
      { identifiers: { listingId: 1 }, pictures: [{ url: 'https://i/1.jpg' }], virtualTour: 'https://t' },
      { identifiers: { agencyUsername: 'agency@example.com' }, virtualTour: 'https://t' },
    ]) {
      await expect(c.properties.partial(bad)).rejects.toBeInstanceOf(InputValidationError);
    }
    expect(portal.requests).toHaveLength(0);
  });

  it('the mock refuses a partial update of an unknown or locked listing with the portal codes', async () => {
    const c = client();
    const unknown = await c.properties
      .partial({ identifiers: { listingExternalId: 'nope' }, virtualTour: 'https://t' })
      .catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(IndomioError);
    expect((unknown as IndomioError).code).toBe(ErrorCode.NOT_FOUND);
    await c.properties.put(withPictures('p'));
    portal.lock('p');
    const locked = await c.properties
      .partial({ identifiers: { listingExternalId: 'p' }, virtualTour: 'https://t' })
      .catch((e: unknown) => e);
    expect(locked).toBeInstanceOf(IndomioLockedError);
  });
});

const listing = (id: string, overrides: Partial<Listing> = {}) => crmListing(id, overrides);

describe('syncListings and @operation', () => {
  const options = (state: SyncState, more: Partial<IndomioSyncOptions> = {}): IndomioSyncOptions => ({
    state,
    agency: { email: 'agency@example.com' },
    now: () => Date.parse('2024-06-01T00:00:00Z'),
    ...more,
  });

  it('with archiveInactive, an inactive listing is archived (kept, same idListing) instead of deleted, and published again once active', async () => {
    const state = new SyncState(new MemoryIdentifierMap(), 'indomio');
    const c = client();
    await syncListings(c, [listing('a')], options(state));
    const idListing = portal.getListing('a')?.idListing;
    const archived = await syncListings(
      c,
      [listing('a', { status: 'inactive' })],
      options(state, { archiveInactive: true }),
    );
    expect(archived.items[0]?.action).toBe('updated');
    expect(portal.getListing('a')).toMatchObject({ idListing, operation: 'archive' });
    await syncListings(c, [listing('a')], options(state, { archiveInactive: true }));
    expect(portal.getListing('a')?.operation).toBe('write');
  });

  it('with secretDrafts, a draft goes to the portal as secret instead of being skipped', async () => {
    const state = new SyncState(new MemoryIdentifierMap(), 'indomio');
    const report = await syncListings(
      client(),
      [listing('d', { status: 'draft' })],
      options(state, { secretDrafts: true }),
    );
    expect(report.items[0]?.action).toBe('created');
    expect(portal.getListing('d')?.operation).toBe('secret');
  });

  it('with force, a write the last-updated rule would ignore is applied', async () => {
    const c = client();
    await c.properties.put({ ...minimalProperty('a'), dateUpdated: '2030-01-01T00:00:00Z' });
    // A new state knows nothing of the later date the portal holds: plain writes are ignored.
    await syncListings(c, [listing('a')], options(new SyncState(new MemoryIdentifierMap(), 'indomio')));
    expect(portal.getListing('a')?.writes).toBe(1);
    await syncListings(
      c,
      [listing('a')],
      options(new SyncState(new MemoryIdentifierMap(), 'indomio'), { force: true }),
    );
    expect(portal.getListing('a')).toMatchObject({ writes: 2, operation: 'force' });
  });
});

describe('syncListings with partialMedia', () => {
  const photos = (...names: string[]) => names.map((n) => ({ url: `https://img.example.com/${n}.jpg` }));
  const options = (state: SyncState): IndomioSyncOptions => ({
    state,
    agency: { email: 'agency@example.com' },
    now: () => Date.parse('2024-06-01T00:00:00Z'),
    partialMedia: true,
  });

  it('sends a change of the photos alone as a <partial> update, and any other change as a full write', async () => {
    const state = new SyncState(new MemoryIdentifierMap(), 'indomio');
    const c = client();
    await syncListings(c, [listing('a', { photos: photos('1', '2') })], options(state));
    const first = portal.getListing('a');
    expect(first?.media.pictures).toEqual(['https://img.example.com/1.jpg', 'https://img.example.com/2.jpg']);

    const media = await syncListings(c, [listing('a', { photos: photos('3') })], options(state));
    expect(media.items[0]?.action).toBe('updated');
    const second = portal.getListing('a');
    expect(second?.media.pictures).toEqual(['https://img.example.com/3.jpg']);
    expect(second?.writes).toBe(first?.writes);
    expect(second?.dateUpdated).toBe(first?.dateUpdated);

    const unchanged = await syncListings(c, [listing('a', { photos: photos('3') })], options(state));
    expect(unchanged.items[0]?.action).toBe('unchanged');

    await syncListings(c, [listing('a', { photos: photos('4'), price: 150_000 })], options(state));
    expect(portal.getListing('a')?.writes).toBe((first?.writes ?? 0) + 1);
    expect(portal.getListing('a')?.media.pictures).toEqual(['https://img.example.com/4.jpg']);

    // No photos left: a <partial> cannot say that, a full write does.
    await syncListings(c, [listing('a', { photos: [], price: 150_000 })], options(state));
    expect(portal.getListing('a')?.writes).toBe((first?.writes ?? 0) + 2);
    expect(portal.getListing('a')?.media.pictures).toEqual([]);
  });

  it('writes the listing whole when the portal no longer has it', async () => {
    const state = new SyncState(new MemoryIdentifierMap(), 'indomio');
    const c = client();
    await syncListings(c, [listing('a', { photos: photos('1') })], options(state));
    portal.reset();
    const report = await syncListings(c, [listing('a', { photos: photos('2') })], options(state));
    expect(report.items[0]?.action).toBe('updated');
    expect(portal.getListing('a')?.media.pictures).toEqual(['https://img.example.com/2.jpg']);
  });
});
