import { InputValidationError } from '@sync/core';
import { describe, expect, it } from 'vitest';
import {
  buildPropertyXml,
  buildRealtorsXml,
  type RealtorInput,
  RealtorSchema,
  validateRealtorsUpdate,
} from '../src/index.js';
import { minimalProperty, validateAgainstXsd } from './helpers.js';

/** A realtor with every child and attribute the XSD gives the element. */
const fullRealtor = {
  id: 4711,
  externalId: 'crm-agent-<7>',
  uuid: '3aa36b26-8771-45c5-9850-26eadeb13129',
  operation: 'write',
  firstName: 'Giulia ]]> & co',
  surname: 'Bianchi',
  avatar: 'https://img.example.com/giulia.jpg?size=2&crop=1',
  role: 'business manager',
  connections: [
    { type: 'email', value: 'giulia@agency.example' },
    { type: 'mobile', value: '+39 333 0000000' },
    { value: 'untyped' },
  ],
  language: 'it-IT',
} satisfies RealtorInput;

describe('the realtor element', () => {
  it('writes every child and attribute, and the document is valid against the XSD', async () => {
    const xml = buildRealtorsXml({ agencyEmail: 'agency@example.com', agencyId: 67012, realtors: [fullRealtor] });
    expect(xml).toContain('<agent id="67012"><email>agency@example.com</email><realtors>');
    expect(xml).toContain(
      '<realtor external-id="crm-agent-&lt;7&gt;" uuid="3aa36b26-8771-45c5-9850-26eadeb13129" id="4711" operation="write">',
    );
    expect(xml).toContain('<firstname><![CDATA[Giulia ]]]]><![CDATA[> & co]]></firstname>');
    expect(xml).toContain('<avatar>https://img.example.com/giulia.jpg?size=2&amp;crop=1</avatar>');
    expect(xml).toContain('<role>business manager</role>');
    expect(xml).toContain(
      '<connections><connection type="email">giulia@agency.example</connection><connection type="mobile">+39 333 0000000</connection><connection>untyped</connection></connections>',
    );
    expect(xml).toContain('<language>it-IT</language>');
    const result = await validateAgainstXsd([xml]);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('is what a listing names its agents with, and the listing stays valid against the XSD', async () => {
    const property = minimalProperty('crm-r');
    const xml = buildPropertyXml({
      ...property,
      agent: { email: 'agency@example.com', realtors: [fullRealtor, { id: 12 }] },
    });
    expect(xml).toContain('<realtor id="12"/>');
    const result = await validateAgainstXsd([xml]);
    expect(result.errors).toEqual([]);
  });

  it('refuses what the XSD refuses, naming the field', () => {
    for (const [input, field] of [
      [{ uuid: 'not-a-uuid' }, 'uuid'],
      [{ id: 2 ** 31 }, 'id'],
      [{ role: 'boss' }, 'role'],
      [{ language: 'it' }, 'language'],
      [{ operation: 'upsert' }, 'operation'],
      [{ connections: [{ type: 'pigeon', value: 'x' }] }, 'connections'],
      [{ firstName: 'a\u0001b' }, 'firstName'],
    ] as const) {
      const parsed = RealtorSchema.safeParse(input);
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.path[0]).toBe(field);
    }
  });

  it('needs the agency and an external id for every realtor the realtor API writes', () => {
    expect(() =>
      validateRealtorsUpdate({ agencyEmail: 'agency@example.com', realtors: [{ firstName: 'No id' } as never] }),
    ).toThrow(InputValidationError);
    expect(() => validateRealtorsUpdate({ agencyEmail: 'not-an-email', realtors: [{ externalId: 'a' }] })).toThrow(
      /agencyEmail/,
    );
    expect(() => validateRealtorsUpdate({ agencyEmail: 'agency@example.com', realtors: [] })).toThrow(/realtors/);
    expect(() =>
      validateRealtorsUpdate({ agencyEmail: 'agen\u0001cy@example.com', realtors: [{ externalId: 'a' }] }),
    ).toThrow(/agencyEmail/);
  });
});
