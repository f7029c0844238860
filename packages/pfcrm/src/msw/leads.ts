import { LeadFinancialSchema, LeadSourceSchema, LeadStatusSchema } from '../schemas/filters.js';
import {
  customFieldsRule,
  enumRule,
  type FilterRecord,
  type FilterTable,
  idRule,
  intervalRule,
  nestedRule,
  refId,
  textRule,
} from './filters.js';
import type { MockRecord } from './properties.js';

const fullName = (r: FilterRecord) => [r.first_name, r.last_name].filter(Boolean).join(' ');

/** `legal_representative[…]` (and the landlords' contact people): name contains, mobile contains, email equals. */
export const CONTACT_FILTERS: FilterTable = {
  rules: {
    name: textRule((c) => c.name, 'contains'),
    mobile: textRule((c) => c.mobile, 'contains'),
    email: textRule((c) => c.email),
  },
};

/** Text a `query` search looks through: names, e-mail and phone numbers. */
export const searchable = (r: FilterRecord) => [fullName(r), r.email, r.mobile, r.phone];

/**
 * Every documented filter of `GET /leads`, by wire name. `channel` needs `source` (a
 * channel belongs to a source); `property` keeps the leads that selected that property
 * (`PATCH /properties` … `/assignment/lead`); dates are intervals.
 */
export const LEAD_FILTERS: FilterTable = {
  rules: {
    excluded_user: idRule((l) => l.user, true),
    user: idRule((l) => l.user),
    query: textRule(searchable, 'contains'),
    id: idRule((l) => l.id),
    name: textRule(fullName, 'contains'),
    mobile: textRule((l) => [l.mobile, l.phone], 'contains'),
    email: textRule((l) => l.email),
    status: enumRule(LeadStatusSchema.options, (l) => l.status),
    source: enumRule(LeadSourceSchema.options, (l) => l.source),
    channel: textRule((l) => l.channel),
    created: intervalRule((l) => l.created_at),
    updated: intervalRule((l) => l.updated_at),
    property: idRule((l, s) => [...s.properties.values()].filter((p) => refId(p.lead) === l.id).map((p) => p.id)),
    legal_representative: nestedRule(CONTACT_FILTERS, (l) => [l.legal_representative]),
    passport: textRule((l) => l.passport),
    passport_expire: intervalRule((l) => l.passport_expire),
    time_frame_from: intervalRule((l) => l.time_frame_from),
    financial: enumRule(LeadFinancialSchema.options, (l) => l.financial),
    lead_fields: customFieldsRule((l) => [l.fields]),
  },
  requires: { channel: 'source' },
};

/** The leads of a fresh mock account. */
export function sampleLeads(): MockRecord[] {
  return [
    {
      id: 1,
      user: { id: 1 },
      first_name: 'Sara',
      last_name: 'Mansour',
      email: 'sara@example.com',
      phone: '+971500000021',
      mobile: '+971500000021',
      status: 'prospect',
      source: 'propertyfinder',
      channel: 'email',
      created_at: '2024-02-01T09:00:00Z',
      updated_at: '2024-02-05T09:00:00Z',
      legal_representative: { name: 'Huda Karam', mobile: '+971500000031', email: 'huda@example.com' },
      passport: 'P1234567',
      passport_expire: '2027-05-01',
      time_frame_from: '2024-06-01',
      financial: 'mortgage',
      fields: { 1: 'pets' },
      preferences: [],
    },
    {
      id: 2,
      user: { id: 2 },
      first_name: 'Yusuf',
      last_name: 'Said',
      email: 'yusuf@example.com',
      phone: '+971500000022',
      mobile: '+971500000022',
      status: 'qualified',
      source: 'offline',
      channel: 'walk_in',
      created_at: '2024-03-10T09:00:00Z',
      updated_at: '2024-03-12T09:00:00Z',
      legal_representative: null,
      passport: 'P7654321',
      passport_expire: '2025-01-15',
      time_frame_from: '2024-09-01',
      financial: 'cash',
      fields: { 1: 'no pets' },
      preferences: [],
    },
    {
      id: 3,
      user: { id: 1 },
      first_name: 'Maya',
      last_name: 'Haddad',
      email: 'maya@example.com',
      phone: '+971500000023',
      mobile: '+971500000023',
      status: 'notYetContacted',
      source: 'socialMedia',
      channel: 'instagram',
      created_at: '2024-03-20T09:00:00Z',
      updated_at: '2024-03-20T09:00:00Z',
      legal_representative: { name: 'Omar Haddad', mobile: '+971500000033', email: 'omar.h@example.com' },
      passport: null,
      passport_expire: null,
      time_frame_from: null,
      financial: 'other',
      fields: {},
      preferences: [],
    },
  ];
}
