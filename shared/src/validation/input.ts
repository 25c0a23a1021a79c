import { z } from 'zod';
import { DomainError, ErrorCode, badInput } from '../errors/errors.js';
import { isPhoneNumber, textProblem, type TextRules } from './text.js';

/**
 * The shared text rules as zod schemas: every GraphQL input of every subgraph states its rules as
 * one schema built from these (next to its class in `*.inputs.ts`), and its service parses it with
 * parseInput. The rules themselves stay in text.ts; these only phrase them for zod, so an issue's
 * message is the message the hand checks gave ("<label> is required", "<label> must be ...").
 */

function textOptions(rules: TextRules | number): TextRules {
  return typeof rules === 'number' ? { max: rules } : rules;
}

/** Trimmed text of 1..max characters that passes the shared rules (requiredText as a schema). */
export function textSchema(label: string, rules: TextRules | number = {}) {
  const options = textOptions(rules);
  return z.string().transform((raw, ctx) => {
    const text = raw.trim();
    if (text.length === 0) {
      ctx.addIssue({ code: 'custom', message: `${label} is required` });
      return z.NEVER;
    }
    const problem = textProblem(text, options);
    if (problem) {
      ctx.addIssue({ code: 'custom', message: `${label} ${problem}` });
      return z.NEVER;
    }
    return text;
  });
}

/** Like textSchema, but missing, null or empty (after trimming) gives null (optionalText as a schema). */
export function optionalTextSchema(label: string, rules: TextRules | number = {}) {
  const options = textOptions(rules);
  return z
    .string()
    .nullish()
    .transform((raw, ctx) => {
      const text = (raw ?? '').trim();
      if (text.length === 0) return null;
      const problem = textProblem(text, options);
      if (problem) {
        ctx.addIssue({ code: 'custom', message: `${label} ${problem}` });
        return z.NEVER;
      }
      return text;
    });
}

/** A phone number as isPhoneNumber states it (apply to trimmed text); `message` when it is not one. */
export function phoneNumberSchema(message: string) {
  return z.string().refine(isPhoneNumber, { message });
}

/** A whole number from min to max: "<label> must be a whole number from <min> to <max>". */
export function wholeNumberSchema(label: string, min: number, max: number) {
  const message = `${label} must be a whole number from ${min} to ${max}`;
  return z
    .number({ error: message })
    .refine((value) => Number.isSafeInteger(value) && value >= min && value <= max, {
      message,
    });
}

/** An instant that is a valid date: "<label> must be a valid instant". */
export function validDateSchema(label: string) {
  return z
    .date({ error: `${label} must be a valid instant` })
    .refine((value) => !Number.isNaN(value.getTime()), { message: `${label} must be a valid instant` });
}

/**
 * The same fields (names, types, optionality), both ways: for checking a GraphQL input class
 * against its schema. Assignability alone would let an optional field be missing on one side.
 */
export type SameShape<A, B> = [A] extends [B]
  ? [B] extends [A]
    ? [keyof A] extends [keyof B]
      ? [keyof B] extends [keyof A]
        ? true
        : false
      : false
    : false
  : false;

/**
 * A compile-time check that a type-graphql input class (which gives the SDL) and its zod schema's
 * input type have the same fields, of the same types and optionality: call it once beside the two,
 * `inputClassMatches<CreateStationInput, typeof createStationSchema>(true)`; when one changes
 * without the other, `true` is no longer accepted and the file does not compile. Does nothing at run time.
 */
export function inputClassMatches<Class, Schema extends z.ZodType>(
  _same: SameShape<Class, z.input<Schema>>,
): void {}

/** Where an issue lies, as the platform's `field` extension names it ("machine.machineName", "lines.0.partNumber"). */
function fieldOf(at: string | undefined, path: readonly PropertyKey[]): string | undefined {
  const parts = at === undefined ? path.map(String) : [at, ...path.map(String)];
  return parts.length === 0 ? undefined : parts.join('.');
}

/**
 * An input checked against its schema: the parsed value (trimmed, nulls for empty optional text),
 * or the first issue as BAD_USER_INPUT with the issue's message and its path as `field`. `at` names
 * where the input lies among the operation's arguments (`filter`), for an input that is not the
 * whole argument list: issues inside it are reported as `filter.<path>`.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: z.input<S>, at?: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw badInput(issue?.message ?? 'The input is not valid', fieldOf(at, issue?.path ?? []));
}

/**
 * A form checked against its schema, for a form that shows every problem at once: the parsed
 * value, or BAD_USER_INPUT with the first issue's message and field and every issue, in the
 * schema's order, as `problems` ({ field, message }).
 */
export function parseForm<S extends z.ZodType>(schema: S, input: z.input<S>): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => ({
    field: fieldOf(undefined, issue.path) ?? '',
    message: issue.message,
  }));
  const first = problems[0] ?? { field: '', message: 'The input is not valid' };
  throw new DomainError(ErrorCode.BAD_USER_INPUT, first.message, { field: first.field, problems });
}
