import {
  type Principal,
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
