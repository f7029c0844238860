// Every failure kind of the three clients, driven with recognisable credentials — plain ones
// and awkward ones (surrounding spaces, quotes, backslashes, non-ASCII) — over node:http and
// over fetch, against a server on 127.0.0.1 that echoes every credential in every form (see
// echo.ts) in every header and body position. No secret may reach an error's message, stack,
// JSON, util.inspect, any own property, any cause, or any event emitted on the clients.
// Configuration mistakes that would carry a credential (userinfo in a URL, CR/LF in a key)
// are refused up front without quoting it. And a plain http:// base URL is refused unless allowed.
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
import {
  charReferences,
  credentialsOf,
  echoHeaders,
  echoOf,
  leaksIn,
  type SecretSet,
  secretsOf,
  unicodeEscaped,
} from './echo.ts';

const PLAIN: SecretSet = {
  name: 'plain credentials',
  credentials: {
    rentixApiKey: 'RENTIXKEY-7f3a9c2b-secret',
    indomioUser: 'indomio-agency-user',
    indomioPassword: 'INDOMIOPASS-51d2e8-secret',
    indomioSource: 'INDOMIOSOURCE-88e1a4-secret',
    pfApiKey: 'PFAPIKEY-0b9d31-client',
    pfApiSecret: 'PFAPISECRET-e4c7f0-secret',
  },
  pfAccessToken: 'PFACCESSTOKEN-c0ffee-4d2a-secret',
};

/** Spaces around, quotes and backslashes (escaped in JSON), non-ASCII (escaped by PHP's json_encode). */
const AWKWARD: SecretSet = {
  name: 'awkward credentials',
  credentials: {
    rentixApiKey: '  RENTIX"KEY\\7f3a9c2b-secret ',
    indomioUser: 'indomio-agency-user',
    indomioPassword: ' INDOMIO"PASS\\ü51d2e8-secret ',
    indomioSource: 'INDOMIO"SOURCE\\88e1a4-secret',
    pfApiKey: 'PFAPIKEY"0b9d31\\client',
    pfApiSecret: ' PFAPISECRET"é4c7f0\\secret ',
  },
  pfAccessToken: 'PFACCESS"TOKEN\\c0ffee-4d2a-secret',
};

type Portal = 'rentix' | 'indomio' | 'pfcrm';

const isTarget = (portal: Portal, req: CapturedRequest) =>
  portal === 'rentix'
    ? req.rawPath.startsWith(RENTIX_PREFIX)
    : portal === 'indomio'
      ? req.rawPath.startsWith(INDOMIO_PREFIX)
      : req.rawPath.startsWith(PF_PREFIX);

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The echo as XML text, plus each credential as character references the parser decodes. */
const xmlEcho = (req: CapturedRequest) =>
  `${escapeXml(echoOf(req))} ${credentialsOf(req).map(charReferences).join(' ')}`;

/** A JSON body with the echo in every position a message may be read from, keys included. */
function jsonEchoBody(req: CapturedRequest, status: number): Record<string, unknown> {
  const echo = echoOf(req);
  return {
    statusCode: status,
    code: status,
    message: req.rawPath.startsWith(RENTIX_PREFIX) ? ['echo', echo] : echo,
    error: echo,
    errors: [{ field: echo, message: echo }],
    requestId: echo,
    detail: { [echo]: [echo, { echo }] },
  };
}

/** An error answer in the portal's own format, echoing the request in its body and headers. */
function echoError(req: CapturedRequest, status: number): Reply {
  const headers = { ...echoHeaders(req), 'retry-after': '0' };
  if (req.rawPath.startsWith(INDOMIO_PREFIX)) {
    return {
      status,
      body: serviceResponse({ Result: false, ErrorCode: status, ErrorMessage: xmlEcho(req), RequestID: xmlEcho(req) }),
      headers: { 'content-type': 'application/xml', ...headers },
    };
  }
  return json(status, jsonEchoBody(req, status), headers);
}

