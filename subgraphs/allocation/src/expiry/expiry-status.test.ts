import { DAY_MS, HOUR_MS } from '@lic/shared';
import { expiryMessage, expiryStatus } from './expiry.js';

const now = new Date('2024-03-01T08:00:00.000Z');
const file = (msLeft: number, expiredAt: Date | null = null) => ({
  licenseFileId: 'af-1',
  licenseExpiresAt: new Date(now.getTime() + msLeft),
  licenseExpiredAt: expiredAt,
});

describe('expiryStatus: warns 30, 7 and 1 days before the file expires', () => {
  it.each([
    ['45 days', 45 * DAY_MS, 45, null, false],
    ['30 days and a minute', 30 * DAY_MS + 60_000, 31, null, false],
    ['exactly 30 days', 30 * DAY_MS, 30, 'DAYS_30', false],
    ['8 days', 8 * DAY_MS, 8, 'DAYS_30', false],
    ['exactly 7 days', 7 * DAY_MS, 7, 'DAYS_7', false],
    ['25 hours', 25 * HOUR_MS, 2, 'DAYS_7', false],
    ['exactly 1 day', DAY_MS, 1, 'DAY_1', false],
    ['one millisecond', 1, 1, 'DAY_1', false],
    ['the instant of expiry', 0, 0, 'EXPIRED', true],
    ['a day after', -DAY_MS, 0, 'EXPIRED', true],
  ])('%s left', (_label, msLeft, daysLeft, warning, expired) => {
    expect(expiryStatus(file(msLeft), now)).toMatchObject({ daysLeft, warning, expired });
  });

  it('stays expired once the scheduler ended the file', () => {
    expect(expiryStatus(file(DAY_MS, now), now)).toMatchObject({
      warning: 'EXPIRED',
      expired: true,
      daysLeft: 0,
    });
  });

  it('says nothing without a loaded file', () => {
    expect(
      expiryStatus({ licenseFileId: null, licenseExpiresAt: null, licenseExpiredAt: null }, now),
    ).toEqual({
      expiresAt: null,
      daysLeft: null,
      warning: null,
      expired: false,
    });
  });

  it('words the warning for a supervisor', () => {
    expect(expiryMessage(expiryStatus(file(DAY_MS), now))).toBe(
      'The licence file expires in 1 day (2024-03-02T08:00:00.000Z): load a new file before then',
    );
    expect(expiryMessage(expiryStatus(file(45 * DAY_MS), now))).toBeNull();
    expect(expiryMessage(expiryStatus(file(0), now))).toMatch(/expired at 2024-03-01T08:00:00.000Z/);
  });
});
