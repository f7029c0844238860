// Every error path of the three clients, driven with recognisable credentials against a
// server on 127.0.0.1 that echoes each request's headers (Basic credentials decoded too) and
// URL back in its error bodies: no secret may reach an error's message, String(), JSON,
// util.inspect, or any emitted event. And a plain http:// base URL is refused unless allowed.
import { Buffer } from 'node:buffer';
import { inspect } from 'node:util';
import { InputValidationError, SyncError } from '@sync/core';
import { IndomioClient, fromListing as indomioFromListing } from '@sync/indomio';
import { PfCrmClient } from '@sync/pfcrm';
import { type ListingInput, ops, RentixClient } from '@sync/rentix';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  baseListing,
  type ClientOptions,
  type Clients,
  type Credentials,
  INDOMIO_OPTIONS,
  INDOMIO_PREFIX,
  makeClients,
  PF_PREFIX,
  PF_TOKEN_PATH,
  portalSuccess,
  RENTIX_PREFIX,
  serviceResponse,
} from '../hostile/portals.ts';
import {
  type CapturedRequest,
  type CaptureServer,
  json,
  type Reply,
  startCaptureServer,
  xml,
} from '../hostile/server.ts';

const CREDENTIALS: Credentials = {
  rentixApiKey: 'RENTIXKEY-7f3a9c2b-secret',
  indomioUser: 'indomio-agency-user',
  indomioPassword: 'INDOMIOPASS-51d2e8-secret',
  indomioSource: 'INDOMIOSOURCE-88e1a4-secret',
  pfApiKey: 'PFAPIKEY-0b9d31-client',
  pfApiSecret: 'PFAPISECRET-e4c7f0-secret',
};
const PF_ACCESS_TOKEN = 'PFACCESSTOKEN-c0ffee-4d2a-secret';

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** Every secret value, and the encodings in which they travel. */
const SECRETS: Record<string, string> = {
  'rentix apiKey': CREDENTIALS.rentixApiKey,
  'indomio password': CREDENTIALS.indomioPassword,
  'indomio X-IMMO-SOURCE': CREDENTIALS.indomioSource,
  'indomio Basic credentials': base64(`${CREDENTIALS.indomioUser}:${CREDENTIALS.indomioPassword}`),
  'pf apiKey': CREDENTIALS.pfApiKey,
  'pf apiSecret': CREDENTIALS.pfApiSecret,
  'pf Basic credentials': base64(`${CREDENTIALS.pfApiKey}:${CREDENTIALS.pfApiSecret}`),
  'pf access token': PF_ACCESS_TOKEN,
};

// ------------------------------------------------------------------ the echoing server

