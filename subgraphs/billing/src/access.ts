import {
  type Principal,
  type Role,
  assertCanSeeAccount,
  forbidden,
  isMachine,
  isMachineFor,
  notFound,
  requireRole,
  serverRefusal,
} from '@lic/shared';
import { type BillingServer } from './account/billing-server.entity.js';

/** People who read usage: everyone but a server's machine credential. */
export const USAGE_READERS = ['LICENSING_ADMIN', 'PARTNER', 'CUSTOMER_ADMIN', 'SUPERVISOR'] as const;
/** People (and servers) who may upload usage files. */
export const USAGE_UPLOADERS = ['LICENSING_ADMIN', 'PARTNER', 'CUSTOMER_ADMIN', 'SERVER'] as const;

/**
 * Billing's server-level data (usage sessions and files) under the shared tenant-access policy,
 * for the roles the operation allows. A machine credential learns nothing about other servers;
 * a server billing has not heard of is NOT_FOUND.
 */
export function assertServerAccess(
  principal: Principal | undefined,
  serverId: string,
  server: BillingServer | null,
  roles: readonly Role[],
): BillingServer {
  const p = requireRole(principal, ...roles);
  if (isMachine(p) && !isMachineFor(p, serverId))
    throw forbidden('This machine credential is for another server');
  const refusal = server && serverRefusal(p, { id: server.serverId, accountId: server.accountId }, 'read');
  if (refusal) throw forbidden(refusal);
  if (!server) throw notFound('Server', serverId);
  return server;
}

/** Reports are per account: the caller's own account, or any for the licensing team. */
export function assertReportAccess(principal: Principal | undefined, accountId: string): Principal {
  return assertCanSeeAccount(requireRole(principal, ...USAGE_READERS), accountId);
}
