/** Placeholder written wherever a secret was removed. */
export const REDACTED = '[REDACTED]';

const SENSITIVE_NAME = /auth|token|secret|password|passwd|api[-_]?key|cookie|session|signature|credential/i;

/** Whether a header, query parameter or field name usually carries a secret. */
export function isSensitiveName(name: string): boolean {
  return SENSITIVE_NAME.test(name);
}

/**
 * Removes secrets from what a client reports: headers, URLs and free text.
 *
 * Secrets are known in two ways: by name (an `Authorization` header, an `api_key`
 * query parameter) and by value (every credential the client was given or obtained
 * is registered, so it is scrubbed even where a server echoes it back in a body).
 */
export class Redactor {
  readonly #values = new Set<string>();

  /** Registers a secret value; values shorter than 4 characters are ignored to keep text readable. */
  addSecret(value: string | undefined | null): void {
    if (typeof value !== 'string' || value.length < 4) return;
    this.#values.add(value);
    // Basic credentials and tokens also travel base64- or URL-encoded.
    this.#values.add(encodeURIComponent(value));
  }

  /** Replaces every registered secret in `text`. */
  text(text: string): string {
    let out = text;
    for (const value of this.#values) {
      if (out.includes(value)) out = out.split(value).join(REDACTED);
    }
    return out;
  }

  /**
   * A JSON value with every registered secret replaced wherever it occurs (keys and
   * strings at any depth). With `maxLength`, a value whose JSON is longer comes back as
   * that JSON cut to `maxLength` characters.
   */
  value(value: unknown, maxLength?: number): unknown {
    if (value === undefined) return undefined;
    const text = JSON.stringify(value);
    if (text === undefined) return undefined;
    const clean = this.text(text);
    if (maxLength !== undefined && clean.length > maxLength) return `${clean.slice(0, maxLength)}…`;
    return clean === text ? value : JSON.parse(clean);
  }

  /** A URL with sensitive query parameters and user info replaced. */
  url(input: string | URL): string {
    let url: URL;
    try {
      url = new URL(String(input));
    } catch {
      return this.text(String(input));
    }
    if (url.username) url.username = 'REDACTED';
    if (url.password) url.password = 'REDACTED';
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
}
