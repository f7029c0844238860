import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type * as errors from '../src/errors.js';
import {
  AuthenticationError,
  ConflictError,
  createHttpError,
  HttpError,
  InputValidationError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  ServerError,
  SyncError,
  ValidationError,
} from '../src/errors.js';
import { parseInput } from '../src/schema.js';

describe('error classes', () => {
  it('picks the subclass by status', () => {
    const cases: Array<[number, typeof HttpError]> = [
      [401, AuthenticationError],
      [403, PermissionError],
      [404, NotFoundError],
      [409, ConflictError],
      [400, ValidationError],
      [422, ValidationError],
      [429, RateLimitError],
      [500, ServerError],
      [503, ServerError],
    ];
    for (const [status, Class] of cases) {
      const error = createHttpError({ status, portal: 'p', operation: 'op', method: 'GET', url: 'https://x/y' });
      expect(error).toBeInstanceOf(Class);
      expect(error).toBeInstanceOf(HttpError);
      expect(error).toBeInstanceOf(SyncError);
      expect(error).toBeInstanceOf(Error);
      expect(error.status).toBe(status);
      expect(error.name).toBe(Class.brand);
    }
    expect(createHttpError({ status: 418 }).constructor).toBe(HttpError);
  });

  it('keeps instanceof across a second copy of the module', async () => {
    // A query string makes the module loader evaluate the file again: a distinct copy of every class.
    // @ts-expect-error TypeScript does not resolve a specifier with a query string.
    const copy = (await import('../src/errors.ts?copy')) as typeof errors;
    expect(copy.NotFoundError).not.toBe(NotFoundError);
    const foreign = new copy.NotFoundError('gone', { status: 404 });
    expect(foreign).toBeInstanceOf(NotFoundError);
    expect(foreign).toBeInstanceOf(HttpError);
    expect(foreign).toBeInstanceOf(SyncError);
    expect(foreign).not.toBeInstanceOf(ServerError);
    expect(new NotFoundError('gone', { status: 404 })).toBeInstanceOf(copy.SyncError);
    expect({}).not.toBeInstanceOf(SyncError);
  });

  it('a user subclass without its own brand still works with instanceof', () => {
    class MyError extends SyncError {}
    expect(new MyError('x')).toBeInstanceOf(MyError);
    expect(new MyError('x')).toBeInstanceOf(SyncError);
    expect(new SyncError('x')).not.toBeInstanceOf(MyError);
  });

  it('says what was being done in the message and in JSON', () => {
    const error = createHttpError({
      status: 409,
      portal: 'rentix',
      operation: 'listings.upsert',
      itemId: 'L-7',
      method: 'PUT',
      url: 'https://crm.example/api/listings',
      serverMessage: 'externalId already linked',
    });
    expect(error.message).toBe(
      'rentix listings.upsert [L-7]: PUT https://crm.example/api/listings failed with 409: externalId already linked',
    );
    const json = JSON.parse(JSON.stringify(error)) as Record<string, unknown>;
    expect(json).toMatchObject({ name: 'ConflictError', status: 409, itemId: 'L-7', portal: 'rentix' });
  });

  it('parseInput names the item and every faulty field', () => {
    const schema = z.object({ externalId: z.string(), price: z.object({ amount: z.number().positive() }) });
    const error = (() => {
      try {
        parseInput(
          schema,
          { externalId: 5, price: { amount: -1 } },
          { portal: 'p', operation: 'listings.upsert', itemId: 'L-1' },
        );
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InputValidationError);
    const issues = (error as InputValidationError).issues;
    expect(issues.map((i) => i.path).sort()).toEqual(['externalId', 'price.amount']);
    expect((error as Error).message).toMatch(/^p listings\.upsert \[L-1\]: invalid input: /);
    expect((error as Error).message).toContain('price.amount');
    expect(parseInput(schema, { externalId: 'a', price: { amount: 1 } })).toEqual({
      externalId: 'a',
      price: { amount: 1 },
    });
  });
});
