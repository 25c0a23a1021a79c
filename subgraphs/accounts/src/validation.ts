/**
 * Input rules live in zod schemas beside their classes (`*.inputs.ts`), built from the shared text
 * rules (`@lic/shared`: textSchema, wholeNumberSchema, ...). What the accounts inputs share:
 */

/** Quantities on one order or file line. */
export const MAX_LINE_QUANTITY = 1_000_000;
