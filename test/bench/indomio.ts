// Indomio: the write path (PUTs through the SDK vs a hand-written client, against the same mock over HTTP)
// and the batch feed (writeFeed vs gzip alone, and its peak RSS in child processes).
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGzip, gunzipSync } from 'node:zlib';
import { buildPropertyXml, IndomioClient, type PropertyInput, writeFeed } from '@sync/indomio';

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
  // Imported here, so the feed's child processes measure the feed without msw in memory.
  const { serveHandlers } = await import('@sync/core/msw');
  const { createIndomioHandlers, IndomioMockPortal } = await import('@sync/indomio/msw');
  if (buildPropertyXml(listing('same', 7)) !== templateXml('same', 7)) {
    throw new Error('the SDK and the hand-written client must send the same document');
  }
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

const FEED_SIZE = 100_000;
const FEED_ROUNDS = 5;
export const feedMetadata = {
  publisher: { name: 'CRM', email: 'feeds@crm.example', phone: '+39 000' },
  version: '2.9' as const,
  buildDate: '2024-06-01T02:00:00Z',
};

/**
 * Listings as varied as a CRM's, made one at a time so the feed's input holds no memory of
 * its own: descriptions of 500–1,500 characters (drawn from 512 written up front), 3–15
 * pictures, each its own address, price, size and features. Self-contained (its own seeded
 * random numbers), so the child processes run the very same source.
 */
export function* generated(count: number): Generator<PropertyInput> {
  let seed = 20240601;
  const random = () => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  // `n.toString(36)` of a natural number, by pairs of digits: the input's cost is not the feed's,
  // and V8's radix conversion takes about 0.6 µs a call, several times a listing.
  const digit = '0123456789abcdefghijklmnopqrstuvwxyz';
  const pair = Array.from({ length: 36 * 36 }, (_, k) => `${digit[Math.floor(k / 36)]}${digit[k % 36]}`);
  const base36 = (n: number): string => {
    let text = '';
    let rest = n;
    for (; rest >= 36 * 36; rest = Math.floor(rest / (36 * 36))) text = `${pair[rest % (36 * 36)]}${text}`;
    return `${rest >= 36 ? pair[rest] : digit[rest]}${text}`;
  };
  const words = (
    'appartamento luminoso ristrutturato piano terrazzo cucina abitabile soggiorno camera matrimoniale bagno ' +
    'finestrato cantina posto auto giardino condominiale riscaldamento autonomo vista mare centro storico servizi ' +
    'scuole negozi stazione ampio ingresso ripostiglio balcone esposizione doppia infissi nuovi classe energetica ' +
    'tranquillo silenzioso elegante signorile palazzina ascensore portineria parquet mansarda'
  ).split(' ');
  const descriptions = Array.from({ length: 512 }, () => {
    let text = '';
    const length = 500 + Math.floor(random() * 1000);
    while (text.length < length) text += `${pick(words)}${random() < 0.1 ? '. ' : ' '}`;
    return text;
  });
  for (let i = 0; i < count; i++) {
    const content = pick(descriptions);
    yield {
      uniqueId: `crm-${i}-${base36(Math.floor(random() * 1e9))}`,
      dateUpdated: new Date(Date.UTC(2024, 0, 1) + Math.floor(random() * 3e10)),
      referenceCode: `R${Math.floor(random() * 1e6)}`,
      agent: { email: `agency${i % 500}@example.com`, officeName: `Agenzia ${pick(words)} ${i % 500}` },
      location: {
        countryCode: 'IT',
        administrativeArea: pick(['Marche', 'Lazio', 'Toscana', 'Lombardia', 'Puglia']),
        city: {
          name: pick(['Jesi', 'Ancona', 'Roma', 'Firenze', 'Milano', 'Bari']),
          code: String(42000 + (i % 900)).padStart(6, '0'),
        },
        locality: {
          map: pick(['exact', 'near', 'no'] as const),
          postalCode: String(10000 + Math.floor(random() * 89999)),
          latitude: 36 + random() * 10,
          longitude: 7 + random() * 11,
          thoroughfare: { value: `Via ${pick(words)} ${Math.floor(random() * 300) + 1}`, display: random() < 0.5 },
        },
      },
      pictures: Array.from({ length: 3 + Math.floor(random() * 13) }, (_, p) => ({
        url: `https://img.crm.example/${i}/${base36(Math.floor(random() * 1e12))}-${p}.jpg`,
      })),
      transactions: [
        random() < 0.7
          ? { type: 'S', price: 50_000 + Math.floor(random() * 900_000), reserved: random() < 0.1 }
          : { type: 'R', price: 300 + Math.floor(random() * 3000) },
      ],
      building: {
        typeId: pick([14, 15, 16, 21, 23, 26]),
        status: pick(['nuovo', 'ottimo', 'buono', 'da ristrutturare'] as const),
      },
      features: {
        size: { value: 30 + Math.floor(random() * 250), unit: 'm2' },
        roomsDetail: {
          bedrooms: Math.floor(random() * 5),
          kitchen: pick(['Abitabile', 'Cucinotto', 'A vista'] as const),
        },
        descriptions: [{ language: 'it', title: content.slice(0, 60).trim(), content }],
        energyClass: { value: pick(['A4', 'A1', 'B', 'C', 'D', 'E', 'F', 'G'] as const) },
      },
      extraFeatures: {
        bathrooms: 1 + Math.floor(random() * 3),
        elevator: random() < 0.5,
        balcony: random() < 0.5,
        heating: { type: pick(['Autonomo', 'Centralizzato'] as const) },
        furniture: pick(['Arredato', 'Non Arredato', 'Parzialmente Arredato'] as const),
        buildYear: 1900 + Math.floor(random() * 124),
      },
    };
  }
}

