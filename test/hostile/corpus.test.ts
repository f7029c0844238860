// Runs every case of the hostile corpus against the real clients over HTTP on 127.0.0.1: a
// refusal must come before any request reaches the server, a send must arrive safely encoded,
// a malformed answer must end in a typed SyncError — and nothing may crash or hang.
import { inspect } from 'node:util';
import { InputValidationError, SyncError } from '@sync/core';
import { parseServiceResponse, parseXmlSafely, XmlParseError } from '@sync/indomio';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ErrorClass, HOSTILE_CORPUS, type HostileCase } from './corpus.ts';
import { type Clients, makeClients, portalSuccess } from './portals.ts';
import { type CaptureServer, startCaptureServer } from './server.ts';

/** Longest any case may take; the clients' own deadlines (4 s) end every call well before. */
const CASE_TIMEOUT_MS = 10_000;

let server: CaptureServer;
let clients: Clients;

beforeAll(async () => {
  server = await startCaptureServer(portalSuccess);
});
beforeEach(() => {
  server.reset();
  // Fresh clients per case: no token or rate-limit state carries over between cases.
  clients = makeClients(server.url);
});
afterAll(() => server.close());

function expectTyped(error: unknown, expected: ErrorClass): asserts error is SyncError {
  expect(error, 'a typed SyncError, not a crash').toBeInstanceOf(SyncError);
  expect(error).toBeInstanceOf(expected);
}

async function runCase(c: HostileCase): Promise<void> {
  if (c.reply) server.respond(c.reply);
  let result: unknown;
  let thrown: unknown;
  let threw = false;
  try {
    result = await c.run(clients, c.input);
  } catch (error) {
    threw = true;
    thrown = error;
  }
  const expected = c.expected;

  if (expected.outcome === 'refused') {
    expect(threw, 'the call was refused').toBe(true);
    expectTyped(thrown, expected.error);
    const issues = thrown instanceof InputValidationError ? thrown.issues.map((i) => i.path) : [];
    for (const path of expected.paths) expect(issues, `issues name "${path}"`).toContain(path);
    expect(thrown.itemId, 'the error names the item').toBe(expected.itemId);
    expect(
      server.requests.map((r) => `${r.method} ${r.rawUrl}`),
      'nothing reached the server',
    ).toEqual([]);
  } else if (expected.outcome === 'sent') {
    if (threw) throw thrown;
    expect(server.requests, 'requests received').toHaveLength(expected.requests ?? 1);
    if (expected.rawPath !== undefined) {
      expect(server.requests.map((r) => r.rawPath)).toContain(expected.rawPath);
    }
    expected.check?.(server.requests, result);
  } else {
    expect(threw, 'the call failed').toBe(true);
    expectTyped(thrown, expected.error);
    if ('itemId' in expected) expect(thrown.itemId).toBe(expected.itemId);
    if (expected.status !== undefined) expect((thrown as { status?: unknown }).status).toBe(expected.status);
    if (expected.mustNotContain !== undefined) {
      const rendered = `${thrown.message}\n${JSON.stringify(thrown)}\n${inspect(thrown, { depth: 10 })}`;
      expect(rendered).not.toContain(expected.mustNotContain);
    }
  }
  // No case, whatever it holds, may reach Object.prototype.
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

describe('hostile input corpus', () => {
  it('covers every category for every portal it applies to', () => {
    const categories = new Set(HOSTILE_CORPUS.map((c) => c.category));
    expect([...categories].sort()).toEqual(
      [
        'control characters',
        'huge payload',
        'invalid enum',
        'malformed response',
        'markup in free text',
        'missing field',
        'out of range',
        'over-long string',
        'path injection',
        'prototype keys',
        'unpaired surrogate',
        'wrong type',
        'xml doctype',
      ].sort(),
    );
    for (const portal of ['rentix', 'indomio', 'pfcrm'] as const) {
      const mine = HOSTILE_CORPUS.filter((c) => c.portal === portal);
      for (const category of ['wrong type', 'path injection', 'prototype keys', 'malformed response'] as const) {
        expect(
          mine.some((c) => c.category === category),
          `${portal} has a ${category} case`,
        ).toBe(true);
      }
    }
    expect(new Set(HOSTILE_CORPUS.map((c) => c.name)).size, 'case names are unique').toBe(HOSTILE_CORPUS.length);
  });

  for (const c of HOSTILE_CORPUS) {
    it(`${c.name} [${c.call}]`, () => runCase(c), CASE_TIMEOUT_MS);
  }
});

describe("Indomio's XML parser given DOCTYPEs and entities", () => {
  const laughs = `<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><ServiceResponse><Result>true</Result><ErrorCode>0</ErrorCode><ErrorMessage>&c;</ErrorMessage></ServiceResponse>`;
  const external = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><ServiceResponse><Result>true</Result><ErrorCode>0</ErrorCode><ErrorMessage>&x;</ErrorMessage></ServiceResponse>`;
  const parameter = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "http://127.0.0.1:9/evil.dtd"> %p;]><ServiceResponse><Result>true</Result><ErrorCode>0</ErrorCode></ServiceResponse>`;

  it.each([
    ['billion laughs', laughs],
    ['an external entity', external],
    ['a parameter entity', parameter],
    ['a lower-case doctype', laughs.replace('<!DOCTYPE', '<!doctype')],
  ])('parseServiceResponse refuses %s', (_what, doc) => {
    expect(() => parseServiceResponse(doc)).toThrow(XmlParseError);
    expect(() => parseXmlSafely(doc)).toThrow(XmlParseError);
  });

  it('leaves an undeclared entity reference undecoded instead of resolving it', () => {
    const answer = parseServiceResponse(
      '<ServiceResponse><Result>false</Result><ErrorCode>400</ErrorCode><ErrorMessage>bad &xxe; &amp; &lt;ok&gt;</ErrorMessage></ServiceResponse>',
    );
    expect(answer.errorMessage).toBe('bad &xxe; & <ok>');
  });
});
