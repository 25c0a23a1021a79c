import { badInput } from '@lic/shared';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** Trimmed text of 1..max characters without control characters or line breaks, or BAD_USER_INPUT on `field`. */
export function requiredText(
  value: string | null | undefined,
  field: string,
  label: string,
  max = 200,
): string {
  const text = (value ?? '').trim();
  if (text.length === 0) throw badInput(`${label} is required`, field);
  if (text.length > max) throw badInput(`${label} must be at most ${max} characters`, field);
  if (CONTROL.test(text))
    throw badInput(`${label} must not contain control characters or line breaks`, field);
  return text;
}

/** Like requiredText, but empty or missing gives null. */
export function optionalText(
  value: string | null | undefined,
  field: string,
  label: string,
  max = 200,
): string | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  return requiredText(value, field, label, max);
}

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
