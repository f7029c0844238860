import { z } from 'zod';
import { DOCUMENTED_SECONDARY_TYPES, type SecondaryTypeTable } from './common.js';

const values = z.array(z.string());

/**
 * `GET /reference/schema/base`, keyed as Rentix sends it: the allowed values of
 * `announcementType`, `propertyType`, `announcementCurrency` and `announcementStatus`;
 * `propertySecondaryType` nested by announcement type, then property type
 * (`propertySecondaryType.rent.residential`); every form field (`formFields`, with
 * `fileIds`); and `constraints`, whose layout is not published. Every part is optional
 * and unknown keys pass through, so a change on the portal's side never breaks a read.
 */
export const BaseSchemaSchema = z.looseObject({
  announcementType: values.optional(),
  propertyType: values.optional(),
  propertySecondaryType: z.record(z.string(), z.record(z.string(), values)).optional(),
  announcementCurrency: values.optional(),
  announcementStatus: values.optional(),
  formFields: values.optional(),
  constraints: z.record(z.string(), z.unknown()).optional(),
});

/** The portal's base schema. */
export type BaseSchema = z.infer<typeof BaseSchemaSchema>;

/** One field of a contextual schema: its kind, whether it is required, and its options when it has a fixed set. */
export const ContextFieldSchema = z.looseObject({
  name: z.string(),
  type: z.string().optional(),
  required: z.boolean().optional(),
  options: z
    .array(z.union([z.string(), z.number(), z.looseObject({ value: z.union([z.string(), z.number()]) })]))
    .optional(),
});

/** One field of a contextual schema. */
export type ContextField = z.infer<typeof ContextFieldSchema>;

/**
 * The contextual schema: the exact fields and options for one announcement type and
 * property type (`GET /reference/schema?announcementType=&propertyType=`). Rentix
 * names the endpoint but publishes no example answer, so every part is optional and
 * unknown keys pass through.
 */
export const ContextSchemaSchema = z.looseObject({
  announcementType: z.string().optional(),
  propertyType: z.string().optional(),
  propertySecondaryType: values.optional(),
  formFields: values.optional(),
  fields: z.array(ContextFieldSchema).optional(),
  constraints: z.record(z.string(), z.unknown()).optional(),
});

/** The contextual schema of one announcement type and property type. */
export type ContextSchema = z.infer<typeof ContextSchemaSchema>;

/**
 * The secondary-type table of a fetched base schema, for validating listings against
 * what the portal currently allows; pairs the answer leaves out keep the documented
 * lists ({@link DOCUMENTED_SECONDARY_TYPES}).
 */
export function secondaryTypesOf(schema: BaseSchema): SecondaryTypeTable {
  const table: Record<string, Record<string, readonly string[]>> = {};
  for (const [announcement, byType] of Object.entries(DOCUMENTED_SECONDARY_TYPES)) table[announcement] = { ...byType };
  for (const [announcement, byType] of Object.entries(schema.propertySecondaryType ?? {})) {
    const row = { ...(table[announcement] ?? {}) };
    for (const [propertyType, list] of Object.entries(byType)) {
      // The docs abbreviate lists with "..."; such a list is no table to validate against.
      if (list.length > 0 && !list.includes('...')) row[propertyType] = list;
    }
    table[announcement] = row;
  }
  return table;
}

/** @deprecated Renamed {@link BaseSchemaSchema}, as every schema of the SDK is named. */
export const baseSchemaSchema: typeof BaseSchemaSchema = BaseSchemaSchema;
