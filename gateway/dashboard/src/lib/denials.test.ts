import { type DenialEntry, groupDenials, licenceOfKey } from './denials.js';

const denial = (id: string, over: Partial<DenialEntry>): DenialEntry => ({
  id,
  key: 'I3_ACCESS_CLIENT_CONCURRENT',
  userId: null,
  stationId: null,
  application: 'Interaction Desktop',
  reason: 'EXHAUSTED',
  occurredAt: '2026-12-06T22:40:41.000Z',
  ...over,
});

describe('the denial report for people', () => {
  it('names licences as the statistics table does', () => {
    expect(licenceOfKey('I3_ACCESS_CLIENT_CONCURRENT')).toBe('I3_ACCESS_CLIENT');
    expect(licenceOfKey('I3_LICENSE_BASIC_STATION')).toBe('I3_LICENSE_BASIC_STATION');
  });

  it('lists a person refused two concurrent licences in one logon once, with both licences', () => {
    const grouped = groupDenials([
      denial('1', { userId: 'agent-24', occurredAt: '2026-12-06T22:40:42.000Z' }),
      denial('2', {
        userId: 'agent-24',
        key: 'I3_ACCESS_ACD_MEDIA_1_CONCURRENT',
        occurredAt: '2026-12-06T22:40:42.000Z',
      }),
      denial('3', { userId: 'agent-23', occurredAt: '2026-12-06T22:40:41.000Z' }),
    ]);
    expect(grouped.map((g) => g.userId)).toEqual(['agent-24', 'agent-23']);
    expect(grouped[0]?.licences).toEqual([
      { key: 'I3_ACCESS_ACD_MEDIA_1', count: 1 },
      { key: 'I3_ACCESS_CLIENT', count: 1 },
    ]);
  });

  it('counts the same licence refused again instead of repeating the person, newest time kept', () => {
    const grouped = groupDenials([
      denial('1', { userId: 'u', occurredAt: '2026-12-06T22:00:00.000Z' }),
      denial('2', { userId: 'u', occurredAt: '2026-12-06T22:05:00.000Z', reason: 'SUPERVISOR_DISABLED' }),
      denial('3', {
        stationId: 's',
        key: 'I3_LICENSE_BASIC_STATION',
        occurredAt: '2026-12-06T21:00:00.000Z',
      }),
      denial('4', { occurredAt: '2026-12-06T20:00:00.000Z' }),
      denial('5', { occurredAt: '2026-12-06T20:00:00.000Z' }),
    ]);
    expect(grouped).toHaveLength(4);
    expect(grouped[0]).toMatchObject({
      userId: 'u',
      latest: '2026-12-06T22:05:00.000Z',
      licences: [{ key: 'I3_ACCESS_CLIENT', count: 2 }],
      reasons: ['EXHAUSTED', 'SUPERVISOR_DISABLED'],
    });
    expect(grouped[1]).toMatchObject({
      stationId: 's',
      licences: [{ key: 'I3_LICENSE_BASIC_STATION', count: 1 }],
    });
  });
});
