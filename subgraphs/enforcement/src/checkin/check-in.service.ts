import { randomUUID } from 'node:crypto';
import { type DataSource, type EntityManager } from 'typeorm';
import {
  type Clock,
  type Database,
  type Principal,
  type ServerStartedPayload,
  assertNotInFuture,
  badInput,
  notFound,
  requireRole,
} from '@lic/shared';
import { assertCredentialInForce, assertMayCheckIn } from '../access/access.js';
import { judgeStanding, type StandingVerdict } from '../rules/standing.js';
import { noteOf, type StandingService } from '../standing/standing.service.js';
import { type EnforcementServer } from '../status/enforcement-server.entity.js';
import { type EnforcementService } from '../status/enforcement.service.js';
import { type StageWriter } from '../status/stage-writer.js';
import { CheckInRow, type CheckInKindValue } from './check-in.entity.js';

export const MAX_CHECK_INS_LISTED = 500;

export interface RecordCheckIn {
  serverId: string;
  /** The server's own report of its check (`recordCheckIn`); never grants good standing by itself. */
  success?: boolean | null | undefined;
  occurredAt?: Date | null | undefined;
  kind?: CheckInKindValue | null | undefined;
}

/** A check-in's outcome: the server's record after it and the platform's verdict on it. */
export interface CheckInOutcome {
  row: EnforcementServer;
  verdict: StandingVerdict;
}

const reportedFailure: StandingVerdict = {
  goodStanding: false,
  reason: 'CHECK_REPORTED_FAILED',
  message: 'The server reported that its check did not succeed',
};

/** The last good check-in at or before an instant, per server. */
export interface GoodCheckInQuery {
  serverId: string;
  asOf: Date;
}

/**
 * Check-ins: a server asks, the platform decides (see rules/standing.ts). Each attempt is recorded
 * with the verdict and, on a refusal, the reason; a good one moves the last good check-in forward
 * (never back: reports arriving out of order keep the latest) and so can end enforcement. A
 * refused one leaves the stage timeline as it is.
 */
