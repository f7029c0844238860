import { RentixClient } from '@sync/rentix';
import { createRentixHandlers, RentixMockPortal } from '@sync/rentix/msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listing, type MockSetup, raw, startMock } from './helpers.js';

describe('mock portal over real HTTP', () => {
  let mock: MockSetup | undefined;
  afterEach(async () => {
    await mock?.close();
    mock = undefined;
  });

  const put = (setup: MockSetup, body: unknown) =>
    raw(setup, '/listings', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('answers validation errors with Rentix message arrays', async () => {
    mock = await startMock();
    const response = await put(mock, {
      externalId: 'crm-1',
      propertyType: 'castle',
      announcementValue: -5,
      announcementDescription: 'short',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      statusCode: 400,
      message: [
        'propertyType must be one of: residential, commercial, parking',
        'announcementValue must not be less than 0',
        'announcementDescription must be longer than or equal to 40 characters',
      ],
      error: 'Bad Request',
    });
  });

  it('checks a secondary type against the stored property type on a partial update', async () => {
    mock = await startMock();
    expect((await put(mock, { ...listing(1), announcementStatus: 'draft' })).status).toBe(200);
    const response = await put(mock, { externalId: 'crm-1', propertySecondaryType: 'garage' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string[] }).message[0]).toMatch(
      /^propertySecondaryType must be one of: apartment, .* for propertyType residential$/,
    );
  });

  it('refuses more than 100 bulk operations and a malformed JSON body', async () => {
    mock = await startMock();
    const tooMany = await raw(mock, '/listings/bulk', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        operations: Array.from({ length: 101 }, (_, i) => ({ op: 'validate', externalId: `${i}` })),
      }),
    });
    expect(tooMany.status).toBe(400);
    expect(((await tooMany.json()) as { message: string[] }).message).toEqual([
      'operations must contain no more than 100 elements',
    ]);
    const broken = await raw(mock, '/listings', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{"externalId":',
    });
    expect(broken.status).toBe(400);
  });

  it('sends X-RateLimit-* headers and answers 429 once the window is spent', async () => {
    mock = await startMock({ rateLimits: { default: { limit: 3, windowMs: 60_000 } } });
    const remaining: Array<string | null> = [];
    for (let i = 0; i < 3; i++) {
      const response = await raw(mock, '/agency');
      expect(response.headers.get('x-ratelimit-limit')).toBe('3');
      remaining.push(response.headers.get('x-ratelimit-remaining'));
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const limited = await raw(mock, '/agency');
    expect(limited.status).toBe(429);
    // Unix seconds, rounded up as a server must: never before the window really ends.
    const header = limited.headers.get('x-ratelimit-reset') ?? '';
    expect(header).toMatch(/^\d+$/);
    const reset = Number(header);
    expect(reset * 1000).toBeGreaterThan(Date.now());
    expect(reset * 1000).toBeLessThanOrEqual(Date.now() + 61_000);
  });

  it('counts bulk calls against the bulk bucket and reports it in the headers', async () => {
    mock = await startMock({ rateLimits: { bulk: { limit: 2, windowMs: 60_000 } } });
    const send = () =>
      raw(mock as MockSetup, '/listings/bulk', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ operations: [{ op: 'validate', ...listing(1) }] }),
      });
    expect((await send()).headers.get('x-ratelimit-remaining')).toBe('1');
    expect((await send()).headers.get('x-ratelimit-remaining')).toBe('0');
    expect((await send()).status).toBe(429);
    expect((await raw(mock, '/agency')).status).toBe(200);
  });

  it('reset() empties the state and clears the faults', async () => {
    mock = await startMock();
    await mock.client().listings.upsert(listing(1));
    mock.portal.failNext(3, 500);
    mock.portal.reset();
    expect(mock.portal.listings.size).toBe(0);
    expect(mock.portal.requests).toHaveLength(0);
    expect((await raw(mock, '/agency')).status).toBe(200);
  });
});

describe('mock portal through MSW interception', () => {
  const portal = new RentixMockPortal();
  const server = setupServer(...createRentixHandlers({ portal }));
  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
  afterAll(() => server.close());

  it('answers a client that uses the default base URL', async () => {
    const client = new RentixClient({ apiKey: 'rentix-test-key' });
    const result = await client.listings.upsert(listing(1, { announcementStatus: 'draft' }));
    expect(result.created).toBe(true);
    expect(portal.listingByExternalId('crm-1')?.id).toBe(result.id);
    expect((await client.agency.get()).limits?.monthlyListings?.used).toBe(1);
  });
});
