import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, fingerprint } from '../src/fingerprint.js';

function shuffleKeys(value: unknown, random: () => number): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffleKeys(v, random));
  if (value && typeof value === 'object') {
    const keys = Object.keys(value).sort(() => random() - 0.5);
    // No prototype: a generated key "__proto__" must stay an ordinary key here too.
    const out: Record<string, unknown> = Object.create(null);
    for (const k of keys) out[k] = shuffleKeys((value as Record<string, unknown>)[k], random);
    return out;
  }
  return value;
}

const jsonValue = fc.jsonValue() as fc.Arbitrary<unknown>;

describe('fingerprint', () => {
  it('ignores key order at every depth', () => {
    fc.assert(
      fc.property(jsonValue, fc.integer(), (value, seed) => {
        let s = seed;
        const random = () => {
          s = (s * 1103515245 + 12345) & 0x7fffffff;
          return s / 0x7fffffff;
        };
        expect(fingerprint(shuffleKeys(value, random))).toBe(fingerprint(value));
      }),
    );
  });

  it('changes when any value changes', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ minLength: 1 }), jsonValue, { minKeys: 1 }),
        fc.jsonValue(),
        (record, replacement) => {
          const key = Object.keys(record)[0] as string;
          fc.pre(canonicalJson(record[key]) !== canonicalJson(replacement));
          const changed = { ...record, [key]: replacement };
          expect(fingerprint(changed)).not.toBe(fingerprint(record));
        },
      ),
    );
  });

  it('tells nested values and arrays in another order apart', () => {
    expect(fingerprint({ a: { b: 1 } })).not.toBe(fingerprint({ a: { b: 2 } }));
    expect(fingerprint([1, 2])).not.toBe(fingerprint([2, 1]));
    expect(fingerprint({ a: undefined, b: 1 })).toBe(fingerprint({ b: 1 }));
    expect(fingerprint({ when: new Date('2026-01-01T00:00:00Z') })).toBe(
      fingerprint({ when: '2026-01-01T00:00:00.000Z' }),
    );
  });

  it('treats a __proto__ key as an ordinary key', () => {
    const withProto = JSON.parse('{"__proto__": {"x": 1}, "a": 1}') as unknown;
    expect(fingerprint(withProto)).not.toBe(fingerprint({ a: 1 }));
    expect(canonicalJson(withProto)).toBe('{"__proto__":{"x":1},"a":1}');
  });
});
