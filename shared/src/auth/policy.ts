import { forbidden } from '../errors/errors.js';
import { type Principal, type Role, hasRole, requirePrincipal } from './auth.js';

/**
 * The one tenant-access policy: who may see or act on an account or a server. Every subgraph
 * asks these functions and nothing else; the rules are written down in docs/architecture.md
 * ("Who may see what").
 *
 * - The licensing team (LICENSING_ADMIN) sees and configures everything.
 * - People (PARTNER, CUSTOMER_ADMIN, SUPERVISOR) see the account in their token; a partner also
 *   sees the accounts it sold to (`soldTo`: only a subgraph that knows the sales orders can say).
 * - Of those, only CUSTOMER_ADMIN and PARTNER configure (sites, files, servers, users, stations).
 * - A machine (a token whose only role is SERVER) sees, configures and operates its own server and
 *   nothing else: no account, no other server. `serverId` counts for nobody else, and a token that
 *   mixes SERVER with another role gets nothing from its `serverId`.
 */

/** The accounts a partner sold to; empty where the subgraph does not know them. */
export type SoldTo = readonly string[];

/** What the policy needs to know about a server. */
export interface ServerTenancy {
  id: string;
  accountId: string;
}

const PEOPLE: readonly Role[] = ['PARTNER', 'CUSTOMER_ADMIN', 'SUPERVISOR'];
const CONFIGURERS: readonly Role[] = ['PARTNER', 'CUSTOMER_ADMIN'];

export function isLicensingAdmin(principal: Principal | undefined): boolean {
  return principal !== undefined && hasRole(principal, 'LICENSING_ADMIN');
}

/** A CIC server's machine credential: SERVER and no other role. */
export function isMachine(principal: Principal | undefined): boolean {
  return (
    principal !== undefined &&
    principal.roles.length > 0 &&
    principal.roles.every((role) => role === 'SERVER')
  );
}

/** The machine credential of this very server. */
export function isMachineFor(principal: Principal | undefined, serverId: string): boolean {
  return isMachine(principal) && principal?.serverId === serverId;
}

/** A partner acting as such (not also the licensing team). */
export function isPartner(principal: Principal | undefined): boolean {
  return principal !== undefined && !isLicensingAdmin(principal) && hasRole(principal, 'PARTNER');
}

/** The account in the token, for the roles that act for an account (never for a machine). */
function ownAccount(principal: Principal): string | undefined {
  return hasRole(principal, ...PEOPLE) ? principal.accountId : undefined;
}

export function canSeeAccount(principal: Principal, accountId: string, soldTo: SoldTo = []): boolean {
  if (isLicensingAdmin(principal)) return true;
  if (ownAccount(principal) === accountId) return true;
  return hasRole(principal, 'PARTNER') && principal.accountId !== undefined && soldTo.includes(accountId);
}

/** Sites, files, orders' use, servers of the account: the licensing team, its administrators and partners. */
export function canConfigureAccount(principal: Principal, accountId: string, soldTo: SoldTo = []): boolean {
  if (isLicensingAdmin(principal)) return true;
  return hasRole(principal, ...CONFIGURERS) && canSeeAccount(principal, accountId, soldTo);
}

/** Every account the caller may see, or 'all' for the licensing team. */
export function visibleAccountIds(principal: Principal, soldTo: SoldTo = []): 'all' | string[] {
  if (isLicensingAdmin(principal)) return 'all';
  const ids = new Set<string>();
  const own = ownAccount(principal);
  if (own) ids.add(own);
  if (hasRole(principal, 'PARTNER') && principal.accountId) for (const id of soldTo) ids.add(id);
  return [...ids];
}

export function canSeeServer(principal: Principal, server: ServerTenancy, soldTo: SoldTo = []): boolean {
  return isMachineFor(principal, server.id) || canSeeAccount(principal, server.accountId, soldTo);
}

/** Load files, users, stations, caps: also the server itself (Interaction Administrator runs there). */
export function canConfigureServer(
  principal: Principal,
  server: ServerTenancy,
  soldTo: SoldTo = [],
): boolean {
  return isMachineFor(principal, server.id) || canConfigureAccount(principal, server.accountId, soldTo);
}

/** Logons, logoffs, heartbeats, calls, start-up: the server's own credential, or the licensing team for support. */
export function canOperateServer(principal: Principal, server: ServerTenancy): boolean {
  return isMachineFor(principal, server.id) || isLicensingAdmin(principal);
}

export type ServerAccess = 'read' | 'configure' | 'machine';

/** The reason a caller may not act on a server, or undefined when it may. */
export function serverRefusal(
  principal: Principal,
  server: ServerTenancy,
  access: ServerAccess,
  soldTo: SoldTo = [],
): string | undefined {
  if (isMachineFor(principal, server.id) || isLicensingAdmin(principal)) return undefined;
  if (isMachine(principal)) return 'This machine credential is for another server';
  if (!canSeeServer(principal, server, soldTo)) return 'This server belongs to another tenant';
  if (access === 'machine') return "Only the server's machine credential reports logons, logoffs and calls";
  if (access === 'configure' && !canConfigureServer(principal, server, soldTo))
    return 'Configuring licences needs the CUSTOMER_ADMIN or PARTNER role';
  return undefined;
}

/** UNAUTHENTICATED without a principal, FORBIDDEN (with the reason) when the policy says no. */
export function assertServerAccess(
  principal: Principal | undefined,
  server: ServerTenancy,
  access: ServerAccess,
  soldTo: SoldTo = [],
): Principal {
  const p = requirePrincipal(principal);
  const refusal = serverRefusal(p, server, access, soldTo);
  if (refusal) throw forbidden(refusal);
  return p;
}

export function assertCanSeeAccount(
  principal: Principal | undefined,
  accountId: string,
  soldTo: SoldTo = [],
): Principal {
  const p = requirePrincipal(principal);
  if (!canSeeAccount(p, accountId, soldTo)) throw forbidden('This account belongs to another tenant');
  return p;
}
