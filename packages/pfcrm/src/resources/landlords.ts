import { LandlordListParamsSchema } from '../schemas/filters.js';
import { LandlordSchema } from '../schemas/resources.js';
import type { Transport } from '../transport.js';
import { ReadResource } from './read-resource.js';

/** The `landlords` resource (read side). */
export class LandlordsResource extends ReadResource<typeof LandlordSchema, typeof LandlordListParamsSchema> {
  /** @internal */
  constructor(transport: Transport) {
    super(transport, {
      name: 'landlords',
      singular: 'landlord',
      item: LandlordSchema,
      params: LandlordListParamsSchema,
    });
  }
}
