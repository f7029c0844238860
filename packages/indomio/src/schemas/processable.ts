import { compiledPart } from '@sync/core';
import { z } from 'zod';
import { AgentSchema } from './agent.js';
import { DateTimeSchema, int32, long, nonEmpty, text, uri } from './common.js';
import { EstatesSchema } from './estates.js';
import { LocationSchema } from './location.js';
import { PictureSchema, VideoSchema } from './media.js';
import { UserSchema } from './user.js';
import { OperationSchema, UuidSchema } from './xsd.js';

/**
 * What a property and a project share (the XSD's abstract `processable`): their attributes and
 * the children up to `fotoplan`. The large groups validate in functions of their own.
 */
export const PROCESSABLE_SHAPE = {
  operation: OperationSchema.default('write'),
  /** The portal's id of the listing (`@ID`), as an earlier response gave it. */
  id: long().optional(),
  /** The listing's id in another system of the agency (`@external-id`). */
  externalId: text().optional(),
  /** The portal's uuid of the listing (`@uuid`). */
  uuid: UuidSchema.optional(),
  /** Who may edit the listing: `closed` only the portal's panel (`@padlock`). */
  padlock: z.enum(['open', 'closed', 'native']).optional(),
  /** The listing's id in the CRM; with `agent.email` it identifies the listing. */
  uniqueId: nonEmpty(),
  publishedOn: DateTimeSchema.optional(),
  /** The portal applies a write only when this is newer than what it stored. */
  dateUpdated: DateTimeSchema,
  /** When the portal should take the listing down (`date-deletion`). */
  dateDeletion: DateTimeSchema.optional(),
  /** The agency publishing the listing; give it or `user`. */
  agent: compiledPart(AgentSchema).optional(),
  /** A private advertiser publishing the listing, instead of an agency. */
  user: compiledPart(UserSchema).optional(),
  location: compiledPart(LocationSchema),
  pictures: z.array(PictureSchema).min(1).optional(),
  videos: z.array(VideoSchema).min(1).max(5).optional(),
  /** Visits the listing had, as the CRM counts them (`visits`). */
  visits: int32().optional(),
  /** The units of a new construction or an auction; such listings need at least one. */
  estates: compiledPart(EstatesSchema).optional(),
  /** URL of a Fotoplan virtual tour (`fotoplan`). */
  fotoplan: uri().optional(),
};
