import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { IndomioClient, MAX_PICTURE_BYTES } from '../src/index.js';

let server: Server;
let base: string;
const heads: string[] = [];
let other: Server;
let elsewhere: string;
const reachedElsewhere: string[] = [];

beforeAll(async () => {
  other = createServer((req, res) => {
    reachedElsewhere.push(`${req.method} ${req.url}`);
    res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': '10' }).end();
  });
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  elsewhere = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
  server = createServer((req, res) => {
    heads.push(`${req.method} ${req.url}`);
    const files: Record<string, [number, string, number]> = {
      '/ok.jpg': [200, 'image/jpeg', 1000],
      '/big.jpg': [200, 'image/jpeg', MAX_PICTURE_BYTES + 1],
      '/page.html': [200, 'text/html', 10],
      '/plan.png': [200, 'image/png', 10],
      '/doc.pdf': [200, 'application/pdf', 10],
    };
    if (req.url === '/moved.jpg') {
      res.writeHead(301, { location: `${elsewhere}/cdn/moved.jpg?sig=s3cr3t` }).end();
      return;
    }
    const file = files[req.url ?? ''];
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(file[0], { 'content-type': file[1], 'content-length': String(file[2]) }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await new Promise<void>((resolve) => other.close(() => resolve()));
});

it('checks every medium with HEAD and reports each refusal with its reason', async () => {
  const client = new IndomioClient({ username: 'u', password: 'p', source: 's', baseUrl: 'https://feed.example' });
  const report = await client.media.preflight(
    {
      pictures: [
        { url: `${base}/ok.jpg` },
        { url: `${base}/big.jpg` },
        { url: `${base}/page.html` },
        { url: `${base}/missing.jpg` },
      ],
      blueprints: [{ url: `${base}/plan.png` }],
      documents: [{ url: `${base}/doc.pdf`, type: 'altro' }],
    },
    { concurrency: 2 },
  );
  expect(report.ok).toBe(false);
  expect(report.media.map((m) => [m.kind, m.ok])).toEqual([
    ['picture', true],
    ['picture', false],
    ['picture', false],
    ['picture', false],
    ['blueprint', false],
    ['document', true],
  ]);
  expect(report.media[1]?.problem).toContain('over the limit');
  expect(report.media[2]?.problem).toContain('not an image');
  expect(report.media[3]).toMatchObject({ status: 404 });
  expect(report.media[4]?.problem).toContain('JPEG');
  expect(heads.every((h) => h.startsWith('HEAD '))).toBe(true);
});

it.each([
  ['global fetch', undefined],
  ['an injected fetch', (input: string | URL | Request, init?: RequestInit) => globalThis.fetch(input, init)],
] as const)('reports a medium whose URL redirects, without following it (%s)', async (_name, fetchImpl) => {
  const client = new IndomioClient({
    username: 'u',
    password: 'p',
    source: 's',
    baseUrl: 'https://feed.example',
    fetch: fetchImpl,
  });
  const report = await client.media.preflight({ pictures: [{ url: `${base}/moved.jpg` }, { url: `${base}/ok.jpg` }] });
  expect(report.media.map((m) => m.ok)).toEqual([false, true]);
  expect(report.media[0]).toMatchObject({ status: 301 });
  expect(report.media[0]?.problem).toBe(
    `HEAD answered 301, a redirect to ${elsewhere}; redirects are not followed: give the file's final URL`,
  );
  expect(reachedElsewhere).toEqual([]);
});
