import { createHash } from 'node:crypto';

/**
 * A canonical JSON text of `value`: object keys sorted at every depth, `undefined`
 * members left out (as JSON does), so equal content always gives equal text.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonical(value)) ?? 'null';
}

function canonical(value: unknown): unknown {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'bigint') return `${value}n`;
    return value;
  }
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : canonical(v)));
  if (value instanceof Map) return canonical(Object.fromEntries(value));
  if (value instanceof Set) return [...value].map(canonical);
  // No prototype: a key named `__proto__` stays an ordinary key.
  const out: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined && typeof v !== 'function') out[key] = canonical(v);
  }
  return out;
}

/**
 * A stable content hash (SHA-256, hex) of a value, independent of key order: the
 * change detector of continuous sync.
 */
export function fingerprint(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}
