/**
 * Value rules shared by the writer and the reader, so that whatever one accepts the other does too.
 * Each returns a problem phrase (completing "<field> ...") or undefined.
 */

/** Line breaks of any kind, control characters and lone surrogates would break the line structure or UTF-8. */
const FORBIDDEN_CHARACTERS = /[\p{Cc}\p{Cs}\p{Zl}\p{Zp}]/u;
const EDGE_WHITESPACE = /^\s|\s$/u;
const ID_PATTERN = /^[!-~]{1,128}$/;
const INSTANT_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const DECIMAL_PATTERN = /^(0|[1-9][0-9]*)$/;

export const MAX_TEXT_LENGTH = 256;
export const MAX_KEY_QUANTITY = 1_000_000_000;
export const MAX_GRACE_PERIOD_DAYS = 3650;
export const MAX_REVISION = 1_000_000_000;

export function textProblem(value: unknown, allowEmpty = false): string | undefined {
  if (typeof value !== 'string') return 'must be text';
  if (value === '') return allowEmpty ? undefined : 'must not be empty';
  if (value.length > MAX_TEXT_LENGTH) return `must be at most ${MAX_TEXT_LENGTH} characters`;
  if (FORBIDDEN_CHARACTERS.test(value)) return 'must not contain control characters or line breaks';
  if (EDGE_WHITESPACE.test(value)) return 'must not start or end with whitespace';
  return undefined;
}

export function idProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || !ID_PATTERN.test(value)) {
    return 'must be 1 to 128 printable ASCII characters without spaces';
  }
  return undefined;
}

export function enumProblem(value: unknown, allowed: readonly string[]): string | undefined {
  if (typeof value !== 'string' || !allowed.includes(value)) return `must be one of ${allowed.join(', ')}`;
  return undefined;
}

export function integerProblem(value: unknown, min: number, max: number): string | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    return `must be a whole number from ${min} to ${max}`;
  }
  return undefined;
}

/** Only years 0000-9999 have the fixed-width form that keeps the encoding canonical. */
export function instantProblem(value: unknown): string | undefined {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) return 'must be a valid date';
  if (!INSTANT_PATTERN.test(value.toISOString())) return 'must fall in the years 0000 to 9999';
  return undefined;
}

export function formatInstant(value: Date): string {
  return value.toISOString();
}

/** Exactly the form `formatInstant` writes; anything else (offsets, no milliseconds, 30 February) is refused. */
export function parseInstant(text: string): Date | undefined {
  if (!INSTANT_PATTERN.test(text)) return undefined;
  const date = new Date(text);
  return !Number.isNaN(date.getTime()) && date.toISOString() === text ? date : undefined;
}

/** Plain decimal without sign or leading zeros, so that each number has one spelling. */
export function parseDecimal(text: string): number | undefined {
  if (!DECIMAL_PATTERN.test(text) || text.length > 15) return undefined;
  return Number(text);
}
