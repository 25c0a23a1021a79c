import { GraphQLError } from 'graphql';
import { z } from 'zod';
import {
  inputClassMatches,
  optionalTextSchema,
  parseForm,
  parseInput,
  phoneNumberSchema,
  textSchema,
  validDateSchema,
  wholeNumberSchema,
} from './input.js';

function refusal(run: () => unknown): { message: string; extensions: unknown } {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(GraphQLError);
    return { message: (error as GraphQLError).message, extensions: (error as GraphQLError).extensions };
  }
  throw new Error('not refused');
}

/** The shared text rules as zod schemas: the same rules and messages as requiredText and friends. */
describe('shared input schemas', () => {
  const name = z.object({ name: textSchema('The name') });

  test.each([
    ['plain text', 'Zoë Ångström', 'Zoë Ångström'],
    ['surrounding spaces, trimmed', '  station 7  ', 'station 7'],
    ['an emoji counted as one character', `${'x'.repeat(199)}🎧`, `${'x'.repeat(199)}🎧`],
  ])('textSchema accepts %s', (_label, raw, parsed) => {
    expect(parseInput(name, { name: raw })).toEqual({ name: parsed });
  });

  test.each([
    ['empty', '', 'The name is required'],
    ['only spaces', '   ', 'The name is required'],
    ['too long', 'x'.repeat(201), 'The name must be at most 200 characters'],
    ['NUL', 'a\u0000b', 'The name must be a single line without control characters'],
    ['a line break', 'a\nb', 'The name must be a single line without control characters'],
    ['a C1 control', 'a\u0085b', 'The name must be a single line without control characters'],
    ['a right-to-left override', 'a\u202eb', 'The name must not contain bidirectional formatting characters'],
    ['a lone surrogate', 'a\ud83cb', 'The name must be valid Unicode text (it holds an unpaired surrogate)'],
    ['a noncharacter', 'a\uffffb', 'The name must not contain Unicode noncharacters'],
  ])('textSchema refuses %s', (_label, raw, message) => {
    expect(refusal(() => parseInput(name, { name: raw }))).toEqual({
      message,
      extensions: { code: 'BAD_USER_INPUT', field: 'name' },
    });
  });

  it('textSchema takes a maximum and multi-line text', () => {
    const note = z.object({ note: textSchema('The note', { max: 10, multiline: true }) });
    expect(parseInput(note, { note: 'a\r\nb\tc' })).toEqual({ note: 'a\r\nb\tc' });
    expect(refusal(() => parseInput(note, { note: 'x'.repeat(11) })).message).toBe(
      'The note must be at most 10 characters',
    );
    expect(refusal(() => parseInput(note, { note: 'a\u0000' })).message).toBe(
      'The note must not contain control characters',
    );
    const code = z.object({ code: textSchema('The code', 3) });
    expect(refusal(() => parseInput(code, { code: 'abcd' })).message).toBe(
      'The code must be at most 3 characters',
    );
  });

  test.each([
    ['missing', undefined, null],
    ['null', null, null],
    ['empty', '', null],
    ['only spaces', '  ', null],
    ['text, trimmed', ' 1 Main St ', '1 Main St'],
  ])('optionalTextSchema accepts %s', (_label, raw, parsed) => {
    const site = z.object({ address: optionalTextSchema('The address', 20) });
    expect(parseInput(site, { address: raw })).toEqual({ address: parsed });
  });

  test.each([
    ['too long', 'x'.repeat(21), 'The address must be at most 20 characters'],
    ['a control character', 'a\u0007', 'The address must be a single line without control characters'],
    ['a bidi isolate', 'a\u2068b', 'The address must not contain bidirectional formatting characters'],
  ])('optionalTextSchema refuses %s', (_label, raw, message) => {
    const site = z.object({ address: optionalTextSchema('The address', 20) });
    expect(refusal(() => parseInput(site, { address: raw })).message).toBe(message);
  });

  const phone = z.object({ phone: phoneNumberSchema('phone must be a phone number') });
  test.each([['911'], ['+1 (317) 555-0100'], ['0049/89.1234-56'], ['1'.repeat(40)]])(
    'phoneNumberSchema accepts %s',
    (raw) => {
      expect(parseInput(phone, { phone: raw })).toEqual({ phone: raw });
    },
  );
  test.each([['12'], ['1'.repeat(41)], ['call me'], ['+'], ['555\u0000'], ['-5551234'], ['555 1234 x12']])(
    'phoneNumberSchema refuses %j',
    (raw) => {
      expect(refusal(() => parseInput(phone, { phone: raw }))).toEqual({
        message: 'phone must be a phone number',
        extensions: { code: 'BAD_USER_INPUT', field: 'phone' },
      });
    },
  );

  const days = z.object({ days: wholeNumberSchema('The grace period', 1, 3650) });
  test.each([[1], [7], [3650]])('wholeNumberSchema accepts %d', (value) => {
    expect(parseInput(days, { days: value })).toEqual({ days: value });
  });
  test.each([[0], [3651], [1.5], [-1], [Number.NaN]])('wholeNumberSchema refuses %d', (value) => {
    expect(refusal(() => parseInput(days, { days: value })).message).toBe(
      'The grace period must be a whole number from 1 to 3650',
    );
  });

  it('validDateSchema accepts a date and refuses an invalid one', () => {
    const ramp = z.object({ rampDate: validDateSchema('The ramp date') });
    const at = new Date('2026-01-01T00:00:00Z');
    expect(parseInput(ramp, { rampDate: at })).toEqual({ rampDate: at });
    expect(refusal(() => parseInput(ramp, { rampDate: new Date(Number.NaN) })).message).toBe(
      'The ramp date must be a valid instant',
    );
  });

  it('names a nested field by its path, as the hand checks did', () => {
    const order = z.object({ lines: z.array(z.object({ partNumber: textSchema('The part number', 40) })) });
    expect(
      refusal(() => parseInput(order, { lines: [{ partNumber: 'ok' }, { partNumber: ' ' }] })).extensions,
    ).toEqual({ code: 'BAD_USER_INPUT', field: 'lines.1.partNumber' });
  });

  it('inputClassMatches compiles only for a class of the same shape', () => {
    const _schema = z.object({ name: textSchema('The name'), note: optionalTextSchema('The note') });
    class Same {
      name!: string;
      note?: string | null;
    }
    class Drifted {
      name!: string;
    }
    inputClassMatches<Same, typeof _schema>(true);
    // @ts-expect-error the class lacks `note`: the check refuses it
    inputClassMatches<Drifted, typeof _schema>(true);
  });
});

/** A form shows every problem at once: parseForm reports them all, in the schema's order. */
describe('parseForm', () => {
  const form = z.object({
    name: textSchema('The name', 10),
    recipients: z.array(z.string().refine((r) => r.includes('@'), { message: 'Not an address' })),
  });

  it('parses a good form to its value', () => {
    expect(parseForm(form, { name: ' Ann ', recipients: ['a@b.c'] })).toEqual({
      name: 'Ann',
      recipients: ['a@b.c'],
    });
  });

  it('refuses a bad one with the first problem as message and field, and every problem listed', () => {
    expect(refusal(() => parseForm(form, { name: ' ', recipients: ['a@b.c', 'nobody'] }))).toEqual({
      message: 'The name is required',
      extensions: {
        code: 'BAD_USER_INPUT',
        field: 'name',
        problems: [
          { field: 'name', message: 'The name is required' },
          { field: 'recipients.1', message: 'Not an address' },
        ],
      },
    });
  });
});
