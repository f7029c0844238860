import { type HandlerServer, serveHandlers } from '@sync/core/msw';
import { HttpResponse, http } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  buildPropertyXml,
  ErrorCode,
  IndomioClient,
  IndomioError,
  IndomioLockedError,
  parseServiceResponse,
} from '../src/index.js';
import { createIndomioHandlers, DEFAULT_TYPOLOGIES, httpStatusOf, IndomioMockPortal } from '../src/msw/index.js';
import { fullProperty, minimalProperty } from './helpers.js';

const portal = new IndomioMockPortal({
  agencies: ['agency@example.com', { email: 'offline@example.com', id: '9', online: false }],
});
let server: HandlerServer;

beforeAll(async () => {
  server = await serveHandlers((url) => createIndomioHandlers({ portal, baseUrl: url }));
});
afterAll(() => server.close());
afterEach(() => portal.reset());

const AUTH = {
  authorization: `Basic ${Buffer.from('user:secret').toString('base64')}`,
  'x-immo-source': 'crm',
};

/** A raw PUT, as any HTTP client would send it. */
async function put(body: string | Uint8Array, id = 'x', headers: Record<string, string> = AUTH) {
  const res = await fetch(`${server.url}/ws/import/immobiliare/property/${id}`, {
    method: 'PUT',
    body: body as BodyInit,
    headers: { 'content-type': 'application/xml; charset=utf-8', ...headers },
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    text,
    response: text.includes('<ServiceResponse') ? parseServiceResponse(text) : undefined,
  };
}

const minimal = (id = 'x') => buildPropertyXml(minimalProperty(id));
const full = (id = 'x') => buildPropertyXml(fullProperty(id));

describe('the mock validates every document against the shipped XSD first (470 BAD_JAXB_REQUEST, HTTP 400)', () => {
  it.each([
    ['an unknown energy class', minimal().replace('<energy-class/>', '<energy-class value="Z"/>'), "'Z'"],
    ['a currency that is not three letters', minimal().replace('currency="EUR"', 'currency="EURO"'), "'EURO'"],
    ['an unknown locality/@map', full().replace('map="exact"', 'map="blurred"'), "'blurred'"],
    ['an unknown size unit', full().replace('<size unit="m2">', '<size unit="acres">'), "'acres'"],
    ['an unknown element', minimal().replace('<energy-class/>', '<energy-class/><colour>red</colour>'), 'colour'],
    ['an unknown attribute', minimal().replace('IDType="14"', 'IDType="14" colour="red"'), 'colour'],
    ['a document in a namespace', minimal().replace('<property ', '<property xmlns="urn:example" '), 'urn:example'],
    ['a picture without a URL', full().replace(' url="https://img.example.com/2.jpg"', ''), 'url'],
    [
      'a latitude that is not a number',
      full().replace('<latitude>43.5176</latitude>', '<latitude>north</latitude>'),
      "'north'",
    ],
    ['a date-updated that is not a date', minimal().replace('2024-05-01T10:00:00', 'yesterday'), "'yesterday'"],
    [
      'elements out of order',
      minimal().replace(/(<transactions>.*<\/transactions>)(<building IDType="14"\/>)/, '$2$1'),
      'building',
    ],
    ['a missing required element', minimal().replace('<features><energy-class/></features>', ''), 'features'],
  ])('refuses %s, quoting libxml2, and stores nothing', async (_case, xml, quoted) => {
    const answer = await put(xml);
    expect(answer.status).toBe(400);
    expect(answer.response).toMatchObject({ result: false, errorCode: ErrorCode.BAD_JAXB_REQUEST });
    expect(answer.response?.errorMessage).toMatch(/^XSD validation failed: line \d+: /);
    expect(answer.response?.errorMessage).toContain(quoted);
    expect(portal.listings()).toHaveLength(0);
  });

  it('refuses malformed XML and any DOCTYPE with 470 as well', async () => {
    for (const xml of [
      '<property><unique-id>x</property>',
      '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaa">]><property>&a;</property>',
      '<feed><version>2.9</version></feed>',
    ]) {
      const answer = await put(xml);
      expect(answer.status, xml).toBe(400);
      expect(answer.response?.errorCode, xml).toBe(ErrorCode.BAD_JAXB_REQUEST);
    }
  });

  it('accepts the documents the client writes, minimal and full', async () => {
    expect((await put(minimal('m-1'), 'm-1')).response).toMatchObject({ result: true, errorCode: 0 });
    expect((await put(full('f-1'), 'f-1')).response).toMatchObject({ result: true, errorCode: 0 });
    expect(portal.listings().map((l) => l.uniqueId)).toEqual(['m-1', 'f-1']);
  });

  it('validates documents sent at the same time, each on its own verdict', async () => {
    const bodies = Array.from({ length: 12 }, (_, i) =>
      i % 3 === 0 ? minimal(`c-${i}`).replace('<energy-class/>', '<energy-class value="Z"/>') : minimal(`c-${i}`),
    );
    const answers = await Promise.all(bodies.map((body, i) => put(body, `c-${i}`)));
    expect(answers.map((a) => a.response?.errorCode)).toEqual(bodies.map((_, i) => (i % 3 === 0 ? 470 : 0)));
    expect(portal.listings()).toHaveLength(8);
  });
});

describe('the mock reads bodies as UTF-8 only', () => {
  it('refuses bytes that are not UTF-8 with 400 BAD_REQUEST, storing nothing with characters replaced', async () => {
    const xml = minimal('u-1').replace('Jesi', 'Citt\u00e0');
    const latin1 = Buffer.from(xml, 'latin1');
    const answer = await put(new Uint8Array(latin1), 'u-1');
    expect(answer.status).toBe(400);
    expect(answer.response).toMatchObject({ result: false, errorCode: ErrorCode.BAD_REQUEST });
    expect(answer.response?.errorMessage).toMatch(/not valid UTF-8 \(byte \d+\)/);
    expect(portal.listings()).toHaveLength(0);
    // The same text in UTF-8 is stored as it was sent.
    expect((await put(new TextEncoder().encode(xml), 'u-1')).response?.errorCode).toBe(0);
    expect(portal.getListing('u-1')?.xml).toContain('Citt\u00e0');
  });

  it('refuses a document that declares another encoding', async () => {
    const answer = await put(minimal().replace('encoding="UTF-8"', 'encoding="ISO-8859-1"'));
    expect(answer.status).toBe(400);
    expect(answer.response?.errorCode).toBe(ErrorCode.BAD_REQUEST);
    expect(answer.response?.errorMessage).toContain('ISO-8859-1');
  });
});

describe("the guide's rules, after the schema", () => {
  const withSizes = (typeId: number, sizeType: string, contract = 'R') =>
    minimal()
      .replace('IDType="14"', `IDType="${typeId}"`)
      .replace('type="S"', `type="${contract}"`)
      .replace(
        '<features><energy-class/>',
        `<features><sizes unit="m2"><size><type>${sizeType}</type><surface>20</surface><weight>100</weight></size></sizes><energy-class/>`,
      );

  it.each([
    ['a price in USD', minimal().replace('currency="EUR"', 'currency="USD"'), ErrorCode.BAD_REQUEST, 'USD'],
    ['a garage with a residential size type', withSizes(253, 'Abitazione', 'S'), ErrorCode.BAD_REQUEST, 'Garage'],
    ['a parking space with a residential size type', withSizes(254, 'Abitazione'), ErrorCode.BAD_REQUEST, 'Garage'],
    ['coworking with a residential size type', withSizes(259, 'Abitazione'), ErrorCode.BAD_REQUEST, 'Ufficio'],
    [
      'a room for sale (the default room typology)',
      minimal().replace('IDType="14"', 'IDType="4"'),
      ErrorCode.UNRESOLVED_TYPOLOGY,
      'contract S',
    ],
    [
      'a room for sale (rent-room)',
      minimal().replace(
        '</features>',
        '</features><extra-features><rent-room><furnished>true</furnished></rent-room></extra-features>',
      ),
      ErrorCode.UNRESOLVED_TYPOLOGY,
      'room',
    ],
    ['coworking for sale', withSizes(259, 'Ufficio', 'S'), ErrorCode.UNRESOLVED_TYPOLOGY, 'contract S'],
    ['an unknown typology', minimal().replace('IDType="14"', 'IDType="9999"'), ErrorCode.UNRESOLVED_TYPOLOGY, '9999'],
    ['no typology', minimal().replace(' IDType="14"', ''), ErrorCode.MISSING_FIELD, 'IDType'],
    ['no city code and no coordinates', minimal().replace(' code="042021"', ''), ErrorCode.MISSING_GEO, 'ISTAT'],
    [
      'an unknown operation',
      minimal().replace('operation="write"', 'operation="upsert"'),
      ErrorCode.UNKNOWN_CMD,
      'upsert',
    ],
  ])('refuses %s', async (_case, xml, code, quoted) => {
    const answer = await put(xml);
    expect(answer.response).toMatchObject({ result: false, errorCode: code });
    expect(answer.response?.errorMessage).toContain(quoted);
    expect(answer.status).toBe(400);
    expect(portal.listings()).toHaveLength(0);
  });

  it('accepts what the rules allow: a garage with Garage surfaces, coworking with Ufficio for rent, a room for rent', async () => {
    expect(DEFAULT_TYPOLOGIES.find((t) => t.id === 4)).toMatchObject({ name: 'Stanza', contracts: ['R'] });
    for (const [i, xml] of [
      withSizes(253, 'Garage', 'S'),
      withSizes(259, 'Ufficio'),
      withSizes(4, 'Abitazione'),
    ].entries()) {
      const answer = await put(xml.replace('<![CDATA[x]]>', `<![CDATA[ok-${i}]]>`), `ok-${i}`);
      expect(answer.response?.errorCode, xml).toBe(0);
    }
  });
});

describe('HTTP statuses: standard ones, with the ErrorCode in the ServiceResponse', () => {
  it('maps every documented code onto a standard status', () => {
    expect(
      [0, 330, 400, 401, 403, 404, 409, 422, 440, 445, 450, 455, 460, 470, 480, 500].map((c) => [c, httpStatusOf(c)]),
    ).toEqual([
      [0, 200],
      [330, 403],
      [400, 400],
      [401, 403],
      [403, 403],
      [404, 404],
      [409, 400],
      [422, 400],
      [440, 400],
      [445, 404],
      [450, 404],
      [455, 400],
      [460, 400],
      [470, 400],
      [480, 400],
      [500, 500],
    ]);
  });

  it('answers 200 to a write and to an ignored older one, 401 to bad credentials, 403 locked, 404 unknown', async () => {
    const first = await put(minimal('s-1'), 's-1');
    expect([first.status, first.response?.errorCode]).toEqual([200, 0]);
    const older = await put(minimal('s-1').replace('2024-05-01T10:00:00', '2020-01-01T00:00:00'), 's-1');
    expect([older.status, older.response?.errorCode, older.response?.result]).toEqual([200, 0, true]);
    expect(portal.getListing('s-1')?.writes).toBe(1);

    const denied = await put(minimal('s-1'), 's-1', { ...AUTH, 'x-immo-source': 'other' });
    expect(denied.status).toBe(401);
    expect(denied.headers.get('www-authenticate')).toMatch(/^Basic/);

    portal.lock('s-1');
    const locked = await put(minimal('s-1').replace('2024-05-01T10:00:00', '2030-01-01T00:00:00'), 's-1');
    expect([locked.status, locked.response?.errorCode, locked.response?.lock]).toEqual([403, 403, true]);

    const gone = await fetch(`${server.url}/ws/import/immobiliare/property/1`, { method: 'DELETE', headers: AUTH });
    expect(gone.status).toBe(404);
    expect(parseServiceResponse(await gone.text()).errorCode).toBe(ErrorCode.NOT_FOUND);

    const offline = await put(minimal().replace('agency@example.com', 'offline@example.com'));
    expect([offline.status, offline.response?.errorCode]).toEqual([403, ErrorCode.OFFLINE_RE]);
    const unknown = await put(minimal().replace('agency@example.com', 'nobody@example.com'));
    expect([unknown.status, unknown.response?.errorCode]).toEqual([404, ErrorCode.MISSING_RE]);

    portal.failNext(1, 500);
    const generic = await put(minimal('s-2'), 's-2');
    expect([generic.status, generic.response?.errorCode]).toEqual([500, ErrorCode.GENERIC_ERROR]);
  });

  it('sends the optional ListingUuid and AgencyUuid where they apply, the same uuid on every answer for a listing', async () => {
    const first = await put(minimal('o-1'), 'o-1');
    expect(first.response?.listingUuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.response?.agencyUuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.response?.listingUuid).toBe(portal.getListing('o-1')?.uuid);
    const again = await put(minimal('o-1').replace('2024-05-01T10:00:00', '2024-05-02T10:00:00'), 'o-1');
    expect(again.response?.listingUuid).toBe(first.response?.listingUuid);
    const refused = await put(minimal('o-2').replace('currency="EUR"', 'currency="EURO"'), 'o-2');
    expect(refused.response?.listingUuid).toBeUndefined();
    // The document names its realtor: the answer says which one it was.
    const named = await put(full('o-3'), 'o-3');
    expect(named.response).toMatchObject({ errorCode: 0, realtorId: 42, realtorExternalId: 'ag-7' });
    expect(first.response?.realtorId).toBeUndefined();
  });

  it('sets no rate limit unless asked: no X-RateLimit headers, no 429', async () => {
    const answers = await Promise.all(Array.from({ length: 5 }, (_, i) => put(minimal(`r-${i}`), `r-${i}`)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    for (const a of answers) expect(a.headers.get('x-ratelimit-limit')).toBeNull();
    expect(new IndomioMockPortal().rateLimit).toBeUndefined();
  });
});

/** The mock behind a server that maps statuses as another portal could. */
async function remapped(map: (answer: { status: number; errorCode?: number | undefined }) => number) {
  return serveHandlers((url) => {
    const route = `${url}/ws/import/immobiliare/property/:id`;
    const respond =
      (method: 'PUT' | 'DELETE') =>
      async ({ request, params }: { request: Request; params: Record<string, unknown> }) => {
        const answer = await portal.serve(method, String(params.id), request);
        if (answer === 'drop') return HttpResponse.error();
        return new HttpResponse(answer.body, { status: map(answer), headers: answer.headers });
      };
    return [http.put(route, respond('PUT')), http.delete(route, respond('DELETE'))];
  });
}

const MAPPINGS = [
  ['the mock: standard statuses', undefined],
  [
    'ErrorCodes as statuses',
    (a: { status: number; errorCode?: number | undefined }) => (a.errorCode ? a.errorCode : a.status),
  ],
  [
    '200 for every ServiceResponse',
    (a: { status: number; errorCode?: number | undefined }) => (a.errorCode === undefined ? a.status : 200),
  ],
] as const;

describe.each(MAPPINGS)('the client reads the ErrorCode, not the status (%s)', (_name, map) => {
  let target: HandlerServer;
  beforeAll(async () => {
    target = map ? await remapped(map) : server;
  });
  afterAll(async () => {
    if (map) await target.close();
  });
  const client = () =>
    new IndomioClient({
      username: 'user',
      password: 'secret',
      source: 'crm',
      baseUrl: target.url,
      allowInsecureHttp: true,
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
    });
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (e: unknown) => e as IndomioError,
    );

  it('throws an IndomioError with the code for every refusal, never retrying one', async () => {
    const cases: Array<[() => void, number]> = [
      [() => portal.failNext(1, 400, ErrorCode.BAD_JAXB_REQUEST), ErrorCode.BAD_JAXB_REQUEST],
      [() => portal.failNext(1, 403, ErrorCode.WRONG_STATUS), ErrorCode.WRONG_STATUS],
      [() => portal.setAgencyOnline('agency@example.com', false), ErrorCode.OFFLINE_RE],
    ];
    for (const [arrange, code] of cases) {
      portal.reset();
      arrange();
      const error = await refusal(client().properties.put(minimalProperty('e-1')));
      expect(error, String(code)).toBeInstanceOf(IndomioError);
      expect(error).toMatchObject({ code, retryable: false, itemId: 'e-1' });
      expect(portal.requests, String(code)).toHaveLength(1);
    }
    portal.reset();
    const typology = await refusal(client().properties.put({ ...minimalProperty('e-2'), building: { typeId: 9999 } }));
    expect(typology).toMatchObject({ code: ErrorCode.UNRESOLVED_TYPOLOGY, retryable: false });
    expect(portal.requests).toHaveLength(1);
  });

  it('reports a locked listing as IndomioLockedError and NOT_FOUND on an unknown delete', async () => {
    const c = client();
    const { idListing } = await c.properties.put(minimalProperty('l-1'));
    portal.lock('l-1');
    const locked = await refusal(c.properties.put({ ...minimalProperty('l-1'), dateUpdated: '2030-01-01T00:00:00Z' }));
    expect(locked).toBeInstanceOf(IndomioLockedError);
    expect(locked).toMatchObject({ code: ErrorCode.LOCKED, lock: true, idListing });
    const missing = await refusal(c.properties.delete({ idListing: 1 }));
    expect(missing).toMatchObject({ code: ErrorCode.NOT_FOUND, retryable: false });
  });

  it('retries a GENERIC_ERROR, then succeeds', async () => {
    portal.failNext(2, 500);
    const result = await client().properties.put(minimalProperty('g-1'));
    expect(result.response).toMatchObject({ result: true, errorCode: 0 });
    expect(portal.requests.map((r) => r.errorCode)).toEqual([500, 500, 0]);
  });
});
