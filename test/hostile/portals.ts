// The three portal clients pointed at one capture server on 127.0.0.1, each under its own
// path prefix, and a default responder that answers each portal's calls the way its API
// documents a success — so a case only programs the answers it is about.
import type { Listing } from '@sync/core';
import { IndomioClient, type IndomioFromListingOptions } from '@sync/indomio';
import { PfCrmClient, type PfFromListingOptions } from '@sync/pfcrm';
import { RentixClient } from '@sync/rentix';
import { type CapturedRequest, json, type Reply, xml } from './server.ts';

export const RENTIX_PREFIX = '/rentix/api/v1';
export const INDOMIO_PREFIX = '/indomio';
export const PF_PREFIX = '/pf';
export const PF_TOKEN_PATH = '/pf-auth/oauth/v1/token';

/** Fast retries: a case that retries must still end in well under a second. */
export const FAST_RETRY = { baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 10 };

export interface Clients {
  rentix: RentixClient;
  indomio: IndomioClient;
  pfcrm: PfCrmClient;
}

export interface Credentials {
  rentixApiKey: string;
  indomioUser: string;
  indomioPassword: string;
  indomioSource: string;
  pfApiKey: string;
  pfApiSecret: string;
}

export const PLAIN_CREDENTIALS: Credentials = {
  rentixApiKey: 'rentix-key-0123456789',
  indomioUser: 'indomio-user',
  indomioPassword: 'indomio-password-0123',
  indomioSource: 'indomio-source-0123',
  pfApiKey: 'pf-key-0123456789',
  pfApiSecret: 'pf-secret-0123456789',
};

export interface ClientOptions {
  timeoutMs?: number;
  deadlineMs?: number;
  retry?: false | typeof FAST_RETRY;
  /** Sends through this `fetch` instead of `node:http`. */
  fetch?: typeof globalThis.fetch | undefined;
}

export function makeClients(url: string, credentials: Credentials = PLAIN_CREDENTIALS, options: ClientOptions = {}) {
  const common = {
    allowInsecureHttp: true,
    timeoutMs: options.timeoutMs ?? 2_000,
    deadlineMs: options.deadlineMs ?? 4_000,
    retry: options.retry ?? FAST_RETRY,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  };
  return {
    rentix: new RentixClient({
      ...common,
      apiKey: credentials.rentixApiKey,
      baseUrl: `${url}${RENTIX_PREFIX}`,
    }),
    indomio: new IndomioClient({
      ...common,
      username: credentials.indomioUser,
      password: credentials.indomioPassword,
      source: credentials.indomioSource,
      baseUrl: `${url}${INDOMIO_PREFIX}`,
    }),
    pfcrm: new PfCrmClient({
      ...common,
      apiKey: credentials.pfApiKey,
      apiSecret: credentials.pfApiSecret,
      baseUrl: `${url}${PF_PREFIX}`,
      tokenUrl: `${url}${PF_TOKEN_PATH}`,
    }),
  } satisfies Clients;
}

export const serviceResponse = (nodes: Record<string, string | number | boolean>): string =>
  `<?xml version="1.0" encoding="UTF-8"?><ServiceResponse>${Object.entries(nodes)
    .map(([name, value]) => `<${name}>${String(value)}</${name}>`)
    .join('')}</ServiceResponse>`;

export const INDOMIO_OK = serviceResponse({ Result: true, ErrorCode: 0, idListing: 4242 });

function parsed(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** A documented success for every call the corpus and the secrets suite make. */
export function portalSuccess(req: CapturedRequest): Reply {
  const path = req.rawPath;
  if (path.startsWith(RENTIX_PREFIX)) {
    const rest = path.slice(RENTIX_PREFIX.length);
    if (req.method === 'PUT' && rest === '/listings') {
      const body = parsed(req.body) as { externalId?: string } | undefined;
      return json(200, { id: 'r-1', externalId: body?.externalId ?? null, created: true });
    }
    if (req.method === 'POST' && rest === '/listings/bulk') {
      const ops = (parsed(req.body) as { operations?: { externalId?: string }[] } | undefined)?.operations ?? [];
      return json(200, {
        summary: { total: ops.length, succeeded: ops.length, failed: 0 },
        results: ops.map((op, i) => ({ externalId: op.externalId ?? null, id: `r-${i}`, success: true })),
      });
    }
    if (req.method === 'GET' && rest.startsWith('/listings/external/')) {
      const externalId = decodeURIComponent(rest.slice('/listings/external/'.length));
      return json(200, { id: 'r-1', externalId, formData: {} });
    }
    if (req.method === 'GET' && rest === '/agency') return json(200, { id: 'a-1', name: 'Agency' });
  }
  if (path.startsWith(INDOMIO_PREFIX)) return xml(200, INDOMIO_OK);
  if (path === PF_TOKEN_PATH) {
    return json(200, { access_token: 'pf-access-token-0123456789', token_type: 'Bearer', expires_in: 3600 });
  }
  if (path.startsWith(PF_PREFIX)) {
    const rest = path.slice(PF_PREFIX.length);
    if (req.method === 'GET' && rest === '/properties') return json(200, { properties: [], count: 0, page: 1 });
    if (req.method === 'POST' && rest === '/properties') {
      const body = parsed(req.body) as { property?: { reference?: string } } | undefined;
      return json(200, { property: { id: 77, reference: body?.property?.reference ?? null } });
    }
    const one = /^\/properties\/(\d+)$/.exec(rest);
    if (req.method === 'GET' && one) return json(200, { property: { id: Number(one[1]) } });
  }
  return json(404, { statusCode: 404, message: `no route for ${req.method} ${req.rawUrl}` });
}

/** A valid canonical listing every portal's `fromListing` maps with the options below. */
export function baseListing(overrides: Partial<Listing> = {}): Listing {
  return {
    id: 'crm-1',
    offer: 'sale',
    price: 250_000,
    currency: 'EUR',
    category: 'residential',
    type: 'apartment',
    rooms: 3,
    bedrooms: 2,
    bathrooms: 1,
    area: 80,
    floor: 2,
    address: {
      country: 'IT',
      region: 'Marche',
      city: 'Jesi',
      street: 'Via Roma',
      streetNumber: '12',
      postalCode: '60035',
      latitude: 43.52,
      longitude: 13.24,
    },
    title: { en: 'Bright flat', it: 'Appartamento luminoso' },
    description: {
      en: 'A bright flat in the old town, close to the shops and the station, with a balcony.',
      it: 'Appartamento luminoso nel centro storico, vicino ai negozi e alla stazione, con balcone.',
    },
    photos: [],
    status: 'active',
    updatedAt: '2024-05-01T10:00:00Z',
    ...overrides,
  };
}

export const INDOMIO_OPTIONS: IndomioFromListingOptions = {
  agency: { email: 'agency@example.com', officeName: 'Agenzia Test' },
  typologies: { apartment: 14, garage: 253 },
};

export const PF_OPTIONS: PfFromListingOptions = {
  currency: 'EUR',
  sizeUnit: 'sqm',
  locations: { Jesi: 'are.3.12' },
  types: { 'residential.apartment': 1 },
  agents: 'omit',
  images: 'omit',
};
