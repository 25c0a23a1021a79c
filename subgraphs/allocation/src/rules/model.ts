/*
 * The allocation vocabulary, stated once: the pure rules use it as it is, and the entities register
 * the same objects as the GraphQL enums `AllocationMethod` and `StationKind` (no database or
 * schema code here, so the rules stay light).
 */

/** The two ways a user's licences are drawn (docs/domain.md section 2); stations are always ASSIGNED. */
export const AllocationMethod = { ASSIGNED: 'ASSIGNED', CONCURRENT: 'CONCURRENT' } as const;
export type AllocationMethod = (typeof AllocationMethod)[keyof typeof AllocationMethod];
export const ALLOCATION_METHODS: readonly AllocationMethod[] = Object.values(AllocationMethod);

/** The station kinds of Interaction Administrator. */
export const StationKind = {
  WORKSTATION: 'WORKSTATION',
  MANAGED_WORKSTATION: 'MANAGED_WORKSTATION',
  STAND_ALONE_FAX: 'STAND_ALONE_FAX',
  STAND_ALONE_PHONE: 'STAND_ALONE_PHONE',
  REMOTE: 'REMOTE',
  DYNAMIC_REMOTE: 'DYNAMIC_REMOTE',
} as const;
export type StationKind = (typeof StationKind)[keyof typeof StationKind];
export const STATION_KINDS: readonly StationKind[] = Object.values(StationKind);

export function isAllocationMethod(value: unknown): value is AllocationMethod {
  return (ALLOCATION_METHODS as readonly unknown[]).includes(value);
}

export function isStationKind(value: unknown): value is StationKind {
  return (STATION_KINDS as readonly unknown[]).includes(value);
}
