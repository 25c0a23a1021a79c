import { randomUUID } from 'node:crypto';
import { Brackets, In, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import {
  type ActivationFileGeneratedPayload,
  type ActivationFileDeactivatedPayload,
  type ActivationFileUpdatedPayload,
  type Clock,
  type Connection,
  DomainError,
  ErrorCode,
  type LicenseFileContent,
  type LicenseModel,
  type PageArgs,
  type PageBounds,
  type Principal,
  type SqlOrder,
  Topics,
  VIRTUAL_CLOUD_KEY,
  badInput,
  forbidden,
  licenseFileName,
  notFound,
  optionalText,
  pageFromQuery,
  parseInput,
  recordEvent,
  signLicenseFile,
  type Database,
} from '@lic/shared';
import { type TenantScope } from '../access/tenant-scope.js';
import { InstallSite } from '../install-site/install-site.entity.js';
import { type Catalog } from '../part/catalog.js';
import { OrderedItem, SalesOrder } from '../sales-order/sales-order.entity.js';
import {
  ActivationFile,
  type ActivationFileDownload,
  ActivationFileItem,
  FileItemRole,
} from './activation-file.entity.js';
import {
  type FileItemInput,
  type FilePlan,
  type FileSpecification,
  type PlanContext,
  type SwitchoverInput,
  type Take,
  planActivationFile,
} from './planner.js';
import { isNonOrderedDevelopment, serverTier } from './rules.js';
import {
  type ActivationFileFilter,
  type UpdateActivationFile,
  activationFileFilterSchema,
} from './activation-file.inputs.js';

export type { ActivationFileFilter } from './activation-file.inputs.js';

export interface GenerateOptions {
  /** Set when the licensing team fulfils a request: the file is linked to it and may hold bundles. */
  requestId?: string;
  /** The request's account: the install site must belong to it. */
  accountId?: string;
  /** Runs in the generation's transaction, after the file is written. */
  within?: (manager: EntityManager, file: ActivationFile) => Promise<void>;
}

interface Delta {
  partNumber: string;
  licenseModel: LicenseModel;
  assigned: number;
  pooled: number;
  development: number;
}

/** Activation files newest first; cursors of `activationFilesConnection` and `Account.activationFilesConnection`. */
export const ACTIVATION_FILE_ORDER: SqlOrder<ActivationFile> = {
  list: 'activationFiles',
  direction: 'DESC',
  key: (f) => f.generatedAt.getTime(),
  id: (f) => f.id,
  keyColumn: 'f.generated_at',
  idColumn: 'f.id',
};

export class ActivationFileService {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly catalog: () => Catalog,
    private readonly privateKeyPem: string,
  ) {}

  // ---- reads (loaders) -----------------------------------------------------------------------

  async byIds(ids: readonly string[]): Promise<ActivationFile[]> {
    if (ids.length === 0) return [];
    return this.database.dataSource.getRepository(ActivationFile).findBy({ id: In([...ids]) });
  }

  async byAccountIds(accountIds: readonly string[]): Promise<ActivationFile[]> {
    if (accountIds.length === 0) return [];
    return this.database.dataSource
      .getRepository(ActivationFile)
      .find({ where: { accountId: In([...accountIds]) }, order: { generatedAt: 'DESC', id: 'ASC' } });
  }

  async bySiteIds(siteIds: readonly string[]): Promise<ActivationFile[]> {
    if (siteIds.length === 0) return [];
    return this.database.dataSource
      .getRepository(ActivationFile)
      .find({ where: { installSiteId: In([...siteIds]) }, order: { generatedAt: 'DESC', id: 'ASC' } });
  }

  async itemsByFileIds(fileIds: readonly string[]): Promise<ActivationFileItem[]> {
    if (fileIds.length === 0) return [];
    return this.database.dataSource.getRepository(ActivationFileItem).findBy({ fileId: In([...fileIds]) });
  }

  /** The file if the caller may see it; FORBIDDEN for another tenant's file. */
  async visible(scope: TenantScope, file: ActivationFile | null): Promise<ActivationFile | null> {
    if (!file) return null;
    await scope.assertAccess(file.accountId);
    return file;
  }

  async require(scope: TenantScope, id: string): Promise<ActivationFile> {
    const file = await this.database.dataSource.getRepository(ActivationFile).findOneBy({ id });
    if (!file) throw notFound('Activation file', id);
    await scope.assertAccess(file.accountId);
    return file;
  }

  async list(
    scope: TenantScope,
    accountId: string,
    filter: ActivationFileFilter = {},
  ): Promise<ActivationFile[]> {
    const qb = await this.filtered(scope, accountId, filter);
    return qb.orderBy('f.generated_at', 'DESC').addOrderBy('f.id', 'ASC').getMany();
  }

  /** One page of `list` (newest first), keyset on (generated_at, id). */
  async page(
    scope: TenantScope,
    accountId: string,
    filter: ActivationFileFilter,
    args: PageArgs,
    bounds?: PageBounds,
  ): Promise<Connection<ActivationFile>> {
    return pageFromQuery(await this.filtered(scope, accountId, filter), args, ACTIVATION_FILE_ORDER, bounds);
  }

  /** The account's files matching the filter, tenant-checked, unordered. */
  private async filtered(
    scope: TenantScope,
    accountId: string,
    input: ActivationFileFilter,
  ): Promise<SelectQueryBuilder<ActivationFile>> {
    await scope.assertAccess(accountId);
    const filter = parseInput(activationFileFilterSchema, input, 'filter');
    const qb = this.database.dataSource
      .getRepository(ActivationFile)
      .createQueryBuilder('f')
      .where('f.account_id = :accountId', { accountId });
    if (filter.installSiteId) qb.andWhere('f.install_site_id = :siteId', { siteId: filter.installSiteId });
    if (filter.generatedFrom)
      qb.andWhere('f.generated_at >= :from', { from: filter.generatedFrom.getTime() });
    if (filter.generatedTo) qb.andWhere('f.generated_at <= :to', { to: filter.generatedTo.getTime() });
    const active = filter.active ?? 'ALL';
    if (active !== 'ALL') qb.andWhere('f.active = :active', { active: active === 'YES' });
    if (filter.productLine)
      qb.andWhere('LOWER(f.product) = :product', { product: filter.productLine.trim().toLowerCase() });
    if (filter.licenseType) qb.andWhere('f.license_type = :type', { type: filter.licenseType });
    if (filter.generatedBy) qb.andWhere('f.generated_by = :by', { by: filter.generatedBy.trim() });
    if (filter.machineName) {
      const machine = filter.machineName.trim().toLowerCase();
      // A switchover file is for both computers of the pair.
      qb.andWhere(
        new Brackets((w) =>
          w.where('LOWER(f.machine_name) = :machine').orWhere('LOWER(f.switchover_name) = :machine'),
        ),
        {
          machine,
        },
      );
    }
    return qb;
  }

  // ---- generate --------------------------------------------------------------------------------

  /** Generate a file: every input of the New Activation File tab; quantities taken atomically. */
  async generate(
    scope: TenantScope,
    spec: FileSpecification,
    options: GenerateOptions = {},
  ): Promise<ActivationFile> {
    scope.requireRole('LICENSING_ADMIN', 'CUSTOMER_ADMIN', 'PARTNER');
    const site = await this.database.dataSource
      .getRepository(InstallSite)
      .findOneBy({ id: spec.installSiteId });
    if (!site) throw notFound('Install site', spec.installSiteId);
    const principal = await this.assertMayManage(scope, site.accountId);
    if (options.accountId && site.accountId !== options.accountId) {
      throw badInput("The install site must belong to the request's account", 'installSiteId');
    }
    if (!site.active) throw badInput(`Install site ${site.name} is deactivated`, 'installSiteId');
    const ctx = await this.planContext(scope, site.accountId, options.requestId !== undefined);
    const plan = planActivationFile(spec, ctx);
    const id = randomUUID();
    const content = signLicenseFile(toContent(id, 1, site, plan), this.privateKeyPem);
    const generatedFile = await this.database.transaction(async (manager) => {
      if (plan.tier === 'MEDIA' && plan.virtualCloud)
        await this.requireVirtualCloudServer(manager, site.id, id);
      await this.applyTakes(manager, site.accountId, plan.takes, []);
      const now = this.clock.now();
      const file = manager.create(ActivationFile, {
        ...rowOf(plan, content),
        id,
        revision: 1,
        accountId: site.accountId,
        installSiteId: site.id,
        generatedBy: principal.sub,
        active: true,
        downloadCount: 0,
        lastDownloadedAt: null,
        updatedAt: now,
        updatedBy: null,
        deactivatedAt: null,
        deactivatedBy: null,
        deactivationReason: null,
        requestId: options.requestId ?? null,
      });
      await manager.insert(ActivationFile, file);
      await manager.insert(ActivationFileItem, itemRows(id, plan.takes));
      await options.within?.(manager, file);
      const generated: ActivationFileGeneratedPayload = {
        fileId: id,
        accountId: site.accountId,
        installSiteId: site.id,
        revision: 1,
        licenseType: file.licenseType,
        expiresAt: file.expiresAt.toISOString(),
        generatedAt: now.toISOString(),
      };
      await recordEvent(manager, this.clock, Topics.ActivationFileGenerated, generated, now);
      return file;
    });
    return generatedFile;
  }

  // ---- update (including upgrading a file to a newer product version) -------------------------

  async update(scope: TenantScope, id: string, changes: UpdateActivationFile): Promise<ActivationFile> {
    const file = await this.require(scope, id);
    await this.assertMayManage(scope, file.accountId);
    if (!file.active) throw badInput('A deactivated file cannot be updated: generate a new one', 'id');
    const site = await this.database.dataSource
      .getRepository(InstallSite)
      .findOneByOrFail({ id: file.installSiteId });
    if (!site.active) throw badInput(`Install site ${site.name} is deactivated`, 'installSiteId');
    const previous = await this.itemsByFileIds([id]);
    const partnerDevelopment = isNonOrderedDevelopment(file.licenseType) && previous.every((i) => !i.taken);
    const ctx: PlanContext = {
      ...(await this.planContext(scope, file.accountId, file.requestId !== null)),
      keep: {
        licenseModel: file.licenseModel,
        generatedAt: file.generatedAt,
        validity: {
          expiresAt: file.expiresAt,
          ...(file.reRegisterBy ? { reRegisterBy: file.reRegisterBy } : {}),
        },
        partnerDevelopment,
      },
      terms: { rampDate: file.rampDate, gracePeriodDays: file.gracePeriodDays },
    };
    const plan = planActivationFile(mergeSpecification(file, previous, changes), ctx);
    // Every update is a new revision, signed into the content: the older ones never load again.
    const revision = file.revision + 1;
    const content = signLicenseFile(toContent(id, revision, site, plan), this.privateKeyPem);
    const principal = scope.caller;
    await this.database.transaction(async (manager) => {
      const now = this.clock.now();
      // Optimistic: a concurrent update or deactivation of the same file makes this one fail cleanly.
      const result = await manager
        .createQueryBuilder()
        .update(ActivationFile)
        .set({ ...rowOf(plan, content), revision, updatedAt: now, updatedBy: principal.sub })
        .where('id = :id AND active = :active AND updated_at = :seen AND revision = :seenRevision', {
          id,
          active: true,
          seen: file.updatedAt.getTime(),
          seenRevision: file.revision,
        })
        .execute();
      if (result.affected !== 1)
        throw badInput('The file changed meanwhile (updated or deactivated): reload it and try again', 'id');
      if (plan.tier === 'MEDIA' && plan.virtualCloud)
        await this.requireVirtualCloudServer(manager, site.id, id);
      await this.applyTakes(manager, file.accountId, plan.takes, previous.map(takeOf));
      await manager.delete(ActivationFileItem, { fileId: id });
      await manager.insert(ActivationFileItem, itemRows(id, plan.takes));
      // The server running the file takes the new quantities at once (allocation consumes this).
      const payload: ActivationFileUpdatedPayload = {
        fileId: id,
        accountId: file.accountId,
        revision,
        content,
        updatedAt: now.toISOString(),
      };
      await recordEvent(manager, this.clock, Topics.ActivationFileUpdated, payload, now);
    });
    return this.database.dataSource.getRepository(ActivationFile).findOneByOrFail({ id });
  }

  // ---- deactivate --------------------------------------------------------------------------------

  /** A wrongly generated file, or one to reallocate: its quantities return to the account. */
  async deactivate(scope: TenantScope, id: string, reason?: string | null): Promise<ActivationFile> {
    const file = await this.require(scope, id);
    const principal = scope.requireRole('LICENSING_ADMIN', 'CUSTOMER_ADMIN', 'PARTNER');
    if (
      !scope.isAdmin &&
      file.licenseModel === 'SUBSCRIPTION' &&
      !isNonOrderedDevelopment(file.licenseType)
    ) {
      throw forbidden(
        'Subscription activation files are managed by the licensing team: submit an activation file request',
      );
    }
    const why = optionalText(reason, 'reason', 'The reason', 500);
    const items = await this.itemsByFileIds([id]);
    await this.database.transaction(async (manager) => {
      const now = this.clock.now();
      const result = await manager
        .createQueryBuilder()
        .update(ActivationFile)
        .set({
          active: false,
          deactivatedAt: now,
          deactivatedBy: principal.sub,
          deactivationReason: why,
          updatedAt: now,
        })
        .where('id = :id AND active = :active', { id, active: true })
        .execute();
      if (result.affected !== 1) throw badInput('The file is already deactivated', 'id');
      await this.applyTakes(manager, file.accountId, [], items.map(takeOf));
      const payload: ActivationFileDeactivatedPayload = {
        fileId: id,
        accountId: file.accountId,
        deactivatedAt: now.toISOString(),
      };
      await recordEvent(manager, this.clock, Topics.ActivationFileDeactivated, payload, now);
    });
    return this.database.dataSource.getRepository(ActivationFile).findOneByOrFail({ id });
  }

  // ---- download ----------------------------------------------------------------------------------

  /** Any number of times, as `<machine>.I3Lic`; each download is counted. */
  async download(scope: TenantScope, id: string): Promise<ActivationFileDownload> {
    const file = await this.require(scope, id);
    if (!file.active) throw badInput('The file is deactivated: generate a new one', 'id');
    const repo = this.database.dataSource.getRepository(ActivationFile);
    await repo
      .createQueryBuilder()
      .update(ActivationFile)
      .set({ downloadCount: () => 'download_count + 1', lastDownloadedAt: this.clock.now() })
      .where('id = :id', { id })
      .execute();
    const counted = await repo.findOneByOrFail({ id });
    return {
      id,
      fileName: file.fileName,
      contentType: 'text/plain; charset=utf-8',
      content: file.content,
      downloadCount: counted.downloadCount,
    };
  }

  // ---- helpers -----------------------------------------------------------------------------------

  private async assertMayManage(scope: TenantScope, accountId: string): Promise<Principal> {
    const principal = scope.requireRole('LICENSING_ADMIN', 'CUSTOMER_ADMIN', 'PARTNER');
    await scope.assertAccess(accountId);
    if (!principal.certified) {
      throw new DomainError(
        ErrorCode.CERTIFICATION_REQUIRED,
        'Only a person who holds a current CIC Core Technology Certification can generate or change activation files',
      );
    }
    return principal;
  }

  private async planContext(
    scope: TenantScope,
    accountId: string,
    viaRequest: boolean,
  ): Promise<PlanContext> {
    const [orders, entitlements] = await Promise.all([
      this.database.dataSource
        .getRepository(SalesOrder)
        .find({ where: { endUserAccountId: accountId }, order: { createdAt: 'ASC' } }),
      this.database.dataSource.getRepository(OrderedItem).findBy({ accountId }),
    ]);
    return {
      catalog: this.catalog(),
      orders,
      entitlements,
      caller: { admin: scope.isAdmin, partner: scope.isPartner },
      viaRequest,
      now: this.clock.now(),
    };
  }

  /** A Media Server file with virtual-cloud licensing needs the site's CIC server file to have it too. */
  private async requireVirtualCloudServer(
    manager: EntityManager,
    siteId: string,
    fileId: string,
  ): Promise<void> {
    const catalog = this.catalog();
    const files = await manager.find(ActivationFile, { where: { installSiteId: siteId, active: true } });
    const ok = files.some((f) => {
      const part = catalog.find(f.serverItem);
      const tier = part ? serverTier(part) : undefined;
      return (
        f.id !== fileId &&
        tier !== 'MEDIA' &&
        tier !== 'MULTI_SITE' &&
        f.keys.some((k) => k.key === VIRTUAL_CLOUD_KEY)
      );
    });
    if (!ok) {
      throw badInput(
        `A Media Server file with virtual-cloud licensing needs an active CIC server file holding ${VIRTUAL_CLOUD_KEY} at the same install site`,
        'serverItem',
      );
    }
  }

  /**
   * Moves quantities between the ordered items and the file: takes what `next` holds and returns
   * what `previous` held, per part, in one pass ordered by part (so concurrent files lock rows in
   * the same order). Each take is a conditional UPDATE that succeeds only while enough remains: under
   * any concurrency the used quantities never exceed the ordered ones, and a refusal rolls back the
   * whole transaction, so nothing is taken.
   */
  private async applyTakes(
    manager: EntityManager,
    accountId: string,
    next: readonly Take[],
    previous: readonly Take[],
  ): Promise<void> {
    const deltas = new Map<string, Delta>();
    const add = (take: Take, sign: 1 | -1) => {
      if (!take.taken) return;
      const key = `${take.partNumber}\u0000${take.licenseModel}`;
      const delta = deltas.get(key) ?? {
        partNumber: take.partNumber,
        licenseModel: take.licenseModel,
        assigned: 0,
        pooled: 0,
        development: 0,
      };
      if (take.role === FileItemRole.DEVELOPMENT_ALLOWANCE) delta.development += sign;
      else {
        delta.assigned += sign * take.assigned;
        delta.pooled += sign * take.pooled;
      }
      deltas.set(key, delta);
    };
    next.forEach((t) => add(t, 1));
    previous.forEach((t) => add(t, -1));
    const now = this.clock.now();
    for (const key of [...deltas.keys()].sort()) {
      const d = deltas.get(key)!;
      if (d.assigned === 0 && d.pooled === 0 && d.development === 0) continue;
      const qb = manager
        .createQueryBuilder()
        .update(OrderedItem)
        .set({
          assignedUsed: () => 'assigned_used + :assigned',
          pooledUsed: () => 'pooled_used + :pooled',
          devUsed: () => 'dev_used + :development',
          updatedAt: now,
        })
        .where('account_id = :accountId AND license_model = :model AND part_number = :part', {
          accountId,
          model: d.licenseModel,
          part: d.partNumber,
        })
        .setParameters({ assigned: d.assigned, pooled: d.pooled, development: d.development });
      if (d.assigned > 0) qb.andWhere('assigned_ordered - assigned_used >= :assigned');
      if (d.pooled > 0) qb.andWhere('pooled_ordered - pooled_used >= :pooled');
      if (d.development > 0) qb.andWhere('dev_used + :development <= assigned_ordered');
      const result = await qb.execute();
      if (result.affected === 1) continue;
      if (d.assigned > 0 || d.pooled > 0 || d.development > 0)
        throw await this.insufficient(manager, accountId, d);
      throw new Error(`Ordered item ${d.partNumber} (${d.licenseModel}) of account ${accountId} is missing`);
    }
  }

  private async insufficient(manager: EntityManager, accountId: string, d: Delta): Promise<DomainError> {
    const item = await manager.findOneBy(OrderedItem, {
      accountId,
      licenseModel: d.licenseModel,
      partNumber: d.partNumber,
    });
    const part = this.catalog().describe(d.partNumber);
    const remainingAssigned = item ? item.assignedOrdered - item.assignedUsed : 0;
    const remainingPooled = item ? item.pooledOrdered - item.pooledUsed : 0;
    const details = {
      partNumber: d.partNumber,
      licenseModel: d.licenseModel,
      requestedAssigned: Math.max(d.assigned, 0),
      requestedPooled: Math.max(d.pooled, 0),
      remainingAssigned,
      remainingPooled,
    };
    if (d.development > 0) {
      return new DomainError(
        ErrorCode.INSUFFICIENT_ORDERED_QUANTITY,
        `No non-ordered development licence is left on ${part}: each ordered unit of the server item grants one (${item?.devUsed ?? 0} of ${item?.assignedOrdered ?? 0} in use)`,
        details,
      );
    }
    const message = item
      ? `Not enough ${part} remains (${d.licenseModel}): asked for ${details.requestedAssigned} assigned and ${details.requestedPooled} pooled, ${remainingAssigned} assigned and ${remainingPooled} pooled remain`
      : `${part} was not ordered by this account (${d.licenseModel})`;
    return new DomainError(ErrorCode.INSUFFICIENT_ORDERED_QUANTITY, message, details);
  }
}

