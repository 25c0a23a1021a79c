import {
  type Principal,
  type Role,
  type TenantScope,
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
export async function assertServerAccess(
  tenant: TenantScope,
  serverId: string,
  server: BillingServer | null,
  roles: readonly Role[],
): Promise<BillingServer> {
  const p = requireRole(tenant.principal, ...roles);
  if (isMachine(p) && !isMachineFor(p, serverId))
    throw forbidden('This machine credential is for another server');
  const soldTo = server ? await tenant.soldToFor(server.accountId) : [];
  const refusal =
    server && serverRefusal(p, { id: server.serverId, accountId: server.accountId }, 'read', soldTo);
  if (refusal) throw forbidden(refusal);
  if (!server) throw notFound('Server', serverId);
  return server;
}

/** Reports are per account: the caller's own account (a partner's customers too), or any for the licensing team. */
export async function assertReportAccess(tenant: TenantScope, accountId: string): Promise<Principal> {
  const p = requireRole(tenant.principal, ...USAGE_READERS);
  return assertCanSeeAccount(p, accountId, await tenant.soldToFor(accountId));
}
