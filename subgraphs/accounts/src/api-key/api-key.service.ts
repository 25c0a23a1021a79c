import { randomUUID } from 'node:crypto';
import {
  API_KEY_SUBJECT_PREFIX,
  type ApiKeyVerdict,
  type Clock,
  type Connection,
  DomainError,
  ErrorCode,
  type PageArgs,
  type PageBounds,
  type Principal,
  type RevocationChannel,
  type SqlOrder,
  type Role,
  Topics,
  badInput,
  forbidden,
  hashApiKey,
  isLicensingAdmin,
  newApiKeySecret,
  notFound,
  recordEvent,
  parseInput,
  pageFromQuery,
  type Database,
} from '@lic/shared';
import { type TenantScope } from '../access/tenant-scope.js';
import { Account } from '../account/account.entity.js';
import { ApiKey, ApiKeyRole } from './api-key.entity.js';
import { type CreateApiKey, createApiKeySchema } from './api-key.inputs.js';

/** Keys oldest first; cursors of `apiKeys`. */
export const API_KEY_ORDER: SqlOrder<ApiKey> = {
  list: 'apiKeys',
  direction: 'ASC',
  key: (k) => k.createdAt.getTime(),
  id: (k) => k.id,
  keyColumn: 'k.created_at',
  idColumn: 'k.id',
};

/** Who manages an account's keys: its administrators, the partner itself, and the licensing team (any account). */
const KEY_MANAGERS = ['LICENSING_ADMIN', 'CUSTOMER_ADMIN', 'PARTNER'] as const;
const KEY_ROLES = new Set<string>(Object.values(ApiKeyRole));

/**
 * Whether a key's roles are within its creator's: each one the creator holds (the licensing team
 * holds every role), never SERVER (a machine credential is issued with its server).
 */
export function rolesWithin(creator: Principal, roles: readonly string[]): string[] {
  if (isLicensingAdmin(creator)) return roles.filter((r) => !KEY_ROLES.has(r));
  return roles.filter((r) => !KEY_ROLES.has(r) || !creator.roles.includes(r as Role));
}

export class ApiKeyService {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly options: {
      lastUsedIntervalMs: number;
      revocations?: Pick<RevocationChannel, 'publish'>;
    },
  ) {}

  /** Only the account's own managers (and the licensing team) may see or change its keys. */
  private async assertManager(scope: TenantScope, accountId: string): Promise<Principal> {
    const caller = scope.requireRole(...KEY_MANAGERS);
    if (!isLicensingAdmin(caller) && caller.accountId !== accountId)
      throw forbidden('API keys are managed only by the account itself');
    return caller;
  }

  async create(scope: TenantScope, input: CreateApiKey): Promise<{ apiKey: ApiKey; secret: string }> {
    const caller = await this.assertManager(scope, input.accountId);
    const { name, roles } = parseInput(createApiKeySchema, input);
    const wider = rolesWithin(caller, roles);
    if (wider.length > 0)
      throw new DomainError(
        ErrorCode.API_KEY_ROLES_TOO_WIDE,
        `A key may carry only roles you hold yourself: not ${wider.join(', ')}`,
        { field: 'roles', roles: wider },
      );
    const now = this.clock.now();
    const expiresAt = input.expiresAt ?? null;
    if (expiresAt && !(expiresAt.getTime() > now.getTime()))
      throw badInput('The expiry must lie in the future', 'expiresAt');
    if (!(await this.database.dataSource.getRepository(Account).existsBy({ id: input.accountId })))
      throw notFound('Account', input.accountId);
    const secret = newApiKeySecret();
    const apiKey: ApiKey = {
      id: randomUUID(),
      accountId: input.accountId,
      name,
      prefix: secret.slice(0, 12),
      secretHash: hashApiKey(secret),
      roles,
      certified: caller.certified,
      createdBy: caller.sub,
      createdAt: now,
      expiresAt,
      lastUsedAt: null,
      revokedAt: null,
    };
    await this.database.dataSource.getRepository(ApiKey).insert({ ...apiKey });
    return { apiKey, secret };
  }

  /** The account's keys, oldest first by (created, id), revoked ones only when asked. */
  async list(
    scope: TenantScope,
    accountId: string,
    page: PageArgs & { includeRevoked?: boolean | null | undefined },
    bounds?: PageBounds,
  ): Promise<Connection<ApiKey>> {
    await this.assertManager(scope, accountId);
    const qb = this.database.dataSource
      .getRepository(ApiKey)
      .createQueryBuilder('k')
      .where('k.account_id = :accountId', { accountId });
    if (!page.includeRevoked) qb.andWhere('k.revoked_at IS NULL');
    return pageFromQuery(qb, page, API_KEY_ORDER, bounds);
  }

  async revoke(scope: TenantScope, id: string): Promise<ApiKey> {
    const key = await this.database.dataSource.getRepository(ApiKey).findOneBy({ id });
    if (!key) throw notFound('API key', id);
    await this.assertManager(scope, key.accountId);
    if (key.revokedAt) return key;
    const revokedAt = this.clock.now();
    await this.database.transaction(async (manager) => {
      await manager.update(ApiKey, { id }, { revokedAt });
      await recordEvent(manager, this.clock, Topics.ApiKeyRevoked, {
        apiKeyId: id,
        accountId: key.accountId,
        revokedAt: revokedAt.toISOString(),
      });
    });
    // Every gateway replica drops the key from its cache and closes its sockets. Should the
    // channel be down, each gateway still asks again within its cache period and is refused.
    await this.options.revocations?.publish({ sub: `${API_KEY_SUBJECT_PREFIX}${id}` }).catch(() => undefined);
    return { ...key, revokedAt };
  }

  /** The gateway's question: which key (and principal) a secret's hash is, if any still valid. */
  async verify(secretHash: string): Promise<ApiKeyVerdict> {
    const repo = this.database.dataSource.getRepository(ApiKey);
    const key = await repo.findOneBy({ secretHash });
    if (!key) return { ok: false, reason: 'unknown' };
    if (key.revokedAt) return { ok: false, reason: 'revoked' };
    const now = this.clock.now();
    if (key.expiresAt && key.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
    // Last use is recorded at most once per interval (the gateway asks again every few seconds).
    const stale = now.getTime() - this.options.lastUsedIntervalMs;
    if (!key.lastUsedAt || key.lastUsedAt.getTime() < stale) {
      await repo
        .createQueryBuilder()
        .update()
        .set({ lastUsedAt: now })
        .where('id = :id AND (last_used_at IS NULL OR last_used_at < :stale)', { id: key.id, stale })
        .execute();
    }
    return {
      ok: true,
      id: key.id,
      accountId: key.accountId,
      roles: key.roles,
      certified: key.certified,
      expiresAt: key.expiresAt?.toISOString() ?? null,
    };
  }
}
