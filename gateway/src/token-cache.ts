import { type Principal } from '@lic/shared/core';
import { LruCache } from './lru.js';

export interface AuthorizationVerifier {
  fromAuthorization(header: string | undefined | null): Promise<Principal | undefined>;
}

/**
 * Remembers verified tokens (by their exact header) so that a client's every request does not
 * pay for a signature check: a hit is trusted until the token's `exp`, and at most `maxAgeMs`
 * (then it is verified again). Only successes are cached; a forged or expired token is checked
 * every time and fails every time.
 */
export class CachingVerifier implements AuthorizationVerifier {
  private readonly cache: LruCache<string, { principal: Principal; validUntil: number }>;

  constructor(
    private readonly verifier: AuthorizationVerifier,
    private readonly maxAgeMs = 60_000,
    capacity = 10_000,
  ) {
    this.cache = new LruCache(capacity);
  }

  async fromAuthorization(header: string | undefined | null): Promise<Principal | undefined> {
    if (!header) return this.verifier.fromAuthorization(header);
    const now = Date.now();
    const cached = this.cache.get(header);
    if (cached && cached.validUntil > now) return cached.principal;
    const principal = await this.verifier.fromAuthorization(header);
    if (principal) {
      const expiry = principal.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
      this.cache.set(header, { principal, validUntil: Math.min(expiry, now + this.maxAgeMs) });
    }
    return principal;
  }
}
