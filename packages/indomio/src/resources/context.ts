import type { HttpClient, IdentifierMap, RequestOptions } from '@sync/core';
import type { ServiceResponse } from '../schemas/service-response.js';

/** What a resource needs of its client: the pipeline, the identifier map, and the answers the pipeline accepted. */
export interface ResourceContext {
  /** The client's HTTP pipeline. */
  readonly http: HttpClient;
  /** Where portal ids are remembered (`unique-id → idListing`, realtors). */
  readonly idMap: IdentifierMap;
  /** The `ServiceResponse` the pipeline's response check accepted for `request`, read only once. */
  takeAnswer(request: RequestOptions): ServiceResponse | undefined;
}
