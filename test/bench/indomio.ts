// Indomio: the write path (PUTs through the SDK vs a hand-written client, against the same mock over HTTP)
// and the batch feed (writeFeed vs gzip alone, and its peak RSS in child processes).
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGzip, gunzipSync } from 'node:zlib';
import { serveHandlers } from '@sync/core/msw';
import { IndomioClient, type PropertyInput, writeFeed } from '@sync/indomio';
import { createIndomioHandlers, IndomioMockPortal } from '@sync/indomio/msw';

interface BenchResult {
  name: string;
  baselineMs: number;
  measuredMs: number;
  ratio: number;
  target: number;
  extra?: string;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function pool(n: number, concurrency: number, task: (i: number) => Promise<unknown>): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await task(next++);
    }),
  );
  return performance.now() - started;
}

/** A typical listing: agency, coordinates, five pictures, a description, sizes and the common extras. */
function listing(uniqueId: string, i: number): PropertyInput {
  return {
    uniqueId,
    dateUpdated: '2024-05-01T10:00:00Z',
    referenceCode: `REF-${i}`,
    agent: { email: 'agency@example.com', officeName: 'Agenzia Centro', phone: '+39 071 000000' },
    location: {
      countryCode: 'IT',
      administrativeArea: 'Marche',
      city: { name: 'Jesi', code: '042021' },
      locality: {
        map: 'exact',
        postalCode: '60035',
        latitude: 43.5176,
        longitude: 13.2506,
        thoroughfare: { value: `Via Marconi, ${i % 300}`, display: true },
      },
    },
    pictures: Array.from({ length: 5 }, (_, p) => ({ url: `https://img.example.com/${i}/${p + 1}.jpg` })),
    transactions: [{ type: 'S', price: 100_000 + i, reserved: false }],
    building: { typeId: 14, status: 'buono' },
    features: {
      size: { value: 80 + (i % 70), unit: 'm2' },
      roomsDetail: { bedrooms: 2, kitchen: 'Abitabile' },
      descriptions: [
        {
          language: 'it',
          title: `Trilocale luminoso ${i}`,
          content: 'Trilocale al secondo piano con balcone, cantina e posto auto. Riscaldamento autonomo.',
        },
      ],
      energyClass: { value: 'C' },
    },
    extraFeatures: { bathrooms: 1, elevator: true, balcony: true, furniture: 'Non Arredato', buildYear: 1985 },
  };
}

/** What a hand-written integration sends: the same document from a template string, no checks. */
function templateXml(uniqueId: string, i: number): string {
  const pictures = Array.from(
    { length: 5 },
    (_, p) => `<picture position="${p + 1}" url="https://img.example.com/${i}/${p + 1}.jpg"/>`,
  ).join('');
  return `<?xml version="1.0" encoding="UTF-8"?><property operation="write"><unique-id><![CDATA[${uniqueId}]]></unique-id><date-updated>2024-05-01T10:00:00Z</date-updated><agent><office-name><![CDATA[Agenzia Centro]]></office-name><email>agency@example.com</email><phone><![CDATA[+39 071 000000]]></phone></agent><location><country-code>IT</country-code><administrative-area><![CDATA[Marche]]></administrative-area><city code="042021"><![CDATA[Jesi]]></city><locality map="exact"><thoroughfare display="yes"><![CDATA[Via Marconi, ${i % 300}]]></thoroughfare><postal-code>60035</postal-code><latitude>43.5176</latitude><longitude>13.2506</longitude></locality></location><pictures>${pictures}</pictures><reference-code><![CDATA[REF-${i}]]></reference-code><transactions><transaction type="S"><price currency="EUR" reserved="false">${100_000 + i}</price></transaction></transactions><building IDType="14"><status>buono</status></building><features><rooms-detail><amount-bedrooms>2</amount-bedrooms><kitchen>Abitabile</kitchen></rooms-detail><size unit="m2">${80 + (i % 70)}</size><descriptions><description language="it"><title><![CDATA[Trilocale luminoso ${i}]]></title><content><![CDATA[Trilocale al secondo piano con balcone, cantina e posto auto. Riscaldamento autonomo.]]></content></description></descriptions><energy-class value="C"/></features><extra-features><bathrooms>1</bathrooms><balcony>true</balcony><elevator>true</elevator><furniture>Non Arredato</furniture><build-year>1985</build-year></extra-features></property>`;
}

