import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

/** Date, time (seconds and up to milliseconds optional) and a zone: `Z` or `±hh:mm`. */
const ISO_WITH_ZONE =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(?:Z|([+-])(\d{2}):(\d{2}))$/;

/**
 * The first year a `DateTime` may name. Nothing in licensing happened before 1970, and years
 * 0000–0099 are silently read as 1900–1999 by `Date.UTC`, so they are refused rather than moved.
 */
export const FIRST_DATE_TIME_YEAR = 1970;

const FORMAT_HINT =
  'DateTime must be an ISO-8601 string with a time zone and at most milliseconds, e.g. 2020-06-01T00:00:00Z';

function refuse(message: string): never {
  throw new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

/** Day 0 of the next month is the last of this one; the Gregorian cycle repeats every 400 years. */
function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(2000 + (year % 400), month, 0)).getUTCDate();
}

/**
 * A `DateTime` input as the instant it names, or BAD_USER_INPUT: every field is checked against
 * the calendar (no 30 February, no 24:00, no leap second, no offset past 23:59), the year is
 * FIRST_DATE_TIME_YEAR–9999 and fractions stop at milliseconds, so that what is read is exactly
 * what is stored and written back (in UTC).
 */
export function parseDateTime(value: unknown): Date {
  if (typeof value !== 'string') refuse(FORMAT_HINT);
  const match = ISO_WITH_ZONE.exec(value);
  if (!match) refuse(FORMAT_HINT);
  const [, y, mo, d, h, mi, s, , sign, oh, om] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (year < FIRST_DATE_TIME_YEAR) {
    refuse(`DateTime ${value} is before ${FIRST_DATE_TIME_YEAR}: years before it are not accepted`);
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    refuse(`DateTime ${value} names a date that does not exist`);
  }
  if (Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59) {
    refuse(`DateTime ${value} names a time that does not exist (00:00:00 to 23:59:59)`);
  }
  if (sign && (Number(oh) > 23 || Number(om) > 59)) {
    refuse(`DateTime ${value} has an offset that does not exist (at most ±23:59)`);
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) refuse(`DateTime ${value} is not a valid instant`);
  return date;
}

/** `DateTime` of docs/api.md: ISO-8601 in (checked by parseDateTime), ISO-8601 UTC with milliseconds out. */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An instant, ISO-8601. Output is always UTC (e.g. 2020-06-01T00:00:00.000Z).',
  serialize(value) {
    const date =
      value instanceof Date
        ? value
        : typeof value === 'string' || typeof value === 'number'
          ? new Date(value)
          : null;
    if (!date || Number.isNaN(date.getTime())) throw new GraphQLError('DateTime cannot represent this value');
    return date.toISOString();
  },
  parseValue: parseDateTime,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) refuse('DateTime must be a string');
    return parseDateTime(ast.value);
  },
});

/**
 * Makes a schema's `DateTime` (a pass-through scalar in a schema built from a supergraph) check its
 * inputs as the subgraphs do, keeping the client's text: the gateway refuses an invalid date itself,
 * before any subgraph is called.
 */
export function strictenDateTime(schema: { getType(name: string): unknown }): void {
  const type = schema.getType('DateTime');
  if (!(type instanceof GraphQLScalarType)) return;
  const mutable = type as { -readonly [K in keyof GraphQLScalarType]: GraphQLScalarType[K] };
  mutable.parseValue = (value: unknown) => {
    parseDateTime(value);
    return value;
  };
  mutable.parseLiteral = (ast) => {
    if (ast.kind !== Kind.STRING) refuse('DateTime must be a string');
    parseDateTime(ast.value);
    return ast.value;
  };
}
