import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AuthStrategy,
  apiKeyAuth,
  basicAuth,
  bearerAuth,
  HttpClient,
  type HttpEvents,
  SyncError,
} from '../src/index.js';
import { json, startServer, type TestServer } from './support/server.js';

const API_KEY = 'sk_live_APIKEY_5c1e7d';
const PASSWORD = 'pw-SECRET-8f2a91';
const TOKEN = 'tok_BEARER_0b7c33aa';
const CLIENT_SECRET = 'cs_CLIENT_SECRET_77';
const SECRETS = [API_KEY, PASSWORD, TOKEN, CLIENT_SECRET, Buffer.from(`user:${PASSWORD}`).toString('base64')];

let server: TestServer;
beforeAll(async () => {
  // Every route echoes what it received, the credentials included, as careless servers do.
  server = await startServer((req, res) => {
    const echo = { url: req.url, headers: req.headers };
    const route = new URL(req.url ?? '/', 'http://x').pathname;
    const status = Number(route.split('/').pop());
    if (route.startsWith('/status/')) {
      json(
        res,
        status,
        { message: `refused ${req.headers.authorization ?? req.headers['x-api-key']}`, echo },
        {
          'retry-after': '0',
        },
      );
    } else if (route === '/garbage') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`<html>${req.headers['x-api-key']} ${req.headers.authorization} ${req.url}</html>`);
    } else if (route === '/reset') {
      req.socket.destroy();
    } else if (route === '/hang') {
      // never answers
    } else json(res, 200, echo);
  });
});
afterAll(() => server.close());

const strategies: Array<[string, AuthStrategy]> = [
  ['api key', apiKeyAuth({ key: API_KEY, header: 'X-API-Key' })],
  ['basic', basicAuth({ username: 'user', password: PASSWORD })],
  ['bearer', bearerAuth(async () => ({ token: TOKEN, expiresIn: 3600 }))],
];

function assertClean(label: string, value: unknown) {
  const texts = [
    typeof value === 'string' ? value : JSON.stringify(value),
    inspect(value, { depth: 10, showHidden: false }),
  ];
  if (value instanceof Error) texts.push(value.message, String(value.stack));
  for (const text of texts) {
    for (const secret of SECRETS) {
      if (text.includes(secret))
        throw new Error(
          `${label} leaks ${secret}: ${text.slice(text.indexOf(secret) - 200, text.indexOf(secret) + 50)}`,
        );
    }
  }
}

describe.each(strategies)('with %s credentials, no secret reaches an error or an event', (_name, auth) => {
  it('sweeps every error path and every event', async () => {
    const http = new HttpClient({
      portal: 'test',
      baseUrl: server.url,
      allowInsecureHttp: true,
      userAgent: 'test',
      auth,
      secrets: [CLIENT_SECRET],
      timeoutMs: 100,
      deadlineMs: 300,
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 },
    });
    const events: Array<HttpEvents[keyof HttpEvents]> = [];
    for (const name of ['request', 'response', 'retry', 'rateLimited'] as const) http.on(name, (e) => events.push(e));

    const paths = [
      ...[400, 401, 403, 404, 409, 422, 429, 500, 503, 418].map((s) => `/status/${s}`),
      '/garbage',
      '/reset',
      '/hang',
    ];
    const errors: unknown[] = [];
    for (const p of paths) {
      errors.push(
        await http
          .request({ method: 'GET', path: p, query: { signature: CLIENT_SECRET, page: 1 }, operation: 'sweep' })
          .catch((e: unknown) => e),
      );
    }
    const ok = await http.request({ method: 'GET', path: '/ok', operation: 'sweep' });
    expect(ok.status).toBe(200);

    expect(errors).toHaveLength(paths.length);
    const classes = new Set(errors.map((e) => (e as Error).name));
    for (const name of [
      'ValidationError',
      'AuthenticationError',
      'PermissionError',
      'NotFoundError',
      'ConflictError',
      'RateLimitError',
      'ServerError',
      'HttpError',
      'UnexpectedResponseError',
      'NetworkError',
      'TimeoutError',
    ]) {
      expect(classes).toContain(name);
    }
    for (const error of errors) {
      expect(error).toBeInstanceOf(SyncError);
      assertClean((error as Error).name, error);
      assertClean(`${(error as Error).name} properties`, { ...(error as object) });
    }
    expect(events.length).toBeGreaterThan(paths.length * 2);
    for (const event of events) assertClean('event', event);
  });
});
