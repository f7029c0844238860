import { isSyncError } from './errors.js';

/** Placeholder written wherever a secret was removed. */
export const REDACTED = '[REDACTED]';

const SENSITIVE_NAME = /auth|token|secret|password|passwd|api[-_]?key|cookie|session|signature|credential/i;

/** Whether a header, query parameter or field name usually carries a secret. */
export function isSensitiveName(name: string): boolean {
  return SENSITIVE_NAME.test(name);
}

/** Longest request id an error or an event keeps. */
export const MAX_REQUEST_ID = 128;

/** Deepest structure {@link Redactor.value} walks; anything deeper is replaced. */
const MAX_VALUE_DEPTH = 1_000;

/** Characters that start an escaped spelling: JSON `\u0041`, percent `%41`, XML `&#65;`. */
const ESCAPE_START = /[\\%&]/;

const JSON_SHORT: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '/': '\\/',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};
const XML_NAMED: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};
const utf8 = new TextEncoder();

const escapeRegExp = (text: string) => text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');

/** `n` in hexadecimal with at least `width` digits, each letter matching either case. */
function hexPattern(n: number, width: number): string {
  return n
    .toString(16)
    .padStart(width, '0')
    .replace(/[a-f]/g, (d) => `[${d}${d.toUpperCase()}]`);
}

/** Every spelling of one character: itself, JSON escapes, percent-encoded UTF-8, XML references. */
function characterPattern(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  const alternatives = [escapeRegExp(char)];
  let units = '';
  for (let i = 0; i < char.length; i++) units += `\\\\u${hexPattern(char.charCodeAt(i), 4)}`;
  alternatives.push(units);
  const short = JSON_SHORT[char];
  if (short) alternatives.push(escapeRegExp(short));
  alternatives.push([...utf8.encode(char)].map((byte) => `%${hexPattern(byte, 2)}`).join(''));
  if (char === ' ') alternatives.push('\\+');
  alternatives.push(`&#0*${code};`, `&#[xX]0*${hexPattern(code, 1)};`);
  const named = XML_NAMED[char];
  if (named) alternatives.push(named);
  return `(?:${alternatives.join('|')})`;
}

/** A pattern that finds `value` however its characters are escaped, one by one or all together. */
function spellingsOf(value: string): RegExp {
  return new RegExp([...value].map(characterPattern).join(''), 'g');
}

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/**
 * Removes secrets from what a client reports: headers, URLs, free text, parsed bodies
 * and errors kept as causes.
 *
 * Secrets are known in two ways: by name (an `Authorization` header, an `api_key`
 * query parameter) and by value. Every credential the client was given or obtained is
 * registered, and with it the forms in which it travels or comes back: trimmed, base64
 * (alone, and as `user:password` for Basic credentials), percent-encoded, JSON-escaped —
 * and, in text, any spelling that escapes its characters (`\u0041`, `%41`, `&#65;`).
 */
export class Redactor {
  /** Literal forms, longest first, so a longer form is replaced before a part of it. */
  #literals: string[] = [];
  readonly #forms = new Set<string>();
  /** Escape-aware patterns of the decoded forms. */
  readonly #patterns = new Map<string, RegExp>();
  /** Longest text any spelling of a registered form can take (12 characters per escaped character at most). */
  #longest = 0;

