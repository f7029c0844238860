import { z } from 'zod';
import { int32, text } from './common.js';

/** A category path of the portal's classification, `category/typology/subtypology` (`breadcrumb3`). */
export const BreadcrumbSchema = z.string().regex(/^[^/]+\/[^/]+\/[^/]+$/, 'must be three names joined by "/"');

/** Kinds of agricultural land (`terrains/terrain`). */
export const TerrainTypeSchema = z.enum([
  'seminativo',
  'seminativo irriguo',
  'seminativo arborato',
  'seminativo arborato irriguo',
  'prato',
  'prato irriguo',
  'prato arborato',
  'prato a marcita',
  'risaia stabile',
  'pascolo',
  'pascolo arborato',
  'pascolo cespugliato',
  'giardino',
  'orto',
  'orto irriguo',
  'agrumeto',
  'vigneto',
  'uliveto',
  'frutteto',
  'gelseto',
  'colture speciali',
  'castagneto da frutto',
  'canneto',
  'bosco alto fusto',
  'bosco ceduo',
  'bosco misto',
  'incolto produttivo',
  'incolto sterile',
]);

/** The typology and state of the building (`building`): every attribute and child of the XSD's `building`. */
export const BuildingSchema = z.strictObject({
  /** Portal typology id (`@IDType`), e.g. 14 apartment, 253 garage, 254 parking space. */
  typeId: int32(),
  /** The typology as a category path of the portal's classification (`@map`). */
  map: BreadcrumbSchema.optional(),
  /** The CRM's own name of the typology, kept by the portal for reference (`@originalType`). */
  originalType: text().optional(),
  /** Category id of the portal's first classification (`@categoryV1`). */
  categoryV1: int32().optional(),
  /** Typology id of the portal's first classification (`@typologyV1`). */
  typologyV1: int32().optional(),
  /** Further category paths the listing belongs to (`maps/additional/@map`), one or two. */
  additionalMaps: z.array(BreadcrumbSchema).min(1).max(2).optional(),
  status: z
    .enum([
      'in costruzione',
      'nuovo',
      'abitabile',
      'ottimo',
      'buono',
      'ristrutturato',
      'da ristrutturare',
      'discreto',
      'nd',
    ])
    .optional(),
  /** Kinds of land of an agricultural listing (`terrains/terrain`). */
  terrains: z.array(TerrainTypeSchema).min(1).optional(),
  class: z.enum(['di lusso', 'signorile', 'medio', 'economico']).optional(),
});
/** The typology and state of the building, as accepted. */
export type BuildingInput = z.input<typeof BuildingSchema>;
/** The typology and state of the building. */
export type Building = z.infer<typeof BuildingSchema>;

/** Land-registry data of the property (`registrar-data`): the Italian cadastre's identifiers. */
export const RegistrarDataSchema = z.strictObject({
  /** Cadastral class, e.g. `A/2` (`@class`). */
  class: z
    .string()
    .regex(/^[A-FT](\/[0-9]{1,2})?$/, 'must be a cadastral class such as A/2')
    .optional(),
  /** `T` land registry, `F` buildings registry. */
  type: z.enum(['T', 'F']).optional(),
  section: text().optional(),
  sheet: text().optional(),
  parcel: text().optional(),
  subParcel: text().optional(),
  sub: text().optional(),
  sub2nd: text().optional(),
  attached: text().optional(),
  /** Cadastral income, in euros. */
  revenue: z.number().min(0).max(99999999.99).optional(),
  extra: text().optional(),
});
/** Land-registry data of the property. */
export type RegistrarData = z.infer<typeof RegistrarDataSchema>;
