import {
  type Principal,
  type ServerAccess,
  type SoldTo,
  assertServerAccess,
  isMachineFor,
  requirePrincipal,
  unauthenticated,
} from '@lic/shared';

export type { ServerAccess } from '@lic/shared';

/** The subject of a token issued by issueServerCredential: it names the credential, so a new one revokes it. */
export const CREDENTIAL_SUBJECT_PREFIX = 'server-credential:';

interface ServerScope {
  id: string;
  accountId: string;
  credentialId: string | null;
}

/**
 * The shared tenant-access policy (read, configure, machine) on a server row, plus what only this
 * subgraph can check: a machine credential replaced by a newer one is refused.
 */
export function checkServerAccess(
  principal: Principal | undefined,
  server: ServerScope,
  access: ServerAccess,
  soldTo: SoldTo = [],
): Principal {
  const p = requirePrincipal(principal);
  if (
    isMachineFor(p, server.id) &&
    p.sub.startsWith(CREDENTIAL_SUBJECT_PREFIX) &&
    p.sub.slice(CREDENTIAL_SUBJECT_PREFIX.length) !== server.credentialId
  ) {
    throw unauthenticated('This machine credential was replaced by a newer one');
  }
  return assertServerAccess(p, server, access, soldTo);
}

export function canReadServer(
  principal: Principal | undefined,
  server: ServerScope,
  soldTo: SoldTo = [],
): boolean {
  try {
    checkServerAccess(principal, server, 'read', soldTo);
    return true;
  } catch {
    return false;
  }
}
