import { createHash } from 'node:crypto';
import { type EntityManager } from 'typeorm';
import { type Clock, type StageChangedPayload, Topics, afterCommit, recordEvent } from '@lic/shared';
import { StageChangeRow } from '../history/stage-change.entity.js';
import { type ChangeCause, type PlannedChange, planStageChanges } from '../rules/plan.js';
import { type DemoClock, REAL_TIME } from '../rules/demo-clock.js';
import { supervisorEnabledAt, type Stage } from '../rules/stage.js';
import { EnforcementServer } from './enforcement-server.entity.js';
import { enforcedCallPortLimit, timelineOf } from './status-view.js';

export interface RecordedChange extends PlannedChange {
  seq: number;
  /** Who made the change by hand, and why (a manual override). */
  actor?: { by: string; note: string } | undefined;
  serverId: string;
  accountId: string;
  supervisorEnabled: boolean;
  callPortLimit: number | null;
}

export interface WriteResult {
  /** The row as committed. */
  row: EnforcementServer;
  changes: RecordedChange[];
}

export interface WriteOptions {
  cause: ChangeCause;
  /**
   * The version the caller saw. The claim then succeeds only if no one wrote since: the
   * scheduler's guard against recording a transition another replica already recorded.
   */
  expectedVersion?: number;
  /** Who caused the change by hand, and why (a manual override): recorded in the history. */
  actor?: { by: string; note: string };
  /** Changes the licence terms or the last good check-in on the claimed row (in place). */
  mutate?: (row: EnforcementServer, manager: EntityManager) => Promise<void> | void;
}

/** A stable event id per (server, seq): a transition can only ever be one event. */
export function stageChangeEventId(serverId: string, seq: number): string {
  const h = createHash('sha256').update(`enforcement.stage-changed:${serverId}:${seq}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/**
 * The one write path of a server's enforcement record: claim the row, apply the change, plan
 * the stage changes (including those time brought since the last write), and record them with
 * their history rows and outbox events, all in the caller's transaction.
 */
export class StageWriter {
  private readonly nextStageListeners = new Set<(nextStageAt: Date) => void>();

  constructor(
    private readonly clock: Clock,
    /** The demo accounts' fast enforcement clock; real time for every other account. */
    private readonly demoClock: DemoClock = REAL_TIME,
  ) {}

  /**
   * Calls `listener` with a server's next stage time once a write that planned it has committed
   * (the scheduler arms its timer so).
   */
  onNextStage(listener: (nextStageAt: Date) => void): void {
    this.nextStageListeners.add(listener);
  }

  /** Null when the server is unknown or, with `expectedVersion`, another writer got there first. */
  async write(manager: EntityManager, serverId: string, options: WriteOptions): Promise<WriteResult | null> {
    // Writing first takes the row lock (MariaDB) or the write lock (SQLite): what is read next is
    // the latest committed state, and nobody else changes it before this transaction ends.
    const claim = manager
      .createQueryBuilder()
      .update(EnforcementServer)
      .set({ version: () => 'version + 1' })
      .where('server_id = :serverId', { serverId });
    if (options.expectedVersion !== undefined)
      claim.andWhere('version = :version', { version: options.expectedVersion });
    const claimed = await claim.execute();
    if (!claimed.affected) return null;

    const row = await manager.findOneByOrFail(EnforcementServer, { serverId });
    const storedStage = row.stage as Stage;
    const before = timelineOf(row, row.lastGoodCheckIn, this.demoClock);
    const limitBefore = enforcedCallPortLimit(storedStage, row.licensedCallPorts);
    await options.mutate?.(row, manager);
    const now = this.clock.now();
    const plan = planStageChanges({
      storedStage,
      before,
      after: timelineOf(row, row.lastGoodCheckIn, this.demoClock),
      now,
      cause: options.cause,
    });

    const changes = plan.changes.map((c, i): RecordedChange => ({
      ...c,
      seq: row.changeSeq + i + 1,
      serverId,
      accountId: row.accountId,
      supervisorEnabled: supervisorEnabledAt(c.to),
      callPortLimit: enforcedCallPortLimit(c.to, row.licensedCallPorts),
      // Only the write's own change is the actor's doing; those time brought before it are not.
      actor: c.cause === options.cause ? options.actor : undefined,
    }));
    row.stage = plan.status.stage;
    row.stageSince = plan.status.since;
    row.nextStageAt = plan.status.nextStageAt;
    row.changeSeq += changes.length;
    await manager.update(
      EnforcementServer,
      { serverId },
      {
        applicable: row.applicable,
        rampDate: row.rampDate,
        graceDays: row.graceDays,
        lastGoodCheckIn: row.lastGoodCheckIn,
        licensedCallPorts: row.licensedCallPorts,
        licenseFileId: row.licenseFileId,
        licenseLoadedAt: row.licenseLoadedAt,
        licenseRevision: row.licenseRevision,
        licenseExpiresAt: row.licenseExpiresAt,
        licenseModel: row.licenseModel,
        standingWarningAt: row.standingWarningAt,
        stage: row.stage,
        stageSince: row.stageSince,
        nextStageAt: row.nextStageAt,
        changeSeq: row.changeSeq,
      },
    );

    for (const change of changes) {
      await manager.insert(StageChangeRow, {
        serverId,
        seq: change.seq,
        accountId: row.accountId,
        fromStage: change.from,
        toStage: change.to,
        at: change.at,
        cause: change.cause,
        supervisorEnabled: change.supervisorEnabled,
        callPortLimit: change.callPortLimit,
        recordedAt: now,
        actor: change.actor?.by ?? null,
        note: change.actor?.note ?? null,
      });
      await this.emit(manager, change, stageChangeEventId(serverId, change.seq));
    }

    // A licence reloaded at stage 5 with another number of call ports moves the limit without a
    // stage change: allocation still has to hear of it (an event with from = to; no history row).
    const limitAfter = enforcedCallPortLimit(plan.status.stage, row.licensedCallPorts);
    if (changes.length === 0 && limitAfter !== limitBefore) {
      await this.emit(manager, {
        serverId,
        accountId: row.accountId,
        seq: row.changeSeq,
        from: plan.status.stage,
        to: plan.status.stage,
        at: now,
        cause: options.cause,
        supervisorEnabled: plan.status.supervisorEnabled,
        callPortLimit: limitAfter,
      });
    }
    const next = row.nextStageAt;
    if (next && this.nextStageListeners.size > 0)
      afterCommit(manager, () => {
        for (const listener of this.nextStageListeners) listener(next);
      });
    return { row, changes };
  }

  private async emit(manager: EntityManager, change: RecordedChange, id?: string): Promise<void> {
    const payload: StageChangedPayload = {
      serverId: change.serverId,
      accountId: change.accountId,
      from: change.from,
      to: change.to,
      at: change.at.toISOString(),
      supervisorEnabled: change.supervisorEnabled,
      callPortLimit: change.callPortLimit,
      cause: change.cause,
      ...(change.actor ? { by: change.actor.by, reason: change.actor.note } : {}),
      // Only a recorded change has a number (a limit-only event, from = to, has no history row).
      ...(change.from !== change.to ? { seq: change.seq } : {}),
    };
    await recordEvent(manager, this.clock, Topics.StageChanged, payload, change.at, id);
  }
}
