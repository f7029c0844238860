// The options that switch on something dangerous mean exactly what the caller wrote, on
// every portal client: allowInsecureHttp only as `true`, and never inherited.
import { InputValidationError } from '@sync/core';
import { IndomioClient } from '@sync/indomio';
import { PfCrmClient } from '@sync/pfcrm';
import { RentixClient } from '@sync/rentix';
import { describe, expect, it } from 'vitest';

const HTTP_URL = 'http://127.0.0.1:1';

const CLIENTS: Array<[string, (extra: Record<string, unknown>) => unknown]> = [
  ['RentixClient', (extra) => new RentixClient({ apiKey: 'k', baseUrl: HTTP_URL, ...extra })],
  [
    'IndomioClient',
    (extra) => new IndomioClient({ username: 'u', password: 'p', source: 's', baseUrl: HTTP_URL, ...extra }),
  ],
  ['PfCrmClient (token)', (extra) => new PfCrmClient({ accessToken: 't', baseUrl: HTTP_URL, ...extra })],
  [
    'PfCrmClient (credentials)',
    (extra) =>
      new PfCrmClient({ apiKey: 'k', apiSecret: 's', baseUrl: HTTP_URL, tokenUrl: `${HTTP_URL}/token`, ...extra }),
  ],
];

describe.each(CLIENTS)('%s and allowInsecureHttp', (_name, make) => {
  it.each([['false'], [1], ['yes']])('refuses %j, naming the option', (value) => {
    expect(() => make({ allowInsecureHttp: value })).toThrow(InputValidationError);
    expect(() => make({ allowInsecureHttp: value })).toThrow(/allowInsecureHttp: must be true or false/);
  });

  it('allows plain http with true, refuses it with false', () => {
    expect(() => make({ allowInsecureHttp: true })).not.toThrow();
    expect(() => make({ allowInsecureHttp: false })).toThrow(/https/);
  });

  it('ignores an allowInsecureHttp inherited from a polluted Object.prototype', () => {
    const proto = Object.prototype as { allowInsecureHttp?: unknown };
    proto.allowInsecureHttp = true;
    try {
      expect(() => make({})).toThrow(/https/);
    } finally {
      delete proto.allowInsecureHttp;
    }
  });
});
