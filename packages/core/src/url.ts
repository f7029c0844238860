import { type InputIssue, loneSurrogateIssues } from './errors.js';
import { RetryOptionsSchema } from './options.js';
import type { RequestOptions } from './request.js';

/**
 * Encodes each interpolated value as one path segment, so an id can never add a
 * segment, a query or a fragment: path`/listings/${id}`. An id that is empty, `.` or
 * `..` would still change the path, and one with a lone UTF-16 surrogate has no encoding:
 * {@link HttpClient.request} refuses such paths, naming the operation and item, before
 * anything is sent.
 */
export function path(strings: TemplateStringsArray, ...values: ReadonlyArray<string | number>): string {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    const text = String(value);
    // A lone surrogate has no UTF-8 form: it is left in place, unencoded, for request() to refuse.
    out += (text.isWellFormed() ? encodeURIComponent(text) : encodeWellFormedParts(text)) + (strings[i + 1] ?? '');
  });
  return out;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function encodeWellFormedParts(text: string): string {
  let out = '';
  let from = 0;
  for (const match of text.matchAll(LONE_SURROGATE)) {
    out += encodeURIComponent(text.slice(from, match.index)) + match[0];
    from = match.index + match[0].length;
  }
  return out + encodeURIComponent(text.slice(from));
}

const DOT_SEGMENT = /^(\.|%2e){1,2}$/i;
const SUSPECT_PATH = /\/\/|\/$|(^|\/)(\.|%2e)/i;

/** The first segment of `path` that a URL parser would drop or resolve away (empty, `.`, `..`), if any. */
function unsafeSegment(path: string): string | undefined {
  // Nearly every path has no dot segment and no empty one: say so without splitting it.
  if (!SUSPECT_PATH.test(path)) return undefined;
  const bare = (path.split(/[?#]/, 1)[0] ?? '').replace(/^\//, '');
  if (bare === '') return undefined;
  return bare.split('/').find((segment) => segment === '' || DOT_SEGMENT.test(segment));
}

const LONE_SURROGATE_MESSAGE = 'holds a lone UTF-16 surrogate, which cannot be sent in a URL';

/** What makes a call impossible to send as asked, found before anything is sent; `undefined` for nearly every call. */
export function unsendable(options: RequestOptions): InputIssue[] | undefined {
  const issues: InputIssue[] = [];
  const unsafe = unsafeSegment(options.path);
  if (unsafe !== undefined) {
    issues.push({
      path: 'id',
      message: `${unsafe === '' ? 'an empty identifier' : `"${decodeURIComponent(unsafe)}"`} cannot be part of a URL path`,
      code: 'invalid_id',
    });
  }
  if (!options.path.isWellFormed())
    issues.push({ path: 'id', message: LONE_SURROGATE_MESSAGE, code: 'lone_surrogate' });
  const query = options.query;
  if (typeof query === 'string') {
    if (!query.isWellFormed()) issues.push({ path: 'query', message: LONE_SURROGATE_MESSAGE, code: 'lone_surrogate' });
  } else if (query !== undefined && !(query instanceof URLSearchParams)) {
    for (const key in query) {
      const value = query[key];
      if (!key.isWellFormed() || (typeof value === 'string' && !value.isWellFormed())) {
        issues.push(...loneSurrogateIssues(query, 'query'));
        break;
      }
    }
  }
  const limit = options.maxResponseBytes;
  if (limit !== undefined && !(typeof limit === 'number' && limit > 0)) {
    issues.push({ path: 'maxResponseBytes', message: 'expected a number of bytes above 0', code: 'invalid_option' });
  }
  for (const name of ['timeoutMs', 'deadlineMs'] as const) {
    const value = options[name];
    if (value !== undefined && !(typeof value === 'number' && value > 0 && Number.isFinite(value))) {
      issues.push({ path: name, message: 'expected a finite number of milliseconds above 0', code: 'invalid_option' });
    }
  }
  const retry = options.retry;
  if (retry !== undefined && retry !== false) {
    const result = RetryOptionsSchema.safeParse(retry);
    if (!result.success) {
      for (const issue of result.error.issues) {
        issues.push({ path: ['retry', ...issue.path].join('.'), message: issue.message, code: 'invalid_option' });
      }
    }
  }
  return issues.length > 0 ? issues : undefined;
}

/** The URL of a call: `path` below `baseUrl` (no trailing slash), then its query. */
export function callUrl(baseUrl: string, options: Pick<RequestOptions, 'path' | 'query'>): string {
  const p = options.path;
  let url = `${baseUrl}/${p.charCodeAt(0) === 47 ? p.replace(/^\/+/, '') : p}`;
  const query = options.query;
  if (query !== undefined) {
    let search: string;
    if (typeof query === 'string') search = query.replace(/^\?/, '');
    else if (query instanceof URLSearchParams) search = query.toString();
    else {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(query)) if (value !== undefined) params.append(key, String(value));
      search = params.toString();
    }
    if (search) url += `${url.includes('?') ? '&' : '?'}${search}`;
  }
  return url;
}
