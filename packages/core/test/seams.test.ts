import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  type CallOptions,
  callOptions,
  callResource,
  collect,
  DEFAULT_RETRY,
  decideRetry,
  type FailedAttempt,
  HttpClient,
  type HttpClientOptions,
  httpClientOptions,
  InputValidationError,
  iteratePages,
  type Logger,
  type Page,
  parseResponse,
  Redactor,
  RetryBudget,
  ServerError,
  TimeoutError,
  UnexpectedResponseError,
} from '../src/index.js';
import { json, startServer, type TestServer } from './support/server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function client(url: string, options: Partial<HttpClientOptions> = {}): HttpClient {
  return new HttpClient({
    portal: 'acme',
    baseUrl: url,
    allowInsecureHttp: true,
    userAgent: '@sync/test/1.0.0',
    retry: { baseDelayMs: 1, maxDelayMs: 2 },
    ...options,
  });
}

const failed = (over: Partial<FailedAttempt> = {}): FailedAttempt => ({
  method: 'GET',
  idempotent: false,
  replayable: true,
  attempts: 1,
  retryable: true,
  unprocessed: false,
  kind: 'retry',
  serverDelayMs: undefined,
  remainingMs: 60_000,
  ...over,
});

describe('decideRetry', () => {
  const policy = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1_000 };

  it('repeats an idempotent call that can be cured, with a full-jitter wait', () => {
    expect(decideRetry(failed(), policy, undefined, () => 0.5)).toEqual({ retry: true, delayMs: 50 });
  });

  it('names why it refuses: an unsafe method, an incurable failure, spent attempts, the budget, the deadline', () => {
    expect(decideRetry(failed({ method: 'POST' }), policy)).toMatchObject({ retry: false, reason: 'not-idempotent' });
    expect(decideRetry(failed({ replayable: false }), policy)).toMatchObject({ reason: 'not-idempotent' });
    expect(decideRetry(failed({ retryable: false }), policy)).toMatchObject({ reason: 'not-retryable' });
    expect(decideRetry(failed({ attempts: 4 }), policy)).toEqual({
      retry: false,
      reason: 'attempts-exhausted',
      note: 'after 4 attempts',
    });
    const empty = new RetryBudget({ capacity: 1, retryCost: 5, timeoutCost: 10, successRefund: 1 });
    expect(decideRetry(failed(), policy, empty)).toMatchObject({ reason: 'budget-exhausted' });
    expect(decideRetry(failed({ serverDelayMs: 5_000, remainingMs: 1_000 }), policy)).toMatchObject({
      reason: 'past-deadline',
    });
  });

  it('repeats a POST the server refused unprocessed (429) or that declared itself idempotent', () => {
    expect(decideRetry(failed({ method: 'POST', unprocessed: true }), policy).retry).toBe(true);
    expect(decideRetry(failed({ method: 'PATCH', idempotent: true }), policy).retry).toBe(true);
  });

  it("waits what the server asked, capped by maxRetryAfterMs, and takes the budget's tokens only when it says yes", () => {
    const budget = new RetryBudget({ capacity: 20, retryCost: 5, timeoutCost: 10, successRefund: 1 });
    expect(decideRetry(failed({ serverDelayMs: 10 ** 9, remainingMs: 10 ** 7 }), policy, budget)).toEqual({
      retry: true,
      delayMs: policy.maxRetryAfterMs,
    });
    expect(budget.available).toBe(15);
    decideRetry(failed({ retryable: false }), policy, budget);
    expect(budget.available).toBe(15);
  });
});