function toContent(fileId: string, revision: number, site: InstallSite, plan: FilePlan): LicenseFileContent {
  return {
    fileId,
    revision,
    accountId: site.accountId,
    installSiteId: site.id,
    licenseModel: plan.licenseModel,
    licenseType: plan.licenseType,
    product: plan.product,
    productVersion: plan.productVersion,
    generatedAt: plan.generatedAt,
    expiresAt: plan.validity.expiresAt,
    ...(plan.validity.reRegisterBy ? { reRegisterBy: plan.validity.reRegisterBy } : {}),
    machine: plan.machine,
    ...(plan.switchover
      ? {
          switchover: {
            hostId: plan.switchover.hostId,
            machineName: plan.switchover.machineName,
            ...(plan.switchover.systemType !== undefined ? { systemType: plan.switchover.systemType } : {}),
            serverItem: plan.switchover.serverItem,
          },
        }
      : {}),
    ...(plan.virtualCloud ? { virtualCloud: plan.virtualCloud } : {}),
    keys: plan.keys,
  };
}

/** The columns a plan decides (shared by generate and update). */
function rowOf(plan: FilePlan, content: string): Partial<ActivationFile> {
  return {
    licenseModel: plan.licenseModel,
    licenseType: plan.licenseType,
    product: plan.product,
    productVersion: plan.productVersion,
    generatedAt: plan.generatedAt,
    expiresAt: plan.validity.expiresAt,
    reRegisterBy: plan.validity.reRegisterBy ?? null,
    hostId: plan.machine.hostId,
    machineName: plan.machine.machineName,
    systemType: plan.machine.systemType,
    mailConnector: plan.machine.mailConnector ?? null,
    serverItem: plan.serverItem,
    switchoverHostId: plan.switchover?.hostId ?? null,
    switchoverName: plan.switchover?.machineName ?? null,
    switchoverSystemType: plan.switchover?.systemType ?? null,
    switchoverServerItem: plan.switchover?.partNumber ?? null,
    provideSwitchoverLater: plan.provideSwitchoverLater,
    rampDate: plan.virtualCloud?.rampDate ?? null,
    gracePeriodDays: plan.virtualCloud?.gracePeriodDays ?? null,
    keys: plan.keys,
    content,
    fileName: licenseFileName({ machine: plan.machine }),
  };
}