/** A plain-text body: kept as text by the client, so every escaped form stays as the server wrote it. */
const textEcho =
  (status: number) =>
  (req: CapturedRequest): Reply => ({
    status,
    body: `error: ${echoOf(req)} ${credentialsOf(req).map(unicodeEscaped).join(' ')}`,
    headers: { 'content-type': 'text/plain', ...echoHeaders(req) },
  });

const htmlEcho = (req: CapturedRequest): Reply => ({
  status: 200,
  body: `<html><body>Debug: ${echoOf(req)}</body></html>`,
  headers: { 'content-type': 'text/html', ...echoHeaders(req) },
});

/** JSON cut short: it does not parse, so the body is kept as the text the server wrote. */
const truncatedEcho = (req: CapturedRequest): Reply => ({
  status: 200,
  body: `{"message": "${credentialsOf(req).map(unicodeEscaped).join(' ')} ${JSON.stringify(echoOf(req)).slice(1, -1)}`,
  headers: { 'content-type': 'application/json', ...echoHeaders(req) },
});

const DEPTH = 100_000;
/** 100,000 nested arrays after the echo. */
const deepEcho =
  (status: number) =>
  (req: CapturedRequest): Reply => ({
    status,
    body: `{"message":${JSON.stringify(echoOf(req))},"deep":${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}}`,
    headers: { 'content-type': 'application/json', ...echoHeaders(req) },
  });

/** A success whose headers echo the request (request ids, warnings). */
function successWithEchoHeaders(req: CapturedRequest): Reply {
  const ok = portalSuccess(req) as { status: number; body?: string; headers?: Record<string, string> };
  return { ...ok, headers: { ...ok.headers, ...echoHeaders(req) } };
}

/** Answers the portal's API with `reply`; the PF token endpoint issues the set's token. */
const target =
  (portal: Portal, reply: (req: CapturedRequest) => Reply) =>
  (set: SecretSet) =>
  (req: CapturedRequest): Reply => {
    if (req.rawPath === PF_TOKEN_PATH) {
      return json(200, { access_token: set.pfAccessToken, token_type: 'Bearer', expires_in: 3600 });
    }
    return isTarget(portal, req) ? reply(req) : portalSuccess(req);
  };
/** Answers the PF token endpoint with `reply`, everything else as documented. */
const tokenEndpoint =
  (reply: (req: CapturedRequest) => Reply) =>
  () =>
  (req: CapturedRequest): Reply =>
    req.rawPath === PF_TOKEN_PATH ? reply(req) : portalSuccess(req);

// ------------------------------------------------------------------ the calls

interface Context {
  url: string;
  set: SecretSet;
  clients: Clients;
  /** The transport option of this run (`{}` for node:http). */
  transport: { fetch?: typeof globalThis.fetch };
  /** Events of clients a scenario builds itself are collected too. */
  listen(clients: Partial<Clients>): void;
}

const upsert = (c: Context) => c.clients.rentix.listings.upsert({ externalId: 'crm-1', announcementValue: 1 });
const put = (c: Context) => c.clients.indomio.properties.put(indomioFromListing(baseListing(), INDOMIO_OPTIONS));
const pfGet = (c: Context) => c.clients.pfcrm.properties.get(5);
const callOf: Record<Portal, (c: Context) => Promise<unknown>> = { rentix: upsert, indomio: put, pfcrm: pfGet };
const bulkUpsert = (c: Context) =>
  c.clients.rentix.listings.bulk([
    ops.upsert({ externalId: 'crm-1', announcementValue: 1 }),
    ops.upsert({ externalId: 'crm-2', announcementValue: 2 }),
  ]);

/** Builds one client with the run's transport and listens to it; throws what the constructor throws. */
function build<K extends Portal>(c: Context, portal: K, options: Record<string, unknown>): Clients[K] {
  const common = { allowInsecureHttp: true, retry: false as const, timeoutMs: 2_000, ...c.transport };
  const client =
    portal === 'rentix'
      ? new RentixClient({ ...common, ...options } as ConstructorParameters<typeof RentixClient>[0])
      : portal === 'indomio'
        ? new IndomioClient({ ...common, ...options } as ConstructorParameters<typeof IndomioClient>[0])
        : new PfCrmClient({ ...common, ...options } as ConstructorParameters<typeof PfCrmClient>[0]);
  c.listen({ [portal]: client });
  return client as Clients[K];
}

