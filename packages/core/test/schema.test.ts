import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compiledPart, compiledSchema, InputValidationError, parseInput } from '../src/index.js';

const Item = z
  .strictObject({
    id: z.string().min(1),
    price: z.number().positive(),
    currency: z.literal('EUR').default('EUR'),
    when: z
      .union([z.string().regex(/^\d{4}-\d{2}-\d{2}$/), z.date()])
      .transform((v) => (typeof v === 'string' ? v : v.toISOString().slice(0, 10))),
    tags: z.array(z.string()).max(3).optional(),
  })
  .check((ctx) => {
    if (ctx.value.id === ctx.value.currency) {
      ctx.issues.push({ code: 'custom', message: 'id must not be the currency', input: ctx.value, path: ['id'] });
    }
  });

const inputs: unknown[] = [
  { id: 'a', price: 10, when: '2024-05-01' },
  { id: 'b', price: 1.5, when: new Date(Date.UTC(2024, 0, 2)), tags: ['x'], currency: 'EUR' },
  { id: '', price: -1, when: 'yesterday' },
  { id: 'EUR', price: 3, when: '2024-05-01' },
  { id: 'c', price: 3, when: '2024-05-01', extra: true },
  { id: 'd', price: 3, when: '2024-05-01', tags: ['1', '2', '3', '4'] },
  null,
  'not an object',
];

describe('compiledSchema', () => {
  it('answers exactly as the schema does: values, defaults, transforms, checks and issues', () => {
    const compiled = compiledSchema(Item);
    for (const input of inputs) {
      expect(compiled.safeParse(input)).toEqual(Item.safeParse(input));
    }
    expect(compiled.safeParse(inputs[0])).toEqual({
      success: true,
      data: { id: 'a', price: 10, currency: 'EUR', when: '2024-05-01' },
    });
    expect(compiled.safeParse(inputs[3]).error?.issues.map((i) => i.message)).toEqual(['id must not be the currency']);
  });

  it('builds the fast path once per schema and leaves the schema itself untouched', () => {
    const compiled = compiledSchema(Item);
    expect(compiledSchema(Item)).toBe(compiled);
    expect(compiled).not.toBe(Item);
    expect(Item.safeParse(inputs[0]).success).toBe(true);
  });

  it('keeps a schema it cannot compile (a reference cycle) working as it is', () => {
    interface Node {
      name: string;
      children: Node[];
    }
    const Tree: z.ZodType<Node> = z.object({ name: z.string(), children: z.array(z.lazy(() => Tree)) });
    const compiled = compiledSchema(Tree);
    const tree = { name: 'root', children: [{ name: 'leaf', children: [] }] };
    expect(compiled.parse(tree)).toEqual(tree);
    expect(compiled.safeParse({ name: 'root', children: [{ name: 1, children: [] }] }).success).toBe(false);
  });

  it('validates a part in a function of its own with the same values and issues, at the same paths', () => {
    const Whole = z.strictObject({ name: z.string(), items: z.array(Item).max(2) });
    const Split = z.strictObject({ name: z.string(), items: z.array(compiledPart(Item)).max(2) });
    const wholes = [
      ...inputs.map((item) => ({ name: 'n', items: [item] })),
      { name: 'n', items: [inputs[0], inputs[1]] },
      { name: 'n', items: [inputs[0], inputs[2]] },
      { name: 1, items: [] },
    ];
    for (const input of wholes) {
      expect(compiledSchema(Split).safeParse(input)).toEqual(Whole.safeParse(input));
      expect(Split.safeParse(input)).toEqual(Whole.safeParse(input));
    }
    expect(compiledSchema(Split).safeParse(wholes.at(-2)).error?.issues[0]?.path).toEqual(['items', 1, 'id']);
  });

  it('is what parseInput validates with: the same errors, naming item and field', () => {
    const error = (() => {
      try {
        parseInput(Item, inputs[2], { operation: 'items.put', itemId: 'x-1' });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InputValidationError);
    const issues = (error as InputValidationError).issues.map((i) => i.path);
    expect(issues).toEqual(Item.safeParse(inputs[2]).error?.issues.map((i) => i.path.join('.')));
    expect((error as InputValidationError).itemId).toBe('x-1');
  });
});
