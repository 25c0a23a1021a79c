import { type LicenseModel } from '@lic/shared';
import { violation, type RuleViolation } from './violation.js';

/*
 * Pool arithmetic (docs/domain.md section 2, caps). The atomic conditional update that makes these
 * decisions safe under concurrency lives in the service; these functions say what the update's
 * condition is, so the two cannot drift apart.
 */

export type { LicenseModel };

export interface PoolLimitInput {
  model: LicenseModel;
  /** The quantity the loaded activation file grants for the key. */
  fileTotal: number;
  /** A subscription account's own cap for the key (MyCloud), if it set one. */
  accountCap?: number | null;
}

/**
 * The most holders a pool admits, or null when it is uncapped. A subscription pool without an
 * account cap admits anyone (usage is billed); with one it is bounded by that cap alone, since
 * the cap is the account's own bill limit and the file's quantity is not a purchase there.
 */
export function poolLimit({ model, fileTotal, accountCap }: PoolLimitInput): number | null {
  if (model === 'PERPETUAL') return fileTotal;
  return accountCap ?? null;
}

/**
 * A pool admits one more holder while it is under its total. Comparing with `<` (not testing
 * for equality) matters: after a smaller file is loaded, holders above the new total keep their
 * licences, and nothing new is acquired until enough have been released.
 */
export function canAcquire(inUse: number, total: number, capped: boolean): boolean {
  return hasRoom(inUse, capped ? total : null);
}

/** The pool rule itself: a pool with `limit` (null: uncapped) admits one more holder. */
export function hasRoom(inUse: number, limit: number | null): boolean {
  return limit === null || inUse < limit;
}

/**
 * `hasRoom` over a `license_pool` row, as SQL (both engines; `alias` the table's alias in the
 * statement, if any). Every statement that takes a licence or asks whether one is free uses it,
 * and so does the MariaDB procedure of the logon path (the allocation_member_pools procedure;
 * pool/pool-rule.test.ts checks the procedure in the database against this text and the SQL
 * against `hasRoom`).
 */
export function poolHasRoomSql(alias?: string): string {
  const c = alias ? `${alias}.` : '';
  return `(${c}limit_total IS NULL OR ${c}in_use < ${c}limit_total)`;
}

export interface AcquireCheck {
  key: string;
  inUse: number;
  /** The pool's limit; null when uncapped (see poolLimit). */
  limit: number | null;
}

/** The guard an assignment (or a logon that must have the key) runs before taking a licence. */
export function checkAcquire({ key, inUse, limit }: AcquireCheck): RuleViolation | null {
  if (limit === null || canAcquire(inUse, limit, true)) return null;
  return violation('LICENSE_EXHAUSTED', `No ${key} licence is available: ${inUse} of ${limit} in use`, {
    key,
  });
}
