import { In, type DataSource } from 'typeorm';
import { type Clock, type Principal, assertCanSeeAccount, requireRole } from '@lic/shared';
import { BillingAccount, type BillingBasis } from './billing-account.entity.js';

export const DEFAULT_BILLING_BASIS: BillingBasis = 'NAMED';

/** How each account is billed (NAMED or CONCURRENT users); NAMED until the licensing team says otherwise. */
export class BillingAccountService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async basisOf(accountIds: readonly string[]): Promise<Map<string, BillingBasis>> {
    const rows =
      accountIds.length === 0
        ? []
        : await this.dataSource.getRepository(BillingAccount).findBy({ accountId: In([...accountIds]) });
    const byId = new Map(rows.map((r) => [r.accountId, r.basis]));
    return new Map(accountIds.map((id) => [id, byId.get(id) ?? DEFAULT_BILLING_BASIS]));
  }

  async setBasis(
    principal: Principal | undefined,
    accountId: string,
    basis: BillingBasis,
  ): Promise<BillingBasis> {
    requireRole(principal, 'LICENSING_ADMIN');
    assertCanSeeAccount(principal, accountId);
    await this.dataSource.transaction(async (manager) => {
      const existing = await manager.findOneBy(BillingAccount, { accountId });
      if (existing) await manager.update(BillingAccount, { accountId }, { basis });
      else await manager.insert(BillingAccount, { accountId, basis, createdAt: this.clock.now() });
    });
    return basis;
  }
}
