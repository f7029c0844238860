/**
 * How Property Finder's error bodies are read. The API answers every refusal with one shape,
 * `{ code, message, errors?: [{ field, message }] }` (older answers name the field `path`);
 * the client's errors keep that body, and these helpers read it.
 */

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
