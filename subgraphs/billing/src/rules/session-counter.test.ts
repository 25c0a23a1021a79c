import { DomainError } from '@lic/shared';
import { type SessionEvent, SessionCounter, countSessions } from './session-counter.js';

const JOHN_LICENSES = ['I3_CLIENT_ACCESS', 'I3_ACCESS_ACD_MEDIA_1', 'I3_ACCESS_RECORDER'];
const at = (hhmm: string): Date => new Date(`2020-05-04T${hhmm}:00.000Z`);
const ev = (
  type: SessionEvent['type'],
  hhmm: string,
  application = 'Connect',
  extra: Partial<SessionEvent> = {},
) => ({ type, occurredAt: at(hhmm), application, licenses: JOHN_LICENSES, ...extra }) satisfies SessionEvent;

// The reference's John Smith table, in its row order.
const JOHN: SessionEvent[] = [
  ev('logon', '08:00', 'ICBM'),
  ev('logon', '08:30', 'Connect'),
  ev('logoff', '15:00', 'ICBM'),
  ev('logon', '15:30', 'Desktop'),
  ev('logoff', '16:00', 'Connect'),
  ev('logoff', '16:30', 'Desktop'),
];

const summary = (events: SessionEvent[]) => {
  const result = countSessions(events);
  return {
    counters: result.steps.map((s) => s.counter),
    sessions: result.sessions.map((s) => [
      s.start.toISOString().slice(11, 16),
      s.end?.toISOString().slice(11, 16),
    ]),
  };
};