const rentixWith = (c: Context, options: Record<string, unknown>) =>
  build(c, 'rentix', { apiKey: c.set.credentials.rentixApiKey, baseUrl: `${c.url}${RENTIX_PREFIX}`, ...options });
const indomioWith = (c: Context, options: Record<string, unknown>) =>
  build(c, 'indomio', {
    username: c.set.credentials.indomioUser,
    password: c.set.credentials.indomioPassword,
    source: c.set.credentials.indomioSource,
    baseUrl: `${c.url}${INDOMIO_PREFIX}`,
    ...options,
  });
const pfWith = (c: Context, options: Record<string, unknown>) =>
  build(c, 'pfcrm', {
    apiKey: c.set.credentials.pfApiKey,
    apiSecret: c.set.credentials.pfApiSecret,
    baseUrl: `${c.url}${PF_PREFIX}`,
    tokenUrl: `${c.url}${PF_TOKEN_PATH}`,
    ...options,
  });

/** `http://127.0.0.1:port` with `userinfo@` in front of the host. */
const withUserinfo = (url: string, userinfo: string) => url.replace('://', `://${userinfo}@`);

// ------------------------------------------------------------------ the failure kinds

interface Scenario {
  name: string;
  /** How the server answers, given the run's secrets (default: the documented success). */
  reply?: (set: SecretSet) => (req: CapturedRequest) => Reply;
  call: (c: Context) => Promise<unknown>;
  options?: ClientOptions;
  /**
   * `error`: a typed error (thrown, in a report, or a warning event); `refused`: an
   * InputValidationError before any request; `success`: the call succeeds (its events and
   * response meta are swept).
   */
  outcome: 'error' | 'refused' | 'success';
}

const STATUSES = [400, 401, 403, 404, 409, 422, 429, 500, 503];

const perPortal = (portal: Portal): Scenario[] => [
  ...STATUSES.map(
    (status): Scenario => ({
      name: `${portal}: ${status} echoing the request`,
      reply: target(portal, (req) => echoError(req, status)),
      call: callOf[portal],
      outcome: 'error',
    }),
  ),
  {
    name: `${portal}: connection reset`,
    reply: target(portal, () => ({ drop: true })),
    call: callOf[portal],
    outcome: 'error',
  },
  {
    name: `${portal}: timeout`,
    reply: target(portal, () => ({ stall: true })),
    call: callOf[portal],
    options: { timeoutMs: 150, deadlineMs: 1_000, retry: false },
    outcome: 'error',
  },
  {
    name: `${portal}: 200 with an HTML page echoing the request`,
    reply: target(portal, htmlEcho),
    call: callOf[portal],
    outcome: 'error',
  },
  {
    name: `${portal}: 200 with JSON of the wrong shape echoing the request`,
    reply: target(portal, (req) => json(200, jsonEchoBody(req, 200), echoHeaders(req))),
    call: callOf[portal],
    outcome: 'error',
  },
  {
    name: `${portal}: 200 with truncated JSON echoing the request escaped`,
    reply: target(portal, truncatedEcho),
    call: callOf[portal],
    outcome: 'error',
  },
  {
    name: `${portal}: 500 with a text body echoing the request escaped`,
    reply: target(portal, textEcho(500)),
    call: callOf[portal],
    outcome: 'error',
  },
  {
    name: `${portal}: 200 with 100,000-deep JSON echoing the request`,
    reply: target(portal, deepEcho(200)),
    call: callOf[portal],
    outcome: 'error',
  },
  {
    name: `${portal}: 500 with 100,000-deep JSON echoing the request`,
    reply: target(portal, deepEcho(500)),
    call: callOf[portal],
    outcome: 'error',
  },
  {
    name: `${portal}: 302 redirecting to a URL that echoes the request`,
    reply: target(portal, (req) => ({
      status: 302,
      body: echoOf(req),
      headers: {
        ...echoHeaders(req),
        'content-type': 'text/plain',
        location: `https://${encodeURIComponent(credentialsOf(req).join(':'))}@elsewhere.example/${encodeURIComponent(echoOf(req))}`,
      },
    })),
    call: callOf[portal],
    outcome: 'error',
  },
  {
    name: `${portal}: a success whose request-id and other headers echo the request`,
    reply: target(portal, successWithEchoHeaders),
    call: callOf[portal],
    outcome: 'success',
  },
  {
    name: `${portal}: the base URL carries a credential as userinfo`,
    call: async (c) => {
      const secret =
        portal === 'rentix'
          ? c.set.credentials.rentixApiKey
          : portal === 'indomio'
            ? c.set.credentials.indomioPassword
            : c.set.credentials.pfApiSecret;
      const userinfo = `user:${encodeURIComponent(secret)}`;
      const prefix = portal === 'rentix' ? RENTIX_PREFIX : portal === 'indomio' ? INDOMIO_PREFIX : PF_PREFIX;
      const baseUrl = withUserinfo(`${c.url}${prefix}`, userinfo);
      const client =
        portal === 'rentix'
          ? rentixWith(c, { baseUrl })
          : portal === 'indomio'
            ? indomioWith(c, { baseUrl })
            : pfWith(c, { baseUrl });
      return callOf[portal]({ ...c, clients: { ...c.clients, [portal]: client } });
    },
    outcome: 'refused',
  },
  {
    name: `${portal}: an invalid base URL holding a credential`,
    call: async (c) => {
      const secret =
        portal === 'rentix'
          ? c.set.credentials.rentixApiKey
          : portal === 'indomio'
            ? c.set.credentials.indomioSource
            : c.set.credentials.pfApiKey;
      const baseUrl = `http://[${secret}]/api`;
      if (portal === 'rentix') rentixWith(c, { baseUrl });
      else if (portal === 'indomio') indomioWith(c, { baseUrl });
      else pfWith(c, { baseUrl });
    },
    outcome: 'refused',
  },
];

