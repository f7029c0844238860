// The committed corpus of hostile inputs. Each case names the portal and the call it targets,
// holds the bad input, and says what must happen: refused before any request with a typed
// error naming the fields and the item, sent safely encoded (with what the server must
// receive), or — for a malformed answer — failed with a typed SyncError subclass.
import {
  HttpError,
  InputValidationError,
  type Listing,
  NetworkError,
  ServerError,
  type SyncError,
  UnexpectedResponseError,
} from '@sync/core';
import { fromListing as indomioFromListing, type PropertyInput } from '@sync/indomio';
import { type PropertyListParams, fromListing as pfFromListing, ops as pfOps, propertiesQuery } from '@sync/pfcrm';
import { type ListingInput, type ListingOperation, ops, fromListing as rentixFromListing } from '@sync/rentix';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { expect } from 'vitest';
import {
  baseListing,
  type Clients,
  INDOMIO_OPTIONS,
  INDOMIO_PREFIX,
  PF_OPTIONS,
  PF_PREFIX,
  PF_TOKEN_PATH,
  portalSuccess,
  RENTIX_PREFIX,
  serviceResponse,
} from './portals.ts';
import { type CapturedRequest, json, type Reply, type Responder, xml } from './server.ts';

export type Portal = 'rentix' | 'indomio' | 'pfcrm';

// biome-ignore lint/suspicious/noExplicitAny: error classes have differing constructor signatures
export type ErrorClass = abstract new (...args: any[]) => SyncError;

export type Category =
  | 'wrong type'
  | 'missing field'
  | 'out of range'
  | 'invalid enum'
  | 'over-long string'
  | 'control characters'
  | 'unpaired surrogate'
  | 'markup in free text'
  | 'path injection'
  | 'prototype keys'
  | 'huge payload'
  | 'xml doctype'
  | 'malformed response';

/** What must happen to the case. */
export type Expected =
  | {
      /** Refused before any request: the server sees nothing. */
      outcome: 'refused';
      error: ErrorClass;
      /** Field paths the error's `issues` must name (each must appear). */
      paths: readonly string[];
      /** The item id the error must carry. */
      itemId: string | undefined;
    }
  | {
      /** Sent, safely encoded. */
      outcome: 'sent';
      /** Requests the server must receive (default 1). */
      requests?: number;
      /** The exact raw request path the server must see (still percent-encoded). */
      rawPath?: string;
      /** What else the server must receive, and what the call must return. */
      check?: (received: readonly CapturedRequest[], result: unknown) => void;
    }
  | {
      /** The server answered badly: the call ends in this typed error, not a crash. */
      outcome: 'fails';
      error: ErrorClass;
      itemId?: string | undefined;
      /** The HTTP status the error must keep. */
      status?: number;
      /** Text the error must not contain (e.g. an external entity's content). */
      mustNotContain?: string;
    };

export interface HostileCase {
  name: string;
  portal: Portal;
  /** The call under test. */
  call: string;
  category: Category;
  /** The bad input as given to the call. */
  input: unknown;
  /** How the server answers (default: the portal's documented success). */
  reply?: Responder;
  run: (clients: Clients, input: unknown) => unknown;
  expected: Expected;
}

// ------------------------------------------------------------------ helpers

const PHOTOS = [1, 2, 3].map((i) => ({ url: `https://img.example/${i}.jpg` }));
/** A canonical listing Rentix accepts as is (publishing needs three photos). */
const rentixListing = (overrides: Partial<Listing> = {}) => baseListing({ photos: PHOTOS, ...overrides });
/** A canonical listing with one Italian text, so the XML carries one description. */
const italianListing = (description: string, overrides: Partial<Listing> = {}) =>
  baseListing({ title: { it: 'Titolo' }, description: { it: description }, ...overrides });

/** A listing with one field replaced by a value of the wrong shape (what an untyped caller can pass). */
const withField = (listing: Listing, field: string, value: unknown): Listing =>
  ({ ...listing, [field]: value }) as Listing;
const withAddress = (field: string, value: unknown): Listing =>
  ({ ...baseListing(), address: { ...baseListing().address, [field]: value } }) as Listing;
const withoutAddress = (field: string): Listing => {
  const address: Record<string, unknown> = { ...baseListing().address };
  delete address[field];
  return { ...baseListing(), address } as Listing;
};

const toRentix = (c: Clients, input: unknown) => c.rentix.listings.upsert(rentixFromListing(input as Listing));
const toIndomio = (c: Clients, input: unknown) =>
  c.indomio.properties.put(indomioFromListing(input as Listing, INDOMIO_OPTIONS));
const toPf = (c: Clients, input: unknown) => c.pfcrm.properties.create(pfFromListing(input as Listing, PF_OPTIONS));

const PF_CREATE = pfFromListing(baseListing(), PF_OPTIONS);

const bodyJson = (req: CapturedRequest | undefined): Record<string, unknown> =>
  JSON.parse(req?.body ?? 'null') as Record<string, unknown>;

/** The one description `content` of an Indomio property document, read by an independent parser. */
function indomioContent(req: CapturedRequest | undefined): string {
  const body = req?.body ?? '';
  expect(XMLValidator.validate(body), 'the XML is well-formed').toBe(true);
  const doc = new XMLParser({ ignoreAttributes: false, processEntities: false }).parse(body) as {
    property: { features: { descriptions: { description: { content: unknown } } } };
  };
  return String(doc.property.features.descriptions.description.content);
}

/** Answers `reply` to requests under `prefix` (token endpoint excluded) and succeeds elsewhere. */
const under =
  (prefix: string, reply: Reply): Responder =>
  (req) =>
    req.rawPath.startsWith(prefix) && req.rawPath !== PF_TOKEN_PATH ? reply : portalSuccess(req);

