import { type Fetcher } from '@apollo/utils.fetcher';
import {
  API_KEY_PREFIX,
  API_KEY_SUBJECT_PREFIX,
  API_KEY_VERIFY_PATH,
  type ApiKeyVerdict,
  type Config,
  type Principal,
  hashApiKey,
  isApiKeySecret,
  signToken,
  unauthenticated,
} from '@lic/shared/core';
import { LruCache } from './lru.js';
import { type AuthorizationVerifier } from './token-cache.js';

/** What an `Authorization` header becomes before it is verified and forwarded. */
export interface Exchanged {
  /** `Bearer <platform JWT>` for a key; the header itself otherwise. */
  authorization: string | undefined;
  /** Set for an API key: when the key itself expires (null: never). */
  apiKey?: { id: string; expiresAt: Date | null };
}

interface Entry {
  verdict: ApiKeyVerdict;
  /** Until when the verdict is trusted without asking accounts again. */
  until: number;
}

interface Minted {
  authorization: string;
  /** Epoch ms after which a new token is minted (half its life). */
  renewAt: number;
}

const REASONS: Record<'unknown' | 'revoked' | 'expired', string> = {
  unknown: 'This API key is not valid',
  revoked: 'This API key was revoked',
  expired: 'This API key has expired',
};

/**
 * `Authorization: Bearer lic_…` at the gateway. The key's SHA-256 is checked with accounts (an
 * internal route, gateway-signed), the verdict kept `cacheMs` in an LRU keyed by the hash (refusals
 * too, so a bad key cannot hammer accounts), and the key's principal forwarded to the subgraphs as
 * a short-lived platform token with the claim `cred: { kind: 'api-key', id }` and the subject
 * `api-key:<id>`. A revocation (any replica, through the revocation channel) drops the entry.
 */
export class ApiKeyExchange {
  private readonly verdicts: LruCache<string, Entry>;
  private readonly tokens = new LruCache<string, Minted>(10_000);
  private readonly hashesByKey = new LruCache<string, string>(10_000);
  private readonly inFlight = new Map<string, Promise<ApiKeyVerdict>>();

  constructor(
    private readonly config: Pick<Config, 'jwt' | 'apiKeys'>,
    private readonly fetcher: Fetcher,
    private readonly accountsUrl: () => string | undefined,
    capacity = 10_000,
  ) {
    this.verdicts = new LruCache(capacity);
  }

  static isApiKeyHeader(header: string | undefined | null): boolean {
    return typeof header === 'string' && /^Bearer\s+lic_/i.test(header.trim());
  }

  async exchange(header: string | undefined | null): Promise<Exchanged> {
    if (!header || !ApiKeyExchange.isApiKeyHeader(header)) return { authorization: header ?? undefined };
    const secret = header.trim().replace(/^Bearer\s+/i, '');
    if (!isApiKeySecret(secret)) throw unauthenticated(`An API key is ${API_KEY_PREFIX} and 43 characters`);
    const hash = hashApiKey(secret);
    const verdict = await this.verdict(hash);
    if (!verdict.ok) throw unauthenticated(REASONS[verdict.reason]);
    const expiresAt = verdict.expiresAt ? new Date(verdict.expiresAt) : null;
    return { authorization: await this.token(verdict), apiKey: { id: verdict.id, expiresAt } };
  }

  /** A key revoked (the revocation channel names its subject): asked afresh from now on. */
  forget(sub: string): void {
    if (!sub.startsWith(API_KEY_SUBJECT_PREFIX)) return;
    const id = sub.slice(API_KEY_SUBJECT_PREFIX.length);
    const hash = this.hashesByKey.get(id);
    if (hash) this.verdicts.set(hash, { verdict: { ok: false, reason: 'revoked' }, until: 0 });
    this.tokens.set(id, { authorization: '', renewAt: 0 });
  }

  private async verdict(hash: string): Promise<ApiKeyVerdict> {
    const now = Date.now();
    const cached = this.verdicts.get(hash);
    if (cached && cached.until > now) return cached.verdict;
    let pending = this.inFlight.get(hash);
    if (!pending) {
      pending = this.ask(hash).finally(() => this.inFlight.delete(hash));
      this.inFlight.set(hash, pending);
    }
    const verdict = await pending;
    let until = now + this.config.apiKeys.cacheMs;
    if (verdict.ok) {
      if (verdict.expiresAt) until = Math.min(until, Date.parse(verdict.expiresAt));
      this.hashesByKey.set(verdict.id, hash);
    }
    this.verdicts.set(hash, { verdict, until });
    return verdict;
  }

  private async ask(hash: string): Promise<ApiKeyVerdict> {
    const base = this.accountsUrl();
    if (!base) throw unauthenticated('API keys cannot be verified: the accounts service is not known');
    const url = new URL(API_KEY_VERIFY_PATH, base).toString();
    let response;
    try {
      response = await this.fetcher(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ hash }),
      });
    } catch {
      throw unauthenticated('API keys cannot be verified right now (the accounts service is unavailable)');
    }
    if (!response.ok)
      throw unauthenticated('API keys cannot be verified right now (the accounts service is unavailable)');
    return (await response.json()) as ApiKeyVerdict;
  }

  private async token(verdict: Extract<ApiKeyVerdict, { ok: true }>): Promise<string> {
    const now = Date.now();
    const minted = this.tokens.get(verdict.id);
    if (minted && minted.renewAt > now) return minted.authorization;
    if (!this.config.jwt.secret)
      throw unauthenticated('API keys need JWT_SECRET at the gateway (the platform token is signed with it)');
    let ttl = this.config.apiKeys.tokenSeconds;
    if (verdict.expiresAt) ttl = Math.min(ttl, Math.floor((Date.parse(verdict.expiresAt) - now) / 1000));
    if (ttl < 1) throw unauthenticated(REASONS.expired);
    const token = await signToken(
      this.config,
      {
        sub: `${API_KEY_SUBJECT_PREFIX}${verdict.id}`,
        roles: verdict.roles,
        accountId: verdict.accountId,
        certified: verdict.certified,
        cred: { kind: 'api-key', id: verdict.id },
      },
      ttl,
    );
    const authorization = `Bearer ${token}`;
    this.tokens.set(verdict.id, { authorization, renewAt: now + (ttl * 1000) / 2 });
    return authorization;
  }
}

/**
 * The gateway's verifier: an API key is exchanged for its platform token first, then verified as
 * any token (and cached by its text). Rate limits and sockets see the key's principal.
 */
export class GatewayVerifier implements AuthorizationVerifier {
  constructor(
    private readonly tokens: AuthorizationVerifier,
    readonly keys: ApiKeyExchange,
  ) {}

  exchange(header: string | undefined | null): Promise<Exchanged> {
    return this.keys.exchange(header);
  }

  async fromAuthorization(header: string | undefined | null): Promise<Principal | undefined> {
    const { authorization } = await this.keys.exchange(header);
    return this.tokens.fromAuthorization(authorization);
  }
}
