import {
  ALL_PROPERTY_SECONDARY_TYPES,
  ANNOUNCEMENT_STATUSES,
  ANNOUNCEMENT_TYPES,
  CURRENCIES,
  DESCRIPTION_LENGTH,
  MAX_BODY_BYTES,
  MAX_BULK_OPERATIONS,
  MAX_EXTERNAL_ID_LENGTH,
  MIN_PHOTOS_TO_PUBLISH,
  PAY_PERIODS,
  PROPERTY_SECONDARY_TYPES,
  PROPERTY_TYPES,
} from '../schemas/common.js';
import { REQUIRED_FOR_PUBLISHING } from './validate.js';

/** `GET /reference/schema/base`: the form's fields, their values and the limits of the API. */
export function baseSchema() {
  const bothTypes = Object.fromEntries(ANNOUNCEMENT_TYPES.map((t) => [t, PROPERTY_SECONDARY_TYPES]));
  return {
    fields: {
      announcementType: ANNOUNCEMENT_TYPES,
      propertyType: PROPERTY_TYPES,
      propertySecondaryType: ALL_PROPERTY_SECONDARY_TYPES,
      announcementCurrency: CURRENCIES,
      announcementPayPeriod: PAY_PERIODS,
    },
    secondaryTypes: bothTypes,
    currencies: CURRENCIES,
    statuses: ANNOUNCEMENT_STATUSES,
    formFields: [
      ...REQUIRED_FOR_PUBLISHING,
      'announcementPayPeriod',
      'announcementDescription',
      'propertyArea',
      'propertyFloorNumber',
      'propertyFloorsTotal',
      'propertyQuantitySize',
      'propertyQuantitySizeValue',
      'propertyHousingMarket',
      'propertyVisualState',
      'propertyAddress',
      'propertyCoordinates',
    ],
    constraints: {
      announcementDescription: { minLength: DESCRIPTION_LENGTH.min, maxLength: DESCRIPTION_LENGTH.max },
      externalId: { maxLength: MAX_EXTERNAL_ID_LENGTH },
      files: { minForActive: MIN_PHOTOS_TO_PUBLISH },
      bulk: { maxOperations: MAX_BULK_OPERATIONS, maxBodyBytes: MAX_BODY_BYTES },
    },
  };
}
