import { CALL_PORT_KEY, ErrorCode } from '@lic/shared';
import {
  type LimitContext,
  effectiveLimit,
  isUnlicensed,
  isWithheldPool,
  unlicensedLogon,
} from './limits.js';

const CLIENT = 'I3_ACCESS_CLIENT';
const SUPERVISOR = 'I3_ACCESS_WORKGROUP_SUPERVISOR_PLUGIN';
const context = (over: Partial<LimitContext> = {}): LimitContext => ({
  model: 'PERPETUAL',
  caps: new Map(),
  supervisorDisabled: false,
  callPortLimit: null,
  unlicensed: false,
  ...over,
});
const inFile = (fileTotal: number) => ({ inFile: true, fileTotal });

describe('unlicensed: enforcement stage 6 or an expired file, neither lifting the other', () => {
  it.each([
    [1, null, false],
    [5, null, false],
    [6, null, true],
    [1, new Date(0), true],
    [6, new Date(0), true],
  ])('stage %i, expired at %p: %p', (enforcementStage, licenseExpiredAt, expected) => {
    expect(isUnlicensed({ enforcementStage, licenseExpiredAt })).toBe(expected);
  });
});

describe('what an unlicensed server admits', () => {
  it('nothing but two call ports', () => {
    expect(effectiveLimit(CLIENT, inFile(10), context({ unlicensed: true }))).toBe(0);
    expect(effectiveLimit(CALL_PORT_KEY, inFile(20), context({ unlicensed: true }))).toBe(2);
    expect(effectiveLimit(CALL_PORT_KEY, inFile(1), context({ unlicensed: true }))).toBe(1);
    expect(effectiveLimit(CALL_PORT_KEY, inFile(20), context({ unlicensed: true, callPortLimit: 2 }))).toBe(
      2,
    );
    expect(effectiveLimit(CALL_PORT_KEY, inFile(20), context())).toBe(20);
  });

  it.each([
    [CLIENT, { unlicensed: true }, true],
    [`${CLIENT}_CONCURRENT`, { unlicensed: true }, false],
    [CALL_PORT_KEY, { unlicensed: true }, false],
    [SUPERVISOR, { supervisorDisabled: true }, true],
    [`${SUPERVISOR}_CONCURRENT`, { supervisorDisabled: true }, false],
    [CLIENT, { supervisorDisabled: true }, false],
    [CLIENT, {}, false],
  ])('withholds the assignments of %s in %p: %p', (key, over, expected) => {
    expect(isWithheldPool(key, context(over))).toBe(expected);
  });
});

describe('a logon on an unlicensed server', () => {
  const now = new Date('2024-03-01T08:00:00.000Z');
  const server = (over = {}) => ({
    enforcementStage: 1,
    licenseExpiredAt: null,
    licenseExpiresAt: new Date('2100-01-01T00:00:00.000Z'),
    ...over,
  });

  it('goes ahead on a licensed server', () => {
    expect(unlicensedLogon(server(), now)).toBeNull();
  });

  it('is refused from the instant the file expires, before the scheduler ended it', () => {
    expect(unlicensedLogon(server({ licenseExpiresAt: now }), now)?.error.code).toBe(
      ErrorCode.LICENSE_FILE_EXPIRED,
    );
    expect(unlicensedLogon(server({ licenseExpiresAt: new Date(now.getTime() + 1) }), now)).toBeNull();
    expect(unlicensedLogon(server({ licenseExpiredAt: now }), now)?.error.code).toBe(
      ErrorCode.LICENSE_FILE_EXPIRED,
    );
  });

  it('is refused at stage 6 as client access unavailable', () => {
    expect(unlicensedLogon(server({ enforcementStage: 6 }), now)?.error.code).toBe(
      ErrorCode.CLIENT_ACCESS_UNAVAILABLE,
    );
  });
});
