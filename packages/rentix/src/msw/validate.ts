import {
  ALL_PROPERTY_SECONDARY_TYPES,
  ANNOUNCEMENT_STATUSES,
  ANNOUNCEMENT_TYPES,
  CURRENCIES,
  DESCRIPTION_LENGTH,
  FULLY_CHECKED_STATUSES,
  MAX_EXTERNAL_ID_LENGTH,
  MIN_PHOTOS_TO_PUBLISH,
  PAY_PERIODS,
  PROPERTY_SECONDARY_TYPES,
  PROPERTY_TYPES,
} from '../schemas/common.js';

type Body = Record<string, unknown>;

const ENUMS: Record<string, readonly string[]> = {
  announcementType: ANNOUNCEMENT_TYPES,
  propertyType: PROPERTY_TYPES,
  propertySecondaryType: ALL_PROPERTY_SECONDARY_TYPES,
  announcementCurrency: CURRENCIES,
  announcementPayPeriod: PAY_PERIODS,
  announcementStatus: ANNOUNCEMENT_STATUSES,
};

const NUMBERS = [
  'announcementValue',
  'propertyArea',
  'propertyFloorNumber',
  'propertyFloorsTotal',
  'propertyQuantitySizeValue',
] as const;

const STRINGS = ['propertyQuantitySize', 'propertyHousingMarket', 'propertyVisualState', 'propertyAddress'] as const;

/** Statuses only the portal sets. */
const SYSTEM_STATUSES = new Set(['pending_active', 'publish_failed', 'blocked']);

/** Fields a listing needs before it may be active, expired or completed. */
export const REQUIRED_FOR_PUBLISHING = [
  'announcementType',
  'propertyType',
  'propertySecondaryType',
  'announcementValue',
  'announcementCurrency',
] as const;

function isUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Checks an external id; messages in Rentix's words. */
export function checkExternalId(value: unknown, field = 'externalId'): string[] {
  if (value === undefined) return [];
  if (typeof value !== 'string') return [`${field} must be a string`];
  if (value.length === 0) return [`${field} should not be empty`];
  if (value.length > MAX_EXTERNAL_ID_LENGTH) {
    return [`${field} must be shorter than or equal to ${MAX_EXTERNAL_ID_LENGTH} characters`];
  }
  return [];
}

/** Field-by-field checks of a listing payload, as Rentix reports them (one message per problem). */
export function checkListingFields(body: Body): string[] {
  const messages: string[] = [...checkExternalId(body.externalId)];
  if (body.id !== undefined && (typeof body.id !== 'string' || body.id === '')) messages.push('id must be a string');
  for (const [field, allowed] of Object.entries(ENUMS)) {
    const value = body[field];
    if (value !== undefined && (typeof value !== 'string' || !allowed.includes(value))) {
      messages.push(`${field} must be one of: ${allowed.join(', ')}`);
    }
  }
  if (typeof body.announcementStatus === 'string' && SYSTEM_STATUSES.has(body.announcementStatus)) {
    messages.push(`announcementStatus cannot be set to ${body.announcementStatus}`);
  }
  for (const field of NUMBERS) {
    const value = body[field];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value)) messages.push(`${field} must be a number`);
    else if (value < 0) messages.push(`${field} must not be less than 0`);
  }
  for (const field of STRINGS) {
    if (body[field] !== undefined && typeof body[field] !== 'string') messages.push(`${field} must be a string`);
  }
  const description = body.announcementDescription;
  if (description !== undefined) {
    if (typeof description !== 'string') messages.push('announcementDescription must be a string');
    else if (description.length < DESCRIPTION_LENGTH.min) {
      messages.push(`announcementDescription must be longer than or equal to ${DESCRIPTION_LENGTH.min} characters`);
    } else if (description.length > DESCRIPTION_LENGTH.max) {
      messages.push(`announcementDescription must be shorter than or equal to ${DESCRIPTION_LENGTH.max} characters`);
    }
  }
  const coordinates = body.propertyCoordinates;
  if (coordinates !== undefined) {
    const { lat, lng } = (coordinates ?? {}) as { lat?: unknown; lng?: unknown };
    if (typeof lat !== 'number' || lat < -90 || lat > 90) messages.push('propertyCoordinates.lat must be a latitude');
    if (typeof lng !== 'number' || lng < -180 || lng > 180)
      messages.push('propertyCoordinates.lng must be a longitude');
  }
  if (body.fileIds !== undefined) {
    const ids = body.fileIds;
    if (!Array.isArray(ids) || ids.some((id) => (typeof id !== 'string' && typeof id !== 'number') || id === '')) {
      messages.push('fileIds must be an array of media ids');
    }
  }
  if (body.files !== undefined) {
    if (!Array.isArray(body.files)) messages.push('files must be an array');
    else {
      body.files.forEach((file: unknown, i) => {
        const { url, externalFileId } = (file ?? {}) as { url?: unknown; externalFileId?: unknown };
        if (!isUrl(url)) messages.push(`files.${i}.url must be a URL address`);
        messages.push(...checkExternalId(externalFileId, `files.${i}.externalFileId`));
      });
    }
  }
  if (body.user !== undefined && body.user !== null) {
    const { externalUserId, id } = body.user as { externalUserId?: unknown; id?: unknown };
    if (typeof body.user !== 'object' || (externalUserId === undefined && id === undefined)) {
      messages.push('user must contain externalUserId or id');
    }
  }
  return messages;
}

