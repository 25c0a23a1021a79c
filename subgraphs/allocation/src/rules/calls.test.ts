import {
  DEVELOPMENT_CALL_MS,
  developmentCallEndsAt,
  developmentCallsOpenedBy,
  isDevelopmentLicenseType,
} from './calls.js';

describe('development licences: "interactions disconnect hourly"', () => {
  it.each<[string | null, boolean]>([
    ['DEVELOPMENT_NON_ORDERED_SMALL', true],
    ['DEVELOPMENT_NON_ORDERED_LARGE', true],
    ['DEVELOPMENT_ORDERED_SMALL', true],
    ['DEVELOPMENT_ORDERED_LARGE', true],
    ['PRODUCTION', false],
    ['TRIAL', false],
    ['EVALUATION', false],
    [null, false],
  ])('%s is a development licence type: %s', (type, expected) => {
    expect(isDevelopmentLicenseType(type)).toBe(expected);
  });

  it('a call ends one hour after it opened; a call opened exactly an hour ago is due', () => {
    const openedAt = Date.parse('2024-03-01T08:00:00.000Z');
    expect(DEVELOPMENT_CALL_MS).toBe(3_600_000);
    expect(new Date(developmentCallEndsAt(openedAt)).toISOString()).toBe('2024-03-01T09:00:00.000Z');
    expect(developmentCallsOpenedBy(developmentCallEndsAt(openedAt))).toBe(openedAt);
  });
});
