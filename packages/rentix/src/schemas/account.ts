import { z } from 'zod';
import { PortalIdSchema } from './common.js';

/** The agency the API key belongs to (`GET /agency`). */
export const AgencySchema = z.looseObject({
  id: PortalIdSchema,
  name: z.string(),
  status: z.string().optional(),
  isCrmEnabled: z.boolean().optional(),
  limits: z
    .looseObject({
      monthlyListings: z.looseObject({ used: z.number(), limit: z.number().nullable() }).optional(),
    })
    .optional(),
});

/** The agency the API key belongs to. */
export type Agency = z.infer<typeof AgencySchema>;

/** Statuses of a background job. */
export const JOB_STATUSES = ['pending', 'processing', 'completed', 'failed', 'failed_retryable'] as const;

/** A job status. */
export type JobStatus = (typeof JOB_STATUSES)[number];

/** A background job (`GET /job/status?id=`), e.g. the finalisation of a published listing. */
export const JobSchema = z.looseObject({
  id: PortalIdSchema,
  type: z.string().optional(),
  status: z.string(),
  queuePosition: z.number().nullable().optional(),
  createdAt: z.string().optional(),
  resultData: z.unknown().optional(),
  publicErrorMessage: z.string().nullable().optional(),
});

/** A background job. */
export type Job = z.infer<typeof JobSchema>;

/** The answer to `POST /media/upload-from-url`. */
export const MediaUploadResultSchema = z.looseObject({
  mediaId: PortalIdSchema,
  status: z.string().optional(),
  externalId: z.string().nullable().optional(),
  jobId: PortalIdSchema.nullable().optional(),
});

/** The answer to `POST /media/upload-from-url`. */
export type MediaUploadResult = z.infer<typeof MediaUploadResultSchema>;

/** One size of an optimised photo. */
export const MediaVariantSchema = z.looseObject({
  url: z.string(),
  variantSize: z.string(),
  size: z.number().nullable().optional(),
});

/** One size of an optimised photo. */
export type MediaVariant = z.infer<typeof MediaVariantSchema>;

/** A stored file (`GET /media/:id`); `size` is a number here. */
export const MediaSchema = z.looseObject({
  id: PortalIdSchema,
  externalId: z.string().nullable().optional(),
  size: z.number().nullable().optional(),
  contentType: z.string().nullable().optional(),
  optimization: z.unknown().optional(),
  blurhash: z.string().nullable().optional(),
  originalUrl: z.string().nullable().optional(),
  variants: z.array(MediaVariantSchema).optional(),
});

/** A stored file. */
export type Media = z.infer<typeof MediaSchema>;

/** The answer to deleting a file. */
export const MediaDeleteResultSchema = z.looseObject({ deleted: z.boolean() });

/** The answer to deleting a file. */
export type MediaDeleteResult = z.infer<typeof MediaDeleteResultSchema>;

/** Input of `media.uploadFromUrl`. */
export const MediaUploadInputSchema = z.object({
  url: z.url({ protocol: /^https?$/ }),
  externalId: z.string().min(1).max(255).optional(),
});

/** Input of `media.uploadFromUrl`. */
export type MediaUploadInput = z.input<typeof MediaUploadInputSchema>;

/** `GET /reference/currencies`: exchange rates against the base currency. */
export const CurrenciesSchema = z.looseObject({
  baseCurrency: z.string(),
  currencies: z.array(z.looseObject({ code: z.string(), nominal: z.number().optional(), rate: z.number() })),
});

/** Exchange rates. */
export type Currencies = z.infer<typeof CurrenciesSchema>;

/** Input of `media.createSignedUpload`: what the file is, so the portal can sign a URL for it. */
export const SignedUploadInputSchema = z.object({
  /** The file's name, e.g. `living-room.jpg`. */
  fileName: z.string().min(1).max(255),
  /** Its MIME type; photos only. */
  contentType: z.string().regex(/^image\/[a-z0-9.+-]+$/i, 'must be an image MIME type, e.g. image/jpeg'),
  /** The CRM's id of the file, so listings can reuse it. */
  externalId: z.string().min(1).max(255).optional(),
});

/** Input of `media.createSignedUpload`. */
export type SignedUploadInput = z.input<typeof SignedUploadInputSchema>;

/**
 * A signed upload: where to `PUT` the file's bytes (without the API key), until when,
 * with which headers, and the media id to name in a listing's `fileIds` afterwards.
 */
export const SignedUploadSchema = z.looseObject({
  mediaId: PortalIdSchema,
  uploadUrl: z.url(),
  method: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  expiresAt: z.string().nullable().optional(),
  externalId: z.string().nullable().optional(),
  jobId: PortalIdSchema.nullable().optional(),
});

/** A signed upload. */
export type SignedUpload = z.infer<typeof SignedUploadSchema>;

/** @deprecated Renamed {@link AgencySchema}, as every schema of the SDK is named. */
export const agencySchema: typeof AgencySchema = AgencySchema;
/** @deprecated Renamed {@link JobSchema}, as every schema of the SDK is named. */
export const jobSchema: typeof JobSchema = JobSchema;
/** @deprecated Renamed {@link MediaUploadResultSchema}, as every schema of the SDK is named. */
export const mediaUploadResultSchema: typeof MediaUploadResultSchema = MediaUploadResultSchema;
/** @deprecated Renamed {@link MediaVariantSchema}, as every schema of the SDK is named. */
export const mediaVariantSchema: typeof MediaVariantSchema = MediaVariantSchema;
/** @deprecated Renamed {@link MediaSchema}, as every schema of the SDK is named. */
export const mediaSchema: typeof MediaSchema = MediaSchema;
/** @deprecated Renamed {@link MediaDeleteResultSchema}, as every schema of the SDK is named. */
export const mediaDeleteResultSchema: typeof MediaDeleteResultSchema = MediaDeleteResultSchema;
/** @deprecated Renamed {@link MediaUploadInputSchema}, as every schema of the SDK is named. */
export const mediaUploadInputSchema: typeof MediaUploadInputSchema = MediaUploadInputSchema;
/** @deprecated Renamed {@link CurrenciesSchema}, as every schema of the SDK is named. */
export const currenciesSchema: typeof CurrenciesSchema = CurrenciesSchema;