/** What a listing is, once the payload is merged into what was stored. */
export interface MergedListing {
  formData: Record<string, unknown>;
  photoCount: number;
}

/** Checks that only make sense on the whole listing: type pairs, pay period, publishing needs. */
export function checkMergedListing(listing: MergedListing, requestedStatus: unknown): string[] {
  const messages: string[] = [];
  const data = listing.formData;
  const type = data.propertyType;
  const secondary = data.propertySecondaryType;
  if (typeof type === 'string' && typeof secondary === 'string' && type in PROPERTY_SECONDARY_TYPES) {
    const allowed: readonly string[] = PROPERTY_SECONDARY_TYPES[type as keyof typeof PROPERTY_SECONDARY_TYPES];
    if (!allowed.includes(secondary)) {
      messages.push(`propertySecondaryType must be one of: ${allowed.join(', ')} for propertyType ${type}`);
    }
  }
  if (data.announcementType === 'sale' && data.announcementPayPeriod !== undefined) {
    messages.push('announcementPayPeriod is only allowed for rent');
  }
  const status = typeof requestedStatus === 'string' ? requestedStatus : undefined;
  if (status && (FULLY_CHECKED_STATUSES as readonly string[]).includes(status)) {
    for (const field of REQUIRED_FOR_PUBLISHING) {
      if (data[field] === undefined || data[field] === null) {
        messages.push(`${field} is required for status ${status}`);
      }
    }
    if (status === 'active' && listing.photoCount < MIN_PHOTOS_TO_PUBLISH) {
      messages.push(
        `At least ${MIN_PHOTOS_TO_PUBLISH} photos are required to publish a listing (has ${listing.photoCount})`,
      );
    }
  }
  return messages;
}

/** Checks of a `PUT /users` payload. */
export function checkUserFields(body: Body): string[] {
  const messages = [...checkExternalId(body.externalId)];
  for (const field of ['name', 'phone', 'instagram', 'youtube', 'tiktok'] as const) {
    if (body[field] !== undefined && typeof body[field] !== 'string') messages.push(`${field} must be a string`);
  }
  const description = body.description;
  if (
    description !== undefined &&
    typeof description !== 'string' &&
    (typeof description !== 'object' || !description)
  ) {
    messages.push('description must be a string or an object of translations');
  }
  const avatar = body.avatar as { url?: unknown; id?: unknown } | null | undefined;
  if (avatar !== undefined && avatar !== null && !isUrl(avatar.url) && typeof avatar.id !== 'string') {
    messages.push('avatar must be { url }, { id } or null');
  }
  return messages;
}
