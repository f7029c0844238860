// Names the guides' code blocks leave to the reader's own code: a client made earlier in the guide,
// the CRM's listings, the reader's own helpers. Each block is compiled as a module with these in scope.
import type { AccessToken, Listing, SyncState } from '@sync/core';
import type { IndomioClient } from '@sync/indomio';
import type { PfCrmClient, PropertyCreateInput } from '@sync/pfcrm';
import type { FleetConfig } from '@sync/queue';
import type { ListingInput, ListingOperation, RentixClient } from '@sync/rentix';

declare global {
  const rentix: RentixClient;
  const indomio: IndomioClient;
  const pf: PfCrmClient;
  /** The CRM's complete current set of listings. */
  const crmListings: Listing[];
  const allCrmListings: ListingInput[];
  const listing: Listing;
  const myListing: ListingInput & { externalId: string };
  const draft: ListingInput;
  const crmAgents: Array<{ id: string; phone: string }>;
  const rowFromYourDatabase: unknown;
  const username: string;
  const password: string;
  const credentials: { username: string; password: string; source: string };
  const state: SyncState;
  const ids: number[];
  const id: string;
  const rentixId: string;
  const input: PropertyCreateInput;
  const operations: ListingOperation[];
  const signal: AbortSignal;
  const other: { token: string };
  function fetchToken(signal?: AbortSignal): Promise<AccessToken>;
  function save(item: unknown): Promise<void>;
  function sleep(ms: number): Promise<void>;
  function queueForLater(item: unknown): void;
  // The fleet's config module: the vendor's agencies, listings and secrets.
  const fleetConfig: FleetConfig;
  function agencyIds(): Promise<string[]>;
  function loadAgencyListings(agency: string): Promise<Listing[]>;
  function secretOf(agency: string, name: string): Promise<string>;
  // Jest's globals, for the guide's Jest block.
  function beforeAll(fn: () => unknown): void;
  function afterEach(fn: () => unknown): void;
  function afterAll(fn: () => unknown): void;
}
