import { GraphQLError } from 'graphql';
import { type Principal } from '@lic/shared/core';
import { unauthenticatedError } from './errors.js';
import { type AuthorizationVerifier } from './token-cache.js';

/** A verified caller and the header that proved it (forwarded so that subgraphs verify again). */
export interface Credentials {
  principal: Principal;
  authorization: string;
  /**
   * An API key's socket outlives the platform token in `authorization` (minutes): this gives a
   * current one (refused once the key is revoked or expired). Absent for a token.
   */
  renew?(): Promise<string>;
}

/** The header to send upstream now: renewed for an API key, the token itself otherwise. */
export async function currentAuthorization(credentials: Credentials): Promise<string> {
  return credentials.renew ? credentials.renew() : credentials.authorization;
}

/**
 * Which callers may share one upstream subscription. `principal`: callers whose tokens carry the
 * same roles, account, server and certification see the same data from every subgraph (tenant
 * scoping is decided on exactly those claims), so they share. `token`: only identical tokens share.
 */
export type DedupScope = 'principal' | 'token';

const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]*$/;

/** `Bearer <jwt>` or `Bearer lic_…`; a bare JWT or API key in graphql-ws connectionParams is accepted too. */
export function normaliseAuthorization(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const trimmed = value.trim();
  return JWT_SHAPE.test(trimmed) || trimmed.startsWith('lic_') ? `Bearer ${trimmed}` : trimmed;
}

export async function authenticate(
  verifier: AuthorizationVerifier,
  authorization: string | undefined,
): Promise<Credentials> {
  let principal: Principal | undefined;
  let forwarded = authorization;
  let renew: Credentials['renew'];
  try {
    if (verifier.exchange) {
      const exchange = verifier.exchange.bind(verifier);
      const exchanged = await exchange(authorization);
      forwarded = exchanged.authorization;
      principal = await verifier.fromAuthorization(forwarded);
      // A key's socket lives as long as the key (or until it is revoked), not its platform token.
      if (principal && exchanged.apiKey) {
        principal = { ...principal, expiresAt: exchanged.apiKey.expiresAt ?? undefined };
        renew = async () => {
          try {
            return (await exchange(authorization)).authorization ?? '';
          } catch (error) {
            throw unauthenticatedError(error instanceof GraphQLError ? error.message : 'Token is invalid');
          }
        };
      }
    } else {
      principal = await verifier.fromAuthorization(authorization);
    }
  } catch (error) {
    throw unauthenticatedError(error instanceof GraphQLError ? error.message : 'Token is invalid');
  }
  if (!principal || !forwarded) {
    throw unauthenticatedError('A bearer token is required (Authorization: Bearer <token>)');
  }
  return { principal, authorization: forwarded, ...(renew ? { renew } : {}) };
}

export function scopeKey(credentials: Credentials, mode: DedupScope): string {
  if (mode === 'token') return `token:${credentials.authorization}`;
  const p = credentials.principal;
  return JSON.stringify([
    'principal',
    [...p.roles].sort(),
    p.accountId ?? null,
    p.serverId ?? null,
    p.certified,
    // A machine credential can be revoked on its own (a new one issued for the same server): its
    // upstream must not carry, or be carried by, the other credential's token.
    p.roles.includes('SERVER') ? p.sub : null,
  ]);
}
