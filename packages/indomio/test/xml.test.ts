import { InputValidationError, UnexpectedResponseError } from '@sync/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildPropertyXml,
  decodeXmlText,
  ERROR_CODES,
  ErrorCode,
  errorCodeInfo,
  MAX_DOCUMENT_BYTES,
  MAX_PICTURE_BYTES,
  type PropertyInput,
  parseServiceResponse,
  parseXmlSafely,
  ServiceResponseSchema,
  textOf,
  validateProperty,
  XmlParseError,
} from '../src/index.js';
import { serviceResponseFromText } from '../src/schemas/service-response.js';
import { XmlWriter } from '../src/xml/writer.js';
import { fullProperty, minimalProperty, userProperty, validateAgainstXsd, xmlTree } from './helpers.js';
import { referencePropertyDocument } from './reference-writer.js';

function issuesOf(input: unknown): string[] {
  try {
    buildPropertyXml(input as PropertyInput);
  } catch (error) {
    if (error instanceof InputValidationError) return error.issues.map((i) => `${i.path}: ${i.message}`);
    throw error;
  }
  return [];
}

describe('buildPropertyXml', () => {
  it('writes documents that the portal XSD accepts, from the smallest to one using every part of the model', async () => {
    const result = await validateAgainstXsd([buildPropertyXml(minimalProperty()), buildPropertyXml(fullProperty())]);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('is checked by a validator that does refuse a wrong document', async () => {
    const wrongOrder = buildPropertyXml(minimalProperty()).replace(
      /(<building[^>]*\/>)(<features>.*<\/features>)/,
      '$2$1',
    );
    const result = await validateAgainstXsd([wrongOrder]);
    expect(result.valid).toBe(false);
  });

  it('keeps free text containing "]]>" intact in CDATA', () => {
    const content = 'a ]]> b ]]]]> c <d> & e';
    const xml = buildPropertyXml({ ...minimalProperty(), features: { energyClass: {}, descriptions: [{ content }] } });
    const parsed = parseXmlSafely(xml) as Record<
      string,
      Record<string, Record<string, Record<string, Record<string, unknown>>>>
    >;
    expect(textOf(parsed.property?.features?.descriptions?.description?.content)).toBe(content);
  });

  it('escapes attribute values', () => {
    const xml = buildPropertyXml({ ...minimalProperty(), pictures: [{ url: 'https://x.test/a.jpg?a=1&b="2"<' }] });
    expect(xml).toContain('url="https://x.test/a.jpg?a=1&amp;b=&quot;2&quot;&lt;"');
  });

  it('keeps tabs and line breaks in attribute values as character references', () => {
    const xml = buildPropertyXml({
      ...minimalProperty(),
      pictures: [{ url: 'https://x.test/a.jpg', etag: 'a\tb\nc\rd' }],
    });
    expect(xml).toContain('etag="a&#9;b&#10;c&#13;d"');
  });

  it('writes a private advertiser (user) in place of the agent, and the XSD accepts it', async () => {
    const xml = buildPropertyXml(userProperty());
    expect(xml).not.toContain('<agent>');
    expect(xml).toContain('<birth-date>1980-02-29</birth-date>');
    expect(xml).toContain(
      '<language>it-IT</language><location><country-code>IT</country-code><city code="042002"><![CDATA[Ancona]]></city><locality><postal-code>60121</postal-code></locality></location>',
    );
    expect(xml).toContain('<user uuid="3aa36b26-8771-45c5-9850-26eadeb13129" active="true" group="privati &amp; co">');
    const { user: _full, ...rest } = userProperty();
    const minimal = buildPropertyXml({ ...rest, user: { email: 'privato@example.com' } });
    const result = await validateAgainstXsd([xml, minimal]);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('needs exactly one of agent and user', () => {
    const { agent, ...none } = minimalProperty();
    expect(issuesOf(none)).toEqual(['agent: give the agent (an agency) or the user (a private advertiser)']);
    expect(issuesOf({ ...none, agent, user: { email: 'privato@example.com' } })).toEqual([
      'user: give the agent or the user, not both',
    ]);
    expect(issuesOf({ ...none, user: { email: 'privato@example.com', birthDate: '1980-02-30' } })[0]).toContain(
      'user.birthDate',
    );
  });

  it('writes numbers as String() does, digit by digit or not', () => {
    const numbers = [0, -0, 7, -1, 9, 10, 99, 100, 1985, -250, 123_456_789, 2 ** 31, 2 ** 53 - 1, -(2 ** 53 - 1)];
    const others = [2 ** 53, 1e21, -1e21, 1.5, -0.25, 43.5176, 1e-7, Number.NaN, Number.POSITIVE_INFINITY];
    for (const n of [...numbers, ...others]) {
      const out = new XmlWriter(8);
      out.start('n');
      out.attr('v', n);
      out.text(n);
      out.end('n');
      expect(out.toString()).toBe(`<n v="${String(n)}">${String(n)}</n>`);
    }
  });

  it('grows its buffer and hands over full chunks without changing a byte', () => {
    const write = (out: XmlWriter) => {
      out.raw('<list>');
      for (let i = 0; i < 300; i++) {
        out.start('item');
        out.attr('n', i);
        out.attr('note', 'a "quoted"\ttab & <tag>');
        out.cdata(`è ]]> ${'中文 😀 '.repeat(i)}`);
        out.end('item');
        out.start('empty');
        out.end('empty');
        out.textElement('t', '');
      }
      out.raw('</list>');
    };
    const whole = new XmlWriter(16);
    write(whole);
    const chunks: Buffer[] = [];
    const chunked = new XmlWriter(64, (written) => {
      chunks.push(Buffer.from(written));
      return Buffer.allocUnsafe(64);
    });
    write(chunked);
    chunked.flush();
    expect(Buffer.concat(chunks).toString('utf8')).toBe(whole.toString());
    expect(whole.toString()).toContain('<item n="1" note="a &quot;quoted&quot;&#9;tab &amp; &lt;tag&gt;">');
    expect(whole.toString()).toContain('<empty/><t></t>');
  });

  it('writes the same elements, attributes and text as an independent DOM writer', () => {
    for (const input of [minimalProperty(), fullProperty(), userProperty()]) {
      const valid = validateProperty(input);
      expect(xmlTree(buildPropertyXml(input))).toEqual(xmlTree(referencePropertyDocument(valid)));
    }
  });

  it('writes dates as xs:dateTime and Date objects in UTC', () => {
    const xml = buildPropertyXml({ ...minimalProperty(), dateUpdated: new Date('2024-03-04T05:06:07.890Z') });
    expect(xml).toContain('<date-updated>2024-03-04T05:06:07Z</date-updated>');
  });

  it('writes the property children in the XSD order', () => {
    const xml = buildPropertyXml(fullProperty());
    const order = [
      'unique-id',
      'published-on',
      'date-updated',
      'agent',
      'location',
      'pictures',
      'videos',
      'date-expiration',
      'reference-code',
      'publish',
      'transactions',
      'building',
      'features',
      'extra-features',
      'documents',
      'blueprints',
    ];
    const [root] = parseXmlSafely(xml, true) as [Record<string, unknown>, ...unknown[]];
    const found = (root.property as Record<string, unknown>[]).flatMap((c) => Object.keys(c).filter((k) => k !== ':@'));
    expect(found).toEqual(order);
  });
});

describe('rules of the guide that the XSD cannot express', () => {
  it('accepts only EUR', () => {
    expect(issuesOf({ ...minimalProperty(), transactions: [{ type: 'S', price: 1, currency: 'USD' }] })).toEqual([
      'transactions.0.currency: only EUR is accepted by the portal',
    ]);
  });

  it('needs a city code or coordinates', () => {
    const noGeo = { ...minimalProperty(), location: { city: { name: 'Jesi' } } };
    expect(issuesOf(noGeo)[0]).toContain('location.city.code');
    expect(
      issuesOf({ ...noGeo, location: { city: { name: 'Jesi' }, locality: { latitude: 43.5, longitude: 13.2 } } }),
    ).toEqual([]);
  });

  it('limits media sizes and counts', () => {
    expect(issuesOf({ ...minimalProperty(), pictures: [{ url: 'u', sizeBytes: MAX_PICTURE_BYTES + 1 }] })[0]).toContain(
      'pictures.0.sizeBytes',
    );
    expect(
      issuesOf({
        ...minimalProperty(),
        documents: [{ url: 'u', type: 'altro', sizeBytes: MAX_DOCUMENT_BYTES + 1 }],
      })[0],
    ).toContain('documents.0.sizeBytes');
    const twice = (type: string) => [
      { url: 'a', type },
      { url: 'b', type },
    ];
    expect(issuesOf({ ...minimalProperty(), documents: twice('planimetria') })[0]).toContain('planimetria');
    expect(issuesOf({ ...minimalProperty(), documents: twice('ape') })[0]).toContain('ape');
    const blueprints = Array.from({ length: 5 }, (_, i) => ({ url: `b${i}` }));
    expect(issuesOf({ ...minimalProperty(), blueprints })[0]).toContain('blueprints');
    expect(issuesOf({ ...minimalProperty(), blueprints: blueprints.slice(0, 4) })).toEqual([]);
  });

  it('refuses a room for sale', () => {
    const room = { ...minimalProperty(), extraFeatures: { accommodationType: 'single' } };
    expect(issuesOf(room)).toEqual(['transactions.0.type: a room cannot be for sale']);
    expect(issuesOf({ ...room, transactions: [{ type: 'R', price: 400 }] })).toEqual([]);
  });

  it('allows only the Garage size type for garages and parking spaces', () => {
    const garage = (type: string) => ({
      ...minimalProperty(),
      building: { typeId: 253 },
      features: { energyClass: {}, sizes: { unit: 'm2', items: [{ type, surface: 15, weight: 100 }] } },
    });
    expect(issuesOf(garage('Abitazione'))[0]).toContain('features.sizes.items.0.type');
    expect(issuesOf(garage('Garage'))).toEqual([]);
  });

  it('refuses characters XML cannot carry, naming the field', () => {
    expect(issuesOf({ ...minimalProperty(), referenceCode: 'a\u0001b' })[0]).toContain('referenceCode');
  });
});

// Text without characters XML 1.0 cannot carry.
const xmlText = fc.string({ unit: 'grapheme', maxLength: 40 });
const nonEmptyText = xmlText.filter((s) => s.trim() !== '');
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const propertyArb: fc.Arbitrary<PropertyInput> = fc
  .record({
    uniqueId: nonEmptyText,
    dateUpdated: fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
    referenceCode: optional(xmlText),
    agentName: optional(xmlText),
    user: optional(
      fc.record({
        name: optional(xmlText),
        surname: optional(xmlText),
        active: optional(fc.boolean()),
        showPhone: optional(fc.boolean()),
        gender: optional(fc.constantFrom('M' as const, 'F' as const)),
        language: optional(fc.constantFrom('it-IT' as const, 'en-GB' as const, 'sr-RS' as const)),
        birthDate: optional(fc.date({ min: new Date('1900-01-01'), max: new Date('2010-01-01'), noInvalidDate: true })),
      }),
    ),
    realtors: optional(
      fc.array(fc.record({ id: optional(fc.integer({ min: 1, max: 2 ** 31 - 1 })), firstName: optional(xmlText) }), {
        minLength: 1,
        maxLength: 3,
      }),
    ),
    cityName: xmlText,
    code: optional(fc.stringMatching(/^\d{6}$/)),
    lat: fc.double({ min: -90, max: 90, noNaN: true }),
    lon: fc.double({ min: -180, max: 180, noNaN: true }),
    map: optional(fc.constantFrom('exact' as const, 'near' as const, 'no' as const)),
    postalCode: optional(fc.stringMatching(/^\d{5}$/)),
    thoroughfare: optional(xmlText.map((s) => s.slice(0, 200))),
    pictures: optional(fc.array(fc.webUrl(), { minLength: 1, maxLength: 4 })),
    videos: optional(fc.array(fc.webUrl(), { minLength: 1, maxLength: 5 })),
    visibilities: optional(
      fc.array(
        fc.record({
          type: fc.constantFrom('basic', 'premium', 'top', 'showcase', 'star', 'alert-email-showcase' as const),
          op: fc.constantFrom('active' as const, 'remove' as const),
        }),
        { minLength: 1, maxLength: 3 },
      ),
    ),
    sale: fc.boolean(),
    rent: fc.boolean(),
    price: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
    reserved: optional(fc.boolean()),
    typeId: fc.constantFrom(14, 15, 21, 23, 258),
    status: optional(fc.constantFrom('nuovo', 'ottimo', 'da ristrutturare', 'nd' as const)),
    size: optional(fc.integer({ min: 0, max: 100_000 })),
    bedrooms: optional(fc.integer({ min: 0, max: 20 })),
    descriptions: optional(
      fc.array(
        fc.record({
          language: optional(fc.constantFrom('it', 'en', 'es', 'de' as const)),
          title: optional(xmlText),
          content: xmlText,
        }),
        { maxLength: 3 },
      ),
    ),
    energy: optional(fc.constantFrom('A4', 'A+', 'B', 'G', 'Γ', 'esente', 'NC' as const)),
    performance: optional(fc.double({ min: -1e6, max: 1e6, noNaN: true })),
    bathrooms: optional(fc.integer({ min: 0, max: 10 })),
    garage: optional(fc.constantFrom('No', 'Box', 'Rimessa', 'PostoAuto' as const)),
    heating: optional(fc.constantFrom('Assente', 'Autonomo', 'Centralizzato' as const)),
    floor: optional(fc.integer({ min: -5, max: 100 })),
    buildYear: optional(fc.integer({ min: 1000, max: 3000 })),
    furniture: optional(fc.constantFrom('Arredato', 'Non Arredato' as const)),
    rentContract: optional(fc.constantFrom('4+4', '3+2', 'Transitorio' as const)),
    documents: optional(
      fc.uniqueArray(fc.constantFrom('planimetria', 'ape', 'altro', 'perizia' as const), {
        minLength: 1,
        maxLength: 4,
      }),
    ),
    blueprints: optional(fc.array(fc.webUrl(), { minLength: 1, maxLength: 4 })),
  })
  .map((r): PropertyInput => {
    const transactions: PropertyInput['transactions'] = [];
    if (r.sale || !r.rent) transactions.push({ type: 'S', price: r.price, reserved: r.reserved });
    if (r.rent) transactions.push({ type: 'R', price: r.price });
    return {
      uniqueId: r.uniqueId,
      dateUpdated: r.dateUpdated,
      referenceCode: r.referenceCode,
      ...(r.user
        ? {
            user: {
              email: 'privato@example.com',
              name: r.user.name,
              surname: r.user.surname,
              active: r.user.active,
              show: r.user.showPhone === undefined ? undefined : { phone: r.user.showPhone },
              gender: r.user.gender,
              language: r.user.language,
              birthDate: r.user.birthDate,
            },
          }
        : { agent: { email: 'agency@example.com', name: r.agentName, realtors: r.realtors } }),
      location: {
        countryCode: 'IT',
        city: { name: r.cityName, code: r.code },
        locality: {
          map: r.map,
          postalCode: r.postalCode,
          latitude: r.lat,
          longitude: r.lon,
          thoroughfare: r.thoroughfare === undefined ? undefined : { value: r.thoroughfare },
        },
      },
      pictures: r.pictures?.map((url) => ({ url })),
      videos: r.videos?.map((url) => ({ url })),
      publish: r.visibilities ? [{ visibilities: r.visibilities }] : undefined,
      transactions,
      building: { typeId: r.typeId, status: r.status },
      features: {
        size: r.size === undefined ? undefined : { value: r.size, unit: 'm2' },
        roomsDetail: r.bedrooms === undefined ? undefined : { bedrooms: r.bedrooms },
        descriptions: r.descriptions,
        energyClass: {
          value: r.energy,
          performance:
            r.performance === undefined ? undefined : [{ value: r.performance, unit: 'kWh/m2anno', type: 'nren' }],
        },
      },
      extraFeatures: {
        bathrooms: r.bathrooms,
        garage: r.garage === undefined ? undefined : { count: 1, type: r.garage },
        heating: r.heating === undefined ? undefined : { type: r.heating },
        floor: r.floor === undefined ? undefined : { value: r.floor },
        buildYear: r.buildYear,
        furniture: r.furniture,
        rentContract: r.rentContract,
      },
      documents: r.documents?.map((type, i) => ({ url: `https://docs.example.com/${i}.pdf`, type })),
      blueprints: r.blueprints?.map((url) => ({ url })),
    };
  });

describe('generated properties', () => {
  it('every generated valid model gives a document the XSD accepts', async () => {
    const samples = fc.sample(propertyArb, { numRuns: 300, seed: 20240501 });
    const docs = samples.map((p) => buildPropertyXml(p));
    const result = await validateAgainstXsd(docs);
    expect(result.errors.slice(0, 3)).toEqual([]);
    expect(result.valid).toBe(true);
    samples.forEach((p, i) => {
      expect(xmlTree(docs[i] ?? '')).toEqual(xmlTree(referencePropertyDocument(validateProperty(p))));
    });
  });

  it('a generated free text survives the trip through XML unchanged', () => {
    fc.assert(
      fc.property(xmlText, (content) => {
        const xml = buildPropertyXml({
          ...minimalProperty(),
          features: { energyClass: {}, descriptions: [{ content }] },
        });
        const doc = parseXmlSafely(xml) as Record<
          string,
          Record<string, Record<string, Record<string, Record<string, unknown>>>>
        >;
        return textOf(doc.property?.features?.descriptions?.description?.content) === content;
      }),
      { numRuns: 200 },
    );
  });
});

const response = (nodes: Record<string, string>) =>
  `<?xml version="1.0"?><ServiceResponse>${Object.entries(nodes)
    .map(([k, v]) => `<${k}>${v}</${k}>`)
    .join('')}</ServiceResponse>`;

describe('parseServiceResponse', () => {
  const nodes = {
    Result: 'true',
    EntityID: 'as-4fr5',
    EntityOwnerID: '67012',
    RealEstate: 'someone@some.where',
    ErrorCode: '0',
    ErrorMessage: 'Success',
    idListing: '164578906',
    lock: 'false',
    RequestID: '3AA36B26-8771-45C5-9850-26EADEB13129',
    RealtorId: '12',
  };

  it('types numbers and booleans whatever the node order', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(Object.entries(nodes), { minLength: 10, maxLength: 10 }), (entries) => {
        const parsed = parseServiceResponse(response(Object.fromEntries(entries)));
        expect(parsed).toMatchObject({
          result: true,
          entityId: 'as-4fr5',
          entityOwnerId: '67012',
          errorCode: 0,
          idListing: 164578906,
          lock: false,
          realtorId: 12,
          requestId: '3AA36B26-8771-45C5-9850-26EADEB13129',
        });
      }),
      { numRuns: 50 },
    );
  });

  it('refuses the billion-laughs payload without expanding it', () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><ServiceResponse><Result>true</Result><ErrorCode>0</ErrorCode><ErrorMessage>&lol3;</ErrorMessage></ServiceResponse>`;
    expect(() => parseServiceResponse(bomb)).toThrow(XmlParseError);
  });

  it('refuses an external entity (XXE)', () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><ServiceResponse><Result>true</Result><ErrorCode>0</ErrorCode><ErrorMessage>&xxe;</ErrorMessage></ServiceResponse>`;
    expect(() => parseServiceResponse(xxe)).toThrow(/document type/);
  });

  it('leaves an undeclared entity as text rather than resolving it', () => {
    const parsed = parseServiceResponse(response({ ...nodes, ErrorMessage: 'a &xxe; &amp; &lt;b&gt;' }));
    expect(parsed.errorMessage).toBe('a &xxe; & <b>');
  });

  it('cannot be steered into polluting prototypes by element names', () => {
    const payload = response({
      ...nodes,
      __proto__: '<polluted>yes</polluted>',
      constructor: '<prototype>x</prototype>',
    });
    const parsed = parseServiceResponse(payload) as Record<string, unknown>;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(parsed.result).toBe(true);
  });

  it('reads the plain shape and any other serialisation of the same answer alike', () => {
    const text = fc.oneof(
      fc.constantFrom('', ' x ', 'a &amp; b', '&lt;tag&gt;', '&#233;t&#xE9;', 'Success'),
      fc.string({ maxLength: 12 }).map((v) => v.replace(/[^\w .@-]/g, '')),
    );
    fc.assert(
      fc.property(
        fc.shuffledSubarray(Object.entries(nodes), { minLength: 10, maxLength: 10 }),
        text,
        fc.boolean(),
        (entries, message, selfClosing) => {
          const answer = Object.fromEntries([...entries, ['ErrorMessage', message]]);
          const plain = response(answer).replace(
            '<idListing>164578906</idListing>',
            selfClosing ? '<idListing/>' : '<idListing>164578906</idListing>',
          );
          // A comment and spaces take the document off the plain shape: the general parser reads it.
          const other = plain.replace('<ServiceResponse>', '<ServiceResponse>\n  <!-- answer -->\n  ');
          expect(parseServiceResponse(plain)).toStrictEqual(parseServiceResponse(other));
          expect(parseServiceResponse(plain).errorMessage).toBe(decodeXmlText(message).trim() || undefined);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('refuses broken documents whatever their shape', () => {
    for (const broken of [
      '<ServiceResponse><Result>true</Result><ErrorCode>0</ErrorCode>',
      '<ServiceResponse><Result>true</ErrorCode><ErrorCode>0</ErrorCode></ServiceResponse>',
      '<ServiceResponse><Result>true</Result><ErrorCode>a&b</ErrorCode></ServiceResponse>',
    ]) {
      expect(() => parseServiceResponse(broken), broken).toThrow(XmlParseError);
    }
  });

  it('types the nodes exactly as ServiceResponseSchema does', () => {
    const value = fc.oneof(
      fc.constant(undefined),
      fc.constantFrom('', ' ', 'true', 'False', 'TRUE', 'yes', '0', '-12', '007', '1.5', ' 3 ', 'abc'),
      fc.string({ maxLength: 6 }),
    );
    const keys = ['result', 'errorCode', 'lock', 'idListing', 'realtorId', 'entityId', 'errorMessage', 'requestId'];
    fc.assert(
      fc.property(fc.tuple(...keys.map(() => value)), value, (values, extra) => {
        const raw: Record<string, unknown> = { other: extra };
        keys.forEach((key, i) => {
          if (values[i] !== undefined) raw[key] = values[i];
        });
        const expected = ServiceResponseSchema.safeParse(raw);
        const fast = serviceResponseFromText(raw);
        if (fast === undefined) expect(expected.success).toBe(false);
        else expect(fast).toStrictEqual(expected.data);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses a document that is not a ServiceResponse', () => {
    expect(() => parseServiceResponse('<other/>')).toThrow(XmlParseError);
    expect(() => parseServiceResponse('<ServiceResponse><Result>maybe</Result></ServiceResponse>')).toThrow(
      XmlParseError,
    );
    expect(UnexpectedResponseError).toBeDefined();
  });
});

describe('ErrorCode table', () => {
  it('documents all 16 codes, and only GENERIC_ERROR is worth a retry', () => {
    expect(ERROR_CODES).toHaveLength(16);
    expect(new Set(ERROR_CODES.map((c) => c.code)).size).toBe(16);
    for (const [name, code] of Object.entries(ErrorCode)) expect(errorCodeInfo(code).name).toBe(name);
    expect(ERROR_CODES.filter((c) => c.retryable).map((c) => c.name)).toEqual(['GENERIC_ERROR']);
    expect(errorCodeInfo(999)).toMatchObject({ name: 'UNKNOWN', retryable: false });
  });
});
