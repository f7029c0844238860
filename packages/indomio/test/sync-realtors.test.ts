import { type Listing, MemoryIdentifierMap, SyncState } from '@sync/core';
import { describe, expect, it } from 'vitest';
import { ErrorCode, IndomioError, type IndomioSyncOptions, syncListings } from '../src/index.js';
import { crmListing, minimalProperty, servedMock } from './helpers.js';

const { portal, client } = servedMock();

const agent = { id: 'agent-7', name: 'Giulia Bianchi Rossi', email: 'giulia@agency.example', phone: '+39 071 000' };

const listing = (id: string, overrides: Partial<Listing> = {}) => crmListing(id, { agent, ...overrides });

const options = (state: SyncState, more: Partial<IndomioSyncOptions> = {}): IndomioSyncOptions => ({
  state,
  agency: { email: 'agency@example.com' },
  typologies: { apartment: 14 },
  now: () => Date.parse('2024-06-01T00:00:00Z'),
  ...more,
});

const realtorCalls = () => portal.requests.filter((r) => r.path === '/ws/import/ies/company/realtor');

describe('syncListings and realtors', () => {
  it('creates the realtor a listing names before the listing, once, and again only when the agent changes', async () => {
    const state = new SyncState(new MemoryIdentifierMap(), 'indomio');
    const c = client();
    const first = await syncListings(c, [listing('a'), listing('b')], options(state));
    expect(first.items.map((o) => o.action)).toEqual(['created', 'created']);
    expect(realtorCalls()).toHaveLength(1);
    expect(portal.requests[0]?.path).toBe('/ws/import/ies/company/realtor');
    expect(portal.realtors.byExternalId('agency@example.com', 'agent-7')).toMatchObject({
      firstName: 'Giulia',
      lastName: 'Bianchi Rossi',
      email: 'giulia@agency.example',
      role: 'agent',
    });
    expect(portal.getListing('a')?.xml).toContain('<realtor external-id="agent-7"/>');

    const moved = { ...listing('a'), price: 150_000 };
    await syncListings(c, [moved, listing('b')], options(state));
    expect(realtorCalls()).toHaveLength(1);

    const renamed = { ...agent, name: 'Giulia Verdi' };
    await syncListings(
      c,
      [listing('a', { agent: renamed, price: 160_000 }), listing('b', { agent: renamed })],
      options(state),
    );
    expect(realtorCalls()).toHaveLength(2);
    expect(portal.realtors.byExternalId('agency@example.com', 'agent-7')?.lastName).toBe('Verdi');
  });

  it('creates the realtor again when the portal no longer has it, and the listing goes through', async () => {
    const state = new SyncState(new MemoryIdentifierMap(), 'indomio');
    const c = client();
    await syncListings(c, [listing('a')], options(state));
    await c.realtors.delete('agency@example.com', 'agent-7');
    const report = await syncListings(c, [listing('a', { price: 150_000 })], options(state));
    expect(report.items[0]?.action).toBe('updated');
    expect(portal.realtors.byExternalId('agency@example.com', 'agent-7')).toBeDefined();
    expect(portal.requests.filter((r) => r.errorCode === ErrorCode.MISSING_REALTOR)).toHaveLength(1);
  });

  it("with realtors: 'require', reports the listing failed with the reason naming the realtor, and creates none", async () => {
    const state = new SyncState(new MemoryIdentifierMap(), 'indomio');
    const report = await syncListings(client(), [listing('a')], options(state, { realtors: 'require' }));
    expect(report.items[0]).toMatchObject({ key: 'a', action: 'failed' });
    expect(report.items[0]?.reason).toContain('names realtor "agent-7"');
    expect(report.items[0]?.reason).toContain('agency@example.com');
    expect(report.items[0]?.error).toBeInstanceOf(IndomioError);
    expect((report.items[0]?.error as IndomioError | undefined)?.code).toBe(ErrorCode.MISSING_REALTOR);
    expect(realtorCalls()).toHaveLength(0);
    expect(portal.getListing('a')).toBeUndefined();
  });

  it("with agent: 'omit', names no realtor and creates none", async () => {
    const state = new SyncState(new MemoryIdentifierMap(), 'indomio');
    const report = await syncListings(client(), [listing('a')], options(state, { agent: 'omit' }));
    expect(report.items[0]?.action).toBe('created');
    expect(realtorCalls()).toHaveLength(0);
  });
});

describe('properties.sync and realtors', () => {
  it('creates the realtors the properties name from what the properties say of them', async () => {
    const state = new SyncState(new MemoryIdentifierMap(), 'indomio');
    const { dateUpdated: _d, ...property } = minimalProperty('p-1');
    const report = await client().properties.sync(
      [{ ...property, agent: { email: 'agency@example.com', realtors: [{ externalId: 'r-1', firstName: 'Ada' }] } }],
      { state, now: () => Date.parse('2024-06-01T00:00:00Z') },
    );
    expect(report.items[0]?.action).toBe('created');
    expect(portal.realtors.byExternalId('agency@example.com', 'r-1')?.firstName).toBe('Ada');
  });
});