/** Wall time and the CPU time of the whole process (every thread: zlib's and the file's on libuv's pool too). */
async function timed(run: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  await run();
  const used = process.cpuUsage(cpu);
  return { wall: performance.now() - started, cpu: (used.user + used.system) / 1000 };
}

/** Set in a child process started under `taskset`, to the CPUs it is pinned to. */
const PINNED_ENV = 'SYNC_BENCH_FEED_CPUS';
const runScript = fileURLToPath(new URL('./run.ts', import.meta.url));

/**
 * `writeFeed` vs gzip alone with the process pinned to `cores` CPUs (`taskset -c 0` or `-c 0,1`):
 * the benchmark runs again in a child under `taskset`, or here, unpinned, saying so, where
 * `taskset` cannot run. On one core the compressor and the listings take turns, so the ratio
 * is their CPU times added up; on two they overlap.
 */
export async function benchIndomioFeed(cores: 1 | 2, name: string): Promise<BenchResult> {
  const cpus = cores === 1 ? '0' : '0,1';
  const target = cores === 1 ? 1.5 : 1.25;
  if (process.env[PINNED_ENV] === cpus) return { ...(await feedVsGzip(`pinned to CPU ${cpus}`)), target };
  let out = '';
  const code = await new Promise<number | string>((resolve) => {
    const child = spawn('taskset', ['-c', cpus, process.execPath, ...process.execArgv, runScript, '--child', name], {
      env: { ...process.env, [PINNED_ENV]: cpus },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
    });
    child.on('error', (error) => resolve(error.message));
    child.on('close', (status) => resolve(status ?? 'killed'));
  });
  if (code === 0) return JSON.parse(out) as BenchResult;
  if (out !== '') throw new Error(`the pinned benchmark failed (${code})`);
  // taskset is missing, or may not pin here (no CPU 1, say): measured on whatever CPUs there are.
  const reason = `NOT pinned to ${cores} core${cores === 1 ? '' : 's'} (taskset -c ${cpus}: ${code}), ${availableParallelism()} CPUs available`;
  return { ...(await feedVsGzip(reason)), target };
}

