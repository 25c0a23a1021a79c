import { GraphQLError, GraphQLSchema, GraphQLObjectType, GraphQLString, Kind, buildSchema } from 'graphql';
import { DateTimeScalar, parseDateTime, strictenDateTime } from './scalars.js';

/**
 * Issue 15, hole 7: "Feb 30 is silently accepted; years 0000–0099 become 1900–1999". A DateTime is
 * read against the calendar and round-trips exactly; anything else is BAD_USER_INPUT.
 */
describe('DateTime', () => {
  test.each([
    ['30 February', '2021-02-30T00:00:00Z'],
    ['29 February of a common year', '2021-02-29T00:00:00Z'],
    ['29 February 2100 (not a leap year)', '2100-02-29T00:00:00Z'],
    ['31 April', '2021-04-31T00:00:00Z'],
    ['month 13', '2021-13-01T00:00:00Z'],
    ['day 0', '2021-01-00T00:00:00Z'],
    ['24:00', '2021-01-01T24:00:00Z'],
    ['minute 60', '2021-01-01T10:60:00Z'],
    ['a leap second', '2021-06-30T23:59:60Z'],
    ['offset +24:00', '2021-01-01T00:00:00+24:00'],
    ['offset minutes 60', '2021-01-01T00:00:00+01:60'],
    ['year 0050', '0050-01-01T00:00:00Z'],
    ['year 0000', '0000-01-01T00:00:00Z'],
    ['1969', '1969-12-31T23:59:59Z'],
    ['no zone', '2021-01-01T00:00:00'],
    ['a date only', '2021-01-01'],
    ['microseconds', '2021-01-01T00:00:00.000001Z'],
    ['a lower-case z', '2021-01-01T00:00:00z'],
    ['a number', 1_600_000_000_000],
    ['text', 'yesterday'],
  ])('%s is BAD_USER_INPUT', (_label, value) => {
    expect(() => parseDateTime(value)).toThrow(GraphQLError);
    try {
      parseDateTime(value);
    } catch (error) {
      expect((error as GraphQLError).extensions['code']).toBe('BAD_USER_INPUT');
    }
  });

  test.each([
    ['2024-02-29T12:00:00Z', '2024-02-29T12:00:00.000Z'],
    ['2000-02-29T00:00:00Z', '2000-02-29T00:00:00.000Z'],
    ['1970-01-01T00:00Z', '1970-01-01T00:00:00.000Z'],
    ['2021-03-01T00:30:00.5+01:00', '2021-02-28T23:30:00.500Z'],
    ['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'],
  ])('%s is the instant %s, and written back exactly', (input, output) => {
    const date = parseDateTime(input);
    expect(DateTimeScalar.serialize(date)).toBe(output);
    expect(DateTimeScalar.serialize(parseDateTime(output))).toBe(output);
  });

  it('a literal must be a string', () => {
    expect(() => DateTimeScalar.parseLiteral({ kind: Kind.INT, value: '1' })).toThrow(/must be a string/);
  });

  it('strictenDateTime makes a pass-through DateTime check its inputs and keep the text', () => {
    const schema = buildSchema('scalar DateTime type Query { at(t: DateTime): String }');
    strictenDateTime(schema);
    const type = schema.getType('DateTime') as typeof DateTimeScalar;
    expect(type.parseValue('2021-03-01T00:30:00+01:00')).toBe('2021-03-01T00:30:00+01:00');
    expect(() => type.parseValue('2021-02-30T00:00:00Z')).toThrow(/does not exist/);
    // A schema without DateTime is left as it is.
    expect(() =>
      strictenDateTime(
        new GraphQLSchema({
          query: new GraphQLObjectType({ name: 'Q', fields: { a: { type: GraphQLString } } }),
        }),
      ),
    ).not.toThrow();
  });
});
