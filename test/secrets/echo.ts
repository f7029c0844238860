// What an indiscreet server sends back, and how a leak is recognised. The server decodes the
// request's credentials (Basic decoded, bearer and API-key headers read) and writes each one
// back in every form it may travel in — raw, trimmed, base64 (of `user:password` and of each
// part), percent-encoded, fully `\uXXXX`-escaped, as XML character references — into every
// header and body position an error, an event or a log could pick up.
import { Buffer } from 'node:buffer';
import type { Credentials } from '../hostile/portals.ts';
import type { CapturedRequest } from '../hostile/server.ts';

export const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** Every character as a JSON `\uXXXX` escape. */
export const unicodeEscaped = (text: string) =>
  [...text].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');

/** Every character as an XML decimal character reference. */
export const charReferences = (text: string) => [...text].map((c) => `&#${c.codePointAt(0)};`).join('');

/** JSON string escaping, with non-ASCII escaped too (what PHP's `json_encode` writes). */
export const asciiJson = (text: string) =>
  JSON.stringify(text)
    .slice(1, -1)
    .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** The parts of the request's credentials, read as a server reads them. */
export function credentialsOf(req: CapturedRequest): string[] {
  const parts: string[] = [];
  const authorization = String(req.headers.authorization ?? '');
  if (authorization.startsWith('Basic ')) {
    const decoded = Buffer.from(authorization.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    parts.push(decoded, decoded.slice(0, colon), decoded.slice(colon + 1));
  } else if (/^(Bearer|ApiKey) /.test(authorization)) {
    parts.push(authorization.slice(authorization.indexOf(' ') + 1));
  }
  for (const name of ['x-api-key', 'x-immo-source']) {
    const value = req.headers[name];
    if (typeof value === 'string') parts.push(value);
  }
  return parts.filter((p) => p !== '');
}

/** Each credential of the request in every form an echo may take, with the raw request line and headers. */
export function echoOf(req: CapturedRequest): string {
  return `${req.rawUrl} | ${JSON.stringify(req.headers)} | ${credentialFormsOf(req)}`;
}

/** Each credential of the request in every form an echo may take (without the long escaped ones: `short`). */
function credentialFormsOf(req: CapturedRequest, short = false): string {
  const forms = new Set<string>();
  for (const part of credentialsOf(req)) {
    for (const p of new Set([part, part.trim()])) {
      forms.add(p);
      forms.add(base64(p));
      forms.add(encodeURIComponent(p));
      if (!short) {
        forms.add(unicodeEscaped(p));
        forms.add(charReferences(p));
      }
    }
  }
  return [...forms].join(' | ');
}

/** `text` in a form a header can carry (no control characters, Latin-1 only). */
const headerSafe = (text: string) => text.replace(/[^\t\x20-\x7e\x80-\xff]/g, '?');

/**
 * Response headers that each carry the credentials: request ids, warnings, challenges, a
 * redirect; the first request id and the warning in every form, the others without the long
 * escaped forms (a client reads at most 16 KB of headers).
 */
export function echoHeaders(req: CapturedRequest): Record<string, string> {
  const echo = headerSafe(credentialFormsOf(req));
  const short = headerSafe(credentialFormsOf(req, true));
  return {
    'x-request-id': echo,
    'x-correlation-id': short,
    'request-id': short,
    'x-mycrm-api-warning': echo,
    'www-authenticate': `Basic realm="${short.replace(/"/g, "'")}"`,
    location: `/${encodeURIComponent(short)}`,
    'x-echo': short,
  };
}

// ------------------------------------------------------------------ recognising a leak

/** The secrets of one set of credentials, and the token the test's token endpoint issues. */
export interface SecretSet {
  name: string;
  credentials: Credentials;
  pfAccessToken: string;
}

/** Forms a leaked secret may be found in (shorter than 6 characters is too common to count). */
export function formsOf(value: string): string[] {
  const forms = new Set<string>();
  for (const v of new Set([value, value.trim()])) {
    forms.add(v);
    forms.add(JSON.stringify(v).slice(1, -1));
    forms.add(asciiJson(v));
    forms.add(encodeURIComponent(v));
    forms.add(base64(v).replace(/=+$/, ''));
  }
  return [...forms].filter((f) => f.length >= 6);
}

/** Every secret of a set, by name, in every form. */
export function secretsOf(set: SecretSet): Record<string, string[]> {
  const c = set.credentials;
  const basic = (user: string, password: string) => [`${user}:${password}`, base64(`${user}:${password}`)];
  return {
    'rentix apiKey': formsOf(c.rentixApiKey),
    'indomio password': formsOf(c.indomioPassword),
    'indomio X-IMMO-SOURCE': formsOf(c.indomioSource),
    'indomio Basic credentials': basic(c.indomioUser, c.indomioPassword).flatMap(formsOf),
    'pf apiKey': formsOf(c.pfApiKey),
    'pf apiSecret': formsOf(c.pfApiSecret),
    'pf Basic credentials': basic(c.pfApiKey, c.pfApiSecret).flatMap(formsOf),
    'pf access token': formsOf(set.pfAccessToken),
  };
}

/** Names of the secrets found in `text`. */
export function leaksIn(text: string, secrets: Record<string, string[]>): string[] {
  return Object.entries(secrets)
    .filter(([, forms]) => forms.some((form) => text.includes(form)))
    .map(([name]) => name);
}
