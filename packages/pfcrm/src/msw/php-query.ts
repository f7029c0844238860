import { MAX_INPUT_VARS } from '../query.js';

/** A value decoded from a PHP-style query: text, a list, or a nested record. */
export type PhpValue = string | PhpValue[] | { [key: string]: PhpValue };

type Container = PhpValue[] | { [key: string]: PhpValue };

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

function nextIndex(container: { [key: string]: PhpValue }): string {
  const numeric = Object.keys(container)
    .filter((k) => /^\d+$/.test(k))
    .map(Number);
  return String(numeric.length ? Math.max(...numeric) + 1 : 0);
}

/** Stores `value` under `key` ('' appends) and returns the key used. */
function put(container: Container, key: string, value: PhpValue): void {
  if (Array.isArray(container)) {
    if (key === '') container.push(value);
    else container[Number(key)] = value;
  } else {
    container[key === '' ? nextIndex(container) : key] = value;
  }
}

function child(container: Container, key: string): PhpValue | undefined {
  if (key === '') return undefined;
  if (Array.isArray(container)) return container[Number(key)];
  return Object.hasOwn(container, key) ? container[key] : undefined;
}

/** Options of {@link parsePhpQuery}. */
export interface PhpQueryOptions {
  /** PHP's `max_input_vars`: variables read before the rest is dropped (default 1000, PHP's default). */
  maxInputVars?: number | undefined;
}

/**
 * Decodes a query string the way PHP's `parse_str` does for bracket keys:
 * `a[b][c]=1` nests, `a[]=1&a[]=2` appends. Like PHP, it reads at most
 * `max_input_vars` variables (each non-empty `&`-separated pair counts once, nested or
 * not) and silently drops the rest. The mock portal reads filters with it, as the real
 * server (PHP) does.
 */
export function parsePhpQuery(search: string, options: PhpQueryOptions = {}): Record<string, PhpValue> {
  const root: { [key: string]: PhpValue } = {};
  const limit = options.maxInputVars ?? MAX_INPUT_VARS;
  const query = search.startsWith('?') ? search.slice(1) : search;
  let count = 0;
  for (const pair of query.split('&')) {
    if (!pair) continue;
    if (++count > limit) break;
    const eq = pair.indexOf('=');
    const rawKey = decode(eq === -1 ? pair : pair.slice(0, eq));
    const value = decode(eq === -1 ? '' : pair.slice(eq + 1));
    const open = rawKey.indexOf('[');
    const keys = [open === -1 ? rawKey : rawKey.slice(0, open)];
    if (open !== -1) for (const m of rawKey.slice(open).matchAll(/\[([^\]]*)\]/g)) keys.push(m[1] ?? '');
    if (!keys[0] || keys.includes('__proto__')) continue;
    let container: Container = root;
    for (let i = 0; i < keys.length - 1; i++) {
      const key = keys[i] as string;
      const existing = child(container, key);
      if (existing !== undefined && typeof existing === 'object') {
        container = existing;
      } else {
        const created: Container = keys[i + 1] === '' ? [] : {};
        put(container, key, created);
        container = created;
      }
    }
    put(container, keys[keys.length - 1] as string, value);
  }
  return root;
}
