import { z } from 'zod';
import {
  type ErrorContext,
  InputValidationError,
  MAX_ERROR_BODY,
  toInputIssues,
  UnexpectedResponseError,
} from './errors.js';
import type { Redactor } from './redact.js';

const compiledSchemas = new WeakMap<z.ZodType, z.ZodType>();

/**
 * The schema with zod's compiled fast path (`z.compile`), built on its first use and kept for
 * the schema's lifetime. Results and issues are those of the schema itself; a valid input is
 * checked by one generated function instead of a walk that allocates a payload per node, which
 * is most of validation's time and garbage in bulk work. An invalid input is parsed again by
 * the schema itself for its issues, so a refinement with side effects may run twice. Where code
 * cannot be generated (no `new Function`), the schema is used as it is.
 */
export function compiledSchema<S extends z.ZodType>(schema: S): S {
  let compiled = compiledSchemas.get(schema);
  if (!compiled) {
    compiled = z.compile(schema);
    compiledSchemas.set(schema, compiled);
  }
  return compiled as S;
}

/**
 * A part of a large schema that validates in a function of its own. `z.compile` writes a whole schema as
 * one function, and V8 optimises a function only up to a size: past it, a large model (dozens of nested
 * objects) runs unoptimised and slower than its parts would. The part keeps its types, results and issues.
 *
 * @example
 * ```ts
 * const ListingSchema = z.strictObject({ id: z.string(), features: compiledPart(FeaturesSchema) });
 * ```
 */
export function compiledPart<S extends z.ZodType>(schema: S): z.ZodLazy<S> {
  return z.lazy(() => compiledSchema(schema));
}

/** Where a response came from, for the error that says it does not fit its schema. */
export interface ResponseContext extends ErrorContext {
  /** HTTP status of the response. */
  status?: number | undefined;
}

/**
 * Checks a response body against its schema — the counterpart of {@link parseInput} for
 * what comes back — and returns the parsed value, or throws an
 * {@link UnexpectedResponseError} that names the operation, the item and the first fields
 * that do not fit. The body in the error goes through `redactor`, so nothing a portal
 * echoes can carry a credential out.
 */
export function parseResponse<S extends z.ZodType>(
  schema: S,
  data: unknown,
  context: ResponseContext,
  redactor?: Redactor,
): z.output<S> {
  const result = compiledSchema(schema).safeParse(data);
  if (result.success) return result.data;
  const where = result.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
    .join('; ');
  throw new UnexpectedResponseError(`the response does not match the documented shape (${where})`, {
    ...context,
    body: redactor ? redactor.value(data, MAX_ERROR_BODY) : undefined,
  });
}

/**
 * Validates `input` with a zod schema and returns the parsed value, or throws an
 * {@link InputValidationError} naming the item and every faulty field.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, context: ErrorContext = {}): z.output<S> {
  const result = compiledSchema(schema).safeParse(input);
  if (result.success) return result.data;
  throw new InputValidationError(toInputIssues(result.error.issues), context);
}
