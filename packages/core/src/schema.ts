import { z } from 'zod';

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
