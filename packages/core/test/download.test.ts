import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_DOWNLOAD_MAX_BYTES,
  download,
  HttpError,
  InputValidationError,
  RedirectError,
  TimeoutError,
  UnexpectedResponseError,
} from '../src/index.js';
import { startServer, type TestServer } from './support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer((req, res) => {
    const path = req.url ?? '';
    if (path === '/photo.png') {
      if (req.headers['if-none-match'] === '"v1"') return void res.writeHead(304).end();
      return void res.writeHead(200, { 'content-type': 'image/png; charset=binary', etag: '"v1"' }).end('png-bytes');
    }
    if (path === '/chunked.png') {
      // No content-length: the cap is enforced while the body streams in.
      res.writeHead(200, { 'content-type': 'image/png' });
      res.write(Buffer.alloc(600));
      res.write(Buffer.alloc(600));
      return void res.end();
    }
    if (path === '/moved.png')
      return void res.writeHead(302, { location: 'https://elsewhere.example/x.png?sig=s3cr3t' }).end();
    if (path === '/page.png') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>');
    if (path === '/slow.png') return; // never answers
    res.writeHead(404).end();
  });
});
afterAll(() => server.close());

describe('download', () => {
  it('downloads bytes with their type, hash and validators, sending no credentials', async () => {
    const got = await download(`${server.url}/photo.png`, { accept: ['image/png'] });
    expect(got).toMatchObject({ notModified: false, contentType: 'image/png', etag: '"v1"' });
    if (got.notModified) throw new Error('expected a body');
    expect(Buffer.from(got.bytes).toString()).toBe('png-bytes');
    expect(got.hash).toMatch(/^[0-9a-f]{64}$/);
    const seen = server.requests.at(-1);
    expect(seen?.headers.authorization).toBeUndefined();
    expect(seen?.headers.cookie).toBeUndefined();
  });

  it('answers notModified to a conditional GET the server answers with 304', async () => {
    expect(await download(`${server.url}/photo.png`, { ifNoneMatch: '"v1"' })).toEqual({ notModified: true });
    expect(server.requests.at(-1)?.headers['if-none-match']).toBe('"v1"');
  });

  it('refuses URLs that are not http(s) or carry credentials, without a request', async () => {
    const before = server.requests.length;
    await expect(download('file:///etc/passwd')).rejects.toBeInstanceOf(InputValidationError);
    await expect(download('ftp://127.0.0.1/a.png')).rejects.toBeInstanceOf(InputValidationError);
    await expect(download(`${server.url.replace('//', '//u:p@')}/photo.png`)).rejects.toThrow(/credentials/);
    await expect(download('not a url')).rejects.toBeInstanceOf(InputValidationError);
    expect(server.requests.length).toBe(before);
  });

  it('refuses a redirect without following it, naming only the origin', async () => {
    const error = await download(`${server.url}/moved.png`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedirectError);
    expect((error as RedirectError).location).toBe('https://elsewhere.example');
    expect(String((error as Error).message)).not.toContain('s3cr3t');
  });

  it('cuts a body over maxBytes while it streams in', async () => {
    await expect(download(`${server.url}/chunked.png`, { maxBytes: 1000 })).rejects.toBeInstanceOf(
      UnexpectedResponseError,
    );
    const got = await download(`${server.url}/chunked.png`, { maxBytes: 1200 });
    expect(got.notModified === false && got.bytes.byteLength).toBe(1200);
    expect(DEFAULT_DOWNLOAD_MAX_BYTES).toBe(10 * 1024 * 1024);
  });

  it('refuses a media type not accepted, and an error status', async () => {
    await expect(download(`${server.url}/page.png`, { accept: ['image/png'] })).rejects.toThrow(/text\/html/);
    await expect(download(`${server.url}/gone.png`)).rejects.toBeInstanceOf(HttpError);
  });

  it('gives up after timeoutMs', async () => {
    await expect(download(`${server.url}/slow.png`, { timeoutMs: 50 })).rejects.toBeInstanceOf(TimeoutError);
  });
});
