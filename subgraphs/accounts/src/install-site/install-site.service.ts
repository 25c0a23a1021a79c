import { randomUUID } from 'node:crypto';
import { In, type EntityManager } from 'typeorm';
import { type Clock, Topics, badInput, notFound, parseInput, recordEvent, type Database } from '@lic/shared';
import { type TenantScope } from '../access/tenant-scope.js';
import { Account } from '../account/account.entity.js';
import { InstallSite } from './install-site.entity.js';
import {
  type CreateInstallSite,
  type UpdateInstallSite,
  createInstallSiteSchema,
  updateInstallSiteSchema,
} from './install-site.inputs.js';

/** Sites are managed by the licensing team, the customer's administrators and the partner that sold to it. */
const SITE_MANAGERS = ['LICENSING_ADMIN', 'CUSTOMER_ADMIN', 'PARTNER'] as const;

export class InstallSiteService {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
  ) {}

  async byIds(ids: readonly string[]): Promise<InstallSite[]> {
    if (ids.length === 0) return [];
    return this.database.dataSource.getRepository(InstallSite).findBy({ id: In([...ids]) });
  }

  async byAccountIds(accountIds: readonly string[]): Promise<InstallSite[]> {
    if (accountIds.length === 0) return [];
    return this.database.dataSource
      .getRepository(InstallSite)
      .find({ where: { accountId: In([...accountIds]) }, order: { name: 'ASC', id: 'ASC' } });
  }

  async visible(scope: TenantScope, site: InstallSite | null): Promise<InstallSite | null> {
    if (!site) return null;
    await scope.assertAccess(site.accountId);
    return site;
  }

  async require(scope: TenantScope, id: string): Promise<InstallSite> {
    const site = await this.database.dataSource.getRepository(InstallSite).findOneBy({ id });
    if (!site) throw notFound('Install site', id);
    await scope.assertAccess(site.accountId);
    return site;
  }

  async create(scope: TenantScope, input: CreateInstallSite): Promise<InstallSite> {
    scope.requireRole(...SITE_MANAGERS);
    await scope.assertAccess(input.accountId);
    const { name, address } = parseInput(createInstallSiteSchema, input);
    if (!(await this.database.dataSource.getRepository(Account).existsBy({ id: input.accountId }))) {
      throw notFound('Account', input.accountId);
    }
    const now = this.clock.now();
    const site: InstallSite = {
      id: randomUUID(),
      accountId: input.accountId,
      name,
      address,
      active: true,
      createdAt: now,
      updatedAt: now,
      deactivatedAt: null,
    };
    await this.database.transaction(async (manager) => {
      await manager.insert(InstallSite, { ...site });
      await this.announce(manager, site, true);
    });
    return site;
  }

  async update(scope: TenantScope, id: string, input: UpdateInstallSite): Promise<InstallSite> {
    scope.requireRole(...SITE_MANAGERS);
    const site = await this.require(scope, id);
    const parsed = parseInput(updateInstallSiteSchema, input);
    const now = this.clock.now();
    const changes: Partial<InstallSite> = { updatedAt: now };
    if (parsed.name !== undefined && parsed.name !== null) changes.name = parsed.name;
    if (input.address !== undefined) changes.address = parsed.address ?? null;
    if (input.active !== undefined && input.active !== null && input.active !== site.active) {
      changes.active = input.active;
      changes.deactivatedAt = input.active ? null : now;
    }
    const updated = { ...site, ...changes };
    await this.database.transaction(async (manager) => {
      await manager.update(InstallSite, { id }, changes);
      if (changes.active !== undefined) await this.announce(manager, site, changes.active);
    });
    return updated;
  }

  /** Allocation registers servers only at an active site of their own account: it learns sites from this. */
  private async announce(manager: EntityManager, site: InstallSite, active: boolean): Promise<void> {
    await recordEvent(manager, this.clock, Topics.InstallSiteChanged, {
      installSiteId: site.id,
      accountId: site.accountId,
      active,
    });
  }

  /** Deactivating keeps the site and its files (history); no new file can be generated for it. */
  async deactivate(scope: TenantScope, id: string): Promise<InstallSite> {
    const site = await this.require(scope, id);
    if (!site.active) throw badInput(`Install site ${site.name} is already deactivated`, 'id');
    return this.update(scope, id, { active: false });
  }
}
