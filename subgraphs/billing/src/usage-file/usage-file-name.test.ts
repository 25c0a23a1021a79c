import { DomainError } from '@lic/shared';
import { parseUsageFileName, usageFileName, utcDay } from './usage-file-name.js';

describe('usageFileName', () => {
  it.each<[string, Date | string, number, string]>([
    ['srv-1', '2020-06-04', 1, 'srv-1_20200604_001.usg'],
    ['srv-1', '2020-06-04', 2, 'srv-1_20200604_002.usg'],
    ['srv-1', new Date('2020-06-04T23:59:59.999Z'), 1, 'srv-1_20200604_001.usg'],
    ['srv-1', new Date('2020-06-05T00:00:00.000Z'), 1, 'srv-1_20200605_001.usg'],
    ['CIC Server #1 (Indy)', '2020-06-04', 12, 'CIC-Server-1-Indy_20200604_012.usg'],
    [
      'b7c1e0f2-5d1a-4c3e-9a8b-1f2e3d4c5b6a',
      '2021-01-31',
      1234,
      'b7c1e0f2-5d1a-4c3e-9a8b-1f2e3d4c5b6a_20210131_1234.usg',
    ],
    ['__', '2020-06-04', 1, 'server_20200604_001.usg'],
  ])('%s on %s, file %i → %s', (server, day, sequence, expected) => {
    expect(usageFileName(server, day, sequence)).toBe(expected);
  });

  it.each([0, -1, 1.5, 1_000_000, Number.NaN])('refuses sequence %s', (sequence) => {
    expect(() => usageFileName('srv-1', '2020-06-04', sequence)).toThrow(DomainError);
  });

  it.each(['2020-02-30', '2021-02-29', '20200604', '2020-6-4', 'today'])('refuses day %s', (day) => {
    expect(() => usageFileName('srv-1', day, 1)).toThrow(DomainError);
  });

  it('accepts 29 February in a leap year', () => {
    expect(utcDay('2020-02-29')).toBe('2020-02-29');
  });
});

describe('parseUsageFileName', () => {
  it('reads back what usageFileName writes', () => {
    expect(parseUsageFileName(usageFileName('srv_a_b', '2020-06-04', 7))).toEqual({
      server: 'srv-a-b',
      day: '2020-06-04',
      sequence: 7,
    });
  });

  it.each([
    'srv-1_20200604_001.txt',
    'srv-1_20200230_001.usg',
    'srv-1_20200604_000.usg',
    'srv-1_20200604.usg',
    '',
  ])('rejects %j', (name) => {
    expect(parseUsageFileName(name)).toBeNull();
  });
});
