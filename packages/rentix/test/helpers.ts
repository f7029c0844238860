import type { Listing } from '@sync/core';
import { type HandlerServer, serveHandlers } from '@sync/core/msw';
import { type ListingInput, RentixClient, type RentixClientOptions } from '@sync/rentix';
import {
  createRentixHandlers,
  DEFAULT_MOCK_API_KEY,
  RentixMockPortal,
  type RentixMockPortalOptions,
} from '@sync/rentix/msw';

/** A mock portal served over real HTTP on 127.0.0.1, and clients for it. */
export interface MockSetup {
  portal: RentixMockPortal;
  server: HandlerServer;
  baseUrl: string;
  client(options?: Partial<RentixClientOptions>): RentixClient;
  close(): Promise<void>;
}

export async function startMock(options: RentixMockPortalOptions = {}): Promise<MockSetup> {
  const portal = new RentixMockPortal(options);
  const server = await serveHandlers((url) => createRentixHandlers({ portal, baseUrl: `${url}/api/v1` }));
  const baseUrl = `${server.url}/api/v1`;
  return {
    portal,
    server,
    baseUrl,
    client: (overrides = {}) =>
      new RentixClient({
        apiKey: DEFAULT_MOCK_API_KEY,
        baseUrl,
        allowInsecureHttp: true,
        retry: { baseDelayMs: 5, maxDelayMs: 50 },
        ...overrides,
      }),
    close: () => server.close(),
  };
}

export const DESCRIPTION = 'Bright two-room apartment in the city centre, close to parks and schools.';

/** A complete listing that may be published. */
export function listing(n: number | string, overrides: Partial<ListingInput> = {}): ListingInput {
  const id = typeof n === 'number' ? `crm-${n}` : n;
  return {
    externalId: id,
    announcementType: 'rent',
    propertyType: 'residential',
    propertySecondaryType: 'apartment',
    announcementValue: 450,
    announcementCurrency: 'EUR',
    announcementPayPeriod: 'monthly',
    propertyArea: 54,
    propertyFloorNumber: 3,
    propertyFloorsTotal: 9,
    announcementDescription: DESCRIPTION,
    files: [1, 2, 3].map((k) => ({ url: `https://img.example.com/${id}/${k}.jpg`, externalFileId: `${id}-p${k}` })),
    announcementStatus: 'active',
    ...overrides,
  };
}

/** A raw request to the mock, bypassing the client. */
export function raw(
  setup: MockSetup,
  path: string,
  init: RequestInit & { key?: string | null } = {},
): Promise<Response> {
  const { key = DEFAULT_MOCK_API_KEY, headers, ...rest } = init;
  const h = new Headers(headers);
  if (key !== null && !h.has('authorization') && !h.has('x-api-key')) h.set('authorization', `ApiKey ${key}`);
  return fetch(`${setup.baseUrl}${path}`, { ...rest, headers: h });
}

/** A canonical CRM listing Rentix can publish, keyed `crm-<n>`. */
export function crmListing(n: number | string, overrides: Partial<Listing> = {}): Listing {
  const id = typeof n === 'number' ? `crm-${n}` : n;
  return {
    id,
    offer: 'rent',
    price: 450,
    currency: 'EUR',
    rentPeriod: 'month',
    category: 'residential',
    type: 'apartment',
    rooms: 2,
    area: 54,
    floor: 3,
    address: { country: 'MD', city: 'Chișinău', street: 'str. Pușkin', streetNumber: '22' },
    title: { en: 'Bright flat' },
    description: { en: DESCRIPTION },
    photos: [1, 2, 3].map((k) => ({ url: `https://img.example.com/${id}/${k}.jpg` })),
    status: 'active',
    updatedAt: '2026-11-01T10:00:00Z',
    ...overrides,
  };
}
