import { decodeCursor, encodeCursor, pageSize, toConnection } from './pagination.js';

describe('cursor pagination helpers', () => {
  it('round-trips a cursor of a time and an id, opaque to the client', () => {
    const cursor = encodeCursor(new Date('2026-12-07T03:00:00Z'), 'k-1');
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual({ key: Date.parse('2026-12-07T03:00:00Z'), id: 'k-1' });
  });

  it.each(['', 'not a cursor!', Buffer.from('{"a":1}').toString('base64url'), 'x'.repeat(600)])(
    'refuses a cursor it did not give out (%s) with BAD_USER_INPUT on after',
    (cursor) => {
      expect(() => decodeCursor(cursor)).toThrow(
        expect.objectContaining({
          extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'after' }),
        }),
      );
    },
  );

  it('bounds first and builds pageInfo from one row more than the page', () => {
    expect(pageSize(undefined)).toBe(50);
    expect(() => pageSize(0)).toThrow('first must be between 1 and 200');
    expect(() => pageSize(201)).toThrow('first must be between 1 and 200');
    const rows = [1, 2, 3].map((n) => ({ id: `r${n}`, at: n }));
    const page = toConnection(rows, 2, (r) => ({ key: r.at, id: r.id }));
    expect(page.edges.map((e) => e.node.id)).toEqual(['r1', 'r2']);
    expect(page.pageInfo).toEqual({ hasNextPage: true, endCursor: encodeCursor(2, 'r2') });
    expect(toConnection(rows, 3, (r) => ({ key: r.at, id: r.id })).pageInfo.hasNextPage).toBe(false);
  });
});
