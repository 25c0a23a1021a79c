import { randomUUID } from 'node:crypto';
import { type DataSource, type EntityManager } from 'typeorm';
import {
  type Clock,
  type Principal,
  type ServerStartedPayload,
  assertNotInFuture,
  badInput,
  notFound,
} from '@lic/shared';
import { assertMayRecordCheckIn } from '../access/access.js';
import { type Transactions } from '../db/transactions.js';
import { type EnforcementServer } from '../status/enforcement-server.entity.js';
import { type EnforcementService } from '../status/enforcement.service.js';
import { type StageWriter } from '../status/stage-writer.js';
import { type WriteHooks } from '../status/write-hooks.js';
import { CheckInRow, type CheckInKindValue } from './check-in.entity.js';

export const MAX_CHECK_INS_LISTED = 500;

export interface RecordCheckIn {
  serverId: string;
  success: boolean;
  occurredAt?: Date | null | undefined;
  kind?: CheckInKindValue | null | undefined;
}

/** The last good check-in at or before an instant, per server. */
export interface GoodCheckInQuery {
  serverId: string;
  asOf: Date;
}

/**
 * Check-ins: each attempt is recorded; a successful one moves the last good check-in forward
 * (never back: reports arriving out of order keep the latest) and so can end enforcement.
 */
export class CheckInService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly transactions: Transactions,
    private readonly writer: StageWriter,
    private readonly servers: EnforcementService,
    private readonly hooks: WriteHooks,
    /** A server clock a little ahead of ours is normal; further ahead is refused (EVENT_IN_FUTURE). */
    private readonly futureToleranceSeconds: number,
  ) {}

  /** `recordCheckIn`: the server's own report (or the licensing team's on its behalf). */
  async recordCheckIn(principal: Principal | undefined, input: RecordCheckIn): Promise<EnforcementServer> {
    assertMayRecordCheckIn(principal, input.serverId);
    const now = this.clock.now();
    const occurredAt = input.occurredAt ?? now;
    if (Number.isNaN(occurredAt.getTime()))
      throw badInput('occurredAt must be a valid instant', 'occurredAt');
    assertNotInFuture(occurredAt, now, this.futureToleranceSeconds);
    const kind = input.kind ?? 'PERIODIC';
    const result = await this.transactions.run((manager) =>
      this.writer.write(manager, input.serverId, {
        cause: 'CHECK_IN',
        mutate: (row, m) => this.recordAttempt(m, row, kind, input.success, occurredAt),
      }),
    );
    if (!result) throw notFound('Server', input.serverId);
    this.hooks.committed(result);
    return result.row;
  }

  /**
   * Applies `allocation.server-started`: a server checks with the cloud at start-up and at
   * switchover. The attempt is always recorded; it counts as good standing only when the event
   * reports that the check succeeded (`checkInSucceeded: true`), because a start reported to
   * allocation does not by itself show that the server reached the cloud.
   */
  async onServerStarted(manager: EntityManager, payload: ServerStartedPayload): Promise<void> {
    await this.servers.ensureServer(manager, payload.serverId, payload.accountId);
    const kind: CheckInKindValue = payload.switchover ? 'SWITCHOVER' : 'STARTUP';
    const success = payload.checkInSucceeded ?? null;
    const result = await this.writer.write(manager, payload.serverId, {
      cause: 'CHECK_IN',
      mutate: (row, m) => this.recordAttempt(m, row, kind, success, new Date(payload.occurredAt)),
    });
    if (result) this.hooks.staged(result);
  }

  /**
   * Records one attempt; a replay of the same report (same server, kind and instant) is the same
   * row, upgraded to success if either report succeeded. Runs with the server row claimed.
   */
  private async recordAttempt(
    manager: EntityManager,
    row: EnforcementServer,
    kind: CheckInKindValue,
    success: boolean | null,
    reportedAt: Date,
  ): Promise<void> {
    const now = this.clock.now();
    // Within the allowed skew a report "from the future" happened now as far as we can tell.
    const occurredAt = reportedAt > now ? now : reportedAt;
    const existing = await manager.findOneBy(CheckInRow, { serverId: row.serverId, kind, occurredAt });
    if (!existing) {
      await manager.insert(CheckInRow, {
        id: randomUUID(),
        serverId: row.serverId,
        kind,
        success,
        occurredAt,
        recordedAt: now,
      });
    } else if (success === true && existing.success !== true) {
      await manager.update(CheckInRow, { id: existing.id }, { success: true });
    } else if (success === false && existing.success === null) {
      await manager.update(CheckInRow, { id: existing.id }, { success: false });
    }
    if (success === true && (row.lastGoodCheckIn === null || occurredAt > row.lastGoodCheckIn)) {
      row.lastGoodCheckIn = occurredAt;
    }
  }

  /** The latest attempts of each server, newest first. */
  async latestOf(serverIds: readonly string[], limit: number): Promise<CheckInRow[]> {
    if (serverIds.length === 0) return [];
    const repo = this.dataSource.getRepository(CheckInRow);
    // One statement for any number of servers: number each server's rows newest first, keep the first `limit`.
    const ranked = repo
      .createQueryBuilder('c')
      .select('c.id', 'id')
      .addSelect('ROW_NUMBER() OVER (PARTITION BY c.server_id ORDER BY c.occurred_at DESC, c.id DESC)', 'rn')
      .where('c.server_id IN (:...serverIds)', { serverIds: [...serverIds] });
    return repo
      .createQueryBuilder('c')
      .innerJoin(`(${ranked.getQuery()})`, 'r', 'r.id = c.id')
      .setParameters(ranked.getParameters())
      .where('r.rn <= :limit', { limit })
      .orderBy('c.server_id', 'ASC')
      .addOrderBy('c.occurred_at', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .getMany();
  }

  /** For each query, the last good check-in at or before its `asOf` (one statement per distinct instant). */
  async lastGoodAsOf(queries: readonly GoodCheckInQuery[]): Promise<Array<Date | null>> {
    const byInstant = new Map<number, string[]>();
    for (const q of queries) {
      const ids = byInstant.get(q.asOf.getTime()) ?? [];
      ids.push(q.serverId);
      byInstant.set(q.asOf.getTime(), ids);
    }
    const found = new Map<string, Date>();
    for (const [asOf, serverIds] of byInstant) {
      const rows = await this.dataSource
        .getRepository(CheckInRow)
        .createQueryBuilder('c')
        .select('c.server_id', 'serverId')
        .addSelect('MAX(c.occurred_at)', 'last')
        .where('c.server_id IN (:...serverIds)', { serverIds: [...new Set(serverIds)] })
        .andWhere('c.success = :success', { success: true })
        .andWhere('c.occurred_at <= :asOf', { asOf })
        .groupBy('c.server_id')
        .getRawMany<{ serverId: string; last: string | number | null }>();
      for (const r of rows) if (r.last !== null) found.set(`${r.serverId}@${asOf}`, new Date(Number(r.last)));
    }
    return queries.map((q) => found.get(`${q.serverId}@${q.asOf.getTime()}`) ?? null);
  }
}
