// Arbitraries derived from the zod model itself, so that a generated property can use every
// part of the model, and a part added later is generated without touching the test.
import fc from 'fast-check';
import type { z } from 'zod';
import {
  AgentSchema,
  hasInvalidXmlChars,
  type PropertyInput,
  PropertySchema,
  TYPOLOGY_SIZE_TYPES,
  UserSchema,
} from '../src/index.js';

interface Def {
  type: string;
  [key: string]: unknown;
}
interface Bag {
  minimum?: number;
  maximum?: number;
  patterns?: Set<RegExp>;
  format?: string;
}

const defOf = (s: z.ZodType) => s._zod.def as unknown as Def;
/** The bounds and pattern of a schema, from its checks as zod records them. */
function bagOf(s: z.ZodType): Bag {
  const bag: Bag = {};
  const checks = (defOf(s).checks as Array<{ _zod: { def: Record<string, unknown> } }> | undefined) ?? [];
  for (const check of checks) {
    const d = check._zod.def;
    if (d.check === 'min_length') bag.minimum = d.minimum as number;
    if (d.check === 'max_length') bag.maximum = d.maximum as number;
    if (d.pattern instanceof RegExp) bag.patterns = new Set([...(bag.patterns ?? []), d.pattern]);
  }
  const n = s as unknown as { minValue?: number | null; maxValue?: number | null; isInt?: boolean };
  if (typeof n.minValue === 'number') bag.minimum = n.minValue;
  if (typeof n.maxValue === 'number') bag.maximum = n.maxValue;
  if (n.isInt) bag.format = 'int';
  return bag;
}

/** How a derived arbitrary fills optional parts: all of them, or each one or not. */
export type Fill = 'every' | 'some';

/** Values of the XSD's patterned simple types: dates, codes, e-mails, uuids, classes. */
const PATTERNED = [
  '2024-05-01T10:00:00',
  '2024-02-29T23:59:59+02:00',
  '1999-12-31T00:00:00.5Z',
  '1980-02-29',
  '2030-01-15Z',
  '09:30:00',
  '23:59:59',
  'IT',
  'es',
  'EUR',
  'usd',
  'agency@example.com',
  'mario.rossi@mail.example.it',
  '3aa36b26-8771-45c5-9850-26eadeb13129',
  'A/2',
  'T',
  'residenziale/appartamento/trilocale',
];

const word = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 });

/** An arbitrary of the values `schema` accepts (before its transforms), for the model's types. */
export function arbitraryOf(schema: z.ZodType, fill: Fill): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  const valid = (v: unknown) => schema.safeParse(v).success;
  switch (def.type) {
    case 'optional':
    case 'default':
    case 'prefault':
    case 'nullable':
      return arbitraryOf(def.innerType as z.ZodType, fill);
    case 'pipe':
      return arbitraryOf(def.in as z.ZodType, fill);
    case 'lazy':
      return arbitraryOf((def.getter as () => z.ZodType)(), fill);
    case 'object': {
      const shape = def.shape as Record<string, z.ZodType>;
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      const required: string[] = [];
      for (const [key, value] of Object.entries(shape)) {
        record[key] = arbitraryOf(value, fill);
        const optional = value.safeParse(undefined).success;
        if (!optional || fill === 'every') required.push(key);
      }
      return fc.record(record, { requiredKeys: required as never[] });
    }
    case 'array': {
      const { minimum = 0, maximum = 3 } = bagOf(schema);
      return fc.array(arbitraryOf(def.element as z.ZodType, fill), {
        minLength: Math.max(minimum, fill === 'every' ? 1 : 0),
        maxLength: Math.max(Math.min(maximum, 2), minimum),
      });
    }
    case 'union':
      return fc.oneof(...(def.options as z.ZodType[]).map((o) => arbitraryOf(o, fill)));
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries as Record<string, string>));
    case 'literal':
      return fc.constantFrom(...(def.values as unknown[]));
    case 'boolean':
      return fc.boolean();
    case 'date':
      return fc.date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true });
    case 'number': {
      const bag = bagOf(schema);
      const integer = bag.format === 'int';
      const min = Math.max(bag.minimum ?? -1e12, integer ? Number.MIN_SAFE_INTEGER : -1e12);
      const max = Math.min(bag.maximum ?? 1e12, integer ? Number.MAX_SAFE_INTEGER : 1e12);
      return integer
        ? fc.integer({ min, max })
        : fc.double({ min, max, noNaN: true, noDefaultInfinity: true }).filter(valid);
    }
    case 'string': {
      const bag = bagOf(schema);
      const pattern = [...(bag.patterns ?? [])][0];
      if (pattern) {
        const known = PATTERNED.filter(valid);
        if (known.length > 0) return fc.constantFrom(...known);
        return fc.stringMatching(pattern).filter((s) => !hasInvalidXmlChars(s) && valid(s));
      }
      const maxLength = bag.maximum ?? 12;
      return word.map((s) => s.slice(0, maxLength)).map((s) => (valid(s) ? s : 'x'.slice(0, Math.max(1, maxLength))));
    }
    default:
      throw new Error(`no arbitrary for a zod ${def.type}`);
  }
}

// biome-ignore lint/suspicious/noExplicitAny: a generated model is adjusted key by key, whatever its nesting.
export type Loose = { [key: string]: any };

/**
 * Makes a generated model follow the guide's rules that the XSD cannot express (one
 * advertiser, a place, one contract of each kind, no room for sale, units for auctions and
 * new constructions), so that every generated model is one the package accepts.
 */
export function followGuideRules(generated: unknown, advertiser: unknown, pickUser: boolean): PropertyInput {
  const p = structuredClone(generated) as Loose;
  delete p.agent;
  delete p.user;
  p[pickUser ? 'user' : 'agent'] = advertiser;
  p.location.locality ??= {};
  const locality = p.location.locality as Loose;
  locality.latitude ??= 43.5;
  locality.longitude ??= 13.2;
  const seen = new Set<string>();
  p.documents = (p.documents as Loose[] | undefined)?.map((d) => {
    if ((d.type === 'planimetria' || d.type === 'ape') && seen.has(d.type)) return { ...d, type: 'altro' };
    seen.add(d.type);
    return d;
  });
  if (p.documents?.length === 0) delete p.documents;
  const isRoom = p.extraFeatures?.rentRoom !== undefined || p.extraFeatures?.accommodationType !== undefined;
  const byType = new Map<string, Loose>();
  for (const t of p.transactions as Loose[]) byType.set(isRoom ? 'R' : t.type, { ...t, type: isRoom ? 'R' : t.type });
  p.transactions = [...byType.values()];
  const only = TYPOLOGY_SIZE_TYPES[p.building.typeId as number];
  if (only) for (const item of p.features.sizes?.items ?? []) item.type = only;
  if (p.estates === undefined) {
    for (const key of ['auctionFeatures', 'projectName', 'projectStatus', 'workStartDate', 'workEndDate'])
      delete p[key];
    for (const t of p.transactions as Loose[]) delete t.auction;
  } else {
    (p.estates.items as Loose[]).forEach((unit, i) => {
      unit.uniqueId = `unit-${i}`;
    });
  }
  return p as PropertyInput;
}

/** Generated properties the package accepts, with an agency or a private advertiser. */
export const propertyOf = (fill: Fill) =>
  fc
    .tuple(arbitraryOf(PropertySchema, fill), fc.boolean())
    .chain(([generated, pickUser]) =>
      arbitraryOf(pickUser ? UserSchema : AgentSchema, fill).map((advertiser) =>
        followGuideRules(generated, advertiser, pickUser),
      ),
    );
