// The API site as a reader meets it: `docs/api` (built by `npm run docs`) served on 127.0.0.1 and opened in a
// real headless Chromium (Debian's `chromium`, driven through playwright-core). The home page, a client class,
// an error class and a guide must render with their headings, the guides must be listed by title, and every
// link from one page of the site to another must lead to a file that exists.
// Prints one ok/FAIL line per check and exits non-zero when any fails. Under CI=true a missing Chromium is a
// failure; elsewhere the browser checks are skipped with the reason (the link crawl still runs).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, relative, resolve, sep } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

const site = resolve(import.meta.dirname, '../../docs/api');
const CHROMIUM = '/usr/bin/chromium';
/** Longest one page may take to load or one assertion to hold. */
const PAGE_TIMEOUT_MS = 20_000;

let failures = 0;
function report(ok: boolean, label: string, detail = ''): void {
  if (!ok) failures++;
  console.log(`${ok ? 'ok  ' : 'FAIL'}  ${label}`);
  if (!ok && detail.trim()) console.log(detail.trimEnd().replace(/^/gm, '      '));
}

if (!existsSync(join(site, 'index.html'))) {
  report(false, 'docs/api holds a built site', 'run `npm run docs` first');
  process.exit(1);
}

// 1. Every local href and src of every page names a file of the site (anchors are not checked).
const pages = readdirSync(site, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile() && e.name.endsWith('.html'))
  .map((e) => join(e.parentPath, e.name));
