import { type EntityManager } from 'typeorm';
import {
  type Clock,
  type Config,
  type DenialBurstPayload,
  type Logger,
  type PoolExhaustedPayload,
  Topics,
  recordEvent,
  execute,
  num,
  numOrNull,
  select,
} from '@lic/shared';
import { type Db } from '../db/db.js';
import { type DenialReason } from '../pool/denials.js';
import { poolHasRoomSql } from '../rules/pools.js';
import { type BurstSettings, NO_EPISODE, type PoolEpisodeState, afterDenials } from './pool-episodes.js';

/** What PoolAlerts needs of a recorded denial. */
export interface DeniedKey {
  key: string;
  reason: DenialReason;
}

interface RawAlert {
  exhausted_since: unknown;
  burst_since: unknown;
  burst_last_at: unknown;
}

/**
 * The least time between the starts of two checks of one pool. Under a storm of refusals (a pool
 * contended all day) a check costs a transaction of five statements (its start and commit
 * included); spaced like this a pool costs at most four checks a second per process, whatever the
 * refusal rate, and an episode is announced at most this much later.
 */
export const POOL_CHECK_SPACING_MS = 250;

/**
 * Pool alerts: after denials are committed, each pool they touched steps its episodes
 * (pool-episodes.ts) and, when one opens, `allocation.pool-exhausted` or `allocation.denial-burst`
 * goes into the outbox in the same transaction as the episode's new state. The pool's row of
 * `pool_alert` is locked for the step, so replicas announce an episode once between them.
 *
 * Nothing of this runs for a logon without denials (the common case): the logon only hands its
 * denials over, and the check runs after its commit, off the request's path. `sweep` closes the
 * exhaustion episodes of pools that have room again (run with the session sweep).
 */
