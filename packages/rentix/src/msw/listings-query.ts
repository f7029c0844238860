import { MockHttpError } from './responses.js';

/** What the listing query reads of a stored listing. */
interface Queryable {
  externalId: string | null;
  formData: Record<string, unknown>;
}

/** Page size when the request names none. */
const DEFAULT_LIMIT = 20;

function integer(query: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = query.get(name);
  if (raw === null) return fallback;
  const value = Number(raw);
  const messages: string[] = [];
  if (raw.trim() === '' || !Number.isInteger(value)) messages.push(`${name} must be an integer number`);
  else {
    if (value > max) messages.push(`${name} must not be greater than ${max}`);
    if (value < min) messages.push(`${name} must not be less than ${min}`);
  }
  if (messages.length > 0) throw new MockHttpError(400, messages);
  return value;
}

/**
 * `GET /listings` as the mock answers it: the listings in creation order that pass the
 * filters (`announcementStatus` — one or several, comma-separated —, `announcementType`,
 * `propertyType`, `linked=true|false`), then `offset` skipped and at most `limit`
 * (1–100, default 20) returned. 400 with Rentix's message array for a bad number.
 */
export function queryListings<T extends Queryable>(listings: Iterable<T>, query: URLSearchParams): T[] {
  const limit = integer(query, 'limit', DEFAULT_LIMIT, 1, 100);
  const offset = integer(query, 'offset', 0, 0, Number.MAX_SAFE_INTEGER);
  const statuses = query.get('announcementStatus')?.split(',').filter(Boolean);
  const announcementType = query.get('announcementType');
  const propertyType = query.get('propertyType');
  const linked = query.get('linked');
  if (linked !== null && linked !== 'true' && linked !== 'false') {
    throw new MockHttpError(400, ['linked must be a boolean value']);
  }
  const out: T[] = [];
  let skipped = 0;
  for (const listing of listings) {
    const data = listing.formData;
    if (statuses && !statuses.includes(String(data.announcementStatus))) continue;
    if (announcementType !== null && data.announcementType !== announcementType) continue;
    if (propertyType !== null && data.propertyType !== propertyType) continue;
    if (linked !== null && (listing.externalId !== null) !== (linked === 'true')) continue;
    if (skipped < offset) {
      skipped++;
      continue;
    }
    out.push(listing);
    if (out.length >= limit) break;
  }
  return out;
}
