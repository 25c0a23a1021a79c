import { judgeStanding, type StandingFacts } from './standing.js';

const AT = new Date('2020-06-10T00:00:00.000Z');
const good: StandingFacts = {
  loaded: {
    fileId: 'f1',
    revision: 2,
    expiresAt: new Date('2100-01-01T00:00:00.000Z'),
    licenseModel: 'SUBSCRIPTION',
  },
  file: { currentRevision: 2, deactivatedAt: null },
  hold: null,
};

/**
 * "the platform answers good standing only when the file loaded on that server is its current,
 * active, unexpired revision, the subscription behind it is active, and the account is not on hold"
 */
describe('good standing: the platform verdict', () => {
  it('is good when every fact holds, including facts older producers did not send', () => {
    expect(judgeStanding(good, AT)).toEqual({ goodStanding: true });
    expect(
      judgeStanding(
        {
          loaded: { fileId: 'f1', revision: null, expiresAt: null, licenseModel: null },
          file: null,
          hold: null,
        },
        AT,
      ),
    ).toEqual({ goodStanding: true });
  });

  it.each([
    ['NO_LICENSE_FILE', { ...good, loaded: null }],
    ['LICENSE_FILE_DEACTIVATED', { ...good, file: { currentRevision: 2, deactivatedAt: AT } }],
    ['LICENSE_FILE_SUPERSEDED', { ...good, file: { currentRevision: 3, deactivatedAt: null } }],
    ['LICENSE_FILE_EXPIRED', { ...good, loaded: { ...good.loaded!, expiresAt: AT } }],
    ['SUBSCRIPTION_INACTIVE', { ...good, loaded: { ...good.loaded!, licenseModel: 'PERPETUAL' } }],
    ['ACCOUNT_ON_HOLD', { ...good, hold: { reason: 'usage uploads missing' } }],
  ] as Array<[string, StandingFacts]>)('refuses with %s', (reason, facts) => {
    expect(judgeStanding(facts, AT)).toMatchObject({ goodStanding: false, reason });
  });

  it('a deactivation after the check does not spoil it', () => {
    const later = new Date(AT.getTime() + 1000);
    expect(judgeStanding({ ...good, file: { currentRevision: 2, deactivatedAt: later } }, AT)).toEqual({
      goodStanding: true,
    });
  });
});
