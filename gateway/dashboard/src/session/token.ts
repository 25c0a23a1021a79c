/** The dashboard's view of a bearer token: the claims it shows and scopes by (the API verifies). */
export const ROLES = ['LICENSING_ADMIN', 'PARTNER', 'CUSTOMER_ADMIN', 'SUPERVISOR', 'SERVER'] as const;
export type Role = (typeof ROLES)[number];

export interface Session {
  token: string;
  sub: string;
  roles: Role[];
  accountId: string | undefined;
  serverId: string | undefined;
  expiresAt: Date | undefined;
}

export class TokenFormatError extends Error {
  override readonly name = 'TokenFormatError';
}

function base64UrlDecode(part: string): string {
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/');
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
  const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

function isRole(value: unknown): value is Role {
  return (ROLES as readonly unknown[]).includes(value);
}

/**
 * Reads the claims of a JWT without verifying it: the signature is the gateway's business, the
 * dashboard only needs to know which views to offer and when the token runs out.
 */
export function decodeToken(raw: string): Session {
  const token = raw.trim().replace(/^Bearer\s+/i, '');
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p)) || !parts[1]) {
    throw new TokenFormatError('This is not a token: a JWT has three dot-separated parts.');
  }
  let claims: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(base64UrlDecode(parts[1]));
    if (typeof parsed !== 'object' || parsed === null) throw new Error('not an object');
    claims = parsed as Record<string, unknown>;
  } catch {
    throw new TokenFormatError('The token payload cannot be read.');
  }
  const roles = Array.isArray(claims['roles']) ? claims['roles'].filter(isRole) : [];
  if (typeof claims['sub'] !== 'string' || roles.length === 0) {
    throw new TokenFormatError('The token names no subject or no role of this platform.');
  }
  const exp = claims['exp'];
  return {
    token,
    sub: claims['sub'],
    roles,
    accountId: typeof claims['accountId'] === 'string' ? claims['accountId'] : undefined,
    serverId: typeof claims['serverId'] === 'string' ? claims['serverId'] : undefined,
    expiresAt: typeof exp === 'number' ? new Date(exp * 1000) : undefined,
  };
}

export function isExpired(session: Session, now: Date): boolean {
  return session.expiresAt !== undefined && session.expiresAt.getTime() <= now.getTime();
}