/**
 * 100,000 generated listings through `writeFeed` into feed.xml.gz (validation, XML writing,
 * gzip) vs gzip-compressing the same XML bytes alone into a file (64 KiB slices, zlib's
 * default level, the level `writeFeed` uses too), in paired rounds of alternating order. The
 * listings' generation counts as `writeFeed`'s time; it is measured alone as well and shown.
 */
async function feedVsGzip(where: string): Promise<Omit<BenchResult, 'target'>> {
  const dir = await mkdtemp(join(tmpdir(), 'indomio-bench-feed-'));
  try {
    const feedDir = join(dir, 'feed');
    const first = await writeFeed(generated(FEED_SIZE), feedMetadata, feedDir);
    if (first.written !== FEED_SIZE) throw new Error(`the feed left out ${first.failed.length} listings`);
    const xml = gunzipSync(await readFile(first.file));
    const gzipAlone = () => {
      const slices = function* () {
        for (let at = 0; at < xml.length; at += 64 * 1024) yield xml.subarray(at, at + 64 * 1024);
      };
      return pipeline(Readable.from(slices()), createGzip(), createWriteStream(join(dir, 'alone.xml.gz')));
    };
    const feed = () => writeFeed(generated(FEED_SIZE), feedMetadata, feedDir);
    const input = async () => {
      let pictures = 0;
      for (const listing of generated(FEED_SIZE)) pictures += listing.pictures?.length ?? 0;
      return pictures;
    };
    const gzipRuns: { wall: number; cpu: number }[] = [];
    const feedRuns: { wall: number; cpu: number }[] = [];
    const inputRuns: { wall: number; cpu: number }[] = [];
    for (let round = 0; round < FEED_ROUNDS; round++) {
      if (round % 2 === 0) {
        gzipRuns.push(await timed(gzipAlone));
        feedRuns.push(await timed(feed));
      } else {
        feedRuns.push(await timed(feed));
        gzipRuns.push(await timed(gzipAlone));
      }
      inputRuns.push(await timed(input));
    }
    const ratios = feedRuns.map((run, i) => run.wall / (gzipRuns[i] as { wall: number }).wall);
    const cpuRatios = feedRuns.map((run, i) => run.cpu / (gzipRuns[i] as { cpu: number }).cpu);
    const range = (xs: number[]) => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`;
    const perListing = (ms: number) => `${((ms * 1000) / FEED_SIZE).toFixed(1)} µs`;
    const wall = (runs: { wall: number }[]) => median(runs.map((run) => run.wall));
    const cpu = (runs: { cpu: number }[]) => median(runs.map((run) => run.cpu));
    return {
      name: `indomio: writeFeed of ${FEED_SIZE} generated listings to feed.xml.gz vs gzip of the same XML alone, ${where} (median of ${FEED_ROUNDS} paired rounds)`,
      baselineMs: wall(gzipRuns),
      measuredMs: wall(feedRuns),
      ratio: median(ratios),
      extra:
        `${(xml.length / 2 ** 20).toFixed(0)} MB of XML; wall ratio ${range(ratios)} over the rounds; ` +
        `CPU time (all threads) ratio ${median(cpuRatios).toFixed(3)} (${range(cpuRatios)}), ` +
        `per listing: writeFeed ${perListing(cpu(feedRuns))}, gzip alone ${perListing(cpu(gzipRuns))}, ` +
        `of writeFeed's, generating the input ${perListing(cpu(inputRuns))}`,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const RSS_LIMIT_MB = 128;
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Runs `writeFeed` of `count` generated listings in a fresh process (plain JavaScript, so no
 * TypeScript loader adds to its memory): its peak RSS and its time. `count` 0 only loads the SDK.
 */
async function feedInChild(
  count: number,
  dir: string,
  flags: readonly string[] = [],
): Promise<{ peakRssMb: number; ms: number; written: number }> {
  // The same generator as the other runs; node strips the types, so its source is JavaScript.
  const script = `
    import { readFileSync } from 'node:fs';
    import { writeFeed } from '@sync/indomio';
    // The peak resident set of this process's own address space (VmHWM): getrusage's maxRSS
    // would include the parent's size at fork time. Sampling covers systems without /proc.
    let sampled = process.memoryUsage.rss();
    const sampler = setInterval(() => { sampled = Math.max(sampled, process.memoryUsage.rss()); }, 5);
    const hwm = () => {
      try {
        const kb = /VmHWM:\\s+(\\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
        return kb === undefined ? undefined : Number(kb) * 1024;
      } catch {
        return undefined;
      }
    };
    const generated = ${generated.toString()};
    const started = performance.now();
    const report = ${count} > 0 ? await writeFeed(generated(${count}), ${JSON.stringify(feedMetadata)}, ${JSON.stringify(dir)}) : { written: 0 };
    const ms = performance.now() - started;
    clearInterval(sampler);
    const peak = hwm() ?? Math.max(sampled, process.memoryUsage.rss());
    process.stdout.write(JSON.stringify({ peakRssMb: peak / 1024 / 1024, ms, written: report.written }));
  `;
  const child = spawn(process.execPath, [...flags, '--input-type=module', '-e', script], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`the feed child process failed (${code}): ${out}`);
  return JSON.parse(out) as { peakRssMb: number; ms: number; written: number };
}

/**
 * V8 tuned for a memory-limited batch job: a capped young generation, and no allocation-site
 * pretenuring, with which V8 may allocate objects it judges long-lived (the input's listings,
 * say) straight in the old generation, where they wait for a full collection.
 */
const LOW_MEMORY_FLAGS = ['--max-semi-space-size=4', '--no-allocation-site-pretenuring'];

/**
 * Peak RSS of `writeFeed` at 10,000 and 100,000 listings, each in its own process with Node's
 * default heap settings: memory must stay bounded (the larger feed within 1.2× the smaller,
 * both within 128 MB); the verdict is on these. The same runs with {@link LOW_MEMORY_FLAGS} are
 * printed beside them, as V8 sizes its heap by how much survives its collections rather than
 * by what the feed keeps.
 */
export async function benchIndomioFeedMemory(): Promise<BenchResult> {
  const dir = await mkdtemp(join(tmpdir(), 'indomio-bench-rss-'));
  try {
    const loaded = await feedInChild(0, join(dir, 'none'));
    const small = await feedInChild(FEED_SIZE / 10, join(dir, 'small'));
    const large = await feedInChild(FEED_SIZE, join(dir, 'large'));
    const smallTuned = await feedInChild(FEED_SIZE / 10, join(dir, 'small-tuned'), LOW_MEMORY_FLAGS);
    const largeTuned = await feedInChild(FEED_SIZE, join(dir, 'large-tuned'), LOW_MEMORY_FLAGS);
    for (const run of [small, smallTuned, large, largeTuned]) {
      if (run.written !== (run === small || run === smallTuned ? FEED_SIZE / 10 : FEED_SIZE)) {
        throw new Error('a feed left listings out');
      }
    }
    const mb = (run: { peakRssMb: number }) =>
      `${run.peakRssMb.toFixed(0)} MB${run.peakRssMb <= RSS_LIMIT_MB ? '' : ` (OVER ${RSS_LIMIT_MB} MB)`}`;
    return {
      name: `indomio: peak RSS of writeFeed at ${FEED_SIZE} vs ${FEED_SIZE / 10} listings, each in a fresh process (times are the runs')`,
      baselineMs: small.ms,
      measuredMs: large.ms,
      ratio: large.peakRssMb / small.peakRssMb,
      target: 1.2,
      extra: `peak RSS: SDK loaded only ${mb(loaded)}; ${FEED_SIZE / 10} listings ${mb(small)}; ${FEED_SIZE} listings ${mb(large)}. With ${LOW_MEMORY_FLAGS.join(' ')}: ${mb(smallTuned)} and ${mb(largeTuned)} (ratio ${(largeTuned.peakRssMb / smallTuned.peakRssMb).toFixed(3)})`,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