describe('per-call timeoutMs, deadlineMs and retry, against a real server', () => {
  it('retry: false sends a call once; a per-call maxAttempts replaces the client’s', async () => {
    server = await startServer((_req, res) => json(res, 503, { message: 'busy' }));
    const http = client(server.url);
    await expect(http.request({ method: 'GET', path: '/a', operation: 'a.get', retry: false })).rejects.toThrow(
      ServerError,
    );
    expect(server.requests).toHaveLength(1);
    await expect(
      http.request({ method: 'GET', path: '/a', operation: 'a.get', retry: { maxAttempts: 2 } }),
    ).rejects.toThrow(/after 2 attempts/);
    expect(server.requests).toHaveLength(3);
  });

  it('a per-call retry may add attempts to a client that does not retry, and its statusCodes count', async () => {
    server = await startServer((_req, res, n) => (n < 3 ? json(res, 409, {}) : json(res, 200, { ok: true })));
    const http = client(server.url, { retry: false });
    const res = await http.request({
      method: 'GET',
      path: '/a',
      operation: 'a.get',
      retry: { maxAttempts: 3, statusCodes: [409], baseDelayMs: 1, maxDelayMs: 2 },
    });
    expect(res.attempts).toBe(3);
  });

  it('a per-call timeoutMs ends an attempt the server never answers', async () => {
    server = await startServer(() => new Promise(() => undefined));
    const http = client(server.url, { timeoutMs: 60_000 });
    const error = await http
      .request({ method: 'GET', path: '/slow', operation: 'a.get', timeoutMs: 50, retry: false })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).timeoutMs).toBe(50);
  });

  it('a per-call deadlineMs ends the whole call, retries included', async () => {
    server = await startServer(() => new Promise(() => undefined));
    const http = client(server.url, { timeoutMs: 60_000, deadlineMs: 120_000 });
    const error = await http
      .request({ method: 'GET', path: '/slow', operation: 'a.get', deadlineMs: 80 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toMatch(/deadline/);
  });

  it('refuses a per-call retry that is not a retry policy, naming the option, before anything is sent', async () => {
    server = await startServer((_req, res) => json(res, 200, {}));
    const http = client(server.url);
    const error = await http
      .request({ method: 'GET', path: '/a', operation: 'a.get', retry: { maxAttempts: 0 } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputValidationError);
    expect((error as Error).message).toMatch(/retry\.maxAttempts/);
    expect(server.requests).toHaveLength(0);
  });
});

describe('callResource', () => {
  const Thing = z.object({ id: z.string(), size: z.number() });

  it('sends the request with the caller’s call options and returns the validated body', async () => {
    server = await startServer((_req, res, n) =>
      n === 1 ? json(res, 503, {}) : json(res, 200, { thing: { id: 't1', size: 3 } }),
    );
    const http = client(server.url, { retry: false });
    const { data, response } = await callResource(
      http,
      {
        schema: Thing,
        method: 'GET',
        path: '/things/t1',
        operation: 'things.get',
        itemId: 't1',
        unwrap: (body) => (body as { thing: unknown }).thing,
      },
      { retry: { maxAttempts: 2 } },
    );
    expect(data).toEqual({ id: 't1', size: 3 });
    expect(response.attempts).toBe(2);
  });

  it('fails an answer that does not fit with an UnexpectedResponseError naming the operation, item and field', async () => {
    server = await startServer((_req, res) => json(res, 200, { id: 't1', size: 'big', token: 'sekret-token' }));
    const http = client(server.url, { secrets: ['sekret-token'] });
    const error = await callResource(http, {
      schema: Thing,
      method: 'GET',
      path: '/things/t1',
      operation: 'things.get',
      itemId: 't1',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect((error as Error).message).toMatch(/acme things\.get \[t1\].*size/);
    expect(JSON.stringify((error as UnexpectedResponseError).body)).not.toContain('sekret-token');
    expect((error as UnexpectedResponseError).status).toBe(200);
  });

  it('callOptions keeps the four call options set on the object itself, never inherited ones', () => {
    const inherited = Object.create({ retry: false, timeoutMs: 1 }) as CallOptions;
    expect(callOptions(inherited)).toEqual({});
    const signal = new AbortController().signal;
    expect(callOptions({ signal, deadlineMs: 5, ...{ other: 1 } } as CallOptions)).toEqual({ signal, deadlineMs: 5 });
  });
});

describe('parseResponse', () => {
  it('returns the parsed value, or names the first fields that do not fit, with the body redacted', () => {
    expect(parseResponse(z.object({ a: z.number() }), { a: 1 }, { portal: 'acme' })).toEqual({ a: 1 });
    const redactor = new Redactor();
    redactor.addSecret('s3cr3t-value');
    const error = (() => {
      try {
        parseResponse(z.object({ a: z.number() }), { a: 'x', echo: 's3cr3t-value' }, { operation: 'x.get' }, redactor);
      } catch (e) {
        return e as UnexpectedResponseError;
      }
    })();
    expect(error?.message).toMatch(/x\.get.*a: /);
    expect(JSON.stringify(error?.body)).not.toContain('s3cr3t-value');
  });
});

describe('iteratePages and collect', () => {
  const pages = (total: number, perPage: number, asked: number[]) => (page: number) => {
    asked.push(page);
    const start = (page - 1) * perPage;
    const items = Array.from({ length: Math.max(0, Math.min(perPage, total - start)) }, (_, i) => start + i);
    return Promise.resolve<Page<number>>({ items, count: total, page, perPage });
  };

  it('walks every page until the count is reached', async () => {
    const asked: number[] = [];
    const all: number[] = [];
    for await (const n of iteratePages(pages(7, 3, asked), { perPage: 3 })) all.push(n);
    expect(all).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(asked).toEqual([1, 2, 3]);
  });

  it('collect stops at the limit and asks for no page past the one it needs and its prefetch', async () => {
    const asked: number[] = [];
    expect(await collect(iteratePages(pages(1_000, 10, asked), { perPage: 10 }), { limit: 15 })).toEqual(
      Array.from({ length: 15 }, (_, i) => i),
    );
    expect(asked).toEqual([1, 2, 3]);
    expect(await collect(iteratePages(pages(5, 10, []), { perPage: 10 }))).toHaveLength(5);
    expect(await collect(iteratePages(pages(5, 10, []), { perPage: 10 }), { limit: 0 })).toEqual([]);
  });

  it('collect refuses a limit that is not a number of items', async () => {
    await expect(collect(iteratePages(pages(5, 10, []), { perPage: 10 }), { limit: -1 })).rejects.toThrow(
      InputValidationError,
    );
  });
});

describe('httpClientOptions', () => {
  it('maps the common options by name, fills the portal defaults, and ignores what is not a common option', () => {
    const logger: Logger = console;
    const options = {
      timeoutMs: 1,
      deadlineMs: 2,
      retry: false as const,
      concurrency: 3,
      maxResponseBytes: 4,
      logger,
      checkResponse: () => undefined,
      headers: { 'x-leak': 'yes' },
    };
    const mapped = httpClientOptions(options, {
      portal: 'acme',
      baseUrl: 'https://api.acme.test',
      userAgent: '@sync/acme/1.0.0',
      maxResponseBytes: 100,
    });
    expect(mapped).toMatchObject({
      portal: 'acme',
      baseUrl: 'https://api.acme.test',
      timeoutMs: 1,
      deadlineMs: 2,
      retry: false,
      concurrency: 3,
      maxResponseBytes: 4,
      logger,
    });
    expect(mapped.checkResponse).toBeUndefined();
    expect(mapped.headers).toBeUndefined();
    expect(
      httpClientOptions({}, { portal: 'acme', baseUrl: 'https://x.test', userAgent: 'u', maxResponseBytes: 9 }),
    ).toMatchObject({ baseUrl: 'https://x.test', maxResponseBytes: 9 });
  });

  it('reads allowInsecureHttp as an own property only', () => {
    const portal = { portal: 'acme', baseUrl: 'https://x.test', userAgent: 'u', maxResponseBytes: 9 };
    expect(httpClientOptions(Object.create({ allowInsecureHttp: true }), portal).allowInsecureHttp).toBeUndefined();
    expect(httpClientOptions({ allowInsecureHttp: true }, portal).allowInsecureHttp).toBe(true);
  });
});

describe('logger', () => {
  function recorder() {
    const lines: Array<[keyof Logger, string]> = [];
    const logger: Logger = {
      debug: (m) => lines.push(['debug', m]),
      info: (m) => lines.push(['info', m]),
      warn: (m) => lines.push(['warn', m]),
      error: (m) => lines.push(['error', m]),
    };
    return { lines, logger };
  }

  it('logs attempts and responses at debug and retries at info, with no secret', async () => {
    server = await startServer((_req, res, n) => (n === 1 ? json(res, 503, {}) : json(res, 200, {})));
    const { lines, logger } = recorder();
    const http = client(server.url, {
      logger,
      headers: { authorization: 'Bearer top-secret-token' },
      secrets: ['top-secret-token'],
    });
    await http.request({ method: 'GET', path: '/a', query: { token: 'top-secret-token' }, operation: 'a.get' });
    const levels = lines.map(([level]) => level);
    expect(levels).toEqual(['debug', 'debug', 'info', 'debug', 'debug']);
    expect(lines[2]?.[1]).toMatch(/acme a\.get: retrying after 503/);
    expect(JSON.stringify(lines)).not.toContain('top-secret-token');
  });

  it('logs a rate-limit wait at info', async () => {
    server = await startServer((_req, res) => json(res, 200, {}));
    const { lines, logger } = recorder();
    const http = client(server.url, { logger, rateLimits: { default: { limit: 1, windowMs: 50 } } });
    // Both ask for the one slot at once: the second waits for the window, however slow the machine.
    await Promise.all([
      http.request({ method: 'GET', path: '/a', operation: 'a.get' }),
      http.request({ method: 'GET', path: '/a', operation: 'a.get' }),
    ]);
    expect(lines.filter(([level]) => level === 'info').map(([, m]) => m)).toEqual([
      expect.stringMatching(/waited \d+ ms for rate-limit bucket "default"/),
    ]);
  });

  it('refuses a logger without the four methods, naming the option', () => {
    expect(() => client('http://127.0.0.1:1', { logger: { debug() {} } as unknown as Logger })).toThrow(/logger/);
  });

  it('is silent by default, and logger: false never logs', async () => {
    server = await startServer((_req, res) => json(res, 200, {}));
    const http = client(server.url);
    expect(http.has('request')).toBe(false);
    expect(client(server.url, { logger: false }).has('request')).toBe(false);
  });
});
