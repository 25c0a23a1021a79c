import { expiryNote } from './expiry.js';

const facts = (over = {}) => ({
  licenseExpiresAt: '2024-03-08T08:00:00.000Z',
  licenseDaysLeft: 7,
  licenseExpiryWarning: 'DAYS_7',
  licenseExpired: false,
  unlicensed: false,
  ...over,
});

describe('what the dashboard says about a licence expiry', () => {
  it('warns 30, 7 and 1 days before', () => {
    expect(expiryNote(facts({ licenseDaysLeft: 30, licenseExpiryWarning: 'DAYS_30' }))).toEqual({
      level: 'notice',
      text: 'Licence expires in 30 days (2024-03-08 08:00 UTC)',
    });
    expect(expiryNote(facts())).toEqual({
      level: 'soon',
      text: 'Licence expires in 7 days (2024-03-08 08:00 UTC)',
    });
    expect(expiryNote(facts({ licenseDaysLeft: 1, licenseExpiryWarning: 'DAY_1' }))?.text).toBe(
      'Licence expires in 1 day (2024-03-08 08:00 UTC)',
    );
  });

  it('says nothing further away, or without a status', () => {
    expect(expiryNote(facts({ licenseDaysLeft: 90, licenseExpiryWarning: null }))).toBeNull();
    expect(expiryNote(null)).toBeNull();
  });

  it('alerts when the file expired, or the server is unlicensed by enforcement', () => {
    expect(expiryNote(facts({ licenseExpired: true, unlicensed: true, licenseDaysLeft: 0 }))).toEqual({
      level: 'unlicensed',
      text: 'Licence expired 2024-03-08 08:00 UTC: the server is unlicensed until a new licence file is loaded',
    });
    expect(expiryNote(facts({ unlicensed: true, licenseExpiryWarning: null }))?.level).toBe('unlicensed');
  });
});
