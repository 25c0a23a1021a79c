import { type DataSource, type EntityManager } from 'typeorm';
import { type Clock, type Principal, canAccessAccount, forbidden, notFound, requirePrincipal } from '@lic/shared';
import { EnforcementServer } from './enforcement-server.entity.js';
import { type EnforcementStatus } from './enforcement-status.type.js';

export class EnforcementService {
  constructor(
    private readonly dataSource: DataSource,
    readonly clock: Clock,
  ) {}

  async byIds(ids: readonly string[]): Promise<EnforcementServer[]> {
    if (ids.length === 0) return [];
    return this.dataSource.getRepository(EnforcementServer).createQueryBuilder('s').whereInIds([...ids]).getMany();
  }

  /** Applies `allocation.server-registered`: enforcement learns the server and its tenant. */
  async onServerRegistered(manager: EntityManager, payload: { serverId: string; accountId: string }): Promise<void> {
    const exists = await manager.existsBy(EnforcementServer, { serverId: payload.serverId });
    if (exists) return;
    await manager.insert(EnforcementServer, {
      serverId: payload.serverId,
      accountId: payload.accountId,
      applicable: false,
      rampDate: null,
      graceDays: 7,
      lastGoodCheckIn: null,
      licensedCallPorts: 0,
      stage: 1,
      stageSince: null,
      version: 0,
    });
  }

  assertVisible(principal: Principal | undefined, row: EnforcementServer | null, serverId: string): EnforcementServer {
    const p = requirePrincipal(principal);
    if (!row) throw notFound('Server', serverId);
    if (!canAccessAccount(p, row.accountId) && p.serverId !== serverId) throw forbidden('This server belongs to another tenant');
    return row;
  }

  status(row: EnforcementServer | null, _asOf: Date): EnforcementStatus {
    // Servers without a virtual-cloud licence are never enforced.
    return {
      applicable: row?.applicable ?? false,
      stage: 1,
      stageName: 'FULLY_FUNCTIONAL',
      since: row?.stageSince ?? null,
      nextStageAt: null,
      warning: 'NONE',
      supervisorEnabled: true,
      callPortLimit: null,
    };
  }
}
