import { BackgroundTask, type Clock, type Logger, execute, select } from '@lic/shared';
import { type Db } from '../db/db.js';
import { type Effects } from '../effects.js';
import { type Unlicensing } from '../enforcement/unlicensed.js';
import { SessionEndCause } from '../session/session.entity.js';

const BATCH = 200;

/**
 * Continuous expiry: a file is checked not only when it loads but for as long as it runs. Each
 * tick ends every loaded file whose expiry has passed, exactly as enforcement stage 6 does (the
 * same Unlicensing path: sessions ended with cause LICENSE_EXPIRED, assignments withheld, nothing
 * acquired), and pushes the change live. A server is claimed with a conditional update, so when
 * several replicas tick together each expiry is applied once. Loading another file lifts it.
 */
export class ExpiryScheduler {
  /** Ticks one at a time: the interval's (one asked for during a tick follows it) and callers'. */
  private readonly task: BackgroundTask<number>;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly unlicensing: Unlicensing,
    private readonly effects: Effects,
    private readonly logger: Logger,
    tickMs: number,
  ) {
    this.task = new BackgroundTask({
      run: () => this.endExpired(),
      pollMs: tickMs,
      logger,
      failureMessage: 'licence expiry tick failed',
      failureLevel: 'error',
    });
  }

  /** Ticks at once (files that expired while no process ran), then every tickMs. */
  start(): void {
    this.task.start();
  }

  stop(): Promise<void> {
    return this.task.stop();
  }

  /** Ends every file expired by the clock's now; returns how many this instance ended. Ticks run one at a time. */
  tick(): Promise<number> {
    return this.task.runNow();
  }

  private async endExpired(): Promise<number> {
    let ended = 0;
    for (;;) {
      const now = this.clock.now().getTime();
      const due = await this.db.read((m) =>
        select<{ id: string; license_expires_at: unknown }>(
          m,
          'SELECT id, license_expires_at FROM server WHERE license_file_id IS NOT NULL AND license_expired_at IS NULL ' +
            'AND license_expires_at <= ? ORDER BY license_expires_at, id LIMIT ' +
            String(BATCH),
          [now],
        ),
      );
      let applied = 0;
      for (const row of due) {
        try {
          if (await this.end(row.id, new Date(Number(row.license_expires_at)), now)) applied += 1;
        } catch (error) {
          this.logger.error({ err: error, serverId: row.id }, 'licence expiry failed');
        }
      }
      ended += applied;
      if (due.length < BATCH || applied === 0) break;
    }
    if (ended > 0) this.logger.info({ servers: ended }, 'licence files expired');
    return ended;
  }

  /** One server in one transaction: claimed first, so another replica (or a new file) wins cleanly. */
  private end(serverId: string, expiresAt: Date, now: number): Promise<boolean> {
    return this.db.tx(async (m) => {
      const claimed = await execute(
        m,
        'UPDATE server SET license_expired_at = ? WHERE id = ? AND license_file_id IS NOT NULL ' +
          'AND license_expired_at IS NULL AND license_expires_at <= ?',
        [expiresAt.getTime(), serverId, now],
      );
      if (claimed !== 1) return false;
      const sessions = await this.unlicensing.revert(m, serverId, SessionEndCause.LICENSE_EXPIRED, expiresAt);
      this.effects.afterCommit(m, [serverId], sessions > 0);
      return true;
    });
  }
}
