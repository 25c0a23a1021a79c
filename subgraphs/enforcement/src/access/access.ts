import {
  type Principal,
  type SoldTo,
  type TenantScope,
  forbidden,
  canSeeAccount as policyCanSeeAccount,
  canSeeServer as policyCanSeeServer,
  isMachine,
  isMachineFor,
  notFound,
  requirePrincipal,
  unauthenticated,
} from '@lic/shared';

/** The subject of a machine credential allocation issues: `server-credential:<credentialId>`. */
export const SERVER_CREDENTIAL_SUBJECT_PREFIX = 'server-credential:';

/** What tenant scoping needs to know about a server (enforcement's rows name it serverId). */
export interface ServerTenancy {
  serverId: string;
  accountId: string;
}

/** The shared tenant-access policy on one of enforcement's server rows. */
export function canSeeServer(principal: Principal, server: ServerTenancy, soldTo: SoldTo = []): boolean {
  return policyCanSeeServer(principal, { id: server.serverId, accountId: server.accountId }, soldTo);
}

/** Whether the caller may watch a whole account (a machine credential may not). */
export function canSeeAccount(principal: Principal, accountId: string, soldTo: SoldTo = []): boolean {
  return policyCanSeeAccount(principal, accountId, soldTo);
}

/** The row if the caller may see it (a partner its customers' too); NOT_FOUND or FORBIDDEN otherwise. */
export async function assertCanSeeServer<T extends ServerTenancy>(
  tenant: TenantScope,
  row: T | null,
  serverId: string,
): Promise<T> {
  const p = requirePrincipal(tenant.principal);
  if (!row) throw notFound('Server', serverId);
  if (!canSeeServer(p, row, await tenant.soldToFor(row.accountId)))
    throw forbidden('This server belongs to another tenant');
  return row;
}

/**
 * A check-in is the server asking, with its own machine credential, for the platform's verdict:
 * nobody else checks in for it (the licensing team overrides instead, on the record).
 */
export function assertMayCheckIn(principal: Principal | undefined, serverId: string): Principal {
  const p = requirePrincipal(principal);
  if (isMachineFor(p, serverId)) return p;
  if (!isMachine(p)) throw forbidden("Only the server's own machine credential checks in");
  throw forbidden('This machine credential is for another server');
}

/** A machine credential replaced by a newer one no longer speaks for the server. */
export function assertCredentialInForce(principal: Principal, credentialId: string | null): void {
  if (credentialId === null || !principal.sub.startsWith(SERVER_CREDENTIAL_SUBJECT_PREFIX)) return;
  if (principal.sub.slice(SERVER_CREDENTIAL_SUBJECT_PREFIX.length) !== credentialId)
    throw unauthenticated('This machine credential was replaced by a newer one');
}
