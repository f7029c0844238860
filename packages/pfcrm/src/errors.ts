import { ValidationError } from '@sync/core';

/**
 * How Property Finder's error bodies are read. The API answers every refusal with one shape,
 * `{ code, message, errors?: [{ field, message }] }` (400 or 422; older answers name the field
 * `path`): the client's errors keep that body and quote its words, read here.
 */

/**
 * The API's own words in an error body, so errors quote them verbatim: its `message`, or
 * else each field error as `field: message`, joined with `; `. `undefined` when the body
 * has neither.
 */
export function pfErrorMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return body.trim() ? body.trim().slice(0, 500) : undefined;
  if (!body || typeof body !== 'object') return undefined;
  const { message, error } = body as { message?: unknown; error?: unknown };
  if (typeof message === 'string') return message;
  if (Array.isArray(message)) return message.map(String).join('; ');
  const fields = fieldErrors(body);
  if (fields) return fields.map(({ field, message: text }) => (field === '' ? text : `${field}: ${text}`)).join('; ');
  return typeof error === 'string' ? error : undefined;
}

/** One refused field of an error body. */
export interface PfFieldError {
  /** The field, as the API names it: `price.value`, `operations.2.path`. */
  field: string;
  /** Why it was refused; `refused` when the API says nothing. */
  message: string;
}

/** The refused fields of an error body, in its order; `undefined` when it names none or one it cannot name. */
export function fieldErrors(body: unknown): PfFieldError[] | undefined {
  const errors = (body as { errors?: unknown } | null | undefined)?.errors;
  if (!Array.isArray(errors) || errors.length === 0) return undefined;
  const fields: PfFieldError[] = [];
  for (const entry of errors) {
    const { field, path, message } = (entry ?? {}) as { field?: unknown; path?: unknown; message?: unknown };
    const name = typeof field === 'string' ? field : path;
    if (typeof name !== 'string') return undefined;
    fields.push({ field: name, message: typeof message === 'string' ? message : 'refused' });
  }
  return fields;
}

const OPERATION_FIELD = /^operations(?:\.(\d+)|\[(\d+)\])(?:\.(.+))?$/;

/**
 * The operations a 422 answer to `PATCH /properties` names, by their position in that
 * request, each with its reasons (`path: property 999999 not found`). `undefined` when the
 * answer is not such a 422, or when one of its errors names no operation — then nobody
 * can tell which operation is at fault.
 */
export function refusedOperations(error: unknown, count: number): Map<number, string[]> | undefined {
  if (!(error instanceof ValidationError) || error.status !== 422) return undefined;
  const errors = fieldErrors(error.body);
  if (!errors) return undefined;
  const refused = new Map<number, string[]>();
  for (const { field, message } of errors) {
    const match = OPERATION_FIELD.exec(field);
    const index = match ? Number(match[1] ?? match[2]) : Number.NaN;
    if (!match || index >= count) return undefined;
    const reason = `${match[3] ?? 'operation'}: ${message}`;
    refused.set(index, [...(refused.get(index) ?? []), reason]);
  }
  return refused;
}
