import { randomUUID } from 'node:crypto';
import { In } from 'typeorm';
import {
  type Clock,
  type Connection,
  DomainError,
  ErrorCode,
  type PageArgs,
  type PageBounds,
  type Principal,
  type SqlOrder,
  Topics,
  pageFromQuery,
  pageOf,
  recordEvent,
  requireRole,
  parseInput,
  type Database,
  isUniqueViolation,
} from '@lic/shared';
import { type TenantScope } from '../access/tenant-scope.js';
import { Account } from './account.entity.js';
import { type CreateAccount, createAccountSchema } from './account.inputs.js';

/** Accounts by name; cursors of `accountsConnection`. */
export const ACCOUNT_ORDER: SqlOrder<Account> = {
  list: 'accounts',
  direction: 'ASC',
  key: (a) => a.name,
  id: (a) => a.id,
  keyColumn: 'a.name',
  idColumn: 'a.id',
};

export class AccountService {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
  ) {}

  async byIds(ids: readonly string[]): Promise<Account[]> {
    if (ids.length === 0) return [];
    return this.database.dataSource.getRepository(Account).findBy({ id: In([...ids]) });
  }

  /** The accounts the caller may see: all for the licensing team, a partner's own and those it sold to, else its own. */
  /** One page of `visibleTo` (by name), keyset on (name, id). */
  async page(scope: TenantScope, args: PageArgs, bounds?: PageBounds): Promise<Connection<Account>> {
    const visible = await scope.visibleAccountIds();
    const qb = this.database.dataSource.getRepository(Account).createQueryBuilder('a');
    if (visible !== 'all') {
      if (visible.length === 0) return pageOf([], args, ACCOUNT_ORDER, bounds);
      qb.where('a.id IN (:...visible)', { visible });
    }
    return pageFromQuery(qb, args, ACCOUNT_ORDER, bounds);
  }

  async visibleTo(scope: TenantScope): Promise<Account[]> {
    const visible = await scope.visibleAccountIds();
    const repo = this.database.dataSource.getRepository(Account);
    if (visible === 'all') return repo.find({ order: { name: 'ASC', id: 'ASC' } });
    if (visible.length === 0) return [];
    return repo.find({ where: { id: In(visible) }, order: { name: 'ASC', id: 'ASC' } });
  }

  /** FORBIDDEN for another tenant's account (whether or not it exists), null for a missing one of the licensing team. */
  async get(scope: TenantScope, id: string): Promise<Account | null> {
    await scope.assertAccess(id);
    return this.database.dataSource.getRepository(Account).findOneBy({ id });
  }

  async create(principal: Principal | undefined, input: CreateAccount): Promise<Account> {
    requireRole(principal, 'LICENSING_ADMIN');
    const { name, garn } = parseInput(createAccountSchema, input);
    const duplicate = () =>
      new DomainError(ErrorCode.BAD_USER_INPUT, `GARN ${garn} is already used by another account`, {
        field: 'garn',
      });
    try {
      const created = await this.database.transaction(async (manager) => {
        if (await manager.existsBy(Account, { garn })) throw duplicate();
        const account = manager.create(Account, {
          id: randomUUID(),
          name,
          garn,
          kind: input.kind,
          createdAt: this.clock.now(),
        });
        await manager.insert(Account, account);
        await recordEvent(manager, this.clock, Topics.AccountCreated, {
          accountId: account.id,
          name,
          kind: account.kind,
        });
        return account;
      });
      return created;
    } catch (error) {
      // Two creations racing for one GARN: the unique index refuses the second.
      if (isUniqueViolation(error)) throw duplicate();
      throw error;
    }
  }
}
