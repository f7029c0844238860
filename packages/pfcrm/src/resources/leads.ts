import { LeadListParamsSchema } from '../schemas/filters.js';
import { LeadSchema } from '../schemas/resources.js';
import type { Transport } from '../transport.js';
import { ReadResource } from './read-resource.js';

/** The `leads` resource (read side). */
export class LeadsResource extends ReadResource<typeof LeadSchema, typeof LeadListParamsSchema> {
  /** @internal */
  constructor(transport: Transport) {
    super(transport, { name: 'leads', singular: 'lead', item: LeadSchema, params: LeadListParamsSchema });
  }
}
