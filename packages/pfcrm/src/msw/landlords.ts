import {
  customFieldsRule,
  type FilterTable,
  idRule,
  intervalRule,
  nestedRule,
  num,
  numberRule,
  refId,
  textRule,
} from './filters.js';
import { CONTACT_FILTERS, searchable } from './leads.js';
import type { MockRecord } from './properties.js';

/**
 * Every documented filter of `GET /landlords`, by wire name: contact people as sub-filters
 * (`legal_representative`, `family_info`, `second_buyer`), `property_fields` on the custom
 * fields of the landlord's properties, `landlord_fields` on the landlord's own.
 */
export const LANDLORD_FILTERS: FilterTable = {
  rules: {
    excluded_user: idRule((l) => l.user, true),
    user: idRule((l) => l.user),
    query: textRule(searchable, 'contains'),
    id: idRule((l) => l.id),
    name: textRule((l) => [l.first_name, l.last_name].filter(Boolean).join(' '), 'contains'),
    mobile: textRule((l) => [l.mobile, l.phone], 'contains'),
    email: textRule((l) => l.email),
    created: intervalRule((l) => l.created_at),
    updated: intervalRule((l) => l.updated_at),
    identity_number: textRule((l) => l.identity_number),
    passport: textRule((l) => l.passport),
    passport_expire: intervalRule((l) => l.passport_expire),
    birthdate: intervalRule((l) => l.birthdate),
    address: textRule((l) => l.address, 'contains'),
    pobox: textRule((l) => l.pobox),
    city: textRule((l) => l.city),
    country: textRule((l) => l.country),
    nationality: textRule((l) => l.nationality),
    legal_representative: nestedRule(CONTACT_FILTERS, (l) => [l.legal_representative]),
    family_info: nestedRule(
      {
        rules: {
          name: textRule((f) => f.name, 'contains'),
          children: numberRule('equal', (f) => num(f.children), { min: 0, integer: true }),
          marital_status: textRule((f) => f.marital_status),
        },
      },
      (l) => [l.family_info],
    ),
    second_buyer: nestedRule({ rules: { ...CONTACT_FILTERS.rules, relation: textRule((b) => b.relation) } }, (l) => [
      l.second_buyer,
    ]),
    property_fields: customFieldsRule((l, s) =>
      [...s.properties.values()].filter((p) => refId(p.landlord) === l.id).map((p) => p.fields),
    ),
    landlord_fields: customFieldsRule((l) => [l.fields]),
  },
};

/** The landlords of a fresh mock account. */
export function sampleLandlords(): MockRecord[] {
  return [
    {
      id: 1,
      first_name: 'Lina',
      last_name: 'Saleh',
      email: 'lina@example.com',
      mobile: '+971500000011',
      nationality: 'AE',
      user: { id: 1 },
      identity_number: '784-1990-1234567-1',
      passport: 'A1122334',
      passport_expire: '2026-08-01',
      birthdate: '1990-04-12',
      address: '12 Marina Walk, Dubai Marina',
      pobox: '12345',
      city: 'Dubai',
      country: 'AE',
      legal_representative: { name: 'Rami Saleh', mobile: '+971500000041', email: 'rami@example.com' },
      family_info: { name: 'Saleh', children: 2, marital_status: 'married' },
      second_buyer: { name: 'Noor Saleh', mobile: '+971500000042', email: 'noor@example.com', relation: 'spouse' },
      fields: { 5: 'vip' },
      created_at: '2023-11-01T00:00:00Z',
      updated_at: '2024-01-10T00:00:00Z',
    },
    {
      id: 2,
      first_name: 'Karim',
      last_name: 'Aziz',
      email: 'karim@example.com',
      mobile: '+971500000012',
      nationality: 'EG',
      user: { id: 2 },
      identity_number: '784-1985-7654321-2',
      passport: 'B9988776',
      passport_expire: '2025-02-01',
      birthdate: '1985-09-30',
      address: '3 Corniche Road, Abu Dhabi',
      pobox: '54321',
      city: 'Abu Dhabi',
      country: 'AE',
      legal_representative: null,
      family_info: { name: 'Aziz', children: 0, marital_status: 'single' },
      second_buyer: null,
      fields: {},
      created_at: '2024-02-01T00:00:00Z',
      updated_at: '2024-03-10T00:00:00Z',
    },
  ];
}
