import { type HandlerServer, serveHandlers } from '@sync/core/msw';
import { PfCrmClient, type PfCrmCommonOptions } from '@sync/pfcrm';
import { createPfCrmHandlers, PfCrmMockPortal, type PfCrmMockPortalOptions } from '@sync/pfcrm/msw';

/** A mock account served over real HTTP on 127.0.0.1, and a client of it. */
export interface Harness {
  server: HandlerServer;
  portal: PfCrmMockPortal;
  client: PfCrmClient;
  /** A client with other options against the same server. */
  makeClient(
    options?: Partial<PfCrmCommonOptions> & { apiKey?: string; apiSecret?: string; tokenUrl?: string },
  ): PfCrmClient;
  close(): Promise<void>;
}

export async function startHarness(
  portalOptions: PfCrmMockPortalOptions = {},
  clientOptions: Partial<PfCrmCommonOptions> = {},
): Promise<Harness> {
  const portal = new PfCrmMockPortal(portalOptions);
  const server = await serveHandlers((url) => createPfCrmHandlers({ portal, baseUrl: url }));
  const makeClient: Harness['makeClient'] = (options = {}) =>
    new PfCrmClient({
      apiKey: 'test-key',
      apiSecret: 'test-secret',
      baseUrl: server.url,
      tokenUrl: `${server.url}/auth/oauth/v1/token`,
      allowInsecureHttp: true,
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
      ...clientOptions,
      ...options,
    });
  return { server, portal, client: makeClient(), makeClient, close: () => server.close() };
}

/** A valid create input. */
export function saleInput(overrides: Record<string, unknown> = {}) {
  return {
    draft: false,
    reference: 'CRM-1',
    bedrooms: 2,
    bathrooms: 2,
    size: 120,
    type: 1,
    status: 'available' as const,
    languages: { en: { title: 'Marina view', description: 'Two bedrooms over the marina' } },
    location: { id: 'are.3.15' },
    price: { offering: 'sale' as const, value: 1_500_000 },
    ...overrides,
  };
}

/** What a raw request to the mock got back. */
export interface RawAnswer {
  status: number;
  body: unknown;
  headers: Headers;
}

/**
 * Sends a request to the mock without the client (to see what the API itself answers to
 * what the client would refuse), with a token issued for the default credentials.
 */
export async function rawRequest(h: Harness, method: string, pathAndQuery: string, body?: unknown): Promise<RawAnswer> {
  const token = h.portal.issueToken(`Basic ${Buffer.from('test-key:test-secret').toString('base64')}`, {
    grant_type: 'client_credentials',
  }).access_token;
  const res = await fetch(`${h.server.url}${pathAndQuery}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

/** The `errors[].field` of a mock error body. */
export const errorFields = (body: unknown): string[] =>
  ((body as { errors?: Array<{ field: string }> } | undefined)?.errors ?? []).map((e) => e.field);
