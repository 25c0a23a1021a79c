import { CATEGORY_MAPPING_2020R1 } from '../rules/categories.js';
import { countSessions } from '../rules/session-counter.js';
import { type TrackingWindow } from '../tracking/tracking-windows.js';
import { categoriesOf } from './category-mask.js';
import { piecesOf } from './session-pieces.js';

const ALWAYS: TrackingWindow[] = [{ from: 0, to: null, mode: 'AUTOMATED' }];
const ms = (iso: string) => Date.parse(iso);
const session = (start: string, end: string | null, licenses: string[] = ['I3_ACCESS_CLIENT']) => ({
  start: new Date(start),
  end: end === null ? null : new Date(end),
  licenses,
});
const iso = (n: number | null) => (n === null ? null : new Date(n).toISOString());
const view = (sessions: ReturnType<typeof session>[], windows = ALWAYS) =>
  piecesOf(sessions, windows, CATEGORY_MAPPING_2020R1).pieces.map((p) => [
    iso(p.periodStart),
    iso(p.startAt),
    iso(p.endAt),
  ]);

describe('piecesOf: billing period boundaries', () => {
  it('keeps a session ending at 27th 23:59 in its period and one starting on the 28th 00:00 in the next', () => {
    expect(view([session('2020-05-27T23:00:00Z', '2020-05-27T23:59:00Z')])).toEqual([
      ['2020-04-28T00:00:00.000Z', '2020-05-27T23:00:00.000Z', '2020-05-27T23:59:00.000Z'],
    ]);
    expect(view([session('2020-05-28T00:00:00Z', '2020-05-28T01:00:00Z')])).toEqual([
      ['2020-05-28T00:00:00.000Z', '2020-05-28T00:00:00.000Z', '2020-05-28T01:00:00.000Z'],
    ]);
  });

  it('splits a session spanning the boundary so that it counts in both periods', () => {
    expect(view([session('2020-05-27T23:59:00Z', '2020-05-28T00:01:00Z')])).toEqual([
      ['2020-04-28T00:00:00.000Z', '2020-05-27T23:59:00.000Z', '2020-05-28T00:00:00.000Z'],
      ['2020-05-28T00:00:00.000Z', '2020-05-28T00:00:00.000Z', '2020-05-28T00:01:00.000Z'],
    ]);
  });

  it('crosses December into January within one period, and January 27 into the next', () => {
    expect(view([session('2020-12-31T23:00:00Z', '2021-01-01T01:00:00Z')])).toEqual([
      ['2020-12-28T00:00:00.000Z', '2020-12-31T23:00:00.000Z', '2021-01-01T01:00:00.000Z'],
    ]);
    expect(view([session('2021-01-27T23:30:00Z', '2021-01-28T00:30:00Z')])).toEqual([
      ['2020-12-28T00:00:00.000Z', '2021-01-27T23:30:00.000Z', '2021-01-28T00:00:00.000Z'],
      ['2021-01-28T00:00:00.000Z', '2021-01-28T00:00:00.000Z', '2021-01-28T00:30:00.000Z'],
    ]);
  });

  it('keeps a session still going as one open piece, reported as open', () => {
    const derived = piecesOf([session('2020-05-27T20:00:00Z', null)], ALWAYS, CATEGORY_MAPPING_2020R1);
    expect(derived.pieces.map((p) => [iso(p.periodStart), iso(p.endAt), iso(p.sessionEnd)])).toEqual([
      ['2020-04-28T00:00:00.000Z', null, null],
    ]);
    expect(derived.open).toEqual({
      start: ms('2020-05-27T20:00:00Z'),
      categories: derived.pieces[0]!.categories,
    });
  });

  it('clips to the tracking windows and classifies by every licence of the session', () => {
    const windows: TrackingWindow[] = [{ from: ms('2020-05-04T12:00:00Z'), to: null, mode: 'MANUAL' }];
    const { sessions } = countSessions([
      { type: 'logon', occurredAt: new Date('2020-05-04T08:00:00Z'), licenses: ['I3_ACCESS_CLIENT'] },
      {
        type: 'logon',
        occurredAt: new Date('2020-05-04T09:00:00Z'),
        licenses: ['I3_ACCESS_CLIENT', 'I3_ACCESS_ACD_MEDIA_1'],
      },
      { type: 'logoff', occurredAt: new Date('2020-05-04T10:00:00Z'), licenses: ['I3_ACCESS_CLIENT'] },
      { type: 'logoff', occurredAt: new Date('2020-05-04T17:00:00Z'), licenses: ['I3_ACCESS_CLIENT'] },
    ]);
    const { pieces } = piecesOf(sessions, windows, CATEGORY_MAPPING_2020R1);
    expect(
      pieces.map((p) => [
        iso(p.activeStart),
        iso(p.sessionStart),
        iso(p.sessionEnd),
        categoriesOf(p.categories),
      ]),
    ).toEqual([
      ['2020-05-04T08:00:00.000Z', '2020-05-04T12:00:00.000Z', '2020-05-04T17:00:00.000Z', ['AGENT']],
    ]);
  });
});
