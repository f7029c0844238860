import { InputValidationError, type Listing, MemoryIdentifierMap, REMOVED, SyncState } from '@sync/core';
import { describe, expect, it } from 'vitest';
import { type IndomioSyncOptions, syncListings } from '../src/index.js';
import { crmListing, servedMock } from './helpers.js';

const { portal, client } = servedMock();

const listing = (id: string, overrides: Partial<Listing> = {}) => crmListing(id, overrides);

const options = (state: SyncState): IndomioSyncOptions => ({
  state,
  agency: { email: 'agency@example.com' },
  typologies: { apartment: 14 },
  now: () => Date.parse('2024-06-01T00:00:00Z'),
});

describe('syncListings', () => {
  it('publishes only listings Indomio takes: the others are skipped with the reason, and removed once they stop being publishable', async () => {
    const state = new SyncState(new MemoryIdentifierMap(), 'indomio');
    const c = client();
    const first = await syncListings(c, [listing('a'), listing('b', { status: 'draft' })], options(state));
    expect(first.items.map((o) => [o.key, o.action, o.reason])).toEqual([
      ['a', 'created', undefined],
      ['b', 'skipped', 'Indomio does not publish draft listings'],
    ]);
    expect(portal.listings().map((l) => l.uniqueId)).toEqual(['a']);

    const second = await syncListings(
      c,
      [listing('a', { status: 'inactive' }), listing('b', { status: 'draft' })],
      options(state),
    );
    expect(second.items.map((o) => [o.key, o.action, o.reason])).toEqual([
      ['a', 'removed', 'Indomio does not publish inactive listings'],
      ['b', 'skipped', 'Indomio does not publish draft listings'],
    ]);
    expect(portal.listings()).toEqual([]);
    expect(await state.fingerprintOf('a')).toBe(REMOVED);
  });

  it('reports a listing that cannot be mapped failed with its field, and leaves what the portal has', async () => {
    const state = new SyncState(new MemoryIdentifierMap(), 'indomio');
    const c = client();
    await syncListings(c, [listing('a')], options(state));
    const report = await syncListings(c, [listing('a', { currency: 'USD' })], options(state));
    expect(report.items[0]).toMatchObject({ key: 'a', action: 'failed', reason: expect.stringMatching(/^currency: /) });
    expect(report.items[0]?.error).toBeInstanceOf(InputValidationError);
    expect(portal.getListing('a')).toBeDefined();
  });

  it('sends a changed listing with a strictly newer date-updated even when the CRM did not bump updatedAt', async () => {
    const state = new SyncState(new MemoryIdentifierMap(), 'indomio');
    const c = client();
    await syncListings(c, [listing('a')], options(state));
    const report = await syncListings(c, [listing('a', { price: 130_000 })], options(state));
    expect(report).toMatchObject({ updated: 1 });
    expect(portal.getListing('a')).toMatchObject({ writes: 2, dateUpdated: '2024-06-01T00:00:01Z' });
    expect(portal.getListing('a')?.xml).toContain('130000');
  });

  it('counts a listing already deleted on the portal as removed', async () => {
    const state = new SyncState(new MemoryIdentifierMap(), 'indomio');
    const c = client();
    await syncListings(c, [listing('a')], options(state));
    portal.reset();
    const report = await syncListings(c, [], options(state));
    expect(report.items).toEqual([expect.objectContaining({ key: 'a', action: 'removed' })]);
    expect(portal.requests.map((r) => `${r.method} ${r.errorCode}`)).toEqual(['DELETE 404']);
  });
});