/** A credential that holds a CR, an LF or a NUL: refused before anything is sent, without quoting it. */
const injected: Scenario[] = [
  {
    name: 'rentix: an apiKey holding CR/LF',
    call: (c) =>
      upsert({
        ...c,
        clients: {
          ...c.clients,
          rentix: rentixWith(c, { apiKey: `${c.set.credentials.rentixApiKey}\r\nX-Injected: 1` }),
        },
      }),
    outcome: 'refused',
  },
  {
    name: 'rentix: an apiKey sent as X-API-Key holding a NUL',
    call: (c) =>
      upsert({
        ...c,
        clients: {
          ...c.clients,
          rentix: rentixWith(c, { apiKey: `${c.set.credentials.rentixApiKey}\0`, authHeader: 'X-API-Key' }),
        },
      }),
    outcome: 'refused',
  },
  {
    name: 'indomio: a source holding an LF',
    call: (c) =>
      put({
        ...c,
        clients: { ...c.clients, indomio: indomioWith(c, { source: `${c.set.credentials.indomioSource}\n` }) },
      }),
    outcome: 'refused',
  },
  {
    name: 'indomio: a password holding a NUL',
    call: (c) =>
      put({
        ...c,
        clients: { ...c.clients, indomio: indomioWith(c, { password: `${c.set.credentials.indomioPassword}\0` }) },
      }),
    outcome: 'refused',
  },
  {
    name: 'pfcrm: an apiSecret holding CR/LF',
    call: (c) =>
      pfGet({
        ...c,
        clients: { ...c.clients, pfcrm: pfWith(c, { apiSecret: `${c.set.credentials.pfApiSecret}\r\n` }) },
      }),
    outcome: 'refused',
  },
  {
    name: 'pfcrm: an access token holding an LF',
    call: (c) =>
      pfGet({
        ...c,
        clients: {
          ...c.clients,
          pfcrm: build(c, 'pfcrm', { accessToken: `${c.set.pfAccessToken}\nX: 1`, baseUrl: `${c.url}${PF_PREFIX}` }),
        },
      }),
    outcome: 'refused',
  },
];