  /** Registers a secret value; values shorter than 4 characters are ignored to keep text readable. */
  addSecret(value: string | undefined | null): void {
    if (typeof value !== 'string' || value.trim().length < 4) return;
    for (const v of new Set([value, value.trim()])) {
      const encoded = base64(v);
      // A base64 form is also found without its padding, and in its URL-safe alphabet.
      const unpadded = encoded.replace(/=+$/, '');
      const urlSafe = unpadded.replace(/\+/g, '-').replace(/\//g, '_');
      for (const form of [v, encoded, unpadded, urlSafe]) this.#addForm(form);
    }
  }

  /** Registers Basic credentials: the password, and `user:password` raw and base64-encoded. */
  addBasicCredentials(username: string, password: string): void {
    this.addSecret(password);
    if (password.trim().length < 4) return;
    this.addSecret(`${username}:${password}`);
  }

  #addForm(form: string): void {
    if (form.length < 4 || this.#forms.has(form)) return;
    this.#forms.add(form);
    const added = [form, JSON.stringify(form).slice(1, -1), encodeURIComponent(form)];
    for (const literal of added)
      if (literal.length >= 4 && !this.#literals.includes(literal)) this.#literals.push(literal);
    this.#literals.sort((a, b) => b.length - a.length);
    this.#patterns.set(form, spellingsOf(form));
    this.#longest = Math.max(this.#longest, form.length * 12);
  }

  /**
   * Replaces every registered secret in `text`, in any of its forms. With `maxLength`, the
   * result is cut to that many characters (marked `…`), and of a long text only as much is
   * redacted as the cut keeps — never leaving part of a secret at the cut.
   */
  text(text: string, maxLength?: number): string {
    if (maxLength === undefined) return this.#replace(text);
    for (let window = 4 * maxLength + this.#longest; ; window *= 2) {
      const whole = window >= text.length;
      const clean = this.#replace(whole ? text : text.slice(0, window));
      // What the window cut off could have left a part of a secret at its end: it must fall beyond the cut.
      if (whole || clean.length >= maxLength + this.#longest) {
        return clean.length > maxLength ? `${clean.slice(0, maxLength)}…` : clean;
      }
    }
  }

  #replace(text: string): string {
    let out = text;
    for (const literal of this.#literals) {
      if (out.includes(literal)) out = out.split(literal).join(REDACTED);
    }
    if (this.#patterns.size > 0 && ESCAPE_START.test(out)) {
      for (const pattern of this.#patterns.values()) out = out.replace(pattern, REDACTED);
    }
    return out;
  }

  /**
   * A JSON-like value with every registered secret replaced wherever it occurs (keys and
   * strings at any depth). With `maxLength`, a value whose JSON is longer comes back as
   * that JSON cut to `maxLength` characters.
   */
  value(value: unknown, maxLength?: number): unknown {
    if (value === undefined) return undefined;
    let text: string | undefined;
    try {
      text = JSON.stringify(value);
    } catch {
      text = undefined;
    }
    // Nothing to replace: the value as it is (the common case, at the cost of one stringify).
    // Every spelling of a secret inside a string is also found in the string's JSON.
    const clean = text !== undefined && this.text(text) === text ? value : this.#walk(value, 0);
    if (maxLength === undefined) return clean;
    let json: string | undefined;
    try {
      json = JSON.stringify(clean);
    } catch {
      return REDACTED;
    }
    return json !== undefined && json.length > maxLength ? `${json.slice(0, maxLength)}…` : clean;
  }

  #walk(value: unknown, depth: number): unknown {
    if (typeof value === 'string') return this.text(value);
    if (value === null || typeof value !== 'object') return typeof value === 'bigint' ? String(value) : value;
    if (depth >= MAX_VALUE_DEPTH) return '[too deep]';
    if (Array.isArray(value)) return value.map((item) => this.#walk(item, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const name = this.text(key);
      if (name === '__proto__') continue;
      out[name] = this.#walk(item, depth + 1);
    }
    return out;
  }

  /** A URL with sensitive query parameters replaced and any user info removed. */
  url(input: string | URL): string {
    let url: URL;
    try {
      url = new URL(String(input));
    } catch {
      // Not a URL: still never print what looks like `user:password@`.
      return this.text(String(input).replace(/\/\/[^/?#]*@/, '//'));
    }
    url.username = '';
    url.password = '';
    for (const key of [...url.searchParams.keys()]) {
      if (isSensitiveName(key)) url.searchParams.set(key, REDACTED);
    }
    return this.text(url.toString());
  }

  /** A plain header record with sensitive headers replaced. */
  headers(headers: Headers | Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    const entries = headers instanceof Headers ? headers.entries() : Object.entries(headers);
    for (const [name, value] of entries) {
      out[name.toLowerCase()] = isSensitiveName(name) ? REDACTED : this.text(value);
    }
    return out;
  }

  /**
   * A value a server sent in a header to be quoted back (a request id): secrets
   * replaced, then only printable ASCII kept and cut to `maxLength` characters;
   * `undefined` when nothing is left.
   */
  headerValue(value: string | null | undefined, maxLength: number = MAX_REQUEST_ID): string | undefined {
    if (value === null || value === undefined) return undefined;
    const clean = this.text(value.length > 4 * maxLength ? value.slice(0, 4 * maxLength) : value)
      .replace(/[^\x21-\x7e]+/g, ' ')
      .trim();
    if (clean === '') return undefined;
    return clean.length > maxLength ? `${clean.slice(0, maxLength)}…` : clean;
  }

  /**
   * An error safe to keep as a `cause`: its message and stack redacted, with only its
   * name, its `code` and its own causes (redacted too). An SDK error is redacted in
   * place; any other is copied, so what it held (a request, a URL's `input`) stays behind.
   */
  error(error: unknown, depth = 0): Error | undefined {
    if (!(error instanceof Error)) return undefined;
    const cause = depth < 5 && error.cause !== undefined ? this.error(error.cause, depth + 1) : undefined;
    if (isSyncError(error)) {
      error.message = this.text(error.message);
      if (error.stack) error.stack = this.text(error.stack);
      for (const [key, item] of Object.entries(error)) {
        if (typeof item === 'string') (error as unknown as Record<string, unknown>)[key] = this.text(item);
      }
      if (error.cause !== undefined)
        Object.defineProperty(error, 'cause', { value: cause, configurable: true, writable: true });
      return error;
    }
    const copy = new Error(this.text(error.message), cause ? { cause } : undefined);
    copy.name = error.name;
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' || typeof code === 'number') Object.assign(copy, { code });
    copy.stack = error.stack ? this.text(error.stack) : copy.stack;
    return copy;
  }
}
