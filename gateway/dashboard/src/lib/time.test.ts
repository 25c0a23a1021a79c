import { previousPeriodStarts, periodLabel } from './periods.js';
import { describeDuration, formatCountdown, formatLocal, formatUtc, utcOffsetLabel } from './time.js';

describe('times and periods on the page', () => {
  it('counts down in days, hours, minutes and seconds, and says "now" once due', () => {
    expect(formatCountdown(((2 * 24 + 3) * 3600 + 4 * 60 + 5) * 1000)).toBe('2 d 03:04:05');
    expect(formatCountdown(59_000)).toBe('00:00:59');
    expect(formatCountdown(0)).toBe('now');
    expect(describeDuration((26 * 60 + 1) * 60_000)).toBe('1 day 2 hours 1 minute');
  });

  it('shows instants in UTC', () => {
    expect(formatUtc('2020-06-08T00:00:00.000Z')).toBe('2020-06-08 00:00 UTC');
    expect(formatUtc(null)).toBe('—');
  });

  it("shows instants in the viewer's local time, with the offset named on request", () => {
    const iso = '2020-06-08T00:00:00.000Z';
    const d = new Date(iso);
    const pad = (n: number) => String(n).padStart(2, '0');
    const local = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
    expect(formatLocal(iso)).toBe(local);
    expect(formatLocal(iso, { seconds: true, date: false })).toBe(`${local.slice(11)}:00`);
    expect(formatLocal(iso, { zone: true })).toBe(`${local} ${utcOffsetLabel(d)}`);
    expect(formatLocal(undefined)).toBe('—');
    expect(utcOffsetLabel({ getTimezoneOffset: () => -120 } as Date)).toBe('UTC+2');
    expect(utcOffsetLabel({ getTimezoneOffset: () => 210 } as Date)).toBe('UTC-3:30');
    expect(utcOffsetLabel({ getTimezoneOffset: () => 0 } as Date)).toBe('UTC');
  });

  it('lists billing periods back from the current one (28th to 27th), across a year end', () => {
    expect(previousPeriodStarts('2021-01-28T00:00:00.000Z', 3)).toEqual([
      '2021-01-28T00:00:00.000Z',
      '2020-12-28T00:00:00.000Z',
      '2020-11-28T00:00:00.000Z',
    ]);
    expect(periodLabel('2020-04-28T00:00:00.000Z')).toBe('28 Apr – 27 May 2020');
    expect(periodLabel('2020-12-28T00:00:00.000Z')).toBe('28 Dec 2020 – 27 Jan 2021');
  });
});