const HTML_PAGE = '<!doctype html><html><head><title>Error</title></head><body><h1>Something broke</h1></body></html>';
const html = (status: number): Reply => ({ status, body: HTML_PAGE, headers: { 'content-type': 'text/html' } });
const truncatedJson = (): Reply => ({
  status: 200,
  body: '{"id": "r-1", "externalId": "crm-1", "formDa',
  headers: { 'content-type': 'application/json' },
});
/** Headers promise 4 KB, 20 bytes arrive, then the connection closes. */
const cutMidBody = (): Reply => ({
  raw: (res, socket) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '4096' });
    res.write('{"property": {"id": ');
    setTimeout(() => socket.destroy(), 10);
  },
});

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<ServiceResponse><Result>false</Result><ErrorCode>400</ErrorCode><ErrorMessage>&lol9;</ErrorMessage></ServiceResponse>`;

const EXTERNAL_ENTITY = `<?xml version="1.0"?>
<!DOCTYPE ServiceResponse [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<ServiceResponse><Result>true</Result><ErrorCode>0</ErrorCode><ErrorMessage>&xxe;</ErrorMessage><idListing>1</idListing></ServiceResponse>`;

const CONTROL_TEXT = `Tab\there, bell\u0007, escape\u001b, NUL\u0000 and DEL\u007f inside a description long enough.`;
const SURROGATE_TEXT = `A lone high surrogate \ud800 and a lone low one \udc00 inside a long enough description.`;
const MARKUP_TEXT = `Ends a CDATA ]]> early, opens <b>tags</b> & &amp; entities &lol; <!DOCTYPE x> and ]]]]><![CDATA[ too.`;

/** 100,000 nested arrays: more than any parser's caller can walk on the stack. */
const DEEP_JSON = `{"message":"deep","deep":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
const deepJson = (status: number): Reply => ({
  status,
  body: DEEP_JSON,
  headers: { 'content-type': 'application/json' },
});
/** `__proto__` keys spelled with JSON escapes, which JSON.parse decodes to the real name. */
const ESCAPED_PROTO = '"\\u005f_proto__"';
const FULLY_ESCAPED_PROTO = `"${[...'__proto__'].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}"`;
const LONE = 'crm-\ud800-1';

const notPolluted = () => {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
};

// ------------------------------------------------------------------ the corpus

const rentixCases: HostileCase[] = [
  {
    name: 'rentix: a price given as a string is refused',
    portal: 'rentix',
    call: 'fromListing → listings.upsert',
    category: 'wrong type',
    input: withField(rentixListing(), 'price', '250000'),
    run: toRentix,
    expected: { outcome: 'refused', error: InputValidationError, paths: ['price'], itemId: 'crm-1' },
  },
  {
    name: 'rentix: a listing without a city is refused',
    portal: 'rentix',
    call: 'fromListing → listings.upsert',
    category: 'missing field',
    input: { ...withoutAddress('city'), photos: PHOTOS },
    run: toRentix,
    expected: { outcome: 'refused', error: InputValidationError, paths: ['address.city'], itemId: 'crm-1' },
  },
  {
    name: 'rentix: a negative area and a latitude of 200 are refused',
    portal: 'rentix',
    call: 'fromListing → listings.upsert',
    category: 'out of range',
    input: { ...withAddress('latitude', 200), area: -5, photos: PHOTOS },
    run: toRentix,
    expected: { outcome: 'refused', error: InputValidationError, paths: ['area', 'address.latitude'], itemId: 'crm-1' },
  },
  {
    name: 'rentix: an unknown offer and property type are refused',
    portal: 'rentix',
    call: 'fromListing → listings.upsert',
    category: 'invalid enum',
    input: { ...rentixListing(), offer: 'lease', type: 'castle' },
    run: toRentix,
    expected: { outcome: 'refused', error: InputValidationError, paths: ['offer', 'type'], itemId: 'crm-1' },
  },
  {
    name: 'rentix: a description over 2,000 characters is refused',
    portal: 'rentix',
    call: 'fromListing → listings.upsert',
    category: 'over-long string',
    input: rentixListing({ description: { en: 'word '.repeat(500) } }),
    run: toRentix,
    expected: { outcome: 'refused', error: InputValidationError, paths: ['description.en'], itemId: 'crm-1' },
  },
  {
    name: 'rentix: an external id over 255 characters is refused',
    portal: 'rentix',
    call: 'listings.upsert',
    category: 'over-long string',
    input: { externalId: 'x'.repeat(256), announcementValue: 1 },
    run: (c, input) => c.rentix.listings.upsert(input as ListingInput),
    expected: { outcome: 'refused', error: InputValidationError, paths: ['externalId'], itemId: 'x'.repeat(256) },
  },
  {
    name: 'rentix: a price as a string and an unknown currency are refused in a direct upsert',
    portal: 'rentix',
    call: 'listings.upsert',
    category: 'wrong type',
    input: { externalId: 'crm-7', announcementValue: '500', announcementCurrency: 'GBP' },
    run: (c, input) => c.rentix.listings.upsert(input as ListingInput),
    expected: {
      outcome: 'refused',
      error: InputValidationError,
      paths: ['announcementValue', 'announcementCurrency'],
      itemId: 'crm-7',
    },
  },
  {
    name: 'rentix: an upsert without a key is refused',
    portal: 'rentix',
    call: 'listings.upsert',
    category: 'missing field',
    input: { announcementValue: 500 },
    run: (c, input) => c.rentix.listings.upsert(input as ListingInput),
    expected: { outcome: 'refused', error: InputValidationError, paths: ['externalId'], itemId: undefined },
  },
  {
    name: 'rentix: null instead of a listing is refused with a typed error',
    portal: 'rentix',
    call: 'listings.upsert',
    category: 'wrong type',
    input: null,
    run: (c, input) => c.rentix.listings.upsert(input as ListingInput),
    expected: { outcome: 'refused', error: InputValidationError, paths: [''], itemId: undefined },
  },
  {
    name: 'rentix: a null operation in a bulk call is reported failed, the others are sent',
    portal: 'rentix',
    call: 'listings.bulk',
    category: 'wrong type',
    input: [null, ops.upsert({ externalId: 'crm-ok', announcementValue: 1 })],
    run: (c, input) => c.rentix.listings.bulk(input as ListingOperation[]),
    expected: {
      outcome: 'sent',
      check: (received, result) => {
        const report = result as Awaited<ReturnType<Clients['rentix']['listings']['bulk']>>;
        expect(report.results.map((r) => r.status)).toEqual(['failed', 'succeeded']);
        expect(report.results[0]?.error).toBeInstanceOf(InputValidationError);
        expect(bodyJson(received[0]).operations).toHaveLength(1);
      },
    },
  },
  {
    name: 'rentix: control characters in a description are sent as they are',
    portal: 'rentix',
    call: 'fromListing → listings.upsert',
    category: 'control characters',
    input: rentixListing({ description: { en: CONTROL_TEXT } }),
    run: toRentix,
    expected: {
      outcome: 'sent',
      check: (received) => expect(bodyJson(received[0]).announcementDescription).toBe(CONTROL_TEXT),
    },
  },
  {
    name: 'rentix: unpaired surrogates are sent as JSON escapes and decode to the same text',
    portal: 'rentix',
    call: 'fromListing → listings.upsert',
    category: 'unpaired surrogate',
    input: rentixListing({ description: { en: SURROGATE_TEXT } }),
    run: toRentix,
    expected: {
      outcome: 'sent',
      check: (received) => {
        expect(received[0]?.body).toContain('\\ud800');
        expect(bodyJson(received[0]).announcementDescription).toBe(SURROGATE_TEXT);
      },
    },
  },
  {
    name: 'rentix: "]]>" and "<" in a description are sent as they are',
    portal: 'rentix',
    call: 'fromListing → listings.upsert',
    category: 'markup in free text',
    input: rentixListing({ description: { en: MARKUP_TEXT } }),
    run: toRentix,
    expected: {
      outcome: 'sent',
      check: (received) => expect(bodyJson(received[0]).announcementDescription).toBe(MARKUP_TEXT),
    },
  },
  ...['a/b', '../../agency', '?limit=1&x=y', '#fragment', 'two words', 'a/../b'].map(
    (id): HostileCase => ({
      name: `rentix: the external id ${JSON.stringify(id)} stays one encoded path segment`,
      portal: 'rentix',
      call: 'listings.getByExternalId',
      category: 'path injection',
      input: id,
      run: (c, input) => c.rentix.listings.getByExternalId(input as string),
      expected: {
        outcome: 'sent',
        rawPath: `${RENTIX_PREFIX}/listings/external/${encodeURIComponent(id)}`,
        check: (received, result) => {
          expect(received[0]?.rawUrl).not.toContain('?');
          expect((result as { externalId: string }).externalId).toBe(id);
        },
      },
    }),
  ),
  ...['..', '.'].map(
    (id): HostileCase => ({
      name: `rentix: the external id ${JSON.stringify(id)} is refused before any call, naming the item`,
      portal: 'rentix',
      call: 'listings.getByExternalId',
      category: 'path injection',
      input: id,
      run: (c, input) => c.rentix.listings.getByExternalId(input as string),
      expected: { outcome: 'refused', error: InputValidationError, paths: ['id'], itemId: id },
    }),
  ),
  {
    name: 'rentix: an external id with a lone surrogate is refused before any call, naming the item',
    portal: 'rentix',
    call: 'listings.getByExternalId',
    category: 'unpaired surrogate',
    input: LONE,
    run: (c, input) => c.rentix.listings.getByExternalId(input as string),
    expected: { outcome: 'refused', error: InputValidationError, paths: ['id'], itemId: LONE },
  },
  {
    name: 'rentix: an escaped "__proto__" key in an error body does not reach HttpError.body',
    portal: 'rentix',
    call: 'listings.upsert',
    category: 'prototype keys',
    input: { externalId: 'crm-1', announcementValue: 1 },
    reply: under(RENTIX_PREFIX, {
      status: 422,
      headers: { 'content-type': 'application/json' },
      body: `{"statusCode":422,"message":["refused"],${ESCAPED_PROTO}:{"polluted":"rentix"},"detail":{${FULLY_ESCAPED_PROTO}:{"polluted":"rentix"}}}`,
    }),
    run: async (c, input) => {
      const error = await c.rentix.listings.upsert(input as ListingInput).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HttpError);
      const body = (error as HttpError).body as { detail: object };
      expect(Object.hasOwn(body, '__proto__')).toBe(false);
      expect(Object.hasOwn(body.detail, '__proto__')).toBe(false);
      notPolluted();
      return error;
    },
    expected: { outcome: 'sent' },
  },
  {
    name: 'rentix: a "constructor" language key in a title is refused',
    portal: 'rentix',
    call: 'fromListing → listings.upsert',
    category: 'prototype keys',
    input: rentixListing({ title: { constructor: 'x', en: 'Bright flat' } as unknown as Listing['title'] }),
    run: toRentix,
    expected: { outcome: 'refused', error: InputValidationError, paths: ['title.constructor'], itemId: 'crm-1' },
  },
  {
    name: 'rentix: a "__proto__" key in a listing pollutes nothing and does not reach the body',
    portal: 'rentix',
    call: 'fromListing → listings.upsert',
    category: 'prototype keys',
    input: {
      ...rentixListing(),
      ...(JSON.parse('{"__proto__": {"polluted": "listing"}}') as object),
      description: JSON.parse(
        '{"__proto__": {"polluted": "description"}, "en": "A bright flat in the old town with a balcony."}',
      ) as Listing['description'],
    },
    run: toRentix,
    expected: {
      outcome: 'sent',
      check: (received) => {
        notPolluted();
        expect(received[0]?.body).not.toContain('polluted');
        expect(bodyJson(received[0]).announcementDescription).toBe('A bright flat in the old town with a balcony.');
      },
    },
  },
  {
    name: 'rentix: "__proto__" and "constructor" keys in an answer pollute nothing',
    portal: 'rentix',
    call: 'listings.upsert',
    category: 'prototype keys',
    input: { externalId: 'crm-1', announcementValue: 1 },
    reply: under(RENTIX_PREFIX, {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: '{"id":"r-1","__proto__":{"polluted":"answer"},"constructor":{"prototype":{"polluted":"answer"}}}',
    }),
    run: (c, input) => c.rentix.listings.upsert(input as ListingInput),
    expected: {
      outcome: 'sent',
      check: (_received, result) => {
        notPolluted();
        expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
        expect((result as { polluted?: unknown }).polluted).toBeUndefined();
        expect((result as { id: string }).id).toBe('r-1');
      },
    },
  },
  {
    name: 'rentix: 150 operations of 20 KB each are split into requests under 512 KB',
    portal: 'rentix',
    call: 'listings.bulk',
    category: 'huge payload',
    input: Array.from({ length: 150 }, (_, i) =>
      ops.upsert({ externalId: `crm-${i}`, announcementValue: i, notes: 'n'.repeat(20_000) } as ListingInput),
    ),
    run: (c, input) => c.rentix.listings.bulk(input as ListingOperation[]),
    expected: {
      outcome: 'sent',
      requests: 6,
      check: (received, result) => {
        for (const req of received) expect(req.bytes).toBeLessThanOrEqual(512 * 1024);
        const sent = received.flatMap((req) => bodyJson(req).operations as { externalId: string }[]);
        // Two requests run at once, so they may arrive in any order: each operation exactly once.
        expect(sent.map((op) => op.externalId).sort()).toEqual(
          Array.from({ length: 150 }, (_, i) => `crm-${i}`).sort(),
        );
        expect((result as { succeeded: number }).succeeded).toBe(150);
      },
    },
  },
  {
    name: 'rentix: one bulk operation over 512 KB is reported failed and never sent',
    portal: 'rentix',
    call: 'listings.bulk',
    category: 'huge payload',
    input: [
      ops.upsert({ externalId: 'crm-big', notes: 'n'.repeat(600_000) } as ListingInput),
      ops.upsert({ externalId: 'crm-small', announcementValue: 1 }),
    ],
    run: (c, input) => c.rentix.listings.bulk(input as ListingOperation[]),
    expected: {
      outcome: 'sent',
      check: (received, result) => {
        const report = result as Awaited<ReturnType<Clients['rentix']['listings']['bulk']>>;
        expect(report.results[0]?.status).toBe('failed');
        expect(report.results[0]?.error).toBeInstanceOf(InputValidationError);
        expect(report.results[1]?.status).toBe('succeeded');
        expect(received[0]?.body).not.toContain('crm-big');
      },
    },
  },
  {
    name: 'rentix: a single upsert over the 512 KB body limit is refused before sending',
    portal: 'rentix',
    call: 'listings.upsert',
    category: 'huge payload',
    input: { externalId: 'crm-huge', notes: 'n'.repeat(600_000) },
    run: (c, input) => c.rentix.listings.upsert(input as ListingInput),
    expected: { outcome: 'refused', error: InputValidationError, paths: [''], itemId: 'crm-huge' },
  },
];

const indomioCases: HostileCase[] = [
  {
    name: 'indomio: a fractional room count is refused',
    portal: 'indomio',
    call: 'fromListing → properties.put',
    category: 'wrong type',
    input: withField(baseListing(), 'rooms', 2.5),
    run: toIndomio,
    expected: { outcome: 'refused', error: InputValidationError, paths: ['rooms'], itemId: 'crm-1' },
  },
  {
    name: 'indomio: a listing without descriptions is refused',
    portal: 'indomio',
    call: 'fromListing → properties.put',
    category: 'missing field',
    input: baseListing({ title: { en: 'Bright flat' }, description: {} }),
    run: toIndomio,
    expected: { outcome: 'refused', error: InputValidationError, paths: ['description'], itemId: 'crm-1' },
  },
  {
    name: 'indomio: a six-character postal code is refused',
    portal: 'indomio',
    call: 'fromListing → properties.put',
    category: 'out of range',
    input: withAddress('postalCode', '600350'),
    run: toIndomio,
    expected: { outcome: 'refused', error: InputValidationError, paths: ['address.postalCode'], itemId: 'crm-1' },
  },
  {
    name: 'indomio: an unknown status is refused',
    portal: 'indomio',
    call: 'fromListing → properties.put',
    category: 'invalid enum',
    input: withField(baseListing(), 'status', 'archived'),
    run: toIndomio,
    expected: { outcome: 'refused', error: InputValidationError, paths: ['status'], itemId: 'crm-1' },
  },
  {
    name: 'indomio: a title over 255 characters is refused',
    portal: 'indomio',
    call: 'fromListing → properties.put',
    category: 'over-long string',
    input: italianListing('Una descrizione abbastanza lunga.', { title: { it: 't'.repeat(256) } }),
    run: toIndomio,
    expected: { outcome: 'refused', error: InputValidationError, paths: ['title.it'], itemId: 'crm-1' },
  },
  {
    name: 'indomio: control characters XML cannot carry are refused',
    portal: 'indomio',
    call: 'fromListing → properties.put',
    category: 'control characters',
    input: italianListing(CONTROL_TEXT),
    run: toIndomio,
    expected: { outcome: 'refused', error: InputValidationError, paths: ['description.it'], itemId: 'crm-1' },
  },
  {
    name: 'indomio: unpaired surrogates are refused',
    portal: 'indomio',
    call: 'fromListing → properties.put',
    category: 'unpaired surrogate',
    input: italianListing(SURROGATE_TEXT),
    run: toIndomio,
    expected: { outcome: 'refused', error: InputValidationError, paths: ['description.it'], itemId: 'crm-1' },
  },
  {
    name: 'indomio: "]]>", "<", "&" and a DOCTYPE in a description keep the XML well-formed and round-trip',
    portal: 'indomio',
    call: 'fromListing → properties.put',
    category: 'markup in free text',
    input: italianListing(MARKUP_TEXT),
    run: toIndomio,
    expected: { outcome: 'sent', check: (received) => expect(indomioContent(received[0])).toBe(MARKUP_TEXT) },
  },
  {
    name: 'indomio: a 1 MB description is sent whole and well-formed',
    portal: 'indomio',
    call: 'fromListing → properties.put',
    category: 'huge payload',
    input: italianListing(`${'parola ]]> '.repeat(100_000)}fine`),
    run: toIndomio,
    expected: {
      outcome: 'sent',
      check: (received) => expect(indomioContent(received[0])).toBe(`${'parola ]]> '.repeat(100_000)}fine`),
    },
  },
  {
    name: 'indomio: a unique-id with "/", "..", "?", "#" and a space stays one encoded path segment',
    portal: 'indomio',
    call: 'fromListing → properties.put',
    category: 'path injection',
    input: baseListing({ id: 'a/../b?c=1#d e' }),
    run: toIndomio,
    expected: {
      outcome: 'sent',
      rawPath: `${INDOMIO_PREFIX}/ws/import/immobiliare/property/${encodeURIComponent('a/../b?c=1#d e')}`,
    },
  },
  {
    name: 'indomio: the unique-id ".." is refused before any call, naming the item',
    portal: 'indomio',
    call: 'fromListing → properties.put',
    category: 'path injection',
    input: baseListing({ id: '..' }),
    run: toIndomio,
    expected: { outcome: 'refused', error: InputValidationError, paths: ['id'], itemId: '..' },
  },
  {
    name: 'indomio: a delete by a hostile idListing stays one encoded path segment',
    portal: 'indomio',
    call: 'properties.delete',
    category: 'path injection',
    input: { idListing: '../../property/1?x#y' },
    run: (c, input) => c.indomio.properties.delete(input as { idListing: string }),
    expected: {
      outcome: 'sent',
      rawPath: `${INDOMIO_PREFIX}/ws/import/immobiliare/property/${encodeURIComponent('../../property/1?x#y')}`,
    },
  },
  {
    name: 'indomio: null instead of a delete target is refused with a typed error',
    portal: 'indomio',
    call: 'properties.delete',
    category: 'wrong type',
    input: null,
    run: (c, input) => c.indomio.properties.delete(input as string),
    expected: { outcome: 'refused', error: InputValidationError, paths: [''], itemId: undefined },
  },
  {
    name: 'indomio: a wrong-typed property given straight to put is refused',
    portal: 'indomio',
    call: 'properties.put',
    category: 'wrong type',
    input: { ...indomioFromListing(baseListing(), INDOMIO_OPTIONS), building: { typeId: 'fourteen' } },
    run: (c, input) => c.indomio.properties.put(input as PropertyInput),
    expected: { outcome: 'refused', error: InputValidationError, paths: ['building.typeId'], itemId: 'crm-1' },
  },
  {
    name: 'indomio: an agent id "constructor" is an ordinary realtor id, not a prototype lookup',
    portal: 'indomio',
    call: 'fromListing (realtorIds) → properties.put',
    category: 'prototype keys',
    input: baseListing({ agent: { id: 'constructor', name: 'Agent' } }),
    run: (c, input) =>
      c.indomio.properties.put(indomioFromListing(input as Listing, { ...INDOMIO_OPTIONS, realtorIds: { other: 7 } })),
    expected: {
      outcome: 'sent',
      check: (received) => {
        notPolluted();
        expect(received[0]?.body).toContain('constructor');
      },
    },
  },
  {
    name: 'indomio: "__proto__" elements in a ServiceResponse pollute nothing',
    portal: 'indomio',
    call: 'properties.put',
    category: 'prototype keys',
    input: baseListing(),
    reply: under(
      INDOMIO_PREFIX,
      xml(
        200,
        '<ServiceResponse><__proto__><polluted>yes</polluted></__proto__><constructor>x</constructor><Result>true</Result><ErrorCode>0</ErrorCode><idListing>9</idListing></ServiceResponse>',
      ),
    ),
    run: toIndomio,
    expected: {
      outcome: 'sent',
      check: (_received, result) => {
        notPolluted();
        expect((result as { idListing: number }).idListing).toBe(9);
      },
    },
  },
  {
    name: 'indomio: a billion-laughs answer ends in UnexpectedResponseError without expansion',
    portal: 'indomio',
    call: 'properties.put',
    category: 'xml doctype',
    input: baseListing(),
    reply: under(INDOMIO_PREFIX, xml(200, BILLION_LAUGHS)),
    run: toIndomio,
    expected: { outcome: 'fails', error: UnexpectedResponseError, itemId: 'crm-1', mustNotContain: 'lollollol' },
  },
  {
    name: 'indomio: a billion-laughs error page (400) ends in an HttpError without expansion',
    portal: 'indomio',
    call: 'properties.put',
    category: 'xml doctype',
    input: baseListing(),
    reply: under(INDOMIO_PREFIX, xml(400, BILLION_LAUGHS)),
    run: toIndomio,
    expected: { outcome: 'fails', error: HttpError, itemId: 'crm-1', mustNotContain: 'lollollol' },
  },
  {
    name: 'indomio: an external-entity answer ends in UnexpectedResponseError and reads no file',
    portal: 'indomio',
    call: 'properties.put',
    category: 'xml doctype',
    input: baseListing(),
    reply: under(INDOMIO_PREFIX, xml(200, EXTERNAL_ENTITY)),
    run: toIndomio,
    expected: { outcome: 'fails', error: UnexpectedResponseError, itemId: 'crm-1', mustNotContain: 'root:' },
  },
  {
    name: 'indomio: a truncated ServiceResponse ends in UnexpectedResponseError',
    portal: 'indomio',
    call: 'properties.put',
    category: 'malformed response',
    input: baseListing(),
    reply: under(INDOMIO_PREFIX, xml(200, '<?xml version="1.0"?><ServiceResponse><Result>true</Result><Err')),
    run: toIndomio,
    expected: { outcome: 'fails', error: UnexpectedResponseError, itemId: 'crm-1' },
  },
  {
    name: 'indomio: a JSON answer instead of XML ends in UnexpectedResponseError',
    portal: 'indomio',
    call: 'properties.put',
    category: 'malformed response',
    input: baseListing(),
    reply: under(INDOMIO_PREFIX, json(200, { result: true, errorCode: 0 })),
    run: toIndomio,
    expected: { outcome: 'fails', error: UnexpectedResponseError, itemId: 'crm-1' },
  },
  {
    name: 'indomio: an HTML page with 200 ends in UnexpectedResponseError',
    portal: 'indomio',
    call: 'properties.put',
    category: 'malformed response',
    input: baseListing(),
    reply: under(INDOMIO_PREFIX, html(200)),
    run: toIndomio,
    expected: { outcome: 'fails', error: UnexpectedResponseError, itemId: 'crm-1' },
  },
  {
    name: 'indomio: an HTML page with 500 ends in ServerError',
    portal: 'indomio',
    call: 'properties.put',
    category: 'malformed response',
    input: baseListing(),
    reply: under(INDOMIO_PREFIX, html(500)),
    run: toIndomio,
    expected: { outcome: 'fails', error: ServerError, itemId: 'crm-1' },
  },
];

const LOCATION_IDS = ['a&b=c#d]e[f', 'x y', '../..', '%2F'];

const pfCases: HostileCase[] = [
  {
    name: 'pfcrm: a location id with a lone surrogate is refused before any call, naming the field',
    portal: 'pfcrm',
    call: 'properties.list',
    category: 'unpaired surrogate',
    input: { filters: { location_ids: ['are.3.12', 'are.\udc00'] } },
    run: (c, input) => c.pfcrm.properties.list(input as PropertyListParams),
    expected: {
      outcome: 'refused',
      error: InputValidationError,
      paths: ['filters.location_ids.1'],
      itemId: undefined,
    },
  },
  {
    name: 'pfcrm: a property id answer with escaped "__proto__" keys in publication and fields carries none',
    portal: 'pfcrm',
    call: 'properties.get',
    category: 'prototype keys',
    input: 5,
    reply: under(PF_PREFIX, {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: `{"property":{"id":5,"publication":{${ESCAPED_PROTO}:{"polluted":"pf"},"state":"live"},"fields":{${FULLY_ESCAPED_PROTO}:{"polluted":"pf"}}}}`,
    }),
    run: (c, input) => c.pfcrm.properties.get(input as number),
    expected: {
      outcome: 'sent',
      requests: 2,
      check: (_received, result) => {
        const property = result as { publication: object; fields: object };
        expect(Object.hasOwn(property.publication, '__proto__')).toBe(false);
        expect(Object.hasOwn(property.fields, '__proto__')).toBe(false);
        expect(property.publication).toEqual({ state: 'live' });
        // Merging what was read cannot change a prototype.
        expect(Object.getPrototypeOf(Object.assign({}, property.publication, property.fields))).toBe(Object.prototype);
        notPolluted();
      },
    },
  },
  {
    name: 'pfcrm: a bedroom filter given as a string is refused',
    portal: 'pfcrm',
    call: 'properties.list',
    category: 'wrong type',
    input: { filters: { from_bedroom: '2' } },
    run: (c, input) => c.pfcrm.properties.list(input as PropertyListParams),
    expected: { outcome: 'refused', error: InputValidationError, paths: ['filters.from_bedroom'], itemId: undefined },
  },
  {
    name: 'pfcrm: 13 bedrooms and a reversed range are refused',
    portal: 'pfcrm',
    call: 'properties.list',
    category: 'out of range',
    input: { filters: { from_bedroom: 13, from_floor: 5, to_floor: 2 } },
    run: (c, input) => c.pfcrm.properties.list(input as PropertyListParams),
    expected: {
      outcome: 'refused',
      error: InputValidationError,
      paths: ['filters.from_bedroom', 'filters.to_floor'],
      itemId: undefined,
    },
  },
  {
    name: 'pfcrm: an unknown sort order is refused',
    portal: 'pfcrm',
    call: 'properties.list',
    category: 'invalid enum',
    input: { sort: 'price', sortOrder: 'SIDEWAYS' },
    run: (c, input) => c.pfcrm.properties.list(input as PropertyListParams),
    expected: { outcome: 'refused', error: InputValidationError, paths: ['sortOrder'], itemId: undefined },
  },
  {
    name: 'pfcrm: "__proto__" and "constructor" filter keys are refused',
    portal: 'pfcrm',
    call: 'properties.list',
    category: 'prototype keys',
    input: { filters: JSON.parse('{"__proto__": {"state": "approved"}, "constructor": 1}') as object },
    run: (c, input) => c.pfcrm.properties.list(input as PropertyListParams),
    expected: { outcome: 'refused', error: InputValidationError, paths: ['filters'], itemId: undefined },
  },
  {
    name: 'pfcrm: a custom-field key that would inject brackets into the query is refused',
    portal: 'pfcrm',
    call: 'properties.list',
    category: 'path injection',
    input: { filters: { property_fields: { '1][state': 'approved' } } },
    run: (c, input) => c.pfcrm.properties.list(input as PropertyListParams),
    expected: {
      outcome: 'refused',
      error: InputValidationError,
      paths: ['filters.property_fields.1][state'],
      itemId: undefined,
    },
  },
  {
    name: 'pfcrm: location ids with "&", "#", brackets, spaces and ".." are sent encoded in the query',
    portal: 'pfcrm',
    call: 'properties.list',
    category: 'path injection',
    input: { filters: { location_ids: LOCATION_IDS } },
    run: (c, input) => c.pfcrm.properties.list(input as PropertyListParams),
    expected: {
      outcome: 'sent',
      requests: 2,
      check: (received) => {
        const list = received.find((req) => req.rawPath === `${PF_PREFIX}/properties`);
        expect(list?.rawUrl).toBe(
          `${PF_PREFIX}/properties?${propertiesQuery({ filters: { location_ids: LOCATION_IDS } })}`,
        );
        const params = new URLSearchParams(list?.rawUrl.split('?')[1] ?? '');
        expect(params.getAll('filters[location_ids][]')).toEqual(LOCATION_IDS);
        expect([...params.keys()].every((key) => key === 'filters[location_ids][]')).toBe(true);
      },
    },
  },
  {
    name: 'pfcrm: a property id with a slash is refused before any call',
    portal: 'pfcrm',
    call: 'properties.get',
    category: 'path injection',
    input: '1/../2',
    run: (c, input) => c.pfcrm.properties.get(input as number),
    expected: { outcome: 'refused', error: InputValidationError, paths: [''], itemId: '1/../2' },
  },
  {
    name: 'pfcrm: NaN, negative and fractional ids are refused',
    portal: 'pfcrm',
    call: 'properties.get',
    category: 'out of range',
    input: [Number.NaN, -1, 1.5],
    run: async (c, input) => {
      const errors: unknown[] = [];
      for (const id of input as number[]) await c.pfcrm.properties.get(id).catch((e: unknown) => errors.push(e));
      const [first] = errors;
      if (errors.length !== 3 || !errors.every((e) => e instanceof InputValidationError)) {
        throw new Error(`expected three refusals, got ${errors.length}`);
      }
      throw first;
    },
    expected: { outcome: 'refused', error: InputValidationError, paths: [''], itemId: 'NaN' },
  },
  {
    name: 'pfcrm: a create without languages and with a size as a string is refused',
    portal: 'pfcrm',
    call: 'properties.create',
    category: 'missing field',
    input: { ...PF_CREATE, languages: undefined, size: '80' },
    run: (c, input) => c.pfcrm.properties.create(input as typeof PF_CREATE),
    expected: { outcome: 'refused', error: InputValidationError, paths: ['languages', 'size'], itemId: 'crm-1' },
  },
  {
    name: 'pfcrm: 13 bedrooms and an unknown status are refused in a create',
    portal: 'pfcrm',
    call: 'properties.create',
    category: 'invalid enum',
    input: { ...PF_CREATE, bedrooms: 13, status: 'sold-ish' },
    run: (c, input) => c.pfcrm.properties.create(input as typeof PF_CREATE),
    expected: { outcome: 'refused', error: InputValidationError, paths: ['bedrooms', 'status'], itemId: 'crm-1' },
  },
  {
    name: 'pfcrm: a "__proto__" key in a create is refused as unknown',
    portal: 'pfcrm',
    call: 'properties.create',
    category: 'prototype keys',
    input: { ...PF_CREATE, ...(JSON.parse('{"__proto__": {"polluted": "create"}}') as object) },
    run: (c, input) => c.pfcrm.properties.create(input as typeof PF_CREATE),
    expected: { outcome: 'refused', error: InputValidationError, paths: [''], itemId: 'crm-1' },
  },
  {
    name: 'pfcrm: a listing priced in another currency and in a city without a location is refused',
    portal: 'pfcrm',
    call: 'fromListing → properties.create',
    category: 'invalid enum',
    input: baseListing({ currency: 'USD', address: { ...baseListing().address, city: 'Ancona' } }),
    run: toPf,
    expected: { outcome: 'refused', error: InputValidationError, paths: ['currency', 'address.city'], itemId: 'crm-1' },
  },
  {
    name: 'pfcrm: control characters, lone surrogates and "]]>" in a description are sent as they are',
    portal: 'pfcrm',
    call: 'fromListing → properties.create',
    category: 'control characters',
    input: baseListing({
      title: { en: 'Bright flat' },
      description: { en: `${CONTROL_TEXT} ${SURROGATE_TEXT} ${MARKUP_TEXT}` },
    }),
    run: toPf,
    expected: {
      outcome: 'sent',
      requests: 2,
      check: (received) => {
        const create = received.find((req) => req.method === 'POST' && req.rawPath === `${PF_PREFIX}/properties`);
        const property = bodyJson(create).property as { languages: { en: { description: string } } };
        expect(property.languages.en.description).toBe(`${CONTROL_TEXT} ${SURROGATE_TEXT} ${MARKUP_TEXT}`);
      },
    },
  },
  {
    name: 'pfcrm: 1,000 bulk operations go in requests of at most 100',
    portal: 'pfcrm',
    call: 'properties.bulk',
    category: 'huge payload',
    input: Array.from({ length: 1_000 }, (_, i) => pfOps.approve(i + 1)),
    reply: (req) =>
      req.method === 'PATCH' ? { status: 204, headers: { 'content-type': 'application/json' } } : portalSuccess(req),
    run: (c, input) => c.pfcrm.properties.bulk(input as ReturnType<typeof pfOps.approve>[]),
    expected: {
      outcome: 'sent',
      requests: 11,
      check: (received, result) => {
        const patches = received.filter((req) => req.method === 'PATCH');
        expect(patches).toHaveLength(10);
        for (const req of patches) expect((bodyJson(req).operations as unknown[]).length).toBe(100);
        expect((result as { succeeded: number }).succeeded).toBe(1_000);
      },
    },
  },
  {
    name: 'pfcrm: "__proto__" and "constructor" keys in a property answer pollute nothing',
    portal: 'pfcrm',
    call: 'properties.get',
    category: 'prototype keys',
    input: 5,
    reply: under(PF_PREFIX, {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: '{"property":{"id":5,"__proto__":{"polluted":"pf"},"constructor":{"prototype":{"polluted":"pf"}}}}',
    }),
    run: (c, input) => c.pfcrm.properties.get(input as number),
    expected: {
      outcome: 'sent',
      requests: 2,
      check: (_received, result) => {
        notPolluted();
        expect((result as { id: number }).id).toBe(5);
        expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
      },
    },
  },
];

/** Malformed answers, for each client: every one must end in a typed SyncError subclass. */
const malformed: HostileCase[] = [
  ...(
    [
      ['truncated JSON', truncatedJson(), UnexpectedResponseError, undefined],
      [
        'a text/plain answer',
        { status: 200, body: 'OK', headers: { 'content-type': 'text/plain' } },
        UnexpectedResponseError,
        undefined,
      ],
      ['JSON of the wrong shape', json(200, [1, 2, 3]), UnexpectedResponseError, undefined],
      ['an HTML page with 200', html(200), UnexpectedResponseError, undefined],
      ['an HTML page with 500', html(500), ServerError, 500],
      ['a body cut in the middle', cutMidBody(), NetworkError, undefined],
      ['100,000-deep JSON with 200', deepJson(200), UnexpectedResponseError, 200],
      ['100,000-deep JSON with 500', deepJson(500), ServerError, 500],
    ] as const
  ).flatMap(([what, reply, error, status]): HostileCase[] => [
    {
      name: `rentix: ${what} ends in ${error.name}`,
      portal: 'rentix',
      call: 'listings.upsert',
      category: 'malformed response',
      input: { externalId: 'crm-1', announcementValue: 1 },
      reply: under(RENTIX_PREFIX, reply),
      run: (c, input) => c.rentix.listings.upsert(input as ListingInput),
      expected: { outcome: 'fails', error, itemId: 'crm-1', status },
    },
    {
      name: `pfcrm: ${what} ends in ${error.name}`,
      portal: 'pfcrm',
      call: 'properties.get',
      category: 'malformed response',
      input: 12,
      reply: under(PF_PREFIX, reply),
      run: (c, input) => c.pfcrm.properties.get(input as number),
      expected: { outcome: 'fails', error, itemId: '12', status },
    },
  ]),
  {
    name: 'pfcrm: a truncated token answer ends in UnexpectedResponseError',
    portal: 'pfcrm',
    call: 'auth.token → properties.list',
    category: 'malformed response',
    input: {},
    reply: (req) =>
      req.rawPath === PF_TOKEN_PATH
        ? { status: 200, body: '{"access_token": "abc', headers: { 'content-type': 'application/json' } }
        : portalSuccess(req),
    run: (c, input) => c.pfcrm.properties.list(input as PropertyListParams),
    expected: { outcome: 'fails', error: UnexpectedResponseError },
  },
  {
    name: 'pfcrm: an HTML token answer with 200 ends in UnexpectedResponseError',
    portal: 'pfcrm',
    call: 'auth.token → properties.list',
    category: 'malformed response',
    input: {},
    reply: (req) => (req.rawPath === PF_TOKEN_PATH ? html(200) : portalSuccess(req)),
    run: (c, input) => c.pfcrm.properties.list(input as PropertyListParams),
    expected: { outcome: 'fails', error: UnexpectedResponseError },
  },
  {
    name: 'indomio: a ServiceResponse with a non-numeric ErrorCode ends in UnexpectedResponseError',
    portal: 'indomio',
    call: 'properties.put',
    category: 'malformed response',
    input: baseListing(),
    reply: under(INDOMIO_PREFIX, xml(200, serviceResponse({ Result: 'maybe', ErrorCode: 'zero' }))),
    run: toIndomio,
    expected: { outcome: 'fails', error: UnexpectedResponseError, itemId: 'crm-1' },
  },
];

export const HOSTILE_CORPUS: readonly HostileCase[] = [...rentixCases, ...indomioCases, ...pfCases, ...malformed];
