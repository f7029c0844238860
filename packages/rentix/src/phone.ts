/** Options of {@link normalizePhone}. */
export interface NormalizePhoneOptions {
  /** Country calling code added to national numbers (default `373`, Moldova). */
  countryCode?: string | undefined;
  /** Digits of a national number without its leading `0` (default 8). */
  nationalLength?: number | undefined;
}

/**
 * A phone number reduced to its international digits, so `+373 69 123 456`,
 * `00373-69-123-456`, `069123456` and `69 123 456` compare equal. `undefined` when
 * nothing usable is left.
 */
export function normalizePhone(
  phone: string | null | undefined,
  options: NormalizePhoneOptions = {},
): string | undefined {
  if (!phone) return undefined;
  const country = options.countryCode ?? '373';
  const national = options.nationalLength ?? 8;
  let digits = phone.replace(/\D+/g, '');
  if (digits === '') return undefined;
  if (phone.trim().startsWith('+')) return digits;
  if (digits.startsWith('00')) return digits.slice(2);
  if (digits.startsWith('0') && digits.length === national + 1) digits = country + digits.slice(1);
  else if (digits.length === national) digits = country + digits;
  return digits;
}
