import type { InputIssue } from '@sync/core';
import type { PropertyOptions } from './schemas/property.js';

/**
 * Checks a property against the account's configuration (`properties.options()`):
 * the type exists, the type allows the offering (rent/sale), and every amenity exists
 * and suits the type's category. Returns the problems, each naming its field.
 */
export function configurationIssues(
  input: { type: number; price: { offering: 'sale' | 'rent' }; amenities?: readonly number[] | undefined },
  configuration: PropertyOptions,
): InputIssue[] {
  const issues: InputIssue[] = [];
  const types = configuration.configuration.type;
  const type = types.find((t) => t.id === input.type);
  if (types.length > 0 && !type) {
    issues.push({
      path: 'type',
      message: `property type ${input.type} is not configured for this account`,
      code: 'unknown_type',
    });
  }
  if (type) {
    const allowed = input.price.offering === 'rent' ? type.for_rent : type.for_sale;
    if (allowed === false) {
      issues.push({
        path: 'price.offering',
        message: `type ${type.id} (${type.name}) cannot be offered for ${input.price.offering}`,
        code: 'offering_not_allowed',
      });
    }
  }
  const amenities = configuration.configuration.amenity;
  if (amenities.length > 0) {
    input.amenities?.forEach((id, i) => {
      const amenity = amenities.find((a) => a.id === id);
      if (!amenity) {
        issues.push({ path: `amenities.${i}`, message: `amenity ${id} is not configured`, code: 'unknown_amenity' });
        return;
      }
      const fits =
        type?.category === 'commercial'
          ? amenity.for_commercial
          : type?.category === 'residential'
            ? amenity.for_residential
            : true;
      if (fits === false) {
        issues.push({
          path: `amenities.${i}`,
          message: `amenity ${id} (${amenity.name}) does not apply to ${type?.category} properties`,
          code: 'amenity_not_allowed',
        });
      }
    });
  }
  return issues;
}