const PUTS = 5000;
const PUT_CONCURRENCY = 16;
const PUT_ROUNDS = 7;

/**
 * 5,000 `properties.put`s at concurrency 16 through the SDK (validation, XML building, the core
 * pipeline, ServiceResponse parsing, identifier map) vs a hand-written client (template string,
 * plain fetch, regex on the answer), both against the mock portal served on 127.0.0.1.
 */
export async function benchIndomioWritePath(): Promise<BenchResult> {
  const portal = new IndomioMockPortal({ rateLimit: { limit: 1_000_000_000, windowMs: 60_000 } });
  const server = await serveHandlers((url) => createIndomioHandlers({ portal, baseUrl: url }));
  const sdk = new IndomioClient({
    username: 'user',
    password: 'secret',
    source: 'crm',
    baseUrl: server.url,
    allowInsecureHttp: true,
  });
  const authorization = `Basic ${Buffer.from('user:secret').toString('base64')}`;
  const handIds = new Map<string, number>();

  const viaSdk = (prefix: string) => async (i: number) => {
    await sdk.properties.put(listing(`${prefix}-${i}`, i));
  };
  const viaHand = (prefix: string) => async (i: number) => {
    const uniqueId = `${prefix}-${i}`;
    const response = await fetch(`${server.url}/ws/import/immobiliare/property/${encodeURIComponent(uniqueId)}`, {
      method: 'PUT',
      headers: { authorization, 'x-immo-source': 'crm', 'content-type': 'application/xml; charset=utf-8' },
      body: templateXml(uniqueId, i),
    });
    const text = await response.text();
    if (!/<Result>true<\/Result>/.test(text)) throw new Error(`refused: ${text}`);
    handIds.set(uniqueId, Number(/<idListing>(\d+)<\/idListing>/.exec(text)?.[1]));
  };

  try {
    // Warm both paths (connections, JIT) before measuring; a refusal would end the bench here.
    await pool(500, PUT_CONCURRENCY, viaHand('warm-hand'));
    await pool(500, PUT_CONCURRENCY, viaSdk('warm-sdk'));
    if (portal.requests.some((r) => r.status !== 200)) throw new Error('the mock refused a warm-up write');
    const handTimes: number[] = [];
    const sdkTimes: number[] = [];
    for (let round = 0; round < PUT_ROUNDS; round++) {
      // Each side writes 5,000 new listings into an empty portal; the order alternates between rounds.
      const runHand = async () => {
        portal.reset();
        handTimes.push(await pool(PUTS, PUT_CONCURRENCY, viaHand(`hand-${round}`)));
      };
      const runSdk = async () => {
        portal.reset();
        sdkTimes.push(await pool(PUTS, PUT_CONCURRENCY, viaSdk(`sdk-${round}`)));
        if (portal.listings().length !== PUTS) throw new Error('the SDK did not write every listing');
      };
      if (round % 2 === 0) {
        await runHand();
        await runSdk();
      } else {
        await runSdk();
        await runHand();
      }
    }
    const ratio = median(sdkTimes.map((t, i) => t / (handTimes[i] as number)));
    return {
      name: `indomio: ${PUTS} properties.put at concurrency ${PUT_CONCURRENCY} over HTTP to the mock vs template XML + fetch + regex (median of ${PUT_ROUNDS} paired rounds)`,
      baselineMs: median(handTimes),
      measuredMs: median(sdkTimes),
      ratio,
      target: 1.15,
      extra: `per put: SDK ${((median(sdkTimes) * PUT_CONCURRENCY) / PUTS).toFixed(2)} ms, hand-written ${((median(handTimes) * PUT_CONCURRENCY) / PUTS).toFixed(2)} ms (wall time × concurrency / puts)`,
    };
  } finally {
    await server.close();
  }
}