const rentixOnly: Scenario[] = [
  {
    name: 'rentix: 404 on a read by external id',
    reply: target('rentix', (req) => echoError(req, 404)),
    call: (c) => c.clients.rentix.listings.getByExternalId('crm-404'),
    outcome: 'error',
  },
  {
    name: 'rentix: bulk answered 422 "all failed", each operation echoing the request',
    reply: target('rentix', (req) =>
      json(
        422,
        {
          summary: { total: 2, succeeded: 0, failed: 2 },
          results: ['crm-1', 'crm-2'].map((externalId) => ({
            externalId,
            success: false,
            error: { message: [echoOf(req)], echo: echoOf(req) },
          })),
        },
        echoHeaders(req),
      ),
    ),
    call: bulkUpsert,
    outcome: 'error',
  },
  {
    name: 'rentix: bulk answered 200 with one operation failed echoing the request',
    reply: target('rentix', (req) =>
      json(
        200,
        {
          summary: { total: 2, succeeded: 1, failed: 1 },
          results: [
            { externalId: 'crm-1', id: 'r-1', success: true },
            { externalId: 'crm-2', success: false, error: { message: echoOf(req) } },
          ],
        },
        echoHeaders(req),
      ),
    ),
    call: bulkUpsert,
    outcome: 'error',
  },
  {
    name: 'rentix: bulk answered 422 echoing the request in an unknown shape',
    reply: target('rentix', (req) => echoError(req, 422)),
    call: bulkUpsert,
    outcome: 'error',
  },
  {
    name: 'rentix: bulk answered 401',
    reply: target('rentix', (req) => echoError(req, 401)),
    call: bulkUpsert,
    outcome: 'error',
  },
  {
    name: 'rentix: a job that failed with a message echoing the request',
    reply: target('rentix', (req) =>
      json(
        200,
        { id: 'job-1', status: 'failed', publicErrorMessage: echoOf(req), resultData: { echo: echoOf(req) } },
        echoHeaders(req),
      ),
    ),
    call: (c) => c.clients.rentix.jobs.wait('job-1', { intervalMs: 1 }),
    outcome: 'error',
  },
  {
    name: 'rentix: input validation',
    call: (c) =>
      c.clients.rentix.listings.upsert({ externalId: 'crm-1', announcementCurrency: 'GBP' } as unknown as ListingInput),
    outcome: 'refused',
  },
];

/** A ServiceResponse with an element named after a credential and left open: the parser quotes the name. */
const secretTag =
  (status: number) =>
  (req: CapturedRequest): Reply => {
    const names = credentialsOf(req).map((p) => p.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^[^A-Za-z_]+/, ''));
    return {
      status,
      body: `<?xml version="1.0"?><ServiceResponse><Result>false</Result><ErrorCode>400</ErrorCode>${names
        .map((n) => `<${n} a="1"><${n}>`)
        .join('')}</ServiceResponse>`,
      headers: { 'content-type': 'application/xml', ...echoHeaders(req) },
    };
  };

const indomioOnly: Scenario[] = [
  {
    name: 'indomio: 200 with Result=false echoing the request',
    reply: target('indomio', (req) =>
      xml(200, serviceResponse({ Result: false, ErrorCode: 400, ErrorMessage: xmlEcho(req), RequestID: xmlEcho(req) })),
    ),
    call: put,
    outcome: 'error',
  },
  {
    name: 'indomio: GENERIC_ERROR with 200 echoing the request (retried, then thrown)',
    reply: target('indomio', (req) =>
      xml(200, serviceResponse({ Result: false, ErrorCode: 500, ErrorMessage: xmlEcho(req), RequestID: xmlEcho(req) })),
    ),
    call: put,
    outcome: 'error',
  },
  {
    name: 'indomio: delete answered 404 echoing the request',
    reply: target('indomio', (req) => echoError(req, 404)),
    call: (c) => c.clients.indomio.properties.delete({ idListing: 77 }),
    outcome: 'error',
  },
  {
    name: 'indomio: 200 with an element named after a credential',
    reply: target('indomio', secretTag(200)),
    call: put,
    outcome: 'error',
  },
  {
    name: 'indomio: 400 with an element named after a credential',
    reply: target('indomio', secretTag(400)),
    call: put,
    outcome: 'error',
  },
  {
    name: 'indomio: input validation',
    call: (c) => c.clients.indomio.properties.delete('never-written'),
    outcome: 'refused',
  },
];

