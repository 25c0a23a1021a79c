import {
  type Principal,
  canAccessAccount,
  forbidden,
  hasRole,
  requirePrincipal,
  unauthenticated,
} from '@lic/shared';

/** The subject of a token issued by issueServerCredential: it names the credential, so a new one revokes it. */
export const CREDENTIAL_SUBJECT_PREFIX = 'server-credential:';

interface ServerScope {
  id: string;
  accountId: string;
  credentialId: string | null;
}

/**
 * What a caller may do with a server:
 * - read: statistics, users, stations, sessions: the licensing team, anyone of the server's
 *   account (supervisors included) and the server's own machine credential;
 * - configure: load files, users, stations, caps: the licensing team, the account's customer
 *   administrators and partners, and the server itself (Interaction Administrator runs there);
 * - machine: logon, logoff, heartbeat, calls, start: the server's machine credential (and the
 *   licensing team, for support).
 */
export type ServerAccess = 'read' | 'configure' | 'machine';

export function checkServerAccess(
  principal: Principal | undefined,
  server: ServerScope,
  access: ServerAccess,
): Principal {
  const p = requirePrincipal(principal);
  if (hasRole(p, 'SERVER') && p.serverId === server.id) {
    if (
      p.sub.startsWith(CREDENTIAL_SUBJECT_PREFIX) &&
      p.sub.slice(CREDENTIAL_SUBJECT_PREFIX.length) !== server.credentialId
    ) {
      throw unauthenticated('This machine credential was replaced by a newer one');
    }
    return p;
  }
  if (hasRole(p, 'LICENSING_ADMIN')) return p;
  if (hasRole(p, 'SERVER') && p.roles.length === 1)
    throw forbidden('This machine credential is for another server');
  if (!canAccessAccount(p, server.accountId)) throw forbidden('This server belongs to another tenant');
  if (access === 'machine')
    throw forbidden("Only the server's machine credential reports logons, logoffs and calls");
  if (access === 'configure' && !hasRole(p, 'CUSTOMER_ADMIN', 'PARTNER')) {
    throw forbidden('Configuring licences needs the CUSTOMER_ADMIN or PARTNER role');
  }
  return p;
}

export function canReadServer(principal: Principal | undefined, server: ServerScope): boolean {
  try {
    checkServerAccess(principal, server, 'read');
    return true;
  } catch {
    return false;
  }
}
