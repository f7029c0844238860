import { type ErrorContext, InputValidationError } from './errors.js';

/**
 * `options[key]` when the caller set it on the object itself, `undefined` otherwise. An
 * inherited value — from a polluted `Object.prototype`, say — reads as unset, so code
 * elsewhere in the process cannot switch on a dangerous option (plain HTTP, deleting
 * everything, repeating a create) for every call of the SDK.
 */
export function ownOption<T extends object, K extends keyof T>(
  options: T | null | undefined,
  key: K,
): T[K] | undefined {
  return options !== null && options !== undefined && Object.hasOwn(options, key) ? options[key] : undefined;
}

/**
 * An own boolean option that must be exactly `true`, `false` or unset: anything else
 * (the string `"false"`, `1`) is refused with an {@link InputValidationError} naming the
 * option, rather than read as truthy.
 */
export function booleanOption<T extends object, K extends keyof T & string>(
  options: T | null | undefined,
  key: K,
  context: ErrorContext = {},
): boolean | undefined {
  const value: unknown = ownOption(options, key);
  if (value === undefined || typeof value === 'boolean') return value;
  const shown =
    typeof value === 'string'
      ? `the string "${value.slice(0, 20)}"`
      : typeof value === 'number' || typeof value === 'bigint'
        ? `the number ${String(value)}`
        : value === null
          ? 'null'
          : `a value of type ${typeof value}`;
  throw new InputValidationError(
    [{ path: key, message: `must be true or false, not ${shown}`, code: 'invalid_option' }],
    context,
  );
}
