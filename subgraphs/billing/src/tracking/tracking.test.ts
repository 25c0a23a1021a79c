import { trackingModeOf } from './tracking-mode.js';
import { clipToWindows, modeAt, trackingWindows } from './tracking-windows.js';

describe('trackingModeOf', () => {
  it.each<[string, Record<string, number> | string[], string]>([
    ['automated upload', { I3_FEATURE_USAGE_TRACKING_UPLOAD: 1 }, 'AUTOMATED'],
    ["the reference's other spelling", ['I3_FEATURE_USAGE_TRACKING'], 'AUTOMATED'],
    ['manual upload', { I3_FEATURE_USAGE_TRACKING_LOCAL: 1 }, 'MANUAL'],
    [
      'LOCAL prevents the automatic upload',
      { I3_FEATURE_USAGE_TRACKING_UPLOAD: 1, I3_FEATURE_USAGE_TRACKING_LOCAL: 1 },
      'MANUAL',
    ],
    [
      'virtual cloud requires the automated upload',
      { I3_FEATURE_VIRTUAL_CLOUD: 1, I3_FEATURE_USAGE_TRACKING_LOCAL: 1 },
      'AUTOMATED',
    ],
    ['no tracking key', { I3_ACCESS_CLIENT: 50, I3_ACCESS_ACD_MEDIA_1: 10 }, 'NONE'],
    ['a key with quantity 0 is not held', { I3_FEATURE_USAGE_TRACKING_UPLOAD: 0 }, 'NONE'],
    ['nothing', {}, 'NONE'],
  ])('%s → %s', (_name, keys, mode) => {
    expect(trackingModeOf(keys)).toBe(mode);
  });
});

describe('tracking windows', () => {
  const loads = [
    { loadedAt: 300, mode: 'NONE' as const },
    { loadedAt: 100, mode: 'AUTOMATED' as const },
    { loadedAt: 200, mode: 'AUTOMATED' as const },
    { loadedAt: 400, mode: 'MANUAL' as const },
  ];

  it('rules from each load until the next, in any order, merging reloads of the same mode', () => {
    expect(trackingWindows(loads)).toEqual([
      { from: 100, to: 300, mode: 'AUTOMATED' },
      { from: 400, to: null, mode: 'MANUAL' },
    ]);
    expect(trackingWindows([])).toEqual([]);
  });

  it('tells the mode in force at an instant', () => {
    const windows = trackingWindows(loads);
    expect([50, 100, 299, 300, 399, 400, 10_000].map((t) => modeAt(windows, t))).toEqual([
      'NONE',
      'AUTOMATED',
      'AUTOMATED',
      'NONE',
      'NONE',
      'MANUAL',
      'MANUAL',
    ]);
  });

  it('clips a session to the windows', () => {
    const windows = trackingWindows(loads);
    expect(clipToWindows(windows, 50, 350)).toEqual([{ start: 100, end: 300 }]);
    expect(clipToWindows(windows, 250, null)).toEqual([
      { start: 250, end: 300 },
      { start: 400, end: null },
    ]);
    expect(clipToWindows(windows, 300, 400)).toEqual([]);
  });
});
