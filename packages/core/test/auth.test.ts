import { afterEach, describe, expect, it } from 'vitest';
import { bearerAuth, HttpClient, TimeoutError, type TokenProvider } from '../src/index.js';
import { json, startServer, type TestServer } from './support/server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A token provider that answers only when told to, and records how each request ended. */
function stalledProvider() {
  const asked: Array<{ signal: AbortSignal | undefined; answer: (token: string) => void }> = [];
  const provider: TokenProvider = (signal) =>
    new Promise((resolve, reject) => {
      asked.push({ signal, answer: (token) => resolve({ token, expiresIn: 3600 }) });
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  return { provider, asked };
}

describe('a token request counts against the call that needs it', () => {
  it('ends the call at its deadline with a TimeoutError and aborts the stalled token request', async () => {
    server = await startServer((_req, res) => json(res, 200, {}));
    const { provider, asked } = stalledProvider();
    const http = new HttpClient({
      portal: 'test',
      baseUrl: server.url,
      allowInsecureHttp: true,
      userAgent: 't',
      auth: bearerAuth(provider),
      timeoutMs: 60_000,
      deadlineMs: 100,
    });
    const error = await http.request({ method: 'GET', path: '/x', operation: 'x.get' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).message).toBe(
      "test x.get: the call's deadline of 100 ms passed while obtaining credentials (0 attempts)",
    );
    expect((error as TimeoutError).timeoutMs).toBe(100);
    expect(asked).toHaveLength(1);
    expect(asked[0]?.signal?.aborted).toBe(true);
    expect(server.requests).toHaveLength(0);
  });

  it('keeps a shared token request going while any call still waits for it', async () => {
    const { provider, asked } = stalledProvider();
    const auth = bearerAuth(provider);
    const short = new AbortController();
    const first = auth.apply({}, short.signal);
    const secondHeaders: Record<string, string> = {};
    const second = auth.apply(secondHeaders, undefined, Date.now() + 60_000);
    short.abort(new Error('the caller gave up'));
    await expect(first).rejects.toThrow('the caller gave up');
    // The second call still waits: the one request for both goes on.
    expect(asked).toHaveLength(1);
    expect(asked[0]?.signal?.aborted).toBe(false);
    asked[0]?.answer('tok-1');
    await second;
    expect(secondHeaders.authorization).toBe('Bearer tok-1');
  });

  it('aborts the token request once the last waiting call reaches its deadline, and the next call asks afresh', async () => {
    const { provider, asked } = stalledProvider();
    const auth = bearerAuth(provider);
    const first = auth.apply({}, undefined, Date.now() + 20);
    const second = auth.apply({}, undefined, Date.now() + 40);
    await expect(first).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(asked[0]?.signal?.aborted).toBe(false);
    await expect(second).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(asked[0]?.signal?.aborted).toBe(true);

    const headers: Record<string, string> = {};
    const third = auth.apply(headers, undefined, Date.now() + 60_000);
    expect(asked).toHaveLength(2);
    asked[1]?.answer('tok-2');
    await third;
    expect(headers.authorization).toBe('Bearer tok-2');
  });

  it('passes the caller’s abort through as the call’s rejection', async () => {
    server = await startServer((_req, res) => json(res, 200, {}));
    const { provider, asked } = stalledProvider();
    const http = new HttpClient({
      portal: 'test',
      baseUrl: server.url,
      allowInsecureHttp: true,
      userAgent: 't',
      auth: bearerAuth(provider),
    });
    const controller = new AbortController();
    const call = http.request({ method: 'GET', path: '/x', operation: 'x', signal: controller.signal });
    const reason = new Error('stop');
    setTimeout(() => controller.abort(reason), 10);
    await expect(call).rejects.toBe(reason);
    expect(asked[0]?.signal?.aborted).toBe(true);
  });
});