/** The request as the server saw it, Basic credentials decoded: what an indiscreet server sends back. */
function echoOf(req: CapturedRequest): string {
  const authorization = String(req.headers.authorization ?? '');
  const decoded = authorization.startsWith('Basic ')
    ? Buffer.from(authorization.slice(6), 'base64').toString('utf8')
    : undefined;
  return JSON.stringify({ url: req.rawUrl, headers: req.headers, decodedBasic: decoded });
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** An error answer in the portal's own format, echoing the request. */
function echoError(req: CapturedRequest, status: number): Reply {
  const echo = echoOf(req);
  const headers = { 'x-echo': echo, 'retry-after': '0' };
  if (req.rawPath.startsWith(INDOMIO_PREFIX)) {
    return {
      status,
      body: serviceResponse({ Result: false, ErrorCode: status, ErrorMessage: escapeXml(echo) }),
      headers: { 'content-type': 'application/xml', ...headers },
    };
  }
  if (req.rawPath.startsWith(RENTIX_PREFIX)) {
    return json(status, { statusCode: status, message: ['echo', echo], error: echo }, headers);
  }
  return json(status, { code: status, message: echo, errors: [{ field: 'echo', message: echo }] }, headers);
}

type Portal = 'rentix' | 'indomio' | 'pfcrm';

interface Scenario {
  name: string;
  portal: Portal;
  /** How the server answers every request of the scenario. */
  reply: (req: CapturedRequest) => Reply;
  call: (c: Clients) => Promise<unknown>;
  options?: ClientOptions;
  /** Whether a request must reach the server (false for input validation). */
  sends?: boolean;
}

const isTarget = (portal: Portal, req: CapturedRequest) =>
  portal === 'rentix'
    ? req.rawPath.startsWith(RENTIX_PREFIX)
    : portal === 'indomio'
      ? req.rawPath.startsWith(INDOMIO_PREFIX)
      : req.rawPath.startsWith(PF_PREFIX);

/** Answers the portal's API with `reply`; the PF token endpoint issues the recognisable token. */
const target =
  (portal: Portal, reply: (req: CapturedRequest) => Reply) =>
  (req: CapturedRequest): Reply => {
    if (req.rawPath === PF_TOKEN_PATH) {
      return json(200, { access_token: PF_ACCESS_TOKEN, token_type: 'Bearer', expires_in: 3600 });
    }
    return isTarget(portal, req) ? reply(req) : portalSuccess(req);
  };

const upsert = (c: Clients) => c.rentix.listings.upsert({ externalId: 'crm-1', announcementValue: 1 });
const put = (c: Clients) => c.indomio.properties.put(indomioFromListing(baseListing(), INDOMIO_OPTIONS));
const pfGet = (c: Clients) => c.pfcrm.properties.get(5);
const callOf: Record<Portal, (c: Clients) => Promise<unknown>> = { rentix: upsert, indomio: put, pfcrm: pfGet };

const STATUSES = [400, 401, 403, 404, 409, 422, 429, 500, 503];

const malformedEcho = (req: CapturedRequest): Reply => ({
  status: 200,
  body: `<html><body>Debug: ${echoOf(req)}</body></html>`,
  headers: { 'content-type': 'text/html' },
});

const scenarios: Scenario[] = [
  ...(['rentix', 'indomio', 'pfcrm'] as const).flatMap((portal): Scenario[] => [
    ...STATUSES.map(
      (status): Scenario => ({
        name: `${portal}: ${status} echoing the request`,
        portal,
        reply: target(portal, (req) => echoError(req, status)),
        call: callOf[portal],
      }),
    ),
    {
      name: `${portal}: connection reset`,
      portal,
      reply: target(portal, () => ({ drop: true })),
      call: callOf[portal],
    },
    {
      name: `${portal}: timeout`,
      portal,
      reply: target(portal, () => ({ stall: true })),
      call: callOf[portal],
      options: { timeoutMs: 150, deadlineMs: 1_000, retry: false },
    },
    {
      name: `${portal}: malformed 200 (HTML echoing the request)`,
      portal,
      reply: target(portal, malformedEcho),
      call: callOf[portal],
    },
    {
      name: `${portal}: JSON of the wrong shape echoing the request`,
      portal,
      reply: target(portal, (req) => json(200, { echo: echoOf(req), items: echoOf(req) })),
      call: callOf[portal],
    },
  ]),
  {
    name: 'rentix: 404 on a read by external id',
    portal: 'rentix',
    reply: target('rentix', (req) => echoError(req, 404)),
    call: (c) => c.rentix.listings.getByExternalId('crm-404'),
  },
  {
    name: 'rentix: bulk answered 422 "all failed" echoing the request',
    portal: 'rentix',
    reply: target('rentix', (req) => echoError(req, 422)),
    call: (c) => c.rentix.listings.bulk([ops.upsert({ externalId: 'crm-1', announcementValue: 1 })]),
  },
  {
    name: 'rentix: bulk answered 401',
    portal: 'rentix',
    reply: target('rentix', (req) => echoError(req, 401)),
    call: (c) => c.rentix.listings.bulk([ops.upsert({ externalId: 'crm-1', announcementValue: 1 })]),
  },
  {
    name: 'rentix: input validation',
    portal: 'rentix',
    reply: portalSuccess,
    call: (c) =>
      c.rentix.listings.upsert({ externalId: 'crm-1', announcementCurrency: 'GBP' } as unknown as ListingInput),
    sends: false,
  },
  {
    name: 'indomio: 200 with Result=false echoing the request',
    portal: 'indomio',
    reply: target('indomio', (req) =>
      xml(200, serviceResponse({ Result: false, ErrorCode: 400, ErrorMessage: escapeXml(echoOf(req)) })),
    ),
    call: put,
  },
  {
    name: 'indomio: GENERIC_ERROR with 200 echoing the request (retried, then thrown)',
    portal: 'indomio',
    reply: target('indomio', (req) =>
      xml(200, serviceResponse({ Result: false, ErrorCode: 500, ErrorMessage: escapeXml(echoOf(req)) })),
    ),
    call: put,
  },
  {
    name: 'indomio: delete answered 404 echoing the request',
    portal: 'indomio',
    reply: target('indomio', (req) => echoError(req, 404)),
    call: (c) => c.indomio.properties.delete({ idListing: 77 }),
  },
  {
    name: 'indomio: input validation',
    portal: 'indomio',
    reply: portalSuccess,
    call: (c) => c.indomio.properties.delete('never-written'),
    sends: false,
  },
  {
    name: 'pfcrm: create answered 409 echoing the request',
    portal: 'pfcrm',
    reply: target('pfcrm', (req) => echoError(req, 409)),
    call: (c) =>
      c.pfcrm.properties.create({
        reference: 'crm-1',
        draft: true,
        size: 80,
        type: 1,
        status: 'draft',
        languages: { en: { title: 'Flat', description: 'A flat.' } },
        location: { id: 'are.3.12' },
        price: { offering: 'sale', value: 1 },
      }),
  },
  {
    name: 'pfcrm: input validation',
    portal: 'pfcrm',
    reply: portalSuccess,
    call: (c) => c.pfcrm.properties.list({ filters: { from_bedroom: 99 } }),
    sends: false,
  },
  ...[401, 400, 500].map(
    (status): Scenario => ({
      name: `pfcrm: token endpoint answers ${status} echoing the request`,
      portal: 'pfcrm',
      reply: (req) => (req.rawPath === PF_TOKEN_PATH ? echoError(req, status) : portalSuccess(req)),
      call: pfGet,
    }),
  ),
  {
    name: 'pfcrm: token endpoint answers 200 with HTML echoing the request',
    portal: 'pfcrm',
    reply: (req) => (req.rawPath === PF_TOKEN_PATH ? malformedEcho(req) : portalSuccess(req)),
    call: pfGet,
  },
  {
    name: 'pfcrm: an API warning header echoing the request',
    portal: 'pfcrm',
    reply: target('pfcrm', (req) => ({
      status: 200,
      body: JSON.stringify({ property: { id: 5 } }),
      headers: { 'content-type': 'application/json', 'x-mycrm-api-warning': echoOf(req) },
    })),
    call: pfGet,
  },
];

// ------------------------------------------------------------------ collection

interface Collected {
  errors: unknown[];
  events: unknown[];
  result: unknown;
}

function listen(clients: Clients, events: unknown[]): void {
  const names = ['request', 'response', 'retry', 'rateLimited'] as const;
  for (const name of names) {
    clients.rentix.http.on(name, (e) => events.push({ name, e }));
    clients.indomio.http.on(name, (e) => events.push({ name, e }));
    clients.pfcrm.on(name, (e) => events.push({ name, e }));
  }
  clients.pfcrm.on('warning', (e) => events.push({ name: 'warning', e }));
}

/** Errors thrown, and errors held in bulk reports. */
function errorsIn(result: unknown): unknown[] {
  const results = (result as { results?: { error?: unknown }[] } | undefined)?.results;
  return Array.isArray(results) ? results.map((r) => r.error).filter((e) => e !== undefined) : [];
}

function renderings(error: unknown): Record<string, string> {
  const e = error as Error;
  return {
    'error.message': e.message,
    'String(error)': String(e),
    'JSON.stringify(error)': JSON.stringify(e),
    'util.inspect(error)': inspect(e, { depth: 10 }),
  };
}

/** Names of the secrets found in `text`. */
function leaksIn(text: string): string[] {
  return Object.entries(SECRETS)
    .filter(([, value]) => text.includes(value))
    .map(([name]) => name);
}

// ------------------------------------------------------------------ tests

let server: CaptureServer;
beforeAll(async () => {
  server = await startCaptureServer(portalSuccess);
});
beforeEach(() => server.reset());
afterAll(() => server.close());

describe('secrets never leave the client', () => {
  it.each(scenarios.map((s) => [s.name, s] as const))(
    '%s',
    async (_name, scenario) => {
      server.respond(scenario.reply);
      const clients = makeClients(server.url, CREDENTIALS, scenario.options ?? {});
      const collected: Collected = { errors: [], events: [], result: undefined };
      listen(clients, collected.events);
      try {
        collected.result = await scenario.call(clients);
      } catch (error) {
        collected.errors.push(error);
      }
      collected.errors.push(...errorsIn(collected.result));

      // The scenario really is an error path, and its errors are the SDK's own.
      const warned = collected.events.some((e) => (e as { name: string }).name === 'warning');
      expect(collected.errors.length > 0 || warned, 'the scenario produced an error or a warning').toBe(true);
      for (const error of collected.errors) expect(error).toBeInstanceOf(SyncError);

      if (scenario.sends === false) {
        expect(server.requests).toEqual([]);
        expect(collected.errors[0]).toBeInstanceOf(InputValidationError);
      } else {
        // The credentials were on the wire, so the echo did carry them back.
        expect(server.requests.length).toBeGreaterThan(0);
        expect(server.requests.some((r) => /secret|client/.test(echoOf(r)))).toBe(true);
      }

      const leaks: string[] = [];
      for (const error of collected.errors) {
        for (const [where, text] of Object.entries(renderings(error))) {
          for (const name of leaksIn(text)) leaks.push(`${name} in ${where}`);
        }
      }
      for (const event of collected.events) {
        const { name } = event as { name: string };
        for (const secret of leaksIn(JSON.stringify(event))) leaks.push(`${secret} in a "${name}" event`);
      }
      expect([...new Set(leaks)]).toEqual([]);
    },
    10_000,
  );
});

describe('plain http:// base URLs', () => {
  const insecure = 'http://127.0.0.1:9';

  it('RentixClient refuses one unless allowInsecureHttp is given', () => {
    expect(() => new RentixClient({ apiKey: CREDENTIALS.rentixApiKey, baseUrl: insecure })).toThrow(SyncError);
    expect(() => new RentixClient({ apiKey: CREDENTIALS.rentixApiKey, baseUrl: insecure })).toThrow(/https/);
    expect(
      () => new RentixClient({ apiKey: CREDENTIALS.rentixApiKey, baseUrl: insecure, allowInsecureHttp: false }),
    ).toThrow(SyncError);
    expect(
      new RentixClient({ apiKey: CREDENTIALS.rentixApiKey, baseUrl: insecure, allowInsecureHttp: true }).http.baseUrl,
    ).toBe(insecure);
  });

  it('IndomioClient refuses one unless allowInsecureHttp is given', () => {
    const options = {
      username: CREDENTIALS.indomioUser,
      password: CREDENTIALS.indomioPassword,
      source: CREDENTIALS.indomioSource,
      baseUrl: insecure,
    };
    expect(() => new IndomioClient(options)).toThrow(SyncError);
    expect(() => new IndomioClient(options)).toThrow(/https/);
    expect(new IndomioClient({ ...options, allowInsecureHttp: true }).http.baseUrl).toBe(insecure);
  });

  it('PfCrmClient refuses an http:// API or token URL unless allowInsecureHttp is given', () => {
    const credentials = { apiKey: CREDENTIALS.pfApiKey, apiSecret: CREDENTIALS.pfApiSecret };
    expect(() => new PfCrmClient({ ...credentials, baseUrl: insecure, tokenUrl: `${insecure}/token` })).toThrow(
      SyncError,
    );
    expect(() => new PfCrmClient({ ...credentials, tokenUrl: `${insecure}/token` })).toThrow(/https/);
    expect(() => new PfCrmClient({ accessToken: PF_ACCESS_TOKEN, baseUrl: insecure })).toThrow(SyncError);
    expect(
      new PfCrmClient({ ...credentials, baseUrl: insecure, tokenUrl: `${insecure}/token`, allowInsecureHttp: true })
        .http.baseUrl,
    ).toBe(insecure);
  });

  it('the refusal does not quote a credential', () => {
    const errors: unknown[] = [];
    const attempts = [
      () => new RentixClient({ apiKey: CREDENTIALS.rentixApiKey, baseUrl: insecure }),
      () =>
        new IndomioClient({
          username: CREDENTIALS.indomioUser,
          password: CREDENTIALS.indomioPassword,
          source: CREDENTIALS.indomioSource,
          baseUrl: `http://${CREDENTIALS.indomioUser}:${CREDENTIALS.indomioPassword}@127.0.0.1:9`,
        }),
      () => new PfCrmClient({ accessToken: PF_ACCESS_TOKEN, baseUrl: insecure }),
    ];
    for (const attempt of attempts) {
      try {
        attempt();
      } catch (error) {
        errors.push(error);
      }
    }
    expect(errors).toHaveLength(3);
    for (const error of errors) {
      for (const [where, text] of Object.entries(renderings(error))) expect(leaksIn(text), where).toEqual([]);
    }
  });
});
