import { CALL_PORT_KEY } from '@lic/shared';
import { effectiveLimit, type LimitContext } from './limits.js';

const context = (patch: Partial<LimitContext> = {}): LimitContext => ({
  model: 'SUBSCRIPTION',
  caps: new Map(),
  supervisorDisabled: false,
  callPortLimit: null,
  unlicensed: false,
  ...patch,
});
const licensed = (fileTotal: number) => ({ inFile: true, fileTotal });

describe('call port limits: licensed call ports bound the calls for PERPETUAL and SUBSCRIPTION files alike', () => {
  it.each<[string, LimitContext, number]>([
    ['subscription, no enforcement', context(), 20],
    ['perpetual, no enforcement', context({ model: 'PERPETUAL' }), 20],
    ['subscription, stage 5 (max(2, floor(20%)))', context({ callPortLimit: 4 }), 4],
    ['subscription, stage 6', context({ callPortLimit: 2, unlicensed: true }), 2],
    [
      'subscription, account cap below the licensed number',
      context({ caps: new Map([[CALL_PORT_KEY, 5]]) }),
      5,
    ],
    ['subscription, account cap above it', context({ caps: new Map([[CALL_PORT_KEY, 50]]) }), 20],
    [
      'perpetual ignores account caps',
      context({ model: 'PERPETUAL', caps: new Map([[CALL_PORT_KEY, 5]]) }),
      20,
    ],
    ['no file loaded', context({ model: null }), 0],
  ])('%s', (_label, limits, expected) => {
    expect(effectiveLimit(CALL_PORT_KEY, licensed(20), limits)).toBe(expected);
  });

  it('call ports not in the file admit no call; other subscription pools stay uncapped', () => {
    expect(effectiveLimit(CALL_PORT_KEY, { inFile: false, fileTotal: 0 }, context())).toBe(0);
    expect(effectiveLimit('I3_ACCESS_CLIENT', licensed(20), context())).toBeNull();
  });
});
