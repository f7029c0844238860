import { randomUUID } from 'node:crypto';
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
  if (user) {
    Object.assign(user, fields);
    return { body: { id: user.id, externalId: user.externalId, updated: true } };
  }
  const missing = ['name', 'phone'].filter((f) => typeof fields[f] !== 'string' || fields[f] === '');
  if (missing.length > 0)
    throw new MockHttpError(
      400,
      missing.map((f) => `${f} should not be empty`),
    );
  user = { ...fields, id: randomUUID(), externalId: externalId as string, name: null, phone: null, role: 'agent' };
  Object.assign(user, { name: fields.name, phone: fields.phone });
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
