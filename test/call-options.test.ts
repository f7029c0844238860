// Every resource method of every client takes core's call options: its own retry policy,
// attempt timeout and deadline, over the client's — checked against a real server.
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type CallOptions, ServerError, TimeoutError } from '@sync/core';
import { IndomioClient } from '@sync/indomio';
import { PfCrmClient } from '@sync/pfcrm';
import { RentixClient } from '@sync/rentix';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** A server that answers 503 to every request, or never answers one under `/stall`. */
let server: Server;
let url = '';
let requests = 0;
const sockets = new Set<Socket>();
beforeAll(async () => {
  server = createServer((req, res) => {
    requests++;
    if (req.url?.startsWith('/stall')) return;
    res.writeHead(503, { 'content-type': 'application/json' });
    res.end('{"message":"busy"}');
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

// The clients retry by default: what the calls show comes from their own options.
const common = { allowInsecureHttp: true, retry: { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 1 } } as const;
type Call = (base: string, options: CallOptions) => Promise<unknown>;
const rentix = (base: string) => new RentixClient({ apiKey: 'k', baseUrl: base, ...common });
const indomio = (base: string) =>
  new IndomioClient({ username: 'u', password: 'p', source: 's', baseUrl: base, ...common });
const pf = (base: string) => new PfCrmClient({ accessToken: 't', baseUrl: base, ...common });

const METHODS: Array<[string, Call]> = [
  ['rentix agency.get', (b, o) => rentix(b).agency.get(o)],
  ['rentix users.list', (b, o) => rentix(b).users.list(o)],
  ['rentix users.collect', (b, o) => rentix(b).users.collect(o)],
  ['rentix users.get', (b, o) => rentix(b).users.get('u1', o)],
  ['rentix listings.get', (b, o) => rentix(b).listings.get('l1', o)],
  ['rentix listings.getByExternalId', (b, o) => rentix(b).listings.getByExternalId('crm-1', o)],
  ['rentix listings.list', (b, o) => rentix(b).listings.list(o)],
  ['rentix listings.collect', (b, o) => rentix(b).listings.collect(o)],
  ['rentix listings.unlink', (b, o) => rentix(b).listings.unlink('l1', o)],
  ['rentix media.get', (b, o) => rentix(b).media.get('m1', o)],
  ['rentix jobs.get', (b, o) => rentix(b).jobs.get('j1', o)],
  ['rentix reference.schema', (b, o) => rentix(b).reference.schema(o)],
  ['rentix reference.currencies', (b, o) => rentix(b).reference.currencies(o)],
  ['indomio properties.delete', (b, o) => indomio(b).properties.delete({ idListing: 7 }, o)],
  [
    'indomio properties.partial',
    (b, o) => indomio(b).properties.partial({ identifiers: { listingId: 7 }, virtualTour: 'https://t.example' }, o),
  ],
  [
    'indomio realtors.put',
    (b, o) => indomio(b).realtors.put({ agencyEmail: 'a@example.com', realtors: [{ externalId: 'r' }] }, o),
  ],
  ['indomio realtors.list', (b, o) => indomio(b).realtors.list(7, o)],
  ['indomio companies.list', (b, o) => indomio(b).companies.list('group', o)],
  ['pfcrm properties.get', (b, o) => pf(b).properties.get(1, o)],
  ['pfcrm properties.list', (b, o) => pf(b).properties.list({}, o)],
  ['pfcrm properties.collect', (b, o) => pf(b).properties.collect({}, o)],
  ['pfcrm properties.options', (b, o) => pf(b).properties.options(o)],
  ['pfcrm properties.delete', (b, o) => pf(b).properties.delete(1, o)],
  ['pfcrm users.list', (b, o) => pf(b).users.list({}, o)],
  ['pfcrm users.get', (b, o) => pf(b).users.get(1, o)],
  ['pfcrm leads.list', (b, o) => pf(b).leads.list({}, o)],
  ['pfcrm landlords.collect', (b, o) => pf(b).landlords.collect({}, o)],
  ['pfcrm locations.search', (b, o) => pf(b).locations.search('Dubai', o)],
  ['pfcrm clients.settings', (b, o) => pf(b).clients.settings(o)],
];

describe.each(METHODS)('%s', (_name, call) => {
  it('sends the call once with retry: false, and as often as its own maxAttempts says', async () => {
    let before = requests;
    await expect(call(url, { retry: false })).rejects.toThrow(ServerError);
    expect(requests - before).toBe(1);
    before = requests;
    await expect(call(url, { retry: { maxAttempts: 2 } })).rejects.toThrow(/after 2 attempts/);
    expect(requests - before).toBe(2);
  });

  it('ends an attempt the server never answers at its own timeoutMs', async () => {
    const error = await call(`${url}/stall`, { timeoutMs: 40, retry: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).timeoutMs).toBe(40);
  });

  it('ends the whole call at its own deadlineMs', async () => {
    const error = await call(`${url}/stall`, { deadlineMs: 60 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toMatch(/deadline/);
  });
});