const pfOnly: Scenario[] = [
  {
    name: 'pfcrm: create answered 409 echoing the request',
    reply: target('pfcrm', (req) => echoError(req, 409)),
    call: (c) =>
      c.clients.pfcrm.properties.create({
        reference: 'crm-1',
        draft: true,
        size: 80,
        type: 1,
        status: 'draft',
        languages: { en: { title: 'Flat', description: 'A flat.' } },
        location: { id: 'are.3.12' },
        price: { offering: 'sale', value: 1 },
      }),
    outcome: 'error',
  },
  {
    name: 'pfcrm: input validation',
    call: (c) => c.clients.pfcrm.properties.list({ filters: { from_bedroom: 99 } }),
    outcome: 'refused',
  },
  ...[401, 400, 403, 500].map(
    (status): Scenario => ({
      name: `pfcrm: token endpoint answers ${status} echoing the request`,
      reply: tokenEndpoint((req) => echoError(req, status)),
      call: pfGet,
      outcome: 'error',
    }),
  ),
  {
    name: 'pfcrm: token endpoint answers 200 with HTML echoing the request',
    reply: tokenEndpoint(htmlEcho),
    call: pfGet,
    outcome: 'error',
  },
  {
    name: 'pfcrm: token endpoint answers 200 with truncated JSON echoing the request escaped',
    reply: tokenEndpoint(truncatedEcho),
    call: pfGet,
    outcome: 'error',
  },
  {
    name: 'pfcrm: token endpoint answers 100,000-deep JSON',
    reply: tokenEndpoint(deepEcho(200)),
    call: pfGet,
    outcome: 'error',
  },
  {
    name: 'pfcrm: token endpoint issues a token_type echoing the request',
    reply: tokenEndpoint((req) =>
      json(200, { access_token: 'pf-token-0123456789', token_type: echoOf(req), expires_in: 3600 }, echoHeaders(req)),
    ),
    call: pfGet,
    outcome: 'error',
  },
  {
    name: 'pfcrm: token endpoint issues a token holding CR/LF and the echo',
    reply: tokenEndpoint((req) =>
      json(200, { access_token: `tok\r\n${credentialsOf(req).join(' ')}`, token_type: 'Bearer', expires_in: 3600 }),
    ),
    call: pfGet,
    outcome: 'error',
  },
  {
    name: 'pfcrm: an API warning header echoing the request',
    reply: target('pfcrm', (req) => ({
      status: 200,
      body: JSON.stringify({ property: { id: 5 } }),
      headers: { 'content-type': 'application/json', ...echoHeaders(req) },
    })),
    call: pfGet,
    outcome: 'error',
  },
  {
    name: 'pfcrm: an invalid tokenUrl holding a credential',
    call: async (c) => {
      pfWith(c, { tokenUrl: `http://[${c.set.credentials.pfApiSecret}]/token` });
    },
    outcome: 'refused',
  },
  {
    name: 'pfcrm: a tokenUrl carrying credentials as userinfo',
    call: (c) => {
      const userinfo = `${encodeURIComponent(c.set.credentials.pfApiKey)}:${encodeURIComponent(c.set.credentials.pfApiSecret)}`;
      const pfcrm = pfWith(c, { tokenUrl: withUserinfo(`${c.url}${PF_TOKEN_PATH}`, userinfo) });
      return pfGet({ ...c, clients: { ...c.clients, pfcrm } });
    },
    outcome: 'refused',
  },
];

const scenarios: Scenario[] = [
  ...(['rentix', 'indomio', 'pfcrm'] as const).flatMap(perPortal),
  ...injected,
  ...rentixOnly,
  ...indomioOnly,
  ...pfOnly,
];

