import { z } from 'zod';
import { int32, LanguageSchema, long, text } from './common.js';

/** Floor kinds (`detailedSizeFloorType`). */
export const FloorTypeSchema = z.enum([
  'Intermedio',
  'Interrato',
  'Interrato(-1)',
  'Interrato(-2)',
  'Interrato(-3)',
  'Interrato(-4)',
  'Interrato(-5)',
  'Controterra',
  'Seminterrato',
  'PianoTerra',
  'Rialzato',
  'PianoNobile',
  'Multipiano',
  'Ultimo',
  'Attico',
  'Edificio',
  'Scantinato',
  'Ammezzato',
  'Principale',
]);

/** Kinds of surface in a detailed size breakdown (`detailedSizeType`). */
export const SizeTypeSchema = z.enum([
  'Abitazione',
  'Ufficio',
  'Studio',
  'Negozio',
  'Magazzino',
  'Garage',
  'Cantina',
  'Soffitta',
  'Balcone',
  'Terrazzo',
  'Giardino',
  'Terreno',
  'Parti comuni',
  'Altro',
  'Mansarda',
  'Capannone',
  'Laboratorio',
  'Posti auto',
  'Posto auto',
  'Soppalco',
  'Esterno',
  'Parcheggio',
  'Albergo/hotel',
  'Posto moto',
  'Posto barca',
  'Posto camper o roulotte',
  'Autorimessa',
  'Centralina',
  'Podere o tenuta',
  'Filiale bancaria',
  'Scuderia',
  'Casa di cura',
  'Stabilimento balneare',
  'Azienda agricola',
  'Impianti sportivi',
  'Stazione di servizio',
  'Autolavaggio',
  'Campeggio',
  'Piazzale',
  'Locale tecnico',
  'Appartamento',
]);

/** Units of a surface (`SizeUnitSchema`). */
export const SizeUnitSchema = z.enum(['m2', 'sft']);

/** Energy class and its measures (`features/energy-class`, required by the XSD; may be empty). */
export const EnergyClassSchema = z.strictObject({
  value: z
    .enum([
      'A4',
      'A3',
      'A2',
      'A1',
      'A+',
      'A',
      'B+',
      'B',
      'C',
      'D',
      'E',
      'F',
      'G',
      'H',
      'I',
      'Γ',
      'Δ',
      'Ε',
      'Ζ',
      'Η',
      'esente',
      'NC',
    ])
    .optional(),
  /** Zero-energy building. */
  zero: z.boolean().optional(),
  scale: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]).optional(),
  certified: z.boolean().optional(),
  performance: z
    .array(
      z.strictObject({
        value: z.number(),
        unit: z.enum(['kWh/m2anno', 'kWh/m3anno']),
        type: z.enum(['nren', 'ren']),
      }),
    )
    .optional(),
  seasons: z
    .array(
      z.strictObject({
        season: z.enum(['summer', 'winter']).optional(),
        level: z.enum(['low', 'normal', 'high']).optional(),
      }),
    )
    .optional(),
});
/** Energy class and its measures. */
export type EnergyClass = z.infer<typeof EnergyClassSchema>;

/** A description in one language (`descriptions/description`). */
export const DescriptionSchema = z.strictObject({
  language: LanguageSchema.optional(),
  /** Written in this language originally (not translated). */
  native: z.boolean().optional(),
  title: text().max(255).optional(),
  content: text(),
});
/** A description in one language. */
export type Description = z.infer<typeof DescriptionSchema>;

/** Emissions class and CO₂ figure (`emissions-class`). */
export const EmissionsClassSchema = z.strictObject({
  value: z.enum(['A+', 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'esente', 'NC']).optional(),
  co2: z.strictObject({ value: z.number(), unit: z.enum(['CO2/m2anno', 'CO2/m3anno']) }).optional(),
});
/** Emissions class and CO₂ figure. */
export type EmissionsClass = z.infer<typeof EmissionsClassSchema>;

/** Size, rooms, descriptions and energy data (`features`). */
export const FeaturesSchema = z.strictObject({
  size: z.strictObject({ value: long(), unit: SizeUnitSchema.optional() }).optional(),
  /** A breakdown of the surface by kind. */
  sizes: z
    .strictObject({
      unit: SizeUnitSchema,
      items: z
        .array(
          z.strictObject({
            type: SizeTypeSchema,
            floor: z.strictObject({ value: int32(), type: FloorTypeSchema.optional() }).optional(),
            surface: z.number(),
            /** Weight of this surface in the commercial size, 0–100. */
            weight: z.number().min(0).max(100),
            main: z.boolean().optional(),
          }),
        )
        .min(1),
    })
    .optional(),
  roomsDetail: z
    .strictObject({
      bedrooms: int32().optional(),
      otherRooms: z.number().optional(),
      kitchen: z
        .enum(['Abitabile', 'Semi abitabile', 'Cucinotto', 'Angolo cottura', 'A vista', 'Indipendente', 'Aperta'])
        .optional(),
    })
    .optional(),
  descriptions: z.array(DescriptionSchema).max(25).optional(),
  energyClass: EnergyClassSchema,
  emissionsClass: EmissionsClassSchema.optional(),
});
/** Size, rooms, descriptions and energy data. */
export type Features = z.infer<typeof FeaturesSchema>;
