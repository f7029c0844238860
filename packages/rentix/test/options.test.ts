// Options and credentials that cannot work are refused when they are given, with an
// InputValidationError naming the option and quoting no value — never a RangeError or a
// TypeError from deeper down, and never after a request went out.
import { inspect } from 'node:util';
import { InputValidationError } from '@sync/core';
import { ops, RentixClient, type RentixClientOptions } from '@sync/rentix';
import { describe, expect, it } from 'vitest';

const API_KEY = 'rx-live-OPTIONS-9d21c0';
/** Nothing listens there: a call that got as far as the network would fail with a NetworkError. */
const base = { apiKey: API_KEY, baseUrl: 'http://127.0.0.1:9/api/v1', allowInsecureHttp: true, retry: false } as const;

function refusal(make: () => unknown): InputValidationError {
  let thrown: unknown;
  try {
    make();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(InputValidationError);
  expect(inspect(thrown, { depth: 10, showHidden: true })).not.toContain(API_KEY);
  return thrown as InputValidationError;
}

const paths = (error: InputValidationError) => error.issues.map((i) => i.path);

describe('RentixClient options', () => {
  it.each<[string, Partial<RentixClientOptions>, string]>([
    ['an empty apiKey', { apiKey: '' }, 'apiKey'],
    ['an apiKey holding CR/LF', { apiKey: `${API_KEY}\r\nX-Injected: 1` }, 'apiKey'],
    ['a NaN timeout', { timeoutMs: Number.NaN }, 'timeoutMs'],
    ['no attempt at all', { retry: { maxAttempts: 0 } }, 'retry.maxAttempts'],
    ['a negative concurrency', { concurrency: -1 }, 'concurrency'],
    ['a bulk rate limit of 0', { rateLimits: { bulk: { limit: 0, windowMs: 60_000 } } }, 'rateLimits.bulk.limit'],
    ['bulk chunks of 0 operations', { bulk: { maxOperations: 0 } }, 'maxOperations'],
    ['bulk requests of NaN bytes', { bulk: { maxBodyBytes: Number.NaN } }, 'maxBodyBytes'],
    ['a base URL carrying user info', { baseUrl: `https://agency:${API_KEY}@crm.rentix.md/api/v1` }, 'baseUrl'],
  ])('%s is refused by the constructor, naming the option', (_what, options, option) => {
    const error = refusal(() => new RentixClient({ ...base, ...options } as RentixClientOptions));
    expect(paths(error)).toEqual([option]);
    expect(error.portal).toBe('rentix');
  });

  it('a bulk call with a negative concurrency is refused before any request', async () => {
    const rentix = new RentixClient(base);
    const error = await rentix.listings
      .bulk([ops.upsert({ externalId: 'crm-1', announcementValue: 1 })], { concurrency: -1 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputValidationError);
    expect(paths(error as InputValidationError)).toEqual(['concurrency']);
    expect((error as Error).message).toContain('rentix listings.bulk');
  });

  it('jobs.wait refuses a NaN polling interval before any request', async () => {
    const rentix = new RentixClient(base);
    const error = await rentix.jobs.wait('job-1', { intervalMs: Number.NaN }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputValidationError);
    expect(paths(error as InputValidationError)).toEqual(['intervalMs']);
  });
});
