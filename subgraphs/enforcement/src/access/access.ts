import {
  type Principal,
  forbidden,
  canSeeAccount as policyCanSeeAccount,
  canSeeServer as policyCanSeeServer,
  isLicensingAdmin,
  isMachine,
  isMachineFor,
  notFound,
  requirePrincipal,
} from '@lic/shared';

/** What tenant scoping needs to know about a server (enforcement's rows name it serverId). */
export interface ServerTenancy {
  serverId: string;
  accountId: string;
}

/** The shared tenant-access policy on one of enforcement's server rows. */
export function canSeeServer(principal: Principal, server: ServerTenancy): boolean {
  return policyCanSeeServer(principal, { id: server.serverId, accountId: server.accountId });
}

/** Whether the caller may watch a whole account (a machine credential may not). */
export function canSeeAccount(principal: Principal, accountId: string): boolean {
  return policyCanSeeAccount(principal, accountId);
}

/** The row if the caller may see it; NOT_FOUND or FORBIDDEN otherwise. */
export function assertCanSeeServer<T extends ServerTenancy>(
  principal: Principal | undefined,
  row: T | null,
  serverId: string,
): T {
  const p = requirePrincipal(principal);
  if (!row) throw notFound('Server', serverId);
  if (!canSeeServer(p, row)) throw forbidden('This server belongs to another tenant');
  return row;
}

/** Check-ins come from the server itself (its machine credential) or from the licensing team. */
export function assertMayRecordCheckIn(principal: Principal | undefined, serverId: string): Principal {
  const p = requirePrincipal(principal);
  if (isLicensingAdmin(p) || isMachineFor(p, serverId)) return p;
  if (!isMachine(p)) throw forbidden('Only a server or the licensing team records check-ins');
  throw forbidden('This machine credential is for another server');
}