export class PoolAlerts {
  private readonly inflight = new Set<Promise<unknown>>();
  /** Checks waiting per pool (`unit|key`): denials arriving meanwhile join the waiting one. */
  private readonly waiting = new Map<string, { unitId: string; key: string; exhausted: number; at: Date }>();
  /** Pools with a check running, or one waiting for its turn (POOL_CHECK_SPACING_MS). */
  private readonly running = new Set<string>();
  /** When each pool's last check started (performance.now(): pacing, not domain time). */
  private readonly started = new Map<string, number>();
  private readonly burst: BurstSettings;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    settings: Config['poolAlerts'],
    private readonly logger?: Logger,
  ) {
    this.burst = {
      threshold: settings.denialBurstThreshold,
      windowMs: settings.denialBurstWindowSeconds * 1000,
    };
  }

  /**
   * Denials of a unit's pools were committed (recorded at `at`): checks their episodes in the
   * background. A storm of denials on one pool costs at most one check running and one waiting
   * per process, and a check at most every POOL_CHECK_SPACING_MS: those that come while a check
   * runs or waits its turn are counted into the next.
   */
  denied(unitId: string, denials: readonly DeniedKey[], at: Date): void {
    for (const d of denials) {
      const id = `${unitId}|${d.key}`;
      const exhausted = d.reason === 'EXHAUSTED' ? 1 : 0;
      const queued = this.waiting.get(id);
      if (queued) {
        queued.exhausted += exhausted;
        if (at > queued.at) queued.at = at;
        continue;
      }
      this.waiting.set(id, { unitId, key: d.key, exhausted, at });
      if (!this.running.has(id)) this.next(id);
    }
  }

  private next(id: string): void {
    const job = this.waiting.get(id);
    if (!job) return;
    const wait = (this.started.get(id) ?? -Infinity) + POOL_CHECK_SPACING_MS - performance.now();
    if (wait > 0) {
      // Too soon after the last check of this pool: the job waits its turn (denials arriving
      // meanwhile join it), and `settle` waits for it too.
      this.running.add(id);
      const turn: Promise<unknown> = new Promise((resolve) => setTimeout(resolve, wait)).then(() => {
        this.running.delete(id);
        this.inflight.delete(turn);
        this.next(id);
      });
      this.inflight.add(turn);
      return;
    }
    this.waiting.delete(id);
    this.running.add(id);
    this.started.set(id, performance.now());
    const run: Promise<unknown> = this.db
      .tx((m) => this.step(m, job.unitId, job.key, job.exhausted, job.at))
      .catch((error: unknown) =>
        this.logger?.warn({ err: error, serverId: job.unitId, key: job.key }, 'pool alert check failed'),
      )
      .finally(() => {
        this.running.delete(id);
        this.inflight.delete(run);
        this.next(id);
      });
    this.inflight.add(run);
  }

  /** Waits for the checks under way and those waiting (shutdown, tests). */
  async settle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.all([...this.inflight]);
  }

  private async step(
    m: EntityManager,
    unitId: string,
    key: string,
    exhausted: number,
    now: Date,
  ): Promise<number> {
    const state = await this.lock(m, unitId, key);
    const [window] = await select<{ n: unknown; first_at: unknown }>(
      m,
      'SELECT COUNT(*) AS n, MIN(occurred_at) AS first_at FROM license_denial ' +
        'WHERE server_id = ? AND occurred_at > ? AND occurred_at <= ? AND pool_key = ?',
      [unitId, now.getTime() - this.burst.windowMs, now.getTime(), key],
    );
    const inWindow = num(window?.n ?? 0);
    const next = afterDenials(state, { exhausted, inWindow, now: now.getTime() }, this.burst);
    await execute(
      m,
      'UPDATE pool_alert SET exhausted_since = ?, burst_since = ?, burst_last_at = ? WHERE server_id = ? AND pool_key = ?',
      [next.state.exhaustedSince, next.state.burstSince, next.state.burstLastAt, unitId, key],
    );
    if (!next.exhaustedOpened && !next.burstOpened) return 0;
    const [server] = await select<{ account_id: string }>(
      m,
      'SELECT account_id FROM server WHERE unit_id = ? ORDER BY standby, id LIMIT 1',
      [unitId],
    );
    if (!server) return 0;
    let written = 0;
    if (next.exhaustedOpened) {
      const [pool] = await select<{ limit_total: unknown; in_use: unknown; denials: unknown }>(
        m,
        'SELECT limit_total, in_use, denials FROM license_pool WHERE server_id = ? AND pool_key = ?',
        [unitId, key],
      );
      const payload: PoolExhaustedPayload = {
        accountId: server.account_id,
        serverId: unitId,
        licenseKey: key,
        limit: pool ? numOrNull(pool.limit_total) : null,
        inUse: pool ? num(pool.in_use) : 0,
        denied: exhausted,
        totalDenials: pool ? num(pool.denials) : 0,
        exhaustedAt: now.toISOString(),
      };
      await recordEvent(m, this.clock, Topics.PoolExhausted, payload, now);
      written += 1;
    }
    if (next.burstOpened) {
      const payload: DenialBurstPayload = {
        accountId: server.account_id,
        serverId: unitId,
        licenseKey: key,
        denials: inWindow,
        threshold: this.burst.threshold,
        windowSeconds: this.burst.windowMs / 1000,
        since: new Date(numOrNull(window?.first_at) ?? now.getTime()).toISOString(),
        detectedAt: now.toISOString(),
      };
      await recordEvent(m, this.clock, Topics.DenialBurst, payload, now);
      written += 1;
    }
    return written;
  }

  /** The pool's episode state, locked; the row is created the first time. */
  private async lock(m: EntityManager, unitId: string, key: string): Promise<PoolEpisodeState> {
    const sql = `SELECT exhausted_since, burst_since, burst_last_at FROM pool_alert WHERE server_id = ? AND pool_key = ?${this.db.forUpdate}`;
    let [row] = await select<RawAlert>(m, sql, [unitId, key]);
    if (!row) {
      await execute(m, `${this.db.insertIgnore} pool_alert (server_id, pool_key) VALUES (?, ?)`, [
        unitId,
        key,
      ]);
      [row] = await select<RawAlert>(m, sql, [unitId, key]);
    }
    if (!row) return NO_EPISODE;
    return {
      exhaustedSince: numOrNull(row.exhausted_since),
      burstSince: numOrNull(row.burst_since),
      burstLastAt: numOrNull(row.burst_last_at),
    };
  }

  /**
   * Closes the exhaustion episode of every pool that has room now (a later refusal opens a new
   * one, announced again); returns how many it closed. One statement, so replicas may run it together.
   */
  async sweep(): Promise<number> {
    const open = await this.db.read((m) =>
      select<{ server_id: string; pool_key: string }>(
        m,
        'SELECT a.server_id, a.pool_key FROM pool_alert a JOIN license_pool p ' +
          'ON p.server_id = a.server_id AND p.pool_key = a.pool_key ' +
          `WHERE a.exhausted_since IS NOT NULL AND ${poolHasRoomSql('p')}`,
        [],
      ),
    );
    if (open.length === 0) return 0;
    // The statement checks the room again, under its own locks.
    return this.db.tx((m) =>
      execute(
        m,
        'UPDATE pool_alert SET exhausted_since = NULL WHERE exhausted_since IS NOT NULL AND EXISTS (' +
          'SELECT 1 FROM license_pool p WHERE p.server_id = pool_alert.server_id AND p.pool_key = pool_alert.pool_key ' +
          `AND ${poolHasRoomSql('p')})`,
        [],
      ),
    );
  }
}
