import { In, type EntityManager } from 'typeorm';
import {
  type Clock,
  type Principal,
  assertCanSeeAccount,
  notFound,
  requireRole,
  type Database,
} from '@lic/shared';
import { BillingAccount, type BillingBasis } from './billing-account.entity.js';
import { BillingServer } from './billing-server.entity.js';

export const DEFAULT_BILLING_BASIS: BillingBasis = 'NAMED';

/** How each account is billed (NAMED or CONCURRENT users); NAMED until the licensing team says otherwise. */
export class BillingAccountService {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
  ) {}

  /** The servers billing knows, by id (missing ones absent). */
  async servers(serverIds: readonly string[]): Promise<BillingServer[]> {
    if (serverIds.length === 0) return [];
    return this.database.dataSource.getRepository(BillingServer).findBy({ serverId: In([...serverIds]) });
  }

  async basisOf(accountIds: readonly string[]): Promise<Map<string, BillingBasis>> {
    const rows =
      accountIds.length === 0
        ? []
        : await this.database.dataSource
            .getRepository(BillingAccount)
            .findBy({ accountId: In([...accountIds]) });
    const byId = new Map(rows.map((r) => [r.accountId, r.basis]));
    return new Map(accountIds.map((id) => [id, byId.get(id) ?? DEFAULT_BILLING_BASIS]));
  }

  /** The accounts subgraph created an account: billing knows it from now on (billed NAMED). */
  async accountCreated(manager: EntityManager, accountId: string): Promise<void> {
    if (await manager.findOneBy(BillingAccount, { accountId })) return;
    await manager.insert(BillingAccount, {
      accountId,
      basis: DEFAULT_BILLING_BASIS,
      createdAt: this.clock.now(),
    });
  }

  /**
   * Sets the basis of an account billing knows: one the accounts subgraph announced, or (for
   * accounts created before billing listened for that) one with a registered server. Any other id
   * is NOT_FOUND: nothing is stored for an account that does not exist.
   */
  async setBasis(
    principal: Principal | undefined,
    accountId: string,
    basis: BillingBasis,
  ): Promise<BillingBasis> {
    requireRole(principal, 'LICENSING_ADMIN');
    assertCanSeeAccount(principal, accountId);
    await this.database.transaction(async (manager) => {
      const existing = await manager.findOneBy(BillingAccount, { accountId });
      if (existing) {
        await manager.update(BillingAccount, { accountId }, { basis });
        return;
      }
      if (!(await manager.existsBy(BillingServer, { accountId }))) throw notFound('Account', accountId);
      await manager.insert(BillingAccount, { accountId, basis, createdAt: this.clock.now() });
    });
    return basis;
  }
}
