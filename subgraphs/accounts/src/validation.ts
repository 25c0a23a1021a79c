import { badInput } from '@lic/shared';

/** Names and other text: the platform's one text validation (control, bidi, surrogates, lengths). */
export { optionalText, requiredText } from '@lic/shared';

export function wholeNumber(value: number, field: string, label: string, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw badInput(`${label} must be a whole number from ${min} to ${max}`, field);
  }
  return value;
}

export function validDate(value: Date, field: string, label: string): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime()))
    throw badInput(`${label} must be a valid instant`, field);
  return value;
}

/** Quantities on one order or file line. */
export const MAX_LINE_QUANTITY = 1_000_000;
