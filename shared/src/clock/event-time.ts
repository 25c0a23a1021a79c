import { DomainError, ErrorCode, badInput } from '../errors/errors.js';

/**
 * Refuses a server's event time that lies more than `toleranceSeconds` ahead of the platform's
 * clock (EVENT_IN_FUTURE); exactly the tolerance ahead is accepted. A server's clock may drift
 * a little, but an event further ahead cannot have happened yet, and accepting it does harm:
 * a logon dated years ahead is never ended by a logoff of today, so its licences stay held.
 * Callers check before anything changes.
 */
export function assertNotInFuture(
  occurredAt: Date,
  now: Date,
  toleranceSeconds: number,
  field = 'occurredAt',
): void {
  const at = occurredAt.getTime();
  if (!Number.isFinite(at)) throw badInput(`${field} must be a valid instant`, field);
  const latest = now.getTime() + toleranceSeconds * 1000;
  if (at <= latest) return;
  throw new DomainError(
    ErrorCode.EVENT_IN_FUTURE,
    `${field} ${occurredAt.toISOString()} lies more than ${toleranceSeconds} s ahead of the platform's clock`,
    { field, occurredAt: occurredAt.toISOString(), latestAccepted: new Date(latest).toISOString() },
  );
}
