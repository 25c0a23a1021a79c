import { GraphQLError } from 'graphql';
import { characterCount, isPhoneNumber, optionalText, requiredText, textProblem } from './text.js';

/** The one text validation every name field of every subgraph uses (issue 15, hole 8). */
describe('shared text validation', () => {
  test.each([
    ['NUL', 'a\u0000b'],
    ['CR/LF', 'a\r\nb'],
    ['a tab', 'a\tb'],
    ['DEL', 'a\u007fb'],
    ['a C1 control (NEL)', 'a\u0085b'],
    ['a line separator', 'a\u2028b'],
    ['a paragraph separator', 'a\u2029b'],
    ['a right-to-left override', 'a\u202eb'],
    ['a left-to-right embedding', 'a\u202ab'],
    ['a first-strong isolate', 'a\u2068b'],
    ['a right-to-left mark', 'a\u200fb'],
    ['an Arabic letter mark', 'a\u061cb'],
    ['a lone high surrogate', 'a\ud83cb'],
    ['a lone low surrogate at the end', 'ab\udfa7'],
    ['a noncharacter', 'a\uffffb'],
  ])('a name with %s is refused', (_label, text) => {
    expect(textProblem(text)).not.toBeNull();
    expect(() => requiredText(text, 'name', 'The name')).toThrow(GraphQLError);
  });

  it('multi-line text keeps line breaks and tabs, and refuses the rest', () => {
    expect(textProblem('line one\r\nline two\tend', { multiline: true, max: 100 })).toBeNull();
    expect(textProblem('a\u0000b', { multiline: true })).toMatch(/control characters/);
    expect(textProblem('a\u202eb', { multiline: true })).toMatch(/bidirectional/);
  });

  it('lengths count characters, not UTF-16 units: an emoji is one', () => {
    expect(characterCount('🎧')).toBe(1);
    expect(textProblem(`${'x'.repeat(199)}🎧`)).toBeNull();
    expect(textProblem('x'.repeat(201))).toBe('must be at most 200 characters');
    expect(textProblem('x'.repeat(11), { max: 10 })).toBe('must be at most 10 characters');
  });

  it('trims, requires, and names the field in a BAD_USER_INPUT', () => {
    expect(requiredText('  Zoë Ångström  ', 'name', 'The name')).toBe('Zoë Ångström');
    expect(optionalText('   ', 'name', 'The name')).toBeNull();
    try {
      requiredText('a\u0000', 'name', 'The name');
      throw new Error('not refused');
    } catch (error) {
      expect((error as GraphQLError).extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'name' });
    }
  });

  it('one phone number rule: digits with + ( ) . / - and spaces, 3 to 40 characters', () => {
    for (const ok of ['911', '+1 (317) 555-0100', '0049/89.1234-56', '1'.repeat(40)]) {
      expect(isPhoneNumber(ok)).toBe(true);
    }
    for (const bad of ['12', '1'.repeat(41), 'call me', '+', '555\u0000', '-5551234', '555 1234 x12']) {
      expect(isPhoneNumber(bad)).toBe(false);
    }
  });
});
