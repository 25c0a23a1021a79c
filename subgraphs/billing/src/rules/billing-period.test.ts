import { DomainError, ErrorCode } from '@lic/shared';
import {
  billingPeriodAt,
  billingPeriodStarting,
  isUploadLate,
  periodsOverlapping,
  uploadCutoff,
} from './billing-period.js';

const d = (iso: string): Date => new Date(iso);
const iso = (p: { start: Date; end: Date; uploadDeadline: Date }) => ({
  start: p.start.toISOString(),
  end: p.end.toISOString(),
  uploadDeadline: p.uploadDeadline.toISOString(),
});

describe('billingPeriodAt', () => {
  it.each([
    // [instant, start, end (exclusive), upload deadline day]
    ['2020-05-27T23:59:59.999Z', '2020-04-28', '2020-05-28', '2020-06-04'],
    ['2020-05-28T00:00:00.000Z', '2020-05-28', '2020-06-28', '2020-07-04'],
    ['2020-05-01T12:00:00.000Z', '2020-04-28', '2020-05-28', '2020-06-04'],
    ['2020-04-28T00:00:00.000Z', '2020-04-28', '2020-05-28', '2020-06-04'],
    ['2020-05-31T23:59:59.999Z', '2020-05-28', '2020-06-28', '2020-07-04'],
    // December–January: the period and its deadline cross the year.
    ['2019-12-28T00:00:00.000Z', '2019-12-28', '2020-01-28', '2020-02-04'],
    ['2020-01-01T00:00:00.000Z', '2019-12-28', '2020-01-28', '2020-02-04'],
    ['2020-01-27T23:59:59.999Z', '2019-12-28', '2020-01-28', '2020-02-04'],
    ['2020-11-30T00:00:00.000Z', '2020-11-28', '2020-12-28', '2021-01-04'],
    ['2020-12-31T23:59:59.999Z', '2020-12-28', '2021-01-28', '2021-02-04'],
    // February: the 29th of a leap year belongs to the period starting Feb 28.
    ['2020-02-27T23:59:59.999Z', '2020-01-28', '2020-02-28', '2020-03-04'],
    ['2020-02-28T00:00:00.000Z', '2020-02-28', '2020-03-28', '2020-04-04'],
    ['2020-02-29T12:00:00.000Z', '2020-02-28', '2020-03-28', '2020-04-04'],
    ['2021-02-28T00:00:00.000Z', '2021-02-28', '2021-03-28', '2021-04-04'],
    ['2021-03-01T00:00:00.000Z', '2021-02-28', '2021-03-28', '2021-04-04'],
    ['2021-03-27T23:59:59.999Z', '2021-02-28', '2021-03-28', '2021-04-04'],
  ])('%s is in the period %s – %s (due %s)', (at, start, end, deadline) => {
    expect(iso(billingPeriodAt(d(at)))).toEqual({
      start: `${start}T00:00:00.000Z`,
      end: `${end}T00:00:00.000Z`,
      uploadDeadline: `${deadline}T00:00:00.000Z`,
    });
  });

  it('gives periods of 29 days after a leap-year February 28th and 28 days otherwise', () => {
    const days = (at: string) => {
      const p = billingPeriodAt(d(at));
      return (p.end.getTime() - p.start.getTime()) / 86_400_000;
    };
    expect(days('2020-03-01T00:00:00Z')).toBe(29);
    expect(days('2021-03-01T00:00:00Z')).toBe(28);
    expect(days('2020-02-01T00:00:00Z')).toBe(31);
  });

  it('refuses an invalid date', () => {
    expect(() => billingPeriodAt(new Date('nope'))).toThrow(DomainError);
  });
});

describe('billingPeriodStarting', () => {
  it('accepts a 28th at 00:00 UTC', () => {
    expect(iso(billingPeriodStarting(d('2020-04-28T00:00:00Z')))).toEqual({
      start: '2020-04-28T00:00:00.000Z',
      end: '2020-05-28T00:00:00.000Z',
      uploadDeadline: '2020-06-04T00:00:00.000Z',
    });
  });

  it.each([
    '2020-04-27T00:00:00Z',
    '2020-04-28T00:00:00.001Z',
    '2020-04-28T01:00:00Z',
    '2020-04-01T00:00:00Z',
  ])('refuses %s with BAD_USER_INPUT', (start) => {
    expect(() => billingPeriodStarting(d(start))).toThrow(
      expect.objectContaining({ code: ErrorCode.BAD_USER_INPUT }),
    );
  });
});

describe('upload deadline', () => {
  const april = d('2020-04-28T00:00:00Z');

  it('is the 4th of the month after the period ends, on time for the whole of that day', () => {
    expect(uploadCutoff(billingPeriodStarting(april)).toISOString()).toBe('2020-06-05T00:00:00.000Z');
  });

  it.each([
    ['2020-05-28T00:00:00.000Z', false],
    ['2020-06-04T00:00:00.000Z', false],
    ['2020-06-04T23:59:59.999Z', false],
    ['2020-06-05T00:00:00.000Z', true],
    ['2020-07-01T00:00:00.000Z', true],
  ])('an upload at %s is late: %s', (at, late) => {
    expect(isUploadLate(april, d(at))).toBe(late);
  });

  it('crosses the year for the November and December periods', () => {
    expect(isUploadLate(d('2020-11-28T00:00:00Z'), d('2021-01-04T23:00:00Z'))).toBe(false);
    expect(isUploadLate(d('2020-12-28T00:00:00Z'), d('2021-02-05T00:00:00Z'))).toBe(true);
  });

  it('refuses a period start that is not a 28th', () => {
    expect(() => isUploadLate(d('2020-04-29T00:00:00Z'), d('2020-06-01T00:00:00Z'))).toThrow(DomainError);
  });
});

describe('periodsOverlapping', () => {
  const starts = (from: string, to: string) =>
    periodsOverlapping(d(from), d(to)).map((p) => p.start.toISOString().slice(0, 10));

  it.each([
    ['2020-05-01T00:00:00Z', '2020-05-02T00:00:00Z', ['2020-04-28']],
    ['2020-05-01T00:00:00Z', '2020-05-28T00:00:00Z', ['2020-04-28']],
    ['2020-05-01T00:00:00Z', '2020-05-28T00:00:00.001Z', ['2020-04-28', '2020-05-28']],
    ['2020-04-28T00:00:00Z', '2020-06-28T00:00:00Z', ['2020-04-28', '2020-05-28']],
    [
      '2019-12-01T00:00:00Z',
      '2020-03-01T00:00:00Z',
      ['2019-11-28', '2019-12-28', '2020-01-28', '2020-02-28'],
    ],
    ['2020-05-01T00:00:00Z', '2020-05-01T00:00:00Z', []],
  ])('[%s, %s) overlaps %j', (from, to, expected) => {
    expect(starts(from, to)).toEqual(expected);
  });

  it('refuses a reversed range', () => {
    expect(() => periodsOverlapping(d('2020-06-01T00:00:00Z'), d('2020-05-01T00:00:00Z'))).toThrow(
      DomainError,
    );
  });

  it('refuses an absurdly long range', () => {
    expect(() => periodsOverlapping(d('1900-01-01T00:00:00Z'), d('2100-01-01T00:00:00Z'))).toThrow(
      DomainError,
    );
  });
});
