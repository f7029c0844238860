import { randomUUID } from 'node:crypto';
import { normalizePhone } from '../phone.js';
import type { MockUser } from './model.js';
import { type Body, isObject } from './model.js';
import { MockHttpError } from './responses.js';
import type { RentixStore } from './store.js';
import { checkExternalId, checkUserFields } from './validate.js';

/** The user with this Rentix id; 404 when there is none. */
export function userById(s: RentixStore, id: string): MockUser {
  const user = s.users.get(id);
  if (!user) throw new MockHttpError(404, 'User not found');
  return user;
}

/** The user with this CRM id; 404 when there is none. */
export function userByExternal(s: RentixStore, externalId: string): MockUser {
  const user = s.userByExternalId(externalId);
  if (!user) throw new MockHttpError(404, 'User not found');
  return user;
}

/** `PUT /users`: updates a user, or creates one by CRM id. */
export function putUser(s: RentixStore, body: unknown): { body: unknown } {
  if (!isObject(body)) throw new MockHttpError(400, 'Request body must be an object');
  const messages = checkUserFields(body);
  if (body.id !== undefined && body.externalId !== undefined) {
    messages.push('Provide either id or externalId, not both');
  } else if (body.id === undefined && body.externalId === undefined) {
    messages.push('Either id or externalId must be provided');
  }
  if (messages.length > 0) throw new MockHttpError(400, messages);
  const { id: _id, externalId, ...fields } = body;
  let user = typeof body.id === 'string' ? userById(s, body.id) : s.userByExternalId(externalId as string);
  const stored = (created: boolean, current?: MockUser) =>
    storedUserFields(fields, { created, current, mediaExists: (id) => s.media.has(id), newId: randomUUID });
  if (user) {
    Object.assign(user, stored(false, user));
    return { body: { id: user.id, externalId: user.externalId, updated: true } };
  }
  const missing = ['name', 'phone'].filter((f) => typeof fields[f] !== 'string' || fields[f] === '');
  if (missing.length > 0)
    throw new MockHttpError(
      400,
      missing.map((f) => `${f} should not be empty`),
    );
  const created = stored(true);
  user = { ...created, id: randomUUID(), externalId: externalId as string, name: null, phone: null, role: 'agent' };
  Object.assign(user, { name: created.name, phone: created.phone });
  s.users.set(user.id, user);
  return { body: { id: user.id, externalId: user.externalId, created: true } };
}

/** Links a user to a CRM id; 400 when another user has it. */
export function linkUser(s: RentixStore, id: string, body: unknown) {
  const user = userById(s, id);
  const externalId = isObject(body) ? body.externalId : undefined;
  const problems = externalId === undefined ? ['externalId should not be empty'] : checkExternalId(externalId);
  if (problems.length > 0) throw new MockHttpError(400, problems);
  const other = s.userByExternalId(externalId as string);
  if (other && other !== user) {
    throw new MockHttpError(400, `externalId "${String(externalId)}" is already used by another user`);
  }
  user.externalId = externalId as string;
  return { id: user.id, externalId: user.externalId, linked: true };
}

/** Removes a user's CRM id. */
export function unlinkUser(user: MockUser) {
  const externalId = user.externalId;
  user.externalId = null;
  return { id: user.id, externalId, unlinked: true };
}

/** One operation of `POST /users/bulk`: `link` or `unlink`. */
export function userOperation(s: RentixStore, op: Body): Record<string, unknown> {
  if (op.op === 'link') {
    if (typeof op.id !== 'string') throw new MockHttpError(400, 'id must be a string');
    return linkUser(s, op.id, op);
  }
  if (op.op === 'unlink') {
    if (typeof op.id === 'string') return unlinkUser(userById(s, op.id));
    if (typeof op.externalId === 'string') return unlinkUser(userByExternal(s, op.externalId));
    throw new MockHttpError(400, 'Either id or externalId must be provided');
  }
  throw new MockHttpError(400, 'op must be one of: link, unlink');
}

/** Contact channels a new agent has switched on, as Rentix creates agents. */
const DEFAULT_SETTINGS = {
  posting_type: 'agent',
  contact_phone: true,
  contact_whatsapp: true,
  contact_viber: true,
  contact_telegram: true,
};

/** The variants the mock serves for a photo. */
function variants(id: string) {
  return (['128', '512', '1024'] as const).map((variantSize) => ({
    url: `https://cdn.rentix.md/media/${id}/${variantSize}.webp`,
    variantSize,
  }));
}

/**
 * The fields of a `PUT /users` body as the portal stores them: the phone in
 * international format (`+373…`), the avatar as a stored photo with its variants
 * (`{ url }` makes a new one, `{ id }` names an uploaded file, `null` removes it), and
 * — for a new agent — every contact channel enabled.
 */
export function storedUserFields(
  fields: Record<string, unknown>,
  options: {
    created: boolean;
    current?: Record<string, unknown> | undefined;
    mediaExists: (id: string) => boolean;
    newId: () => string;
  },
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...fields };
  if (typeof fields.phone === 'string') {
    const digits = normalizePhone(fields.phone);
    out.phone = digits === undefined ? fields.phone : `+${digits}`;
  }
  const avatar = fields.avatar as { url?: string; id?: string } | null | undefined;
  if (avatar === null) out.avatar = null;
  else if (avatar !== undefined) {
    let id = avatar.id;
    if (id !== undefined && !options.mediaExists(id)) throw new MockHttpError(404, 'Media not found');
    id ??= options.newId();
    out.avatar = { id, contentType: 'image/jpeg', variants: variants(id) };
  }
  const settings = fields.settings as Record<string, unknown> | undefined;
  const base = options.created ? DEFAULT_SETTINGS : ((options.current?.settings as Record<string, unknown>) ?? {});
  if (options.created || settings !== undefined) out.settings = { ...base, ...(settings ?? {}) };
  return out;
}
