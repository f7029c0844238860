import { HttpResponse, http } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { type HandlerServer, serveHandlers } from '../src/msw/index.js';

let server: HandlerServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('serveHandlers', () => {
  it('answers real HTTP requests with the matching MSW handler, body and headers included', async () => {
    server = await serveHandlers((url) => [
      http.post(`${url}/api/echo`, async ({ request }) =>
        HttpResponse.json(
          { got: await request.json(), key: request.headers.get('x-api-key') },
          { status: 201, headers: { 'x-extra': 'yes' } },
        ),
      ),
    ]);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${server.url}/api/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'k' },
      body: JSON.stringify({ a: 1 }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-extra')).toBe('yes');
    expect(await res.json()).toEqual({ got: { a: 1 }, key: 'k' });
  });

  it('returns a 404 naming a request no handler matches', async () => {
    server = await serveHandlers([]);
    const res = await fetch(`${server.url}/nothing`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { message: string }).message).toContain('GET /nothing');
  });

  it('drops the connection when a handler returns HttpResponse.error()', async () => {
    server = await serveHandlers((url) => [http.get(`${url}/drop`, () => HttpResponse.error())]);
    await expect(fetch(`${server.url}/drop`)).rejects.toThrow(/fetch failed/);
  });
});
