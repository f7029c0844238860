import { z } from 'zod';
import { int32, long, nonEmpty, text, uri } from './common.js';

/** Largest picture the portal downloads, in bytes. */
export const MAX_PICTURE_BYTES = 5_242_880;
/** Largest document the portal downloads, in bytes. */
export const MAX_DOCUMENT_BYTES = 8_388_608;
/** Most blueprints (floor plans) one listing may carry. */
export const MAX_BLUEPRINTS = 4;

/** A picture, blueprint or 360° image, by URL (`picture`). */
export const PictureSchema = z.strictObject({
  url: nonEmpty(),
  /** The portal's id of the image (`@id`), as an earlier export gave it. */
  id: long().optional(),
  /** Display order; defaults to the position in the list, from 1. */
  position: int32().optional(),
  /** Size in bytes when the CRM knows it; checked against the portal's limit, not sent. */
  sizeBytes: z.int().min(0).max(MAX_PICTURE_BYTES, `pictures may be at most ${MAX_PICTURE_BYTES} bytes`).optional(),
  etag: text().optional(),
  width: int32().optional(),
  height: int32().optional(),
});
/** A picture by URL. */
export type Picture = z.infer<typeof PictureSchema>;

/** A video (`videos/video`). */
export const VideoSchema = z.strictObject({
  url: nonEmpty(),
  type: z.enum(['local', 'remote']).optional(),
});
/** A video. */
export type Video = z.infer<typeof VideoSchema>;

/** Kinds of document (`document/@type`). */
export const DocumentTypeSchema = z.enum([
  'ordinanza',
  'ordinanza di vendita',
  'planimetria',
  'perizia',
  'modalità di partecipazione',
  'avviso',
  'avviso di vendita',
  'capitolato',
  'documento catastale',
  'visura catastale',
  'altro',
  'altro-asta',
  'descrizione progetto',
  'ape',
]);

/** A document by URL (`documents/document`). */
export const DocumentSchema = z.strictObject({
  url: uri(),
  type: DocumentTypeSchema,
  position: int32().optional(),
  mimeType: text().optional(),
  /** Size in bytes when the CRM knows it; checked against the portal's limit, not sent. */
  sizeBytes: z.int().min(0).max(MAX_DOCUMENT_BYTES, `documents may be at most ${MAX_DOCUMENT_BYTES} bytes`).optional(),
  /** Caption of the document. */
  title: text().optional(),
});
/** A document by URL. */
export type Document = z.infer<typeof DocumentSchema>;