// ------------------------------------------------------------------ the sweep

const HTTP_EVENTS = ['request', 'response', 'retry', 'rateLimited'] as const;

function listenTo(clients: Partial<Clients>, events: unknown[]): void {
  for (const http of [clients.rentix?.http, clients.indomio?.http, clients.pfcrm?.http]) {
    for (const name of HTTP_EVENTS) http?.on(name, (e) => events.push({ name, e }));
  }
  clients.pfcrm?.on('warning', (e) => events.push({ name: 'warning', e }));
}

/** Errors held in bulk reports and sync results. */
function errorsIn(result: unknown): unknown[] {
  const r = result as { results?: { error?: unknown }[]; items?: { error?: unknown }[] } | undefined;
  const list = r?.results ?? r?.items;
  return Array.isArray(list) ? list.map((x) => x.error).filter((e) => e !== undefined) : [];
}

const deep = { depth: 10, showHidden: true } as const;
const rendered = (value: unknown) => (typeof value === 'string' ? value : inspect(value, deep));

/** Every way an error is logged: message, stack, JSON, util.inspect, each own property, and each cause. */
function renderings(error: unknown): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let current: unknown = error;
  for (let level = 0; current !== undefined && current !== null && level < 10; level++) {
    const at = level === 0 ? 'error' : `cause${level > 1 ? `^${level}` : ''}`;
    if (!(current instanceof Error)) {
      out.push([at, rendered(current)]);
      break;
    }
    out.push([`${at}.message`, current.message]);
    out.push([`${at}.stack`, String(current.stack)]);
    out.push([`String(${at})`, String(current)]);
    let asJson: string;
    try {
      asJson = String(JSON.stringify(current));
    } catch (e) {
      asJson = `JSON.stringify threw ${String(e)}`;
    }
    out.push([`JSON.stringify(${at})`, asJson]);
    out.push([`util.inspect(${at})`, inspect(current, deep)]);
    for (const key of Reflect.ownKeys(current)) {
      out.push([`${at}[${String(key)}]`, rendered((current as unknown as Record<PropertyKey, unknown>)[key])]);
    }
    current = current.cause;
  }
  return out;
}

const SETS = [PLAIN, AWKWARD];
const TRANSPORTS = [
  { name: 'node:http', options: {} },
  { name: 'fetch', options: { fetch: globalThis.fetch } },
] as const;

let server: CaptureServer;
beforeAll(async () => {
  server = await startCaptureServer(portalSuccess);
});
beforeEach(() => server.reset());
afterAll(() => server.close());

describe.each(
  SETS.flatMap((set) => TRANSPORTS.map((transport) => [`${set.name} over ${transport.name}`, set, transport] as const)),
)('secrets never leave the clients (%s)', (_label, set, transport) => {
  const secrets = secretsOf(set);

  it.each(scenarios.map((s) => [s.name, s] as const))(
    '%s',
    async (_name, scenario) => {
      server.respond(scenario.reply?.(set));
      const events: unknown[] = [];
      const clients = makeClients(server.url, set.credentials, { ...scenario.options, ...transport.options });
      listenTo(clients, events);
      const context: Context = {
        url: server.url,
        set,
        clients,
        transport: transport.options,
        listen: (more) => listenTo(more, events),
      };
      const errors: unknown[] = [];
      let result: unknown;
      try {
        result = await scenario.call(context);
      } catch (error) {
        errors.push(error);
      }
      errors.push(...errorsIn(result));

      const leaks: string[] = [];
      for (const error of errors) {
        for (const [where, text] of renderings(error)) {
          for (const name of leaksIn(text, secrets)) leaks.push(`${name} in ${where}`);
        }
      }
      for (const event of events) {
        const { name } = event as { name: string };
        for (const secret of leaksIn(`${JSON.stringify(event)}\n${inspect(event, deep)}`, secrets)) {
          leaks.push(`${secret} in a "${name}" event`);
        }
      }
      // What a result says about its response (PF's lastResponse: request id, warning).
      const meta = (result as { lastResponse?: unknown } | undefined)?.lastResponse;
      for (const secret of leaksIn(rendered(meta), secrets)) leaks.push(`${secret} in the result's lastResponse`);
      expect([...new Set(leaks)]).toEqual([]);

      if (scenario.outcome === 'refused') {
        expect(errors[0]).toBeInstanceOf(InputValidationError);
        expect(server.requests.map((r) => `${r.method} ${r.rawUrl}`)).toEqual([]);
      } else {
        expect(server.requests.length, 'requests reached the server').toBeGreaterThan(0);
        if (scenario.outcome === 'success') expect(errors).toEqual([]);
        else {
          const warned = events.some((e) => (e as { name: string }).name === 'warning');
          expect(errors.length > 0 || warned, 'the scenario produced an error or a warning').toBe(true);
        }
      }
      for (const error of errors) expect(error).toBeInstanceOf(SyncError);
    },
    10_000,
  );
});