const broken: string[] = [];
let links = 0;
for (const page of pages) {
  const html = readFileSync(page, 'utf8');
  for (const match of html.matchAll(/\s(?:href|src)="([^"]*)"/g)) {
    const target = (match[1] ?? '').replaceAll('&amp;', '&');
    if (target === '' || target.startsWith('#') || /^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
    const path = decodeURIComponent(target.split(/[?#]/)[0] ?? '');
    if (path === '') continue;
    links++;
    const file = normalize(join(dirname(page), path));
    const inside = file === site || file.startsWith(site + sep);
    if (!inside || !existsSync(file) || (statSync(file).isDirectory() && !existsSync(join(file, 'index.html')))) {
      broken.push(`${relative(site, page)} → ${target}`);
    }
  }
}
report(
  pages.length > 10 && links > pages.length && broken.length === 0,
  `every internal link resolves (${links} links on ${pages.length} pages)`,
  broken.slice(0, 30).join('\n') + (broken.length > 30 ? `\n… and ${broken.length - 30} more` : ''),
);

// 2. The guides link into the reference wherever their prose names the API: every inline code span outside a
// code block that is a name with one page in the reference (`syncPortals`, `HttpClient()`) is a link. (A name
// several packages export, such as `syncListings`, links where the guide is about one package.)
const pagesOf = new Map<string, number>();
for (const folder of ['classes', 'functions', 'interfaces', 'types', 'variables']) {
  if (!existsSync(join(site, folder))) continue;
  for (const file of readdirSync(join(site, folder))) {
    const name = /\.([^.]+)\.html$/.exec(file)?.[1];
    if (name) pagesOf.set(name, (pagesOf.get(name) ?? 0) + 1);
  }
}
const unlinked: string[] = [];
let guideLinks = 0;
for (const file of readdirSync(join(site, 'documents')).filter((f) => f.endsWith('.html'))) {
  const html = readFileSync(join(site, 'documents', file), 'utf8')
    .replace(/<pre[\s\S]*?<\/pre>/g, '')
    .replace(/<nav[\s\S]*?<\/nav>/g, '');
  let prose = 0;
  for (const match of html.matchAll(/(<a [^>]*>)?<code>([A-Za-z_$][\w$]*)(\.[\w$]+)?(?:\(\))?<\/code>/g)) {
    if (match[1]) prose++;
    else if (match[3] === undefined && pagesOf.get(match[2] ?? '') === 1) unlinked.push(`${file}: ${match[2]}`);
  }
  guideLinks += prose;
  if (!file.includes('README') && prose < 5) unlinked.push(`${file}: only ${prose} names of the API linked`);
}
report(
  unlinked.length === 0 && guideLinks > 100,
  `the guides link every name of the API they mention (${guideLinks} links)`,
  unlinked.slice(0, 30).join('\n'),
);

// 3. The site in a browser.
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};
async function browserChecks(): Promise<void> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    let file = normalize(join(site, path));
    if (file !== site && !file.startsWith(site + sep)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const profile = mkdtempSync(join(tmpdir(), 'sync-site-chromium-'));
  let browser: BrowserContext | undefined;
  try {
    // A fresh profile each run (the persistent context's user data dir).
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      // Without the background-networking flags Chromium dials out at start, which a closed network refuses.
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      timeout: 60_000,
    });
    const page = await browser.newPage();
    page.setDefaultTimeout(PAGE_TIMEOUT_MS);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const check = async (label: string, run: () => Promise<void>) => {
      try {
        await run();
        report(true, label);
      } catch (error) {
        report(false, label, error instanceof Error ? error.message : String(error));
      }
    };
    const heading = async (text: string) => {
      const h1 = page.locator('h1');
      // After a click the next page may still be loading: wait for its heading, then count them.
      await h1.filter({ hasText: text }).first().waitFor({ state: 'visible' });
      const count = await h1.count();
      if (count !== 1) throw new Error(`${count} h1 headings on ${page.url()}`);
    };
    const breadcrumb = async (expected: string[]) => {
      const items = (await page.locator('.tsd-breadcrumb li').allInnerTexts()).map((t) => t.trim());
      if (items.join(' / ') !== expected.join(' / ')) {
        throw new Error(`breadcrumb reads "${items.join(' / ')}", not "${expected.join(' / ')}"`);
      }
    };

    await check('the home page renders the README under one heading, with the guides listed by title', async () => {
      await page.goto(`${base}/index.html`);
      await heading('@sync');
      await page.getByText('Packages', { exact: false }).first().waitFor({ state: 'visible' });
      // The navigation is drawn by the site's script: the guides appear there by their titles.
      const nav = page.locator('.site-menu');
      for (const title of ['Getting started', 'Syncing listings', 'Testing with the mock portals', 'Rentix guide']) {
        await nav.locator('a', { hasText: title }).first().waitFor({ state: 'visible' });
      }
      // Modules are listed by package name, not split into folders.
      await nav.locator('a', { hasText: '@sync/rentix' }).first().waitFor({ state: 'visible' });
    });
    await check('a client class renders: RentixClient under @sync/rentix, with its example', async () => {
      await page.goto(`${base}/classes/_sync_rentix.RentixClient.html`);
      await heading('Class RentixClient');
      await breadcrumb(['@sync/rentix', 'RentixClient']);
      await page.getByRole('heading', { name: 'Example' }).first().waitFor({ state: 'visible' });
      await page.locator('.tsd-comment pre code').first().waitFor({ state: 'visible' });
      await page.getByRole('heading', { name: 'listings', exact: false }).first().waitFor({ state: 'visible' });
    });
    await check('an error class renders: SyncError under @sync/core', async () => {
      await page.goto(`${base}/classes/_sync_core.SyncError.html`);
      await heading('Class SyncError');
      await breadcrumb(['@sync/core', 'SyncError']);
      await page.getByText('Hierarchy', { exact: false }).first().waitFor({ state: 'visible' });
    });
    await check('a guide renders under its title and links into the reference', async () => {
      await page.goto(`${base}/documents/Testing_with_the_mock_portals.html`);
      await heading('Testing with the mock portals');
      await breadcrumb(['Testing with the mock portals']);
      await page.getByRole('heading', { name: 'Jest', exact: false }).first().waitFor({ state: 'visible' });
      await page.locator('a', { hasText: 'RentixMockPortal' }).first().click();
      await heading('Class RentixMockPortal');
      await breadcrumb(['@sync/rentix/msw', 'RentixMockPortal']);
    });
    await check("a name of the API in a guide's prose leads to its page", async () => {
      await page.goto(`${base}/documents/Getting_started.html`);
      await heading('Getting started');
      await page.locator('.tsd-panel p a', { hasText: 'syncPortals' }).first().click();
      await heading('Function syncPortals');
      await breadcrumb(['@sync/core', 'syncPortals']);
    });
    report(errors.length === 0, 'no page threw a script error', errors.join('\n'));
  } finally {
    await browser?.close();
    await new Promise<void>((done) => server.close(() => done()));
    rmSync(profile, { recursive: true, force: true });
  }
}

if (existsSync(CHROMIUM)) {
  try {
    await browserChecks();
  } catch (error) {
    report(
      false,
      'the site opens in Chromium',
      error instanceof Error ? (error.stack ?? error.message) : String(error),
    );
  }
} else if (process.env.CI === 'true') {
  report(false, `Chromium is installed at ${CHROMIUM}`, 'install it with `apt-get install -y chromium`');
} else {
  console.log(`skip  the browser checks: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);
}

console.log(`site checks: ${failures === 0 ? 'all passed' : `${failures} failed`}`);
process.exitCode = failures ? 1 : 0;