export class CheckInService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly database: Database,
    private readonly writer: StageWriter,
    private readonly servers: EnforcementService,
    private readonly standing: StandingService,
    /** A server clock a little ahead of ours is normal; further ahead is refused (EVENT_IN_FUTURE). */
    private readonly futureToleranceSeconds: number,
  ) {}

  /**
   * `checkIn` / `recordCheckIn`: the server asks with its own credential; the platform answers
   * from its own records. `success: false` (the server saying its check failed) is recorded as a
   * refusal; `success: true` is only the server's report and grants nothing by itself.
   */
  async checkIn(principal: Principal | undefined, input: RecordCheckIn): Promise<CheckInOutcome> {
    const caller = assertMayCheckIn(principal, input.serverId);
    const now = this.clock.now();
    const occurredAt = input.occurredAt ?? now;
    if (Number.isNaN(occurredAt.getTime()))
      throw badInput('occurredAt must be a valid instant', 'occurredAt');
    assertNotInFuture(occurredAt, now, this.futureToleranceSeconds);
    const kind = input.kind ?? 'PERIODIC';
    if (kind === 'OVERRIDE') throw badInput('A server cannot override its own standing', 'kind');
    const reported = input.success ?? null;
    let verdict: StandingVerdict = reportedFailure;
    const result = await this.database.transaction((manager) =>
      this.writer.write(manager, input.serverId, {
        cause: 'CHECK_IN',
        mutate: async (row, m) => {
          // Checked on the claimed row: a credential replaced meanwhile is refused, nothing recorded.
          assertCredentialInForce(caller, row.credentialId);
          verdict = await this.verdictFor(m, row, occurredAt, reported);
          await this.recordAttempt(m, row, { kind, verdict, reported, reportedAt: occurredAt });
        },
      }),
    );
    if (!result) throw notFound('Server', input.serverId);
    return { row: result.row, verdict };
  }

  /**
   * A licensing administrator's manual override: good standing granted by hand, recorded with who
   * and why (in the check-ins and in the stage history, cause OVERRIDE).
   */
  async override(
    principal: Principal | undefined,
    serverId: string,
    reason: string,
  ): Promise<CheckInOutcome> {
    const p = requireRole(principal, 'LICENSING_ADMIN');
    const note = noteOf(reason, 'reason');
    const verdict: StandingVerdict = { goodStanding: true };
    const result = await this.database.transaction((manager) =>
      this.writer.write(manager, serverId, {
        cause: 'OVERRIDE',
        actor: { by: p.sub, note },
        mutate: (row, m) =>
          this.recordAttempt(m, row, {
            kind: 'OVERRIDE',
            verdict,
            reported: null,
            reportedAt: this.clock.now(),
            actor: { by: p.sub, note },
          }),
      }),
    );
    if (!result) throw notFound('Server', serverId);
    return { row: result.row, verdict };
  }

  /** The platform's verdict on a check made at `at`, from enforcement's own records. */
  private async verdictFor(
    manager: EntityManager,
    row: EnforcementServer,
    at: Date,
    reported: boolean | null,
  ): Promise<StandingVerdict> {
    if (reported === false) return reportedFailure;
    return judgeStanding(await this.standing.factsFor(manager, row), at);
  }

  /**
   * Applies `allocation.server-started`: a server checks with the platform at start-up and at
   * switchover (it reported the start with its own credential). The platform decides as for any
   * check-in; a refused one is recorded with its reason and makes the status warn at once.
   */
  async onServerStarted(manager: EntityManager, payload: ServerStartedPayload): Promise<void> {
    await this.servers.ensureServer(manager, payload.serverId, payload.accountId);
    const kind: CheckInKindValue = payload.switchover ? 'SWITCHOVER' : 'STARTUP';
    const at = new Date(payload.occurredAt);
    const reported = payload.checkInSucceeded ?? null;
    await this.writer.write(manager, payload.serverId, {
      cause: 'CHECK_IN',
      mutate: async (row, m) => {
        const verdict = await this.verdictFor(m, row, at, reported);
        await this.recordAttempt(m, row, { kind, verdict, reported, reportedAt: at });
      },
    });
  }

  /**
   * Records one attempt with its verdict; a replay of the same report (same server, kind and
   * instant) is the same row, upgraded to good standing if the platform grants it on either
   * asking. Only a good verdict moves the last good check-in. Runs with the server row claimed.
   */
  private async recordAttempt(
    manager: EntityManager,
    row: EnforcementServer,
    attempt: {
      kind: CheckInKindValue;
      verdict: StandingVerdict;
      reported: boolean | null;
      reportedAt: Date;
      actor?: { by: string; note: string };
    },
  ): Promise<void> {
    const { kind, verdict } = attempt;
    const now = this.clock.now();
    // Within the allowed skew a report "from the future" happened now as far as we can tell.
    const occurredAt = attempt.reportedAt > now ? now : attempt.reportedAt;
    const reason = verdict.goodStanding ? null : verdict.reason;
    const existing = await manager.findOneBy(CheckInRow, { serverId: row.serverId, kind, occurredAt });
    if (!existing) {
      await manager.insert(CheckInRow, {
        id: randomUUID(),
        serverId: row.serverId,
        kind,
        success: verdict.goodStanding,
        reason,
        reportedSuccess: attempt.reported,
        actor: attempt.actor?.by ?? null,
        note: attempt.actor?.note ?? null,
        occurredAt,
        recordedAt: now,
      });
    } else if (verdict.goodStanding && existing.success !== true) {
      await manager.update(CheckInRow, { id: existing.id }, { success: true, reason: null });
    } else if (!verdict.goodStanding && existing.success === null) {
      await manager.update(CheckInRow, { id: existing.id }, { success: false, reason });
    }
    if (verdict.goodStanding) {
      if (row.lastGoodCheckIn === null || occurredAt > row.lastGoodCheckIn) row.lastGoodCheckIn = occurredAt;
      if (row.standingWarningAt !== null && row.standingWarningAt <= row.lastGoodCheckIn)
        row.standingWarningAt = null;
    } else if ((kind === 'STARTUP' || kind === 'SWITCHOVER') && row.applicable) {
      // Started without good standing: the status warns at once, until a good check-in.
      if (row.standingWarningAt === null || occurredAt > row.standingWarningAt)
        row.standingWarningAt = occurredAt;
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
