import {
  assignableFull,
  changedKeys,
  concurrentFullness,
  freeForLogon,
  freeToAssign,
  fullestLicence,
  fullLicences,
  limitText,
  newDenials,
  rowNote,
  sortRows,
  type StatisticRow,
  totals,
} from './statistics.js';

const row = (key: string, over: Partial<StatisticRow> = {}): StatisticRow => ({
  key,
  assignableAllowed: 0,
  assignableConfigured: 0,
  concurrentAllowed: 5,
  concurrentConfigured: 3,
  concurrentInUse: 0,
  available: 5,
  peakInUse: 0,
  denials: 0,
  note: null,
  ...over,
});

describe('statistics rows', () => {
  it('names the rows that changed between two updates', () => {
    const before = [row('A'), row('B')];
    const after = [row('A', { concurrentInUse: 1, available: 4 }), row('B'), row('C')];
    expect(changedKeys(before, after)).toEqual(['A', 'C']);
  });

  it('notes the denials that happened in between, per licence', () => {
    const before = [row('A', { denials: 2 }), row('B')];
    const after = [row('A', { denials: 5 }), row('B'), row('C', { denials: 1 })];
    expect(newDenials(before, after, 42)).toEqual([{ key: 'A', count: 3, seenAt: 42 }]);
  });

  it('adds up concurrent licences, uncapped as soon as one pool is', () => {
    expect(totals([row('A', { concurrentInUse: 2 }), row('B', { concurrentInUse: 1, denials: 4 })])).toEqual({
      inUse: 3,
      allowed: 10,
      denials: 4,
    });
    expect(totals([row('A'), row('B', { concurrentAllowed: null })]).allowed).toBeNull();
  });

  it('sorts by key and writes uncapped limits in words', () => {
    expect(sortRows([row('B'), row('A')]).map((r) => r.key)).toEqual(['A', 'B']);
    expect(limitText(null)).toBe('no cap');
    expect(limitText(0)).toBe('0');
  });

  // The pool of the screenshot: 20 of 20 concurrent in use, 10 assignable allowed, none assigned.
  const mediaFull = row('I3_ACCESS_ACD_MEDIA_1', {
    assignableAllowed: 10,
    assignableConfigured: 0,
    assignableInUse: 0,
    concurrentAllowed: 20,
    concurrentConfigured: 40,
    concurrentInUse: 20,
    available: 10,
  });

  it('reads a full concurrent pool as full: no seat for a logon, spare assignable licences apart', () => {
    expect(freeForLogon(mediaFull)).toBe(0);
    expect(freeToAssign(mediaFull)).toBe(10);
    expect(concurrentFullness(mediaFull)).toEqual({ state: 'full', ratio: 1 });
    expect(concurrentFullness(row('A', { concurrentInUse: 4 })).state).toBe('near');
    expect(concurrentFullness(row('A', { concurrentInUse: 3 })).state).toBe('ok');
    expect(concurrentFullness(row('A', { concurrentAllowed: null })).state).toBe('uncapped');
    expect(freeForLogon(row('A', { concurrentAllowed: null }))).toBeNull();
    // A licence with no concurrent pool at all has nothing to say about logons.
    expect(freeForLogon(row('A', { concurrentAllowed: 0, concurrentConfigured: 0 }))).toBeUndefined();
    expect(concurrentFullness(row('A', { concurrentAllowed: 0, concurrentConfigured: 0 })).state).toBe(
      'none',
    );
  });

  it('counts what an assignment can get from the assignable pool alone', () => {
    const plugins = row('P', { assignableAllowed: 2, assignableConfigured: 2, assignableInUse: 2 });
    expect(freeToAssign(plugins)).toBe(0);
    expect(assignableFull(plugins)).toBe(true);
    expect(assignableFull(mediaFull)).toBe(false);
    expect(freeToAssign(row('U', { assignableAllowed: null }))).toBeNull();
  });

  it('heads the tiles with the fullest licence instead of adding licences a person holds together', () => {
    const client = row('I3_ACCESS_CLIENT', {
      concurrentAllowed: 20,
      concurrentInUse: 20,
      concurrentConfigured: 40,
    });
    const half = row('I3_OTHER', { concurrentAllowed: 10, concurrentInUse: 5 });
    expect(fullestLicence([half, mediaFull, client])).toEqual({
      key: 'I3_ACCESS_ACD_MEDIA_1',
      inUse: 20,
      allowed: 20,
      ratio: 1,
    });
    expect(fullLicences([half, mediaFull, client])).toEqual(['I3_ACCESS_ACD_MEDIA_1', 'I3_ACCESS_CLIENT']);
    expect(fullestLicence([row('A', { concurrentAllowed: null, concurrentInUse: 3 })])).toMatchObject({
      inUse: 3,
      allowed: null,
    });
  });

  it('keeps the subscription remark out of the row notes, and the other notes in', () => {
    expect(rowNote(row('A', { note: 'Subscription: uncapped, usage is billed' }))).toBeNull();
    expect(
      rowNote(
        row('A', {
          note: '6 concurrent in use exceeds the 5 allowed; Subscription: uncapped, usage is billed',
        }),
      ),
    ).toBe('6 concurrent in use exceeds the 5 allowed');
  });
});
