import { z } from 'zod';
import { LanguageSchema, long, positive, text } from './common.js';

const latitude = z.number().min(-90).max(90);
const longitude = z.number().min(-180).max(180);

/** A zone of the portal by name, id and uuid (`id-uuid-string`). */
export const ZoneSchema = z.strictObject({ name: text().default(''), id: long().optional(), uuid: text().optional() });
/** A zone of the portal. */
export type Zone = z.infer<typeof ZoneSchema>;

/** A street address in one language (`locality/addresses/address`). */
export const AddressSchema = z.strictObject({
  language: LanguageSchema,
  thoroughfare: text().max(200).optional(),
  streetNumber: text().max(10).optional(),
});
/** A street address in one language. */
export type Address = z.infer<typeof AddressSchema>;

/** Where the property is (`location`). Give coordinates, or at least the city's ISTAT code. */
export const LocationSchema = z.strictObject({
  /** ISO 3166 two-letter code, e.g. `IT`. */
  countryCode: z
    .string()
    .regex(/^[a-zA-Z]{2}$/, 'must be a two-letter country code')
    .optional(),
  administrativeArea: text().optional(),
  subAdministrativeArea: z.strictObject({ name: text(), code: text().optional() }).optional(),
  city: z.strictObject({
    name: text(),
    /** ISTAT code of the municipality, e.g. `042021`; essential without coordinates. */
    code: text().optional(),
    /** The portal's geographic id of the city (`@geo`). */
    geo: positive().optional(),
    /** The city's own coordinates (`@latitude`, `@longitude`), apart from the listing's. */
    latitude: latitude.optional(),
    longitude: longitude.optional(),
  }),
  locality: z
    .strictObject({
      /** How precisely the portal shows the position. */
      map: z.enum(['exact', 'near', 'no']).optional(),
      /** Administrative level of the locality, 1–10 (`@admin-level`). */
      adminLevel: z.int().min(1).max(10).optional(),
      /** The portal's id of that administrative unit (`@admin-level-id`). */
      adminLevelId: text().optional(),
      /** Whether the coordinates were measured or derived from the address (`@coordinate-type`). */
      coordinateType: z.enum(['derived', 'real']).optional(),
      /** The neighbourhood by name (`neighbourhood`). */
      neighbourhood: z
        .strictObject({
          name: text(),
          type: z.enum(['district', 'locality', 'area']).optional(),
          id: positive().optional(),
          /** The portal placed it from the coordinates (`@geolocalized="yes"`). */
          geolocalized: z.boolean().optional(),
        })
        .optional(),
      /** The portal's zones (`zones`): macro zone, micro zone, locality, each by name and id. */
      zones: z
        .strictObject({
          macrozone: ZoneSchema.optional(),
          microzone: ZoneSchema.optional(),
          locality: ZoneSchema.optional(),
        })
        .optional(),
      postalCode: text().max(5).optional(),
      latitude: latitude.optional(),
      longitude: longitude.optional(),
      thoroughfare: z.strictObject({ value: text().max(200), display: z.boolean().optional() }).optional(),
      streetNumber: text().max(10).optional(),
      addresses: z.array(AddressSchema).min(1).optional(),
    })
    .optional(),
});
/** Where the property is. */
export type Location = z.infer<typeof LocationSchema>;
