import {
  type Principal,
  type Role,
  canAccessAccount,
  forbidden,
  notFound,
  requirePrincipal,
  requireRole,
} from '@lic/shared';
import { type BillingServer } from './account/billing-server.entity.js';

/** People who read usage: everyone but a server's machine credential. */
export const USAGE_READERS = ['LICENSING_ADMIN', 'PARTNER', 'CUSTOMER_ADMIN', 'SUPERVISOR'] as const;
/** People (and servers) who may upload usage files. */
export const USAGE_UPLOADERS = ['LICENSING_ADMIN', 'PARTNER', 'CUSTOMER_ADMIN', 'SERVER'] as const;

/** A machine credential acts for its own server only, whatever else its token carries. */
function isServerOnly(principal: Principal): boolean {
  return principal.roles.every((role) => role === 'SERVER');
}

/**
 * Tenant scoping of billing's server-level data (usage sessions and files): the licensing team
 * sees every server; customers, partners and supervisors the servers of their account; a
 * server's credential only itself. A server billing has not heard of is NOT_FOUND for everyone.
 */
export function assertServerAccess(
  principal: Principal | undefined,
  serverId: string,
  server: BillingServer | null,
  roles: readonly Role[],
): BillingServer {
  const p = requireRole(principal, ...roles);
  if (isServerOnly(p)) {
    if (p.serverId !== serverId) throw forbidden('This machine credential is for another server');
  } else if (server && !canAccessAccount(p, server.accountId) && p.serverId !== serverId) {
    throw forbidden('This server belongs to another tenant');
  }
  if (!server) throw notFound('Server', serverId);
  return server;
}

/** Reports are per account: the caller's own account, or any for the licensing team. */
export function assertReportAccess(principal: Principal | undefined, accountId: string): Principal {
  const p = requireRole(principal, ...USAGE_READERS);
  if (!canAccessAccount(requirePrincipal(p), accountId))
    throw forbidden('This account belongs to another tenant');
  return p;
}
