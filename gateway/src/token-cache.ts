import { type Principal, unauthenticated } from '@lic/shared/core';
import { LruCache } from './lru.js';

export interface AuthorizationVerifier {
  fromAuthorization(header: string | undefined | null): Promise<Principal | undefined>;
  /**
   * Turns the client's header into the one forwarded to the subgraphs (an API key becomes a
   * platform token); `apiKey` is set when it was a key.
   */
  exchange?(header: string | undefined | null): Promise<{
    authorization: string | undefined;
    apiKey?: { id: string; expiresAt: Date | null };
  }>;
}

/**
 * Remembers verified tokens (by their exact header) so that a client's every request does not
 * pay for a signature check: a hit is trusted until the token's `exp`, and at most `maxAgeMs`
 * (then it is verified again). Only successes are cached; a forged or expired token is checked
 * every time and fails every time. Concurrent checks of one token share one verification.
 */
export class CachingVerifier implements AuthorizationVerifier {
  private readonly cache: LruCache<string, { principal: Principal; validUntil: number }>;
  /** Subjects revoked while this gateway ran, until the longest such token could live. */
  private readonly revoked = new LruCache<string, number>(10_000);
  private readonly inFlight = new Map<string, Promise<Principal | undefined>>();

  constructor(
    private readonly verifier: AuthorizationVerifier,
    private readonly maxAgeMs = 60_000,
    capacity = 10_000,
  ) {
    this.cache = new LruCache(capacity);
  }

  /**
   * A credential revoked elsewhere (allocation announces it): its tokens are refused here at once,
   * cached or not, instead of only by the subgraph that knows. `untilMs`: when the last of them expires.
   */
  revoke(sub: string, untilMs: number): void {
    this.revoked.set(sub, untilMs);
  }

  async fromAuthorization(header: string | undefined | null): Promise<Principal | undefined> {
    if (!header) return this.verifier.fromAuthorization(header);
    const now = Date.now();
    const cached = this.cache.get(header);
    if (cached && cached.validUntil > now) return this.notRevoked(cached.principal, now);
    // Concurrent requests with one token (a thousand clients reconnecting at once) share one check.
    let verifying = this.inFlight.get(header);
    if (!verifying) {
      verifying = this.verify(header, now).finally(() => this.inFlight.delete(header));
      this.inFlight.set(header, verifying);
    }
    return this.notRevoked(await verifying, Date.now());
  }

  private async verify(header: string, now: number): Promise<Principal | undefined> {
    const principal = await this.verifier.fromAuthorization(header);
    if (principal) {
      const expiry = principal.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
      this.cache.set(header, { principal, validUntil: Math.min(expiry, now + this.maxAgeMs) });
    }
    return principal;
  }

  private notRevoked<P extends Principal | undefined>(principal: P, now: number): P {
    if (!principal) return principal;
    const until = this.revoked.get(principal.sub);
    if (until !== undefined && until > now) throw unauthenticated('This credential was revoked');
    return principal;
  }
}