describe('countSessions', () => {
  it('reproduces the John Smith table exactly', () => {
    const result = countSessions(JOHN);
    expect(
      result.steps.map((s) => [s.event.occurredAt.toISOString().slice(11, 16), s.counter, s.active]),
    ).toEqual([
      ['08:00', 1, true],
      ['08:30', 2, true],
      ['15:00', 1, true],
      ['15:30', 2, true],
      ['16:00', 1, true],
      ['16:30', 0, false],
    ]);
    expect(result.sessions).toEqual([{ start: at('08:00'), end: at('16:30'), licenses: JOHN_LICENSES }]);
    expect(result.counter).toBe(0);
  });

  it('gives the same answer for the events in any order', () => {
    const reversed = [...JOHN].reverse();
    const shuffled = [JOHN[3], JOHN[0], JOHN[5], JOHN[1], JOHN[4], JOHN[2]] as SessionEvent[];
    expect(summary(reversed)).toEqual(summary(JOHN));
    expect(summary(shuffled)).toEqual(summary(JOHN));
  });

  it.each<[string, SessionEvent[], number[], Array<[string, string | undefined]>]>([
    [
      'an application switch in the same instant stays one session (logons first)',
      [
        ev('logon', '08:00', 'A'),
        ev('logoff', '12:00', 'A'),
        ev('logon', '12:00', 'B'),
        ev('logoff', '17:00', 'B'),
      ],
      [1, 2, 1, 0],
      [['08:00', '17:00']],
    ],
    [
      'a logon and logoff in the same instant leave no session and no open counter',
      [ev('logoff', '09:00'), ev('logon', '09:00')],
      [1, 0],
      [],
    ],
    [
      'a logoff with the counter at 0 is ignored and never makes it negative',
      [ev('logoff', '07:00'), ev('logoff', '07:30'), ev('logon', '08:00'), ev('logoff', '09:00')],
      [0, 0, 1, 0],
      [['08:00', '09:00']],
    ],
    [
      'one more logoff than logons does not swallow the next session',
      [
        ev('logon', '08:00'),
        ev('logoff', '09:00'),
        ev('logoff', '09:30'),
        ev('logon', '10:00'),
        ev('logoff', '11:00'),
      ],
      [1, 0, 0, 1, 0],
      [
        ['08:00', '09:00'],
        ['10:00', '11:00'],
      ],
    ],
    [
      'a session still going has no end',
      [ev('logon', '08:00'), ev('logon', '09:00'), ev('logoff', '10:00')],
      [1, 2, 1],
      [['08:00', undefined]],
    ],
    ['no events, no sessions', [], [], []],
  ])('%s', (_name, events, counters, sessions) => {
    expect(summary(events)).toEqual({ counters, sessions });
  });

  it('counts a replayed event id once', () => {
    const logon = ev('logon', '08:00', 'A', { eventId: 'e1' });
    const result = countSessions([logon, { ...logon }, ev('logoff', '09:00', 'A', { eventId: 'e2' })]);
    expect(result.steps.map((s) => [s.outcome, s.counter])).toEqual([
      ['counted', 1],
      ['duplicate', 1],
      ['counted', 0],
    ]);
    expect(result.sessions).toHaveLength(1);
  });

  it('marks the ignored logoff', () => {
    expect(countSessions([ev('logoff', '08:00')]).steps[0]?.outcome).toBe('ignored');
  });

  it('collects every licence applied during the session', () => {
    const result = countSessions([
      ev('logon', '08:00', 'A', { licenses: ['I3_CLIENT_ACCESS'] }),
      ev('logon', '09:00', 'B', { licenses: ['I3_CLIENT_ACCESS', 'I3_ACCESS_FEEDBACK'] }),
      ev('logoff', '10:00', 'A', { licenses: ['I3_CLIENT_ACCESS', 'I3_ACCESS_FEEDBACK'] }),
      ev('logoff', '11:00', 'B', { licenses: ['I3_CLIENT_ACCESS'] }),
      ev('logon', '12:00', 'A', { licenses: ['I3_CLIENT_ACCESS'] }),
      ev('logoff', '13:00', 'A', { licenses: ['I3_CLIENT_ACCESS'] }),
    ]);
    expect(result.sessions.map((s) => s.licenses)).toEqual([
      ['I3_CLIENT_ACCESS', 'I3_ACCESS_FEEDBACK'],
      ['I3_CLIENT_ACCESS'],
    ]);
  });

  it('marks a session telephone-only when any of its logons was (open or closed), and only that session', () => {
    const result = countSessions([
      ev('logon', '08:00', 'Telephone', { licenses: [], telephoneOnly: true }),
      ev('logoff', '09:00', 'Telephone', { licenses: [] }),
      ev('logon', '10:00', 'Connect'),
      ev('logoff', '11:00', 'Connect'),
      ev('logon', '12:00', 'Telephone', { licenses: [], telephoneOnly: true }),
    ]);
    expect(result.sessions.map((s) => s.telephoneOnly === true)).toEqual([true, false, true]);
    expect(result.sessions[1]).not.toHaveProperty('telephoneOnly');
  });

  it('refuses an event with an invalid time or type', () => {
    expect(() => countSessions([{ type: 'logon', occurredAt: new Date('x') }])).toThrow(DomainError);
    expect(() =>
      countSessions([
        { type: 'logout' as SessionEvent['type'], occurredAt: at('08:00') },
        ev('logon', '09:00'),
      ]),
    ).toThrow(DomainError);
  });
});

describe('SessionCounter', () => {
  it('refuses events out of time order, but still recognises a late replay', () => {
    const counter = new SessionCounter();
    counter.apply(ev('logon', '08:00', 'A', { eventId: 'e1' }));
    counter.apply(ev('logon', '09:00', 'B', { eventId: 'e2' }));
    expect(counter.apply(ev('logon', '08:00', 'A', { eventId: 'e1' })).step.outcome).toBe('duplicate');
    expect(() => counter.apply(ev('logoff', '08:30', 'A', { eventId: 'e3' }))).toThrow(DomainError);
    expect(counter.counter).toBe(2);
    expect(counter.open?.start).toEqual(at('08:00'));
  });

  it('reports the session it closes', () => {
    const counter = new SessionCounter();
    expect(counter.apply(ev('logon', '08:00')).closed).toBeNull();
    expect(counter.apply(ev('logoff', '09:00')).closed).toEqual({
      start: at('08:00'),
      end: at('09:00'),
      licenses: JOHN_LICENSES,
    });
    expect(counter.open).toBeNull();
  });
});
