import { BackgroundTask, type Clock, type Database, type Logger } from '@lic/shared';
import { EnforcementServer } from '../status/enforcement-server.entity.js';
import { type StageWriter } from '../status/stage-writer.js';

const BATCH = 200;
/** After a tick that left something due (a failed write), wait this long before trying again. */
const RETRY_MS = 1000;

export interface SchedulerOptions {
  database: Database;
  clock: Clock;
  /** Tells the scheduler of every next stage it plans (`onNextStage`). */
  writer: StageWriter;
  /** The safety-net tick (config.enforcementTickSeconds). */
  intervalMs: number;
  logger?: Logger;
}

/**
 * Moves servers to their next stage as time passes, with no check-in needed. Each server row
 * holds the instant its next stage begins; a tick claims every row that is due with
 * `UPDATE ... WHERE version = ?`, so when several replicas tick together each transition is
 * recorded (and pushed, and sent to allocation) exactly once. Besides the interval, a timer is
 * set for the earliest next stage, so a change is recorded the moment it happens.
 */
export class EnforcementScheduler {
  /**
   * Ticks one at a time: the interval's, the armed timer's (a tick asked for during another
   * follows it) and callers' (each after the one in flight).
   */
  private readonly task: BackgroundTask<number>;

  constructor(private readonly options: SchedulerOptions) {
    this.task = new BackgroundTask({
      run: () => this.advanceAndRearm(),
      pollMs: options.intervalMs,
      now: () => options.clock.now().getTime(),
      // The interval tick covers anything further away.
      maxDelayMs: options.intervalMs,
      overdueDelayMs: RETRY_MS,
      ...(options.logger ? { logger: options.logger } : {}),
      failureMessage: 'enforcement tick failed',
      failureLevel: 'error',
    });
  }

  start(): void {
    this.task.start();
  }

  async stop(): Promise<void> {
    await this.task.stop();
  }

  /**
   * Records every transition due by the clock's now; returns how many this instance recorded.
   * Ticks of one instance run one after another.
   */
  tick(): Promise<number> {
    return this.task.runNow();
  }

  /**
   * The servers of these accounts run on another clock than the one their rows were written on
   * (the demo accounts, at start-up: docs/domain.md, "Demo accounts"): each becomes due now, so
   * that the next tick re-plans it on its clock, recording and pushing what that clock brought.
   */
  async dueNow(accountIds: readonly string[]): Promise<void> {
    if (accountIds.length === 0) return;
    const now = this.options.clock.now();
    await this.options.database.transaction((manager) =>
      manager
        .createQueryBuilder()
        .update(EnforcementServer)
        .set({ nextStageAt: now })
        .where('account_id IN (:...accountIds)', { accountIds: [...accountIds] })
        .andWhere('next_stage_at > :now', { now: now.getTime() })
        .execute(),
    );
  }

  /** A write moved a server's next stage: make sure the timer fires by then. */
  notify(nextStageAt: Date | null): void {
    if (!this.task.started || nextStageAt === null) return;
    this.task.kickAt(nextStageAt.getTime());
  }

  private async advanceAndRearm(): Promise<number> {
    try {
      return await this.advanceDue();
    } finally {
      await this.rearm();
    }
  }

  private async advanceDue(): Promise<number> {
    const { database, clock, writer, logger } = this.options;
    let recorded = 0;
    for (;;) {
      const now = clock.now();
      const due = await database.dataSource
        .getRepository(EnforcementServer)
        .createQueryBuilder('s')
        .select(['s.serverId', 's.version'])
        .where('s.next_stage_at <= :now', { now: now.getTime() })
        .orderBy('s.next_stage_at', 'ASC')
        .limit(BATCH)
        .getMany();
      let failed = 0;
      for (const { serverId, version } of due) {
        try {
          const result = await database.transaction((manager) =>
            writer.write(manager, serverId, { cause: 'GRACE_PERIOD_ELAPSED', expectedVersion: version }),
          );
          // Null: another replica (or a check-in) wrote the row since it was read, and every
          // write records the transitions due, so nothing is left to do here.
          if (!result) continue;
          recorded += result.changes.length;
        } catch (error) {
          failed += 1;
          logger?.error({ err: error, serverId }, 'enforcement stage advance failed');
        }
      }
      // A full batch means more may be due; one that failed entirely is left for the next tick.
      if (due.length < BATCH || failed === due.length) return recorded;
    }
  }

  /** Arms the timer for the earliest next stage (a past one: after RETRY_MS). */
  private async rearm(): Promise<void> {
    if (!this.task.started) return;
    try {
      const next = await this.options.database.dataSource
        .getRepository(EnforcementServer)
        .createQueryBuilder('s')
        .select('MIN(s.next_stage_at)', 'at')
        .getRawOne<{ at: string | number | null }>();
      this.task.disarm();
      if (next?.at !== null && next?.at !== undefined) this.task.kickAt(Number(next.at));
    } catch (error) {
      this.options.logger?.warn({ err: error }, 'enforcement scheduler could not re-arm');
    }
  }
}
