import {
  ANNOUNCEMENT_STATUSES,
  ANNOUNCEMENT_TYPES,
  CURRENCIES,
  DESCRIPTION_LENGTH,
  DOCUMENTED_SECONDARY_TYPES,
  MAX_EXTERNAL_ID_LENGTH,
  MIN_PHOTOS_TO_PUBLISH,
  PAY_PERIODS,
  PROPERTY_TYPES,
} from '../schemas/common.js';
import { MockHttpError } from './responses.js';

/** The base schema as the mock portal publishes it, in the documented layout. */
export interface MockBaseSchema {
  announcementType: string[];
  propertyType: string[];
  /** Announcement type → property type → secondary types. */
  propertySecondaryType: Record<string, Record<string, string[]>>;
  announcementCurrency: string[];
  announcementStatus: string[];
  formFields: string[];
  constraints: Record<string, unknown>;
}

/** Every form field the mock knows, in the order the schema lists them. */
const FORM_FIELDS = [
  'propertyType',
  'propertySecondaryType',
  'propertyQuantitySize',
  'propertyQuantitySizeValue',
  'propertyArea',
  'propertyFloorNumber',
  'propertyFloorsTotal',
  'propertyHousingMarket',
  'propertyVisualState',
  'propertyAddress',
  'propertyCoordinates',
  'announcementType',
  'announcementValue',
  'announcementCurrency',
  'announcementPayPeriod',
  'announcementDescription',
  'fileIds',
];

/** Fields a listing needs before it may be active, expired or completed. */
const REQUIRED = [
  'announcementType',
  'propertyType',
  'propertySecondaryType',
  'announcementValue',
  'announcementCurrency',
];

/** A fresh copy of the base schema the mock serves: the documented layout and lists. */
export function mockBaseSchema(): MockBaseSchema {
  const secondary: Record<string, Record<string, string[]>> = {};
  for (const [announcement, byType] of Object.entries(DOCUMENTED_SECONDARY_TYPES)) {
    secondary[announcement] = Object.fromEntries(Object.entries(byType).map(([type, list]) => [type, [...list]]));
  }
  return {
    announcementType: [...ANNOUNCEMENT_TYPES],
    propertyType: [...PROPERTY_TYPES],
    propertySecondaryType: secondary,
    announcementCurrency: [...CURRENCIES],
    announcementStatus: [...ANNOUNCEMENT_STATUSES],
    formFields: [...FORM_FIELDS],
    constraints: {
      announcementDescription: { minLength: DESCRIPTION_LENGTH.min, maxLength: DESCRIPTION_LENGTH.max },
      externalId: { maxLength: MAX_EXTERNAL_ID_LENGTH },
      fileIds: { minForActive: MIN_PHOTOS_TO_PUBLISH },
    },
  };
}

/**
 * The contextual schema of one announcement type and property type, from the base
 * schema the mock serves; 400 with Rentix's message array for an unknown pair.
 */
export function mockContextSchema(schema: MockBaseSchema, query: URLSearchParams) {
  const announcementType = query.get('announcementType');
  const propertyType = query.get('propertyType');
  const messages: string[] = [];
  if (announcementType === null || !schema.announcementType.includes(announcementType)) {
    messages.push(`announcementType must be one of: ${schema.announcementType.join(', ')}`);
  }
  if (propertyType === null || !schema.propertyType.includes(propertyType)) {
    messages.push(`propertyType must be one of: ${schema.propertyType.join(', ')}`);
  }
  if (messages.length > 0 || announcementType === null || propertyType === null) throw new MockHttpError(400, messages);
  const secondary = schema.propertySecondaryType[announcementType]?.[propertyType] ?? [];
  // A sale has no pay period; a parking space has no rooms or floors of its own.
  const fields = schema.formFields.filter(
    (f) =>
      !(announcementType === 'sale' && f === 'announcementPayPeriod') &&
      !(propertyType === 'parking' && (f === 'propertyQuantitySize' || f === 'propertyQuantitySizeValue')),
  );
  const options: Record<string, readonly string[]> = {
    announcementType: [announcementType],
    propertyType: [propertyType],
    propertySecondaryType: secondary,
    announcementCurrency: schema.announcementCurrency,
    announcementPayPeriod: announcementType === 'rent' ? PAY_PERIODS : [],
  };
  return {
    announcementType,
    propertyType,
    propertySecondaryType: secondary,
    formFields: fields,
    fields: fields.map((name) => ({
      name,
      required: REQUIRED.includes(name),
      ...(options[name] ? { options: [...(options[name] ?? [])] } : {}),
    })),
    constraints: schema.constraints,
  };
}

/**
 * The portal's refusal of a secondary type its schema does not allow for the listing's
 * announcement type and property type, as a validation message.
 */
export function checkCombination(schema: MockBaseSchema, formData: Record<string, unknown>): string[] {
  const { announcementType, propertyType, propertySecondaryType } = formData;
  if (typeof announcementType !== 'string' || typeof propertyType !== 'string') return [];
  if (typeof propertySecondaryType !== 'string') return [];
  const allowed = schema.propertySecondaryType[announcementType]?.[propertyType];
  if (!allowed || allowed.includes(propertySecondaryType)) return [];
  // A secondary type of another property type altogether gets the property type's message instead.
  const known = Object.values(schema.propertySecondaryType).some((byType) =>
    byType[propertyType]?.includes(propertySecondaryType),
  );
  if (!known) return [];
  return [`propertySecondaryType must be one of: ${allowed.join(', ')}`];
}
