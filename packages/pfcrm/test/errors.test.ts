import { pfErrorMessage } from '@sync/pfcrm';
import { describe, expect, it } from 'vitest';

describe('pfErrorMessage', () => {
  it("quotes the API's message, or its field errors when it sends no message", () => {
    expect(pfErrorMessage({ code: 422, message: 'Validation failed', errors: [{ field: 'a', message: 'x' }] })).toBe(
      'Validation failed',
    );
    expect(
      pfErrorMessage({
        errors: [
          { field: 'price.value', message: 'must be positive' },
          { field: '', message: 'bad request' },
        ],
      }),
    ).toBe('price.value: must be positive; bad request');
    expect(pfErrorMessage({ error: 'invalid_client' })).toBe('invalid_client');
    expect(pfErrorMessage({})).toBeUndefined();
    expect(pfErrorMessage('  plain text  ')).toBe('plain text');
  });
});
