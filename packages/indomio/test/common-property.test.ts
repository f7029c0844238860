// Listings without the rare fields are validated by the smaller common-fields schema: it must
// accept exactly what the whole schema accepts, give the same result, and leave the reporting
// of every refusal to the whole schema.
import { parseInput } from '@sync/core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { LISTING_AGENT_FIELDS } from '../src/schemas/agent.js';
import { RARE_EXTRA_FEATURES } from '../src/schemas/extra-features.js';
import {
  CommonPropertySchema,
  isCommonProperty,
  PropertySchema,
  RARE_PROPERTY_FIELDS,
} from '../src/schemas/property.js';
import { validateProperty } from '../src/xml/build.js';
import { propertyOf } from './arbitrary.js';
import { fullProperty, minimalProperty } from './helpers.js';

type Loose = Record<string, unknown>;
const withoutRare = (p: object): Loose => {
  const copy: Loose = { ...p };
  for (const key of RARE_PROPERTY_FIELDS) delete copy[key];
  if (copy.agent) {
    const agent = copy.agent as Loose;
    copy.agent = Object.fromEntries(LISTING_AGENT_FIELDS.flatMap((key) => (key in agent ? [[key, agent[key]]] : [])));
  }
  if (copy.extraFeatures) {
    const extra: Loose = { ...(copy.extraFeatures as Loose) };
    for (const key of RARE_EXTRA_FEATURES) delete extra[key];
    copy.extraFeatures = extra;
  }
  return copy;
};

it('gives the same result as the whole schema for listings without the rare fields', () => {
  let accepted = 0;
  fc.assert(
    fc.property(propertyOf('some'), (generated) => {
      const p = withoutRare(generated);
      expect(isCommonProperty(p)).toBe(true);
      const common = CommonPropertySchema.safeParse(p);
      const whole = PropertySchema.safeParse(p);
      expect(common.success).toBe(whole.success);
      if (whole.success) {
        accepted++;
        expect(common.data).toEqual(whole.data);
        expect(validateProperty(p as never)).toEqual(whole.data);
      }
    }),
    { numRuns: 200, seed: 42 },
  );
  expect(accepted).toBeGreaterThan(50);
});

it('reports a refused listing with the issues of the whole schema', () => {
  const broken = [
    { ...minimalProperty('a'), referenceCode: 'x\u0001' },
    { ...minimalProperty('b'), transactions: [] },
    { ...minimalProperty('c'), unknownField: 1 },
    { ...minimalProperty('d'), agent: undefined },
    { ...withoutRare(fullProperty('e')), pictures: [{ url: '' }] },
    { ...fullProperty('f'), referenceCode: 'x\uD800' },
  ];
  for (const p of broken) {
    const expected = (() => {
      try {
        parseInput(PropertySchema, p, {
          portal: 'indomio',
          operation: 'properties.validate',
          itemId: (p as { uniqueId?: string }).uniqueId,
        });
      } catch (error) {
        return error;
      }
      throw new Error('the whole schema accepted it');
    })();
    expect(() => validateProperty(p as never)).toThrow(expected as Error);
    try {
      validateProperty(p as never);
    } catch (error) {
      expect((error as { issues: unknown }).issues).toEqual((expected as { issues: unknown }).issues);
    }
  }
});
