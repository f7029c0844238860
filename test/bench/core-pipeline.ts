// 2,000 GETs at concurrency 8 through @sync/core's HttpClient and through plain fetch, against the same local server.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpClient } from '@sync/core';

const REQUESTS = 2000;
const CONCURRENCY = 8;
const ROUNDS = 21;

async function pool(n: number, task: (i: number) => Promise<unknown>): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < n) await task(next++);
    }),
  );
  return performance.now() - started;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

export async function benchCorePipeline(): Promise<{
  name: string;
  baselineMs: number;
  measuredMs: number;
  ratio: number;
  target: number;
  extra: string;
}> {
  const body = JSON.stringify({ id: 1, title: 'listing', price: { amount: 1000, currency: 'EUR' } });
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const http = new HttpClient({ portal: 'bench', baseUrl: url, allowInsecureHttp: true, userAgent: '@sync/bench' });

  const viaFetch = (i: number) => fetch(`${url}/items/${i}`).then((r) => r.json());
  const viaCore = (i: number) => http.request({ method: 'GET', path: `/items/${i}`, operation: 'items.get' });
  // The same pipeline on fetch: what the pipeline itself costs, transport aside.
  const onFetch = new HttpClient({
    portal: 'bench',
    baseUrl: url,
    allowInsecureHttp: true,
    userAgent: '@sync/bench',
    fetch,
  });
  const viaCoreOnFetch = (i: number) => onFetch.request({ method: 'GET', path: `/items/${i}`, operation: 'items.get' });

  // Warm both paths (connections, JIT) before measuring.
  await pool(300, viaFetch);
  await pool(300, viaCore);
  await pool(300, viaCoreOnFetch);
  const fetchTimes: number[] = [];
  const coreTimes: number[] = [];
  const onFetchTimes: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    fetchTimes.push(await pool(REQUESTS, viaFetch));
    coreTimes.push(await pool(REQUESTS, viaCore));
    onFetchTimes.push(await pool(REQUESTS, viaCoreOnFetch));
  }
  await new Promise<void>((resolve) => server.close(() => resolve()));
  // Rounds alternate, so each pair shares the machine's state; the ratio is the median of the pairs.
  const ratio = median(coreTimes.map((t, i) => t / (fetchTimes[i] as number)));
  return {
    name: `core: ${REQUESTS} GETs at concurrency ${CONCURRENCY} through HttpClient vs plain fetch (median of ${ROUNDS} paired rounds)`,
    baselineMs: median(fetchTimes),
    measuredMs: median(coreTimes),
    ratio,
    target: 1.1,
    extra: `HttpClient with an injected fetch: ${median(onFetchTimes).toFixed(0)} ms, ratio ${median(onFetchTimes.map((t, i) => t / (fetchTimes[i] as number))).toFixed(3)} (the default sends through node:http)`,
  };
}
