import { randomUUID } from 'node:crypto';
import { In, type DataSource } from 'typeorm';
import {
  type Clock,
  DomainError,
  ErrorCode,
  type Principal,
  Topics,
  assertAccountAccess,
  badInput,
  hasRole,
  recordEvent,
  requirePrincipal,
  requireRole,
} from '@lic/shared';
import { Account, type AccountKind } from './account.entity.js';

export interface CreateAccount {
  name: string;
  garn: string;
  kind: AccountKind;
}

export class AccountService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async byIds(ids: readonly string[]): Promise<Account[]> {
    if (ids.length === 0) return [];
    return this.dataSource.getRepository(Account).findBy({ id: In([...ids]) });
  }

  /** The accounts the caller may see: all for the licensing team, else its own. */
  async visibleTo(principal: Principal | undefined): Promise<Account[]> {
    const p = requirePrincipal(principal);
    const repo = this.dataSource.getRepository(Account);
    if (hasRole(p, 'LICENSING_ADMIN')) return repo.find({ order: { name: 'ASC' } });
    if (!p.accountId) return [];
    return repo.find({ where: { id: p.accountId }, order: { name: 'ASC' } });
  }

  async get(principal: Principal | undefined, id: string): Promise<Account | null> {
    assertAccountAccess(principal, id);
    return this.dataSource.getRepository(Account).findOneBy({ id });
  }

  async create(principal: Principal | undefined, input: CreateAccount): Promise<Account> {
    requireRole(principal, 'LICENSING_ADMIN');
    const name = input.name.trim();
    const garn = input.garn.trim();
    if (name.length === 0) throw badInput('name must not be empty', 'name');
    if (!/^[A-Za-z0-9-]{1,40}$/.test(garn)) throw badInput('garn must be 1-40 letters, digits or dashes', 'garn');
    return this.dataSource.transaction(async (manager) => {
      if (await manager.existsBy(Account, { garn })) {
        throw new DomainError(ErrorCode.BAD_USER_INPUT, `GARN ${garn} is already used by another account`, {
          field: 'garn',
        });
      }
      const account = manager.create(Account, { id: randomUUID(), name, garn, kind: input.kind, createdAt: this.clock.now() });
      await manager.insert(Account, account);
      await recordEvent(manager, this.clock, Topics.AccountCreated, { accountId: account.id, name, kind: account.kind });
      return account;
    });
  }
}
