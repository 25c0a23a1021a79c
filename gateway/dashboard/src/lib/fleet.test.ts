import { fleetCounts, rankFleet, recentTotals, summariseServers } from './fleet.js';
import { type StatisticRow } from './statistics.js';

const row = (key: string, over: Partial<StatisticRow> = {}): StatisticRow => ({
  key,
  assignableAllowed: 0,
  assignableConfigured: 0,
  concurrentAllowed: 10,
  concurrentConfigured: 10,
  concurrentInUse: 0,
  peakInUse: 0,
  denials: 0,
  ...over,
});

describe('the fleet ranking', () => {
  const servers = [
    { id: 's1', name: 'acme-1', accountId: 'a', accountName: 'Acme' },
    { id: 's2', name: 'initech', accountId: 'i', accountName: 'Initech' },
  ];

  it('puts exhausted licences first, then nearly exhausted, then by share in use, across servers', () => {
    const rows = new Map([
      [
        's1',
        [
          row('HALF', { concurrentInUse: 5 }),
          row('NEAR', { concurrentInUse: 9 }),
          row('NO_POOL', { concurrentAllowed: 0, concurrentConfigured: 0 }),
          row('FREE_FOR_ALL', { concurrentAllowed: null, concurrentInUse: 0 }),
        ],
      ],
      [
        's2',
        [
          row('FULL', { concurrentInUse: 10, denials: 4 }),
          row('BUSY_UNCAPPED', { concurrentAllowed: null, concurrentInUse: 3 }),
          row('QUIET', { concurrentInUse: 1 }),
        ],
      ],
    ]);
    const lines = rankFleet(servers, rows);
    expect(lines.map((l) => `${l.serverName}/${l.key}`)).toEqual([
      'initech/FULL',
      'acme-1/NEAR',
      'acme-1/HALF',
      'initech/QUIET',
      'initech/BUSY_UNCAPPED',
    ]);
    expect(lines[0]).toMatchObject({ free: 0, state: 'full', accountName: 'Initech', denials: 4 });
    expect(fleetCounts(lines)).toEqual({ full: 1, near: 1 });
  });

  it('ranks equally full licences by refusals in the last hour, then the last day, then ever', () => {
    const rows = new Map([
      [
        's1',
        [
          row('EVER', { concurrentInUse: 5, denials: 9 }),
          row('TODAY', { concurrentInUse: 5, denials: 2 }),
          row('NOW', { concurrentInUse: 5, denials: 1 }),
        ],
      ],
    ]);
    const recent = new Map([
      [
        's1',
        new Map([
          ['TODAY', { lastHour: 0, lastDay: 2 }],
          ['NOW', { lastHour: 1, lastDay: 1 }],
        ]),
      ],
    ]);
    const lines = rankFleet(servers.slice(0, 1), rows, recent);
    expect(lines.map((l) => [l.key, l.recent])).toEqual([
      ['NOW', { lastHour: 1, lastDay: 1 }],
      ['TODAY', { lastHour: 0, lastDay: 2 }],
      ['EVER', { lastHour: 0, lastDay: 0 }],
    ]);
    expect(recentTotals(lines)).toEqual({ lastHour: 1, lastDay: 3 });
    // Another server's figures not yet arrived: no total rather than a wrong one.
    const both = rankFleet(servers, new Map([...rows, ['s2', [row('X', { concurrentInUse: 1 })]]]), recent);
    expect(recentTotals(both)).toBeUndefined();
  });

  it('has nothing to rank for a server whose statistics have not arrived', () => {
    expect(rankFleet(servers, new Map())).toEqual([]);
  });

  it('sums each server up: exhausted and nearly exhausted licences, the fullest, and whether a file is loaded', () => {
    const rows = new Map([
      [
        's1',
        [
          row('A', { concurrentInUse: 10 }),
          row('B', { concurrentInUse: 9 }),
          row('C', { concurrentInUse: 10 }),
        ],
      ],
      ['s2', []],
    ]);
    const lines = rankFleet(servers, rows);
    const [acme, initech] = summariseServers(servers, rows, lines);
    expect(acme).toMatchObject({ full: 2, near: 1, loaded: true, licensed: true });
    expect(acme?.fullest?.key).toBe('A');
    expect(initech).toMatchObject({ full: 0, near: 0, fullest: undefined, loaded: true, licensed: false });
    expect(summariseServers(servers, new Map(), [])[0]).toMatchObject({ loaded: false });
  });
});
