import { z } from 'zod';
import { DocumentSchema, MAX_BLUEPRINTS, PictureSchema } from './property.js';
import { xmlText } from './xsd.js';

/** How a partial update finds its listing (`partial/identifiers`): the portal's id or the CRM's, with the agency. */
export const PartialIdentifiersSchema = z
  .strictObject({
    /** The portal's listing id (`idListing`). */
    listingId: z.int().min(0).optional(),
    /** The listing's CRM id (its `unique-id`). */
    listingExternalId: xmlText().optional(),
    /** The portal's uuid of the listing. */
    listingUuid: xmlText().optional(),
    /** The agency's username (its `agent/email`). */
    agencyUsername: xmlText().optional(),
    /** The agency's id on the portal. */
    agencyId: z.int().min(0).optional(),
    agencyUuid: xmlText().optional(),
    agencyExternalId: xmlText().optional(),
  })
  .refine(
    (i) => i.listingId !== undefined || i.listingExternalId !== undefined || i.listingUuid !== undefined,
    'name the listing: listingId, listingExternalId or listingUuid',
  );
/** How a partial update finds its listing. */
export type PartialIdentifiers = z.infer<typeof PartialIdentifiersSchema>;

const MEDIA = ['pictures', 'documents', 'blueprints', 'virtualTour'] as const;

/**
 * A media-only update of a listing (the XSD's `<partial>` root, sent with the listing's
 * `PUT`): the listing named by `identifiers`, and exactly one kind of media — `pictures`,
 * `documents`, `blueprints` or `virtualTour` — which replaces that kind on the portal. Nothing
 * else of the listing changes, and no `date-updated` is involved.
 *
 * @example
 * ```ts
 * await indomio.properties.partial({
 *   identifiers: { listingExternalId: 'crm-1', agencyUsername: 'agency@example.com' },
 *   pictures: [{ url: 'https://img.example.com/1.jpg' }],
 * });
 * ```
 */
export const PartialUpdateSchema = z
  .strictObject({
    identifiers: PartialIdentifiersSchema,
    /** What the listing is (`resource-type`); the portal's default is a property. */
    resourceType: z.enum(['property', 'project', 'auction', 'room']).optional(),
    /** Whether the media are certified (`certified`). */
    certified: z.boolean().optional(),
    /** The listing's pictures, replacing the ones it has. */
    pictures: z.array(PictureSchema).min(1).optional(),
    /** The listing's documents, replacing the ones it has. */
    documents: z.array(DocumentSchema).min(1).optional(),
    /** The listing's floor plans (JPEG), replacing the ones it has. */
    blueprints: z
      .array(PictureSchema)
      .max(MAX_BLUEPRINTS, `a listing has at most ${MAX_BLUEPRINTS} floor plans`)
      .optional(),
    /** The listing's virtual tour, by URL (`virtual-tours/url-virtual-tour`). */
    virtualTour: xmlText().optional(),
  })
  .superRefine((p, ctx) => {
    const given = MEDIA.filter((m) => p[m] !== undefined);
    if (given.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: given.length > 1 ? [given[1] as string] : [],
        message: `a partial update carries exactly one of ${MEDIA.join(', ')} (got ${given.length === 0 ? 'none' : given.join(', ')})`,
      });
    }
    for (const type of ['planimetria', 'ape'] as const) {
      if ((p.documents ?? []).filter((d) => d.type === type).length > 1) {
        ctx.addIssue({ code: 'custom', path: ['documents'], message: `at most one document of type ${type}` });
      }
    }
  });
/** A media-only update, validated. */
export type PartialUpdate = z.infer<typeof PartialUpdateSchema>;
/** A media-only update, as given to the SDK. */
export type PartialUpdateInput = z.input<typeof PartialUpdateSchema>;
