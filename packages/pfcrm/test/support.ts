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
