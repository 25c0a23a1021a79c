import { badInput } from '../errors/errors.js';

/**
 * The one text validation of the platform: every name, label and free-text input of every subgraph
 * goes through it, so "control character" and "too long" mean the same everywhere.
 *
 * Refused everywhere: C0 and C1 control characters and DEL (multi-line text keeps tab, line feed
 * and carriage return), Unicode line and paragraph separators in single-line text, the bidirectional
 * formatting characters (embeddings, overrides, isolates and marks, which make a name display as
 * something it is not), unpaired surrogates (not text: they cannot be stored as UTF-8) and the
 * noncharacters U+FFFE and U+FFFF. Lengths count characters (code points), as the databases do.
 */

/* eslint-disable no-control-regex */
const SINGLE_LINE_FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const MULTI_LINE_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
/* eslint-enable no-control-regex */
const BIDI_CONTROL = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const NONCHARACTER = /[\ufffe\uffff]/;

/** The longest name (servers, users, stations, install sites, accounts) unless a field says otherwise. */
export const MAX_NAME_LENGTH = 200;

export interface TextRules {
  /** Longest text in characters (default MAX_NAME_LENGTH). */
  max?: number;
  /** Line breaks and tabs are allowed (descriptions, messages); names are single lines. */
  multiline?: boolean;
}

/** The number of characters (code points) of a text, as a utf8mb4 column counts them. */
export function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

/** Why `text` is not acceptable text (its length aside), or null when it is. */
export function forbiddenCharacterProblem(text: string, multiline = false): string | null {
  if (LONE_SURROGATE.test(text)) return 'must be valid Unicode text (it holds an unpaired surrogate)';
  if ((multiline ? MULTI_LINE_FORBIDDEN : SINGLE_LINE_FORBIDDEN).test(text)) {
    return multiline
      ? 'must not contain control characters'
      : 'must be a single line without control characters';
  }
  if (BIDI_CONTROL.test(text)) return 'must not contain bidirectional formatting characters';
  if (NONCHARACTER.test(text)) return 'must not contain Unicode noncharacters';
  return null;
}

/** Why a trimmed, non-empty text breaks `rules`, or null (for forms that collect every problem). */
export function textProblem(text: string, rules: TextRules = {}): string | null {
  const max = rules.max ?? MAX_NAME_LENGTH;
  if (characterCount(text) > max) return `must be at most ${max} characters`;
  return forbiddenCharacterProblem(text, rules.multiline ?? false);
}

/** Trimmed text of 1..max characters that passes the shared rules, or BAD_USER_INPUT on `field`. */
export function requiredText(
  value: string | null | undefined,
  field: string,
  label: string,
  rules: TextRules | number = {},
): string {
  const options = typeof rules === 'number' ? { max: rules } : rules;
  const text = (value ?? '').trim();
  if (text.length === 0) throw badInput(`${label} is required`, field);
  const problem = textProblem(text, options);
  if (problem) throw badInput(`${label} ${problem}`, field);
  return text;
}

/** Like requiredText, but empty or missing gives null. */
export function optionalText(
  value: string | null | undefined,
  field: string,
  label: string,
  rules: TextRules | number = {},
): string | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  return requiredText(value, field, label, rules);
}

const PHONE_NUMBER = /^\+?[0-9][0-9 ()./-]*$/;
/** A phone number's length bounds (a short extension to a full international number; the columns hold 40). */
export const PHONE_NUMBER_LENGTH = { min: 3, max: 40 } as const;

/** Digits with an optional leading +, spaces and ( ) . / - between them; 3 to 40 characters. */
export function isPhoneNumber(text: string): boolean {
  return (
    text.length >= PHONE_NUMBER_LENGTH.min &&
    text.length <= PHONE_NUMBER_LENGTH.max &&
    PHONE_NUMBER.test(text)
  );
}
