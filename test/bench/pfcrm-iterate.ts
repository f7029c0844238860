// Iterating 20,000 properties (100 per page) from the mock portal served over real HTTP on
// 127.0.0.1: the SDK's `properties.iterate` against a plain fetch loop, in the same run.
import { serveHandlers } from '@sync/core/msw';
import { PfCrmClient } from '@sync/pfcrm';
import { createPfCrmHandlers, PfCrmMockPortal } from '@sync/pfcrm/msw';

const TOTAL = 20_000;
const PER_PAGE = 100;
const ROUNDS = 7;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

export async function benchPfcrmIterate() {
  const portal = new PfCrmMockPortal({ rateLimit: { limit: 1_000_000, windowMs: 60_000 } });
  portal.seedProperties(TOTAL);
  const server = await serveHandlers((url) => createPfCrmHandlers({ portal, baseUrl: url }));
  const client = new PfCrmClient({
    apiKey: 'test-key',
    apiSecret: 'test-secret',
    baseUrl: server.url,
    tokenUrl: `${server.url}/auth/oauth/v1/token`,
    allowInsecureHttp: true,
  });

  const tokenResponse = await fetch(`${server.url}/auth/oauth/v1/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from('test-key:test-secret').toString('base64')}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ scope: 'openid', grant_type: 'client_credentials' }),
  });
  const { access_token } = (await tokenResponse.json()) as { access_token: string };

  const viaFetch = async (limit = TOTAL): Promise<number> => {
    let seen = 0;
    for (let page = 1; seen < limit; page++) {
      const res = await fetch(`${server.url}/properties?page=${page}&per_page=${PER_PAGE}`, {
        headers: { authorization: `Bearer ${access_token}` },
      });
      const body = (await res.json()) as { property: Array<{ id: number }> };
      for (const p of body.property) if (p.id > 0) seen++;
      if (body.property.length < PER_PAGE) break;
    }
    return seen;
  };
  const viaSdk = async (limit = TOTAL, sample?: () => void): Promise<number> => {
    let seen = 0;
    for await (const p of client.properties.iterate({ perPage: PER_PAGE })) {
      if (p.id > 0) seen++;
      if (sample && seen % PER_PAGE === 0) sample();
      if (seen >= limit) break;
    }
    return seen;
  };
  const time = async (fn: () => Promise<number>) => {
    const started = performance.now();
    const n = await fn();
    if (n !== TOTAL) throw new Error(`expected ${TOTAL} properties, got ${n}`);
    return performance.now() - started;
  };

  await viaFetch(2_000);
  await viaSdk(2_000);
  const fetchTimes: number[] = [];
  const sdkTimes: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    fetchTimes.push(await time(() => viaFetch()));
    sdkTimes.push(await time(() => viaSdk()));
  }

  // Memory: the peak heap while iterating 2,000 and then 20,000 properties.
  const gc = (globalThis as { gc?: () => void }).gc;
  const peak = async (limit: number) => {
    gc?.();
    let max = process.memoryUsage().heapUsed;
    await viaSdk(limit, () => {
      max = Math.max(max, process.memoryUsage().heapUsed);
    });
    return max;
  };
  const small = await peak(2_000);
  const large = await peak(TOTAL);
  await server.close();

  const ratio = median(sdkTimes.map((t, i) => t / (fetchTimes[i] as number)));
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  return {
    name: `pfcrm: iterate ${TOTAL} properties (${PER_PAGE} per page) over HTTP vs a plain fetch loop (median of ${ROUNDS} paired rounds)`,
    baselineMs: median(fetchTimes),
    measuredMs: median(sdkTimes),
    ratio,
    target: 1.1,
    extra: `peak heap iterating 2,000: ${mb(small)}, 20,000: ${mb(large)} (×${(large / small).toFixed(2)}, target flat: ≤ ×1.25)${gc ? '' : ' — run with --expose-gc for a steadier reading'}`,
    failed: large / small > 1.25,
  };
}
