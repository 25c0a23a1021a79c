import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function parseInstant(value: unknown): Date {
  if (typeof value !== 'string' || !ISO_WITH_ZONE.test(value)) {
    throw new GraphQLError(
      'DateTime must be an ISO-8601 string with a time zone, e.g. 2020-06-01T00:00:00Z',
      {
        extensions: { code: 'BAD_USER_INPUT' },
      },
    );
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new GraphQLError(`DateTime ${value} is not a valid instant`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return date;
}

/** `DateTime` of docs/api.md: ISO-8601 in, ISO-8601 UTC with milliseconds out. */
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
  parseValue: parseInstant,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) {
      throw new GraphQLError('DateTime must be a string', { extensions: { code: 'BAD_USER_INPUT' } });
    }
    return parseInstant(ast.value);
  },
});
