import {
  type Clock,
  type Connection,
  type PageArgs,
  type PageBounds,
  type Principal,
  type SqlOrder,
  badInput,
  pageFromQuery,
} from '@lic/shared';
import { type Db } from '../db/db.js';
import { LicenseDenial } from '../pool/denial.entity.js';
import { type PoolRow, type PoolStore } from '../pool/pool.store.js';
import { concurrentTwin, licenseOf } from '../rules/licenses.js';
import { Server, serverSnapshot } from '../server/server.entity.js';
import { type ServerService } from '../server/server.service.js';
import { type LicenseStatistic } from './statistic.types.js';
import { buildStatistics, statisticsVersion } from './statistics.js';
import { type StatisticsMessage } from './statistics.publisher.js';

export interface DenialFilter {
  key?: string | null;
  from?: Date | null;
  to?: Date | null;
  limit?: number | null;
}

/** Denials newest first; cursors of `licenseDenialsConnection`. */
export const DENIAL_ORDER: SqlOrder<LicenseDenial> = {
  list: 'licenseDenials',
  direction: 'DESC',
  key: (d) => d.occurredAt.getTime(),
  id: (d) => d.id,
  keyColumn: 'd.occurredAt',
  idColumn: 'd.id',
};

export class StatisticsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly servers: ServerService,
    private readonly pools: PoolStore,
  ) {}

  /** Statistics of several servers in two statements (the loaders' batch): each its unit's pools. */
  async forServers(servers: readonly Server[]): Promise<Map<string, LicenseStatistic[]>> {
    const pools = await this.db.read((m) =>
      this.pools.byServers(m, [...new Set(servers.map((s) => s.unitId))]),
    );
    const byUnit = new Map<string, PoolRow[]>();
    for (const pool of pools) byUnit.set(pool.serverId, [...(byUnit.get(pool.serverId) ?? []), pool]);
    return new Map(servers.map((s) => [s.id, buildStatistics(byUnit.get(s.unitId) ?? [], s)]));
  }

  /** The message the PubSub carries: server and its unit's pools read together (one consistent state). */
  async message(serverId: string): Promise<Extract<StatisticsMessage, { kind: 'statistics' }> | null> {
    const { server, pools } = await this.db.read(async (m) => {
      const row = await m.getRepository(Server).findOneBy({ id: serverId });
      return { server: row, pools: row ? await this.pools.byServers(m, [row.unitId]) : [] };
    });
    if (!server) return null;
    return this.toMessage(server, pools);
  }

  /**
   * The messages after a change of a server's unit: one per member, so that a subscriber of
   * either member of a switchover pair sees the pair's pools change.
   */
  async unitMessages(serverId: string): Promise<Array<Extract<StatisticsMessage, { kind: 'statistics' }>>> {
    const { members, pools } = await this.db.read(async (m) => {
      const row = await m.getRepository(Server).findOneBy({ id: serverId });
      if (!row) return { members: [], pools: [] };
      const unit =
        row.unitId === row.id && !row.switchoverPartnerId
          ? [row]
          : await this.servers.unitMembers(m, row.unitId);
      return { members: unit, pools: await this.pools.byServers(m, [row.unitId]) };
    });
    return members.map((server) => this.toMessage(server, pools));
  }

  private toMessage(server: Server, pools: PoolRow[]): Extract<StatisticsMessage, { kind: 'statistics' }> {
    const serverId = server.id;
    return {
      kind: 'statistics',
      serverId,
      version: statisticsVersion(pools),
      at: this.clock.now().toISOString(),
      server: serverSnapshot(server),
      statistics: buildStatistics(pools, server).map((s) => ({
        ...s,
        peakAt: s.peakAt?.toISOString() ?? null,
      })),
    };
  }

  /**
   * Refusals per licence over the last hour and day (the fleet's "denials lately"): one grouped
   * read of the unit's denial report, licences with none left out.
   */
  async recentDenials(
    principal: Principal | undefined,
    serverId: string,
  ): Promise<Array<{ key: string; lastHour: number; lastDay: number }>> {
    const { unitId } = await this.servers.require(principal, serverId, 'read');
    const now = this.clock.now().getTime();
    const rows = (await this.db.read((m) =>
      m.query(
        'SELECT pool_key, SUM(CASE WHEN occurred_at >= ? THEN 1 ELSE 0 END) AS last_hour, COUNT(*) AS last_day ' +
          'FROM license_denial WHERE server_id = ? AND occurred_at >= ? AND occurred_at <= ? GROUP BY pool_key',
        [now - 3_600_000, unitId, now - 86_400_000, now],
      ),
    )) as Array<Record<string, unknown>>;
    const byLicense = new Map<string, { key: string; lastHour: number; lastDay: number }>();
    for (const row of rows) {
      const key = licenseOf(String(row.pool_key));
      const entry = byLicense.get(key) ?? { key, lastHour: 0, lastDay: 0 };
      entry.lastHour += Number(row.last_hour);
      entry.lastDay += Number(row.last_day);
      byLicense.set(key, entry);
    }
    return [...byLicense.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** The denial report: who was refused which licence, and when (newest first). */
  /** One page of the denial report (newest first), keyset on (occurredAt, id). */
  async denialsPage(
    principal: Principal | undefined,
    serverId: string,
    filter: Omit<DenialFilter, 'limit'>,
    args: PageArgs,
    bounds?: PageBounds,
  ): Promise<Connection<LicenseDenial>> {
    const { unitId } = await this.servers.require(principal, serverId, 'read');
    return this.db.read((m) => {
      const query = m
        .getRepository(LicenseDenial)
        .createQueryBuilder('d')
        .where('d.serverId = :unitId', { unitId });
      if (filter.key) {
        const license = licenseOf(filter.key);
        query.andWhere('d.key IN (:...keys)', { keys: [license, concurrentTwin(license)] });
      }
      if (filter.from) query.andWhere('d.occurredAt >= :from', { from: filter.from.getTime() });
      if (filter.to) query.andWhere('d.occurredAt < :to', { to: filter.to.getTime() });
      return pageFromQuery(query, args, DENIAL_ORDER, bounds);
    });
  }

  async denials(
    principal: Principal | undefined,
    serverId: string,
    filter: DenialFilter,
  ): Promise<LicenseDenial[]> {
    // A switchover pair's denials are its unit's, whichever member reported them.
    const { unitId } = await this.servers.require(principal, serverId, 'read');
    const limit = filter.limit ?? 500;
    if (!Number.isInteger(limit) || limit < 1 || limit > 5000)
      throw badInput('limit must be from 1 to 5000', 'limit');
    return this.db.read((m) => {
      const query = m
        .getRepository(LicenseDenial)
        .createQueryBuilder('d')
        .where('d.serverId = :unitId', { unitId });
      if (filter.key) {
        // A licence's denials: from its assignable pool and its concurrent twin.
        const license = licenseOf(filter.key);
        query.andWhere('d.key IN (:...keys)', { keys: [license, concurrentTwin(license)] });
      }
      if (filter.from) query.andWhere('d.occurredAt >= :from', { from: filter.from.getTime() });
      if (filter.to) query.andWhere('d.occurredAt < :to', { to: filter.to.getTime() });
      return query.orderBy('d.occurredAt', 'DESC').addOrderBy('d.id', 'ASC').limit(limit).getMany();
    });
  }
}
