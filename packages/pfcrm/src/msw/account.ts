import { PORTALS } from '../schemas/common.js';
import type { MockRecord } from './properties.js';

/** The `GET /clients/settings` body of a fresh mock account: every portal enabled, a text watermark. */
export function sampleSettings(): Record<string, unknown> {
  return {
    id: 1,
    name: 'Mock Realty',
    description: 'The mock account of @sync/pfcrm',
    logo: null,
    email: 'office@mock-realty.example',
    phone: '+97140000000',
    fax: null,
    rera: '12345',
    rera_expiry: '2027-12-31',
    dtcm: null,
    dtcm_expiry: null,
    license_authority: 'RERA',
    address: '1 Sheikh Zayed Road',
    pobox: '11111',
    city: 'Dubai',
    country: 'AE',
    group: 'fulladmin',
    portals: PORTALS.map((code) => ({ code, enabled: true, last_generated: null, last_fetched: null })),
    watermark: {
      type: 'text',
      position: 'bottom_right',
      opacity: 50,
      text: { text: 'Mock Realty', font: 'Arial', font_ratio: 10 },
    },
  };
}

/** The users (agents) of a fresh mock account. */
export function sampleUsers(): MockRecord[] {
  return [
    { id: 1, first_name: 'Amal', last_name: 'Haddad', email: 'amal@example.com', phone: '+971500000001' },
    { id: 2, first_name: 'Omar', last_name: 'Nasser', email: 'omar@example.com', phone: '+971500000002' },
  ];
}

const LOCATIONS: MockRecord[] = [
  {
    id: 'are.3.12',
    city: 'Dubai',
    community: 'Jumeirah Lake Towers',
    sub_community: 'Cluster T',
    tower: null,
    latitude: 25.07,
    longitude: 55.14,
  },
  {
    id: 'are.3.15',
    city: 'Dubai',
    community: 'Dubai Marina',
    sub_community: null,
    tower: null,
    latitude: 25.08,
    longitude: 55.14,
  },
  {
    id: 'are.5.2',
    city: 'Abu Dhabi',
    community: 'Al Reem Island',
    sub_community: null,
    tower: null,
    latitude: 24.5,
    longitude: 54.4,
  },
];

/** Ids of the sample locations, in order. */
export const LOCATION_IDS: readonly string[] = LOCATIONS.map((l) => String(l.id));

/** The locations of a fresh mock account. */
export function sampleLocations(): MockRecord[] {
  return LOCATIONS.map((l) => ({ ...l }));
}

/** `GET /locations`: the locations whose city, community, sub-community or tower contains `filters[string]`. */
export function searchLocations(locations: readonly MockRecord[], filters: unknown): MockRecord[] {
  const search = (filters ?? {}) as Record<string, unknown>;
  const text = typeof search.string === 'string' ? search.string.toLowerCase() : '';
  return locations.filter((l) =>
    [l.city, l.community, l.sub_community, l.tower].some(
      (v) => typeof v === 'string' && v.toLowerCase().includes(text),
    ),
  );
}
