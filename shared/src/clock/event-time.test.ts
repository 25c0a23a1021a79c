import { DomainError } from '../errors/errors.js';
import { assertNotInFuture } from './event-time.js';

const NOW = new Date('2026-12-06T12:00:00.000Z');
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs);

describe('assertNotInFuture (a future-dated event is refused; nothing changes)', () => {
  it.each([
    ['in the past', -3_600_000, 300],
    ['now', 0, 300],
    ['exactly the tolerance ahead', 300_000, 300],
    ['now, with no tolerance', 0, 0],
  ])('accepts an event %s', (_name, offsetMs, tolerance) => {
    expect(() => assertNotInFuture(at(offsetMs), NOW, tolerance)).not.toThrow();
  });

  it.each([
    ['one millisecond beyond the tolerance', 300_001, 300],
    ['one second beyond the tolerance', 301_000, 300],
    ['dated 2099', new Date('2099-01-01T00:00:00Z').getTime() - NOW.getTime(), 300],
    ['a second ahead with no tolerance', 1000, 0],
  ])('refuses an event %s with EVENT_IN_FUTURE', (_name, offsetMs, tolerance) => {
    let error: unknown;
    try {
      assertNotInFuture(at(offsetMs), NOW, tolerance);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).extensions).toMatchObject({
      code: 'EVENT_IN_FUTURE',
      field: 'occurredAt',
      latestAccepted: at(tolerance * 1000).toISOString(),
    });
  });

  it('refuses an invalid instant as bad input', () => {
    expect(() => assertNotInFuture(new Date(Number.NaN), NOW, 300)).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }),
    );
  });
});
