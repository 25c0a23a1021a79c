import type { ErrorCode } from '@lic/shared';

/*
 * Rules return violations instead of throwing, so a table test reads as input → code and the
 * service decides how to fail (a DomainError with these fields as extensions). Only the type
 * comes from @lic/shared: its barrel pulls in the database and auth stacks, and pure rules must
 * load without them.
 */

export interface RuleViolation {
  ok: false;
  code: ErrorCode;
  message: string;
  /** The licence key at fault, when one is. */
  key?: string;
  /** The input field at fault, for BAD_USER_INPUT. */
  field?: string;
}

export type RuleCode = Extract<
  ErrorCode,
  | 'BAD_USER_INPUT'
  | 'LICENSE_EXHAUSTED'
  | 'ALLOCATION_METHOD_CONFLICT'
  | 'STATION_ONLY_LICENSE'
  | 'CONCURRENT_NOT_ALLOWED_FOR_STATIONS'
  | 'MISSING_PREREQUISITE'
  | 'CLIENT_ACCESS_UNAVAILABLE'
  | 'DYNAMIC_REMOTE_REJECTED'
>;

export function violation(
  code: RuleCode,
  message: string,
  where: { key?: string; field?: string } = {},
): RuleViolation {
  return { ok: false, code, message, ...where };
}

/** What a service passes as DomainError extensions alongside the code. */
export function violationDetails(v: RuleViolation): Record<string, string> {
  return {
    ...(v.key === undefined ? {} : { key: v.key }),
    ...(v.field === undefined ? {} : { field: v.field }),
  };
}
