/** The two ways a user's licences are drawn (docs/domain.md section 2); stations are always ASSIGNED. */
export const ALLOCATION_METHODS = ['ASSIGNED', 'CONCURRENT'] as const;
export type AllocationMethod = (typeof ALLOCATION_METHODS)[number];

export const STATION_KINDS = [
  'WORKSTATION',
  'MANAGED_WORKSTATION',
  'STAND_ALONE_FAX',
  'STAND_ALONE_PHONE',
  'REMOTE',
  'DYNAMIC_REMOTE',
] as const;
export type StationKind = (typeof STATION_KINDS)[number];

export function isAllocationMethod(value: unknown): value is AllocationMethod {
  return (ALLOCATION_METHODS as readonly unknown[]).includes(value);
}

export function isStationKind(value: unknown): value is StationKind {
  return (STATION_KINDS as readonly unknown[]).includes(value);
}
