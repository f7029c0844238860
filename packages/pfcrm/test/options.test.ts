// Options and credentials that cannot work are refused when they are given, with an
// InputValidationError naming the option and quoting no value — never a RangeError, a
// TypeError carrying the bad URL as `input`, or a request sent with a broken header.
import { inspect } from 'node:util';
import { InputValidationError } from '@sync/core';
import { ops, PfCrmClient, type PfCrmClientOptions } from '@sync/pfcrm';
import { describe, expect, it } from 'vitest';

const API_KEY = 'pf-key-OPTIONS-51b0';
const API_SECRET = 'pf-secret-OPTIONS-c2d4';
const TOKEN = 'pf-token-OPTIONS-e6f8';
/** Nothing listens there: a call that got as far as the network would fail with a NetworkError. */
const base = {
  apiKey: API_KEY,
  apiSecret: API_SECRET,
  baseUrl: 'http://127.0.0.1:9',
  tokenUrl: 'http://127.0.0.1:9/token',
  allowInsecureHttp: true,
  retry: false,
} as const;

function expectRefused(thrown: unknown, option: string): void {
  expect(thrown).toBeInstanceOf(InputValidationError);
  expect((thrown as InputValidationError).issues.map((i) => i.path)).toEqual([option]);
  const shown = inspect(thrown, { depth: 10, showHidden: true });
  for (const secret of [API_KEY, API_SECRET, TOKEN]) expect(shown).not.toContain(secret);
}

describe('PfCrmClient options', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['an apiSecret holding CR/LF', { apiSecret: `${API_SECRET}\r\n` }, 'apiSecret'],
    ['an empty apiKey', { apiKey: ' ' }, 'apiKey'],
    [
      'an access token holding an LF',
      { apiKey: undefined, apiSecret: undefined, accessToken: `${TOKEN}\nX: 1` },
      'accessToken',
    ],
    ['a tokenUrl that does not parse', { tokenUrl: `http://[${API_SECRET}]/token` }, 'tokenUrl'],
    ['a tokenUrl carrying user info', { tokenUrl: `https://${API_KEY}:${API_SECRET}@auth.example/token` }, 'tokenUrl'],
    ['a base URL carrying user info', { baseUrl: `https://${API_KEY}:${API_SECRET}@api.example` }, 'baseUrl'],
    ['a NaN timeout', { timeoutMs: Number.NaN }, 'timeoutMs'],
    ['a negative concurrency', { concurrency: -3 }, 'concurrency'],
    ['a rate limit of 0', { rateLimit: { limit: 0, windowMs: 1_000 } }, 'rateLimit.limit'],
    ['a NaN refresh margin', { refreshMarginMs: Number.NaN }, 'refreshMarginMs'],
  ])('%s is refused by the constructor, naming the option', (_what, options, option) => {
    let thrown: unknown;
    try {
      const { apiKey, apiSecret, ...rest } = { ...base, ...options };
      new PfCrmClient((apiKey === undefined ? rest : { apiKey, apiSecret, ...rest }) as PfCrmClientOptions);
    } catch (error) {
      thrown = error;
    }
    expectRefused(thrown, option);
  });

  it.each<[string, () => Promise<unknown>, string]>([
    [
      'bulk chunks of 0 operations',
      () => new PfCrmClient(base).properties.bulk([ops.approve(1)], { chunkSize: 0 }),
      'chunkSize',
    ],
    [
      'a negative bulk concurrency',
      () => new PfCrmClient(base).properties.bulk([ops.approve(1)], { concurrency: -1 }),
      'concurrency',
    ],
    [
      'deleteMany chunks of 0 ids',
      () => new PfCrmClient(base).properties.deleteMany([1, 2], { chunkSize: 0 }),
      'chunkSize',
    ],
    [
      'deleteMany chunks of 2.5 ids',
      () => new PfCrmClient(base).properties.deleteMany([1, 2], { chunkSize: 2.5 }),
      'chunkSize',
    ],
  ])('%s are refused before any request, naming the option', async (_what, call, option) => {
    expectRefused(await call().catch((e: unknown) => e), option);
  });
});
