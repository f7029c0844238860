import { type Listing, MemoryIdentifierMap, SyncState } from '@sync/core';
import { describe, expect, it } from 'vitest';
import { type IndomioSyncOptions, syncListings } from '../src/index.js';
import { servedMock } from './helpers.js';

const { portal, client } = servedMock();

const full: Listing = {
  id: 'crm-5',
  offer: 'sale',
  price: 150_000,
  currency: 'EUR',
  category: 'residential',
  type: 'apartment',
  area: 70,
  bathrooms: 2,
  floor: 3,
  condition: 'good',
  address: { country: 'IT', city: 'Jesi', district: 'Centro', latitude: 43.52, longitude: 13.24 },
  title: { it: 'Trilocale' },
  description: { it: 'Trilocale in centro.' },
  photos: [{ url: 'https://img.example.com/1.jpg' }],
  status: 'active',
  updatedAt: '2024-05-01T10:00:00Z',
};

const options = (state: SyncState, now: string): IndomioSyncOptions => ({
  state,
  agency: { email: 'agency@example.com' },
  typologies: { apartment: 14 },
  now: () => Date.parse(now),
});

describe('a listing synced again with fields left out', () => {
  it('sends the whole listing again without them, so the portal copy no longer has them', async () => {
    const state = new SyncState(new MemoryIdentifierMap(), 'indomio');
    await syncListings(client(), [full], options(state, '2024-06-01T00:00:00Z'));
    const before = portal.listings()[0]?.xml ?? '';
    for (const element of ['<bathrooms>', '<floor', '<neighbourhood', '<status>', '<pictures>']) {
      expect(before).toContain(element);
    }

    const { bathrooms: _b, floor: _f, condition: _c, ...rest } = full;
    const partial: Listing = {
      ...rest,
      address: { ...full.address, district: undefined },
      photos: [],
      updatedAt: '2024-05-02T10:00:00Z',
    };
    const report = await syncListings(client(), [partial], options(state, '2024-06-02T00:00:00Z'));
    expect(report.items.map((o) => o.action)).toEqual(['updated']);
    const after = portal.listings()[0]?.xml ?? '';
    for (const element of ['<bathrooms>', '<floor', '<neighbourhood', '<status>', '<pictures>']) {
      expect(after).not.toContain(element);
    }
    // What the sync never writes — the extra visibility — is not in either document: the
    // portal keeps it as it is.
    expect(before).not.toContain('<publish>');
    expect(after).not.toContain('<publish>');
  });
});
