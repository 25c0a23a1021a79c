import { GraphQLError } from 'graphql';
import { type Config, ErrorCode, type Logger, type Principal } from '@lic/shared/core';
import { type AuthorizationVerifier } from '../token-cache.js';
import { type CounterStore } from './rate-limiter.js';

/** What one limit says about one request: the IETF RateLimit header fields' values. */
export interface Verdict {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window ends (at least 1). */
  resetSeconds: number;
  message: string;
}

/**
 * `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` (draft-ietf-httpapi-ratelimit-headers)
 * and, on a refusal, `Retry-After`.
 */
export function rateLimitHeaders(verdict: Verdict): Record<string, string> {
  return {
    'RateLimit-Limit': String(verdict.limit),
    'RateLimit-Remaining': String(verdict.remaining),
    'RateLimit-Reset': String(verdict.resetSeconds),
    ...(verdict.allowed ? {} : { 'Retry-After': String(verdict.resetSeconds) }),
  };
}

export function rateLimitedError(verdict: Verdict): GraphQLError {
  return new GraphQLError(verdict.message, {
    extensions: { code: ErrorCode.RATE_LIMITED, retryAfterSeconds: verdict.resetSeconds },
  });
}

/**
 * The gateway's throttle, before any planning: requests per client address, requests per
 * principal (the token's subject), and failed authentications per client address (once over, the
 * address is refused until its window ends, so guessing tokens costs a window per few tries).
 * Counters live in a CounterStore: in-process in embedded mode, Redis in distributed mode, so the
 * replicas share them. If the store fails the request goes through: the throttle protects the
 * platform, it must not become the thing that takes it down.
 */
export class Throttle {
  private readonly windowMs: number;

  constructor(
    private readonly limits: Config['rateLimits'],
    private readonly store: CounterStore,
    private readonly logger?: Logger,
  ) {
    this.windowMs = limits.windowSeconds * 1000;
  }

  /** Counts a request from `address`; undefined when that limit is off. */
  admitAddress(address: string): Promise<Verdict | undefined> {
    return this.count(`addr:${address}`, this.limits.addressRequests, 'Too many requests from this address');
  }

  admitPrincipal(principal: Principal): Promise<Verdict | undefined> {
    return this.count(
      `sub:${principal.sub}`,
      this.limits.principalRequests,
      'Too many requests for this caller',
    );
  }

  /** A refusal while `address` is over its failed-authentication limit (nothing is counted). */
  async authBlocked(address: string): Promise<Verdict | undefined> {
    const limit = this.limits.authFailures;
    if (limit === 0) return undefined;
    try {
      const { count, resetMs } = await this.store.peek(`fail:${address}`);
      if (count < limit) return undefined;
      return this.verdict(count, limit, resetMs, 'Too many failed authentications from this address', false);
    } catch (error) {
      this.logger?.warn({ err: error }, 'rate limit store unavailable; request let through');
      return undefined;
    }
  }

  async authFailed(address: string): Promise<void> {
    await this.count(`fail:${address}`, this.limits.authFailures, '');
  }

  /**
   * The whole check for one request or connection: the address, failed sign-ins, and the
   * principal when the token verifies. A token that does not verify counts as a failure and is
   * let through, to be refused with UNAUTHENTICATED where authentication happens.
   */
  async admit(
    verifier: AuthorizationVerifier,
    address: string,
    authorization: string | undefined,
  ): Promise<{ refused: Verdict | undefined; tightest: Verdict | undefined; principal?: Principal }> {
    // One round trip to Redis for both (they go out together on its connection).
    const [byAddress, blocked] = await Promise.all([this.admitAddress(address), this.authBlocked(address)]);
    if (byAddress && !byAddress.allowed) return { refused: byAddress, tightest: byAddress };
    if (blocked) return { refused: blocked, tightest: blocked };
    let principal: Principal | undefined;
    try {
      principal = await verifier.fromAuthorization(authorization);
    } catch {
      principal = undefined;
    }
    if (!principal) {
      await this.authFailed(address);
      return { refused: undefined, tightest: byAddress };
    }
    const byPrincipal = await this.admitPrincipal(principal);
    if (byPrincipal && !byPrincipal.allowed)
      return { refused: byPrincipal, tightest: byPrincipal, principal };
    return { refused: undefined, tightest: tighter(byAddress, byPrincipal), principal };
  }

  close(): Promise<void> {
    return this.store.close();
  }

  private async count(key: string, limit: number, message: string): Promise<Verdict | undefined> {
    if (limit === 0) return undefined;
    try {
      const { count, resetMs } = await this.store.hit(key, this.windowMs);
      return this.verdict(count, limit, resetMs, message);
    } catch (error) {
      this.logger?.warn({ err: error }, 'rate limit store unavailable; request let through');
      return undefined;
    }
  }

  private verdict(
    count: number,
    limit: number,
    resetMs: number,
    message: string,
    allowed = count <= limit,
  ): Verdict {
    const resetSeconds = Math.max(1, Math.ceil(resetMs / 1000));
    return {
      allowed,
      limit,
      remaining: Math.max(0, limit - count),
      resetSeconds,
      message: allowed ? '' : `${message}: retry after ${resetSeconds} s`,
    };
  }
}

function tighter(a: Verdict | undefined, b: Verdict | undefined): Verdict | undefined {
  if (!a) return b;
  if (!b) return a;
  return b.remaining < a.remaining ? b : a;
}
