import { type Config } from '../config/config.js';
import { type Principal, TokenVerifier } from './auth.js';

const MAX_ENTRIES = 10_000;
const MAX_AGE_MS = 60_000;

/**
 * A CIC server sends the same machine token with every logon and logoff, and verifying an
 * HS256 signature through WebCrypto costs more than the rest of the request's CPU. The principal
 * of a token already verified is kept (a minute at most, never past the token's expiry), keyed by
 * the exact token text, so a changed token is verified again. Expiry is read from the system
 * clock, as the token library does. Revoked machine credentials are
 * still refused: that check reads the server row (allocation's access.ts), not this cache.
 */
export class CachingTokenVerifier extends TokenVerifier {
  private readonly cache = new Map<string, { principal: Principal; until: number }>();

  constructor(config: Pick<Config, 'jwt'>) {
    super(config);
  }

  override async verify(token: string): Promise<Principal> {
    const now = Date.now();
    const hit = this.cache.get(token);
    if (hit && hit.until > now) return hit.principal;
    if (hit) this.cache.delete(token);
    const principal = await super.verify(token);
    const expires = principal.expiresAt?.getTime() ?? now + MAX_AGE_MS;
    if (this.cache.size >= MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(token, { principal, until: Math.min(expires, now + MAX_AGE_MS) });
    return principal;
  }
}