function itemRows(fileId: string, takes: readonly Take[]): ActivationFileItem[] {
  return takes.map((t) => ({
    id: randomUUID(),
    fileId,
    role: t.role,
    partNumber: t.partNumber,
    licenseModel: t.licenseModel,
    assignedQuantity: t.assigned,
    pooledQuantity: t.pooled,
    taken: t.taken,
  }));
}

function takeOf(item: ActivationFileItem): Take {
  return {
    role: item.role,
    partNumber: item.partNumber,
    licenseModel: item.licenseModel,
    assigned: item.assignedQuantity,
    pooled: item.pooledQuantity,
    taken: item.taken,
  };
}

/** The file's current inputs with the requested changes laid over them. */
function mergeSpecification(
  file: ActivationFile,
  items: readonly ActivationFileItem[],
  changes: UpdateActivationFile,
): FileSpecification {
  const listed = (role: FileItemRole): FileItemInput[] =>
    items
      .filter((i) => i.role === role)
      .map((i) => ({
        partNumber: i.partNumber,
        assignedQuantity: i.assignedQuantity,
        pooledQuantity: i.pooledQuantity,
      }));
  const currentSwitchover: SwitchoverInput | null =
    file.switchoverName && file.switchoverServerItem
      ? {
          hostId: file.switchoverHostId,
          machineName: file.switchoverName,
          systemType: file.switchoverSystemType,
          serverItem: file.switchoverServerItem,
        }
      : null;
  const switchover = changes.switchover !== undefined ? changes.switchover : currentSwitchover;
  const provideLater =
    changes.provideSwitchoverLater ??
    (changes.switchover ? false : switchover ? false : file.provideSwitchoverLater);
  return {
    installSiteId: file.installSiteId,
    product: changes.product ?? file.product,
    productVersion: changes.productVersion ?? file.productVersion,
    licenseType: file.licenseType,
    licenseModel: file.licenseModel,
    machine: changes.machine ?? {
      hostId: file.hostId,
      machineName: file.machineName,
      systemType: file.systemType,
      mailConnector: file.mailConnector,
    },
    serverItem: changes.serverItem ?? file.serverItem,
    switchover,
    provideSwitchoverLater: provideLater,
    items: changes.items ?? listed(FileItemRole.ITEM),
    addOnItems: changes.addOnItems ?? listed(FileItemRole.ADD_ON),
    rampDate: changes.rampDate ?? null,
    gracePeriodDays: changes.gracePeriodDays ?? null,
  };
}
