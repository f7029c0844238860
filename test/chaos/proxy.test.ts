import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpClient } from '@sync/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ChaosProxy, type FaultKind, startChaosProxy } from './proxy.ts';

let origin: Server;
let originUrl: string;
let served: number;
let proxy: ChaosProxy | undefined;

beforeEach(async () => {
  served = 0;
  origin = createServer((req, res) => {
    served++;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.stringify({
        n: served,
        path: req.url,
        echo: Buffer.concat(chunks).toString(),
        pad: 'x'.repeat(2000),
      });
      res.writeHead(200, { 'content-type': 'application/json', 'x-origin': 'yes' });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve));
  originUrl = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`;
});
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
  await new Promise<void>((resolve) => origin.close(() => resolve()));
});

function client(url: string) {
  return new HttpClient({
    portal: 'chaos',
    baseUrl: url,
    allowInsecureHttp: true,
    userAgent: 'chaos-test',
    timeoutMs: 300,
    retry: { maxAttempts: 5, baseDelayMs: 5, maxDelayMs: 20 },
  });
}

describe('chaos proxy', () => {
  it('passes requests and responses through untouched when no fault is drawn', async () => {
    proxy = await startChaosProxy({ target: originUrl });
    const res = await client(proxy.url).request<{ path: string; echo: string }>({
      method: 'PUT',
      path: '/a/b?c=1',
      json: { hello: 'world' },
      operation: 'echo',
    });
    expect(res.data.path).toBe('/a/b?c=1');
    expect(res.data.echo).toBe('{"hello":"world"}');
    expect(res.headers.get('x-origin')).toBe('yes');
  });

  const cases: Array<[FaultKind, { attempts: number; served: number }]> = [
    ['resetBefore', { attempts: 2, served: 1 }],
    ['resetAfter', { attempts: 2, served: 2 }],
    ['cutResponse', { attempts: 2, served: 2 }],
    ['stall', { attempts: 2, served: 2 }],
    ['burst5xx', { attempts: 4, served: 1 }],
    ['burst429', { attempts: 4, served: 1 }],
    ['latency', { attempts: 1, served: 1 }],
  ];
  it.each(cases)('injects %s where scheduled, and the client recovers', async (kind, expected) => {
    proxy = await startChaosProxy({
      target: originUrl,
      schedule: { 1: kind },
      burstLength: 3,
      retryAfterSeconds: 0,
      latencyMs: [100, 120],
    });
    const started = performance.now();
    const res = await client(proxy.url).request({ method: 'GET', path: '/x', operation: 'x' });
    expect(res.status).toBe(200);
    expect(res.attempts).toBe(expected.attempts);
    expect(served).toBe(expected.served);
    expect(proxy.injected[kind]).toBe(kind.startsWith('burst') ? 3 : 1);
    if (kind === 'latency') expect(performance.now() - started).toBeGreaterThanOrEqual(95);
  });

  it('a POST not marked idempotent is not repeated after a reset, even though the server did the work', async () => {
    proxy = await startChaosProxy({ target: originUrl, schedule: { 1: 'resetAfter' } });
    await expect(
      client(proxy.url).request({ method: 'POST', path: '/create', json: {}, operation: 'create' }),
    ).rejects.toMatchObject({
      name: 'NetworkError',
    });
    expect(served).toBe(1);
  });

  it('draws faults by seeded probability and stops injecting after maxFaults', async () => {
    proxy = await startChaosProxy({
      target: originUrl,
      probabilities: { burst5xx: 0.5 },
      burstLength: 1,
      maxFaults: 5,
      seed: 7,
    });
    const http = client(proxy.url);
    for (let i = 0; i < 30; i++) await http.request({ method: 'GET', path: `/${i}`, operation: 'x' });
    expect(proxy.injected.burst5xx).toBe(5);
    expect(served).toBe(30);
  });

  it("gives request N the same faults whatever the timing of other requests' bodies", async () => {
    // Request 1 gets a latency fault, whose delay is drawn once its body has arrived.
    const options = {
      target: originUrl,
      schedule: { 1: 'latency' as const },
      probabilities: { burst5xx: 0.3 },
      latencyMs: [1, 3] as [number, number],
      burstLength: 1,
      seed: 21,
    };
    const send = (url: string, i: number) =>
      fetch(`${url}/${i}`, { method: 'POST', body: 'body' }).then((r) => r.text());
    const byRequest = (p: ChaosProxy) => [...p.log].sort((a, b) => a.request - b.request);

    // Every body at once, one request after the other.
    proxy = await startChaosProxy(options);
    for (let i = 0; i < 30; i++) await send(proxy.url, i);
    const inTurn = byRequest(proxy);
    await proxy.close();

    // Request 1's body arrives only after the 29 others were answered.
    proxy = await startChaosProxy(options);
    const target = new URL(proxy.url);
    const held = httpRequest({
      host: target.hostname,
      port: target.port,
      method: 'POST',
      path: '/held',
      headers: { 'content-length': '4' },
    });
    const answered = new Promise<number | undefined>((resolve, reject) => {
      held.on('response', (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      });
      held.on('error', reject);
    });
    held.write('bo');
    for (let i = 0; i < 400 && proxy.requests === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(proxy.requests).toBe(1);
    for (let i = 1; i < 30; i++) await send(proxy.url, i);
    held.end('dy');
    expect(await answered).toBe(200);

    expect(byRequest(proxy)).toEqual(inTurn);
    expect(inTurn.some((f) => f.fault === 'burst5xx')).toBe(true);
  });

  it('closes itself when its lifetime ends', async () => {
    proxy = await startChaosProxy({ target: originUrl, lifetimeMs: 100 });
    await new Promise((r) => setTimeout(r, 200));
    await expect(fetch(`${proxy.url}/x`)).rejects.toThrow();
  });

  it('only forwards to loopback addresses', async () => {
    await expect(startChaosProxy({ target: 'http://10.0.0.1:80' })).rejects.toThrow(/loopback/);
  });
});
