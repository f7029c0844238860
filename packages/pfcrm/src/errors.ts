import { ValidationError } from '@sync/core';

/**
 * How the API's error bodies are read. They are `{ code, message, errors: [{ field, message }] }`
 * (400 or 422): errors quote `message`, or the field errors when there is no message.
 */

/**
 * The API's own words in an error body, so errors quote them verbatim: its `message`, or
 * else each field error as `field: message`, joined with `; `. `undefined` when the body
 * has neither.
 */
export function pfErrorMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return body.trim() ? body.trim().slice(0, 500) : undefined;
  if (!body || typeof body !== 'object') return undefined;
  const { message, error, errors } = body as { message?: unknown; error?: unknown; errors?: unknown };
  if (typeof message === 'string') return message;
  if (Array.isArray(message)) return message.map(String).join('; ');
  if (Array.isArray(errors) && errors.length > 0) {
    const parts = errors.map((entry) => {
      const { field, message: text } = (entry ?? {}) as { field?: unknown; message?: unknown };
      const reason = typeof text === 'string' ? text : 'refused';
      return typeof field === 'string' && field !== '' ? `${field}: ${reason}` : reason;
    });
    return parts.join('; ');
  }
  return typeof error === 'string' ? error : undefined;
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
  const errors = (error.body as { errors?: unknown } | null | undefined)?.errors;
  if (!Array.isArray(errors) || errors.length === 0) return undefined;
  const refused = new Map<number, string[]>();
  for (const entry of errors) {
    const { field, path, message } = (entry ?? {}) as { field?: unknown; path?: unknown; message?: unknown };
    const name = typeof field === 'string' ? field : path;
    const match = typeof name === 'string' ? OPERATION_FIELD.exec(name) : null;
    const index = match ? Number(match[1] ?? match[2]) : Number.NaN;
    if (!match || index >= count) return undefined;
    const reason = `${match[3] ?? 'operation'}: ${typeof message === 'string' ? message : 'refused'}`;
    refused.set(index, [...(refused.get(index) ?? []), reason]);
  }
  return refused;
}
