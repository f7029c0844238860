// Options and credentials that cannot work are refused by the constructor, with an
// InputValidationError naming the option and quoting no value.
import { inspect } from 'node:util';
import { InputValidationError } from '@sync/core';
import { IndomioClient, type IndomioClientOptions } from '@sync/indomio';
import { describe, expect, it } from 'vitest';

const PASSWORD = 'IM-pass-OPTIONS-77a1';
const SOURCE = 'IM-source-OPTIONS-3c9e';
const base: IndomioClientOptions = {
  username: 'agency',
  password: PASSWORD,
  source: SOURCE,
  baseUrl: 'https://feed.immobiliare.it',
};

describe('IndomioClient options', () => {
  it.each<[string, Partial<IndomioClientOptions>, string]>([
    ['a source holding an LF', { source: `${SOURCE}\nX-Injected: 1` }, 'source'],
    ['a source beyond Latin-1', { source: `${SOURCE}€` }, 'source'],
    ['a password holding a NUL', { password: `${PASSWORD}\u0000` }, 'password'],
    ['an empty username', { username: '' }, 'username'],
    ['a concurrency of 0', { concurrency: 0 }, 'concurrency'],
    ['a rate limit of 0', { rateLimit: { limit: 0, windowMs: 1_000 } }, 'rateLimit.limit'],
    ['a NaN deadline', { deadlineMs: Number.NaN }, 'deadlineMs'],
    ['a base URL carrying user info', { baseUrl: `https://agency:${PASSWORD}@feed.immobiliare.it` }, 'baseUrl'],
  ])('%s is refused, naming the option', (_what, options, option) => {
    let thrown: unknown;
    try {
      new IndomioClient({ ...base, ...options });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InputValidationError);
    expect((thrown as InputValidationError).issues.map((i) => i.path)).toEqual([option]);
    const shown = inspect(thrown, { depth: 10, showHidden: true });
    expect(shown).not.toContain(PASSWORD);
    expect(shown).not.toContain(SOURCE);
  });

  it('accepts a password beyond Latin-1: it travels base64-encoded', () => {
    expect(() => new IndomioClient({ ...base, password: 'pässwörd-€-1' })).not.toThrow();
  });
});