describe('plain http:// base URLs', () => {
  const insecure = 'http://127.0.0.1:9';
  const { credentials } = PLAIN;

  it('RentixClient refuses one unless allowInsecureHttp is given', () => {
    expect(() => new RentixClient({ apiKey: credentials.rentixApiKey, baseUrl: insecure })).toThrow(SyncError);
    expect(() => new RentixClient({ apiKey: credentials.rentixApiKey, baseUrl: insecure })).toThrow(/https/);
    expect(
      () => new RentixClient({ apiKey: credentials.rentixApiKey, baseUrl: insecure, allowInsecureHttp: false }),
    ).toThrow(SyncError);
    expect(
      new RentixClient({ apiKey: credentials.rentixApiKey, baseUrl: insecure, allowInsecureHttp: true }).http.baseUrl,
    ).toBe(insecure);
  });

  it('IndomioClient refuses one unless allowInsecureHttp is given', () => {
    const options = {
      username: credentials.indomioUser,
      password: credentials.indomioPassword,
      source: credentials.indomioSource,
      baseUrl: insecure,
    };
    expect(() => new IndomioClient(options)).toThrow(SyncError);
    expect(() => new IndomioClient(options)).toThrow(/https/);
    expect(new IndomioClient({ ...options, allowInsecureHttp: true }).http.baseUrl).toBe(insecure);
  });

  it('PfCrmClient refuses an http:// API or token URL unless allowInsecureHttp is given', () => {
    const pf = { apiKey: credentials.pfApiKey, apiSecret: credentials.pfApiSecret };
    expect(() => new PfCrmClient({ ...pf, baseUrl: insecure, tokenUrl: `${insecure}/token` })).toThrow(SyncError);
    expect(() => new PfCrmClient({ ...pf, tokenUrl: `${insecure}/token` })).toThrow(/https/);
    expect(() => new PfCrmClient({ accessToken: PLAIN.pfAccessToken, baseUrl: insecure })).toThrow(SyncError);
    expect(
      new PfCrmClient({ ...pf, baseUrl: insecure, tokenUrl: `${insecure}/token`, allowInsecureHttp: true }).http
        .baseUrl,
    ).toBe(insecure);
  });

  it('the refusal does not quote a credential', () => {
    const errors: unknown[] = [];
    const attempts = [
      () => new RentixClient({ apiKey: credentials.rentixApiKey, baseUrl: insecure }),
      () =>
        new IndomioClient({
          username: credentials.indomioUser,
          password: credentials.indomioPassword,
          source: credentials.indomioSource,
          baseUrl: `http://${credentials.indomioUser}:${credentials.indomioPassword}@127.0.0.1:9`,
        }),
      () => new PfCrmClient({ accessToken: PLAIN.pfAccessToken, baseUrl: insecure }),
    ];
    for (const attempt of attempts) {
      try {
        attempt();
      } catch (error) {
        errors.push(error);
      }
    }
    expect(errors).toHaveLength(3);
    const secrets = secretsOf(PLAIN);
    for (const error of errors) {
      for (const [where, text] of renderings(error)) expect(leaksIn(text, secrets), where).toEqual([]);
    }
  });
});
