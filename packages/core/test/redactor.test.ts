import { Buffer } from 'node:buffer';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { checkCredentials, InputValidationError, REDACTED, Redactor, SyncError } from '../src/index.js';

const SECRET = 'pw"SECRET\\8f2a-é';
const USER = 'agency-user';
const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const unicodeEscaped = (text: string) =>
  [...text].map((c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`).join('');

function redactor(): Redactor {
  const r = new Redactor();
  r.addBasicCredentials(USER, ` ${SECRET} `);
  return r;
}

describe('Redactor.text finds a secret in every form it travels or comes back in', () => {
  const forms: Array<[string, string]> = [
    ['raw, with the spaces it was given', ` ${SECRET} `],
    ['trimmed', SECRET],
    ['JSON-escaped', JSON.stringify(SECRET).slice(1, -1)],
    ['every character as \\uXXXX', unicodeEscaped(SECRET)],
    ['partly \\u-escaped', `pw\\u0022SECRET\\\\8f2a-\\u00e9`],
    ['percent-encoded', encodeURIComponent(SECRET)],
    ['percent-encoded in lower case', encodeURIComponent(SECRET).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())],
    ['as XML character references', [...SECRET].map((c) => `&#${c.codePointAt(0)};`).join('')],
    ['as hexadecimal XML references', [...SECRET].map((c) => `&#x${c.codePointAt(0)?.toString(16)};`).join('')],
    ['with XML entities', SECRET.replace('"', '&quot;')],
    ['base64 alone', base64(SECRET)],
    ['base64 alone, without padding', base64(SECRET).replace(/=+$/, '')],
    ['base64 of user:password (the Basic header)', base64(`${USER}: ${SECRET} `)],
    ['Basic-decoded', `${USER}:${SECRET}`],
  ];
  it.each(forms)('%s', (_what, form) => {
    const out = redactor().text(`before ${form} after`);
    expect(out).toContain(REDACTED);
    expect(out).not.toContain('SECRET');
    expect(out).not.toContain(form);
    expect(out.startsWith('before')).toBe(true);
    expect(out.endsWith('after')).toBe(true);
  });

  it('leaves text without a secret as it is', () => {
    const text = 'a%20b \\u0041 &amp; &#65; plain';
    expect(redactor().text(text)).toBe(text);
  });

  it('cuts to maxLength without ever leaving part of a secret at the cut', () => {
    const r = redactor();
    for (let at = 0; at < 60; at++) {
      const text = `${'x'.repeat(at)}${unicodeEscaped(SECRET)}${'y'.repeat(100)}`;
      const out = r.text(text, 50);
      expect(out.length).toBeLessThanOrEqual(51);
      expect(out).not.toMatch(/\\u0053\\u0045/);
      expect(out).not.toContain('SECRET');
    }
  });
});

describe('Redactor.value', () => {
  it('replaces secrets in keys and strings at any depth, escaped spellings included', () => {
    const value = { [SECRET]: [{ message: `echo ${unicodeEscaped(SECRET)}` }], ok: 1 };
    const clean = redactor().value(value) as Record<string, unknown>;
    expect(JSON.stringify(clean)).not.toContain('SECRET');
    expect(clean.ok).toBe(1);
    expect(clean[REDACTED]).toEqual([{ message: `echo ${REDACTED}` }]);
  });

  it('returns the same value when nothing is secret', () => {
    const value = { a: [1, 'two', { three: null }] };
    expect(redactor().value(value)).toBe(value);
  });
});

describe('Redactor.headerValue', () => {
  it('redacts a request id, keeps printable ASCII only and bounds its length', () => {
    const r = redactor();
    expect(r.headerValue('req-123')).toBe('req-123');
    expect(r.headerValue(`id ${base64(`${USER}: ${SECRET} `)}`)).toBe(`id ${REDACTED}`);
    expect(r.headerValue('a\u0000b\u001bc')).toBe('a b c');
    expect(r.headerValue('x'.repeat(1_000))).toHaveLength(129);
    expect(r.headerValue('   ')).toBeUndefined();
    expect(r.headerValue(null)).toBeUndefined();
  });
});

describe('Redactor.url', () => {
  it('removes user info entirely and replaces sensitive query parameters', () => {
    const r = redactor();
    expect(r.url('https://someone:hunter22@api.example/x?api_key=k&page=2')).toBe(
      `https://api.example/x?api_key=${encodeURIComponent(REDACTED)}&page=2`,
    );
    expect(r.url('not a url //user:pass@host')).not.toContain('pass');
  });
});

describe('Redactor.error', () => {
  it('copies a foreign error with its message and stack redacted, leaving its other fields behind', () => {
    const original = Object.assign(new TypeError(`Invalid URL ${SECRET}`), {
      input: `https://[${SECRET}]`,
      code: 'ERR_INVALID_URL',
    });
    const clean = redactor().error(original);
    expect(clean).not.toBe(original);
    expect(clean?.name).toBe('TypeError');
    expect((clean as { code?: string }).code).toBe('ERR_INVALID_URL');
    const shown = inspect(clean, { depth: 10, showHidden: true });
    expect(shown).not.toContain('SECRET');
    expect(shown).not.toContain('input');
  });

  it('redacts an SDK error in place, its causes too', () => {
    const inner = new Error(`inner ${SECRET}`);
    const error = new SyncError(`outer ${SECRET}`, { cause: inner });
    const clean = redactor().error(error);
    expect(clean).toBe(error);
    expect(inspect(clean, { depth: 10, showHidden: true })).not.toContain('SECRET');
  });
});

describe('checkCredentials', () => {
  it.each([
    ['a CR and an LF', 'key\r\nX-Injected: 1'],
    ['a NUL', 'key\u0000'],
    ['a character beyond Latin-1', 'key€'],
    ['nothing but spaces', '   '],
  ])('refuses a credential holding %s, naming it without quoting it', (_what, value) => {
    let thrown: unknown;
    try {
      checkCredentials({ apiKey: value }, { portal: 'acme' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InputValidationError);
    expect((thrown as InputValidationError).issues.map((i) => i.path)).toEqual(['apiKey']);
    expect(inspect(thrown, { depth: 10, showHidden: true })).not.toContain('key');
  });

  it('accepts beyond Latin-1 in a credential that travels base64-encoded', () => {
    expect(() => checkCredentials({ password: 'pässwörd€' }, {}, [])).not.toThrow();
  });
});
