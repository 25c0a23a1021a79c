import { type EntityManager } from 'typeorm';
import { BackgroundTask } from '@lic/shared';
import {
  type Logger,
  type Database,
  type Statement,
  chunks,
  dialectOf,
  forUpdate,
  num,
  numOrNull,
  placeholders,
  queryAll,
  sendAll,
} from '@lic/shared';
import { markUsersDirty } from '../db/sql.js';
import { billingPeriodAt } from '../rules/billing-period.js';
import { type CategoryMapping, CURRENT_CATEGORY_MAPPING } from '../rules/categories.js';
import { type SessionEvent, countSessions } from '../rules/session-counter.js';
import { type TrackingMode } from '../tracking/tracking-mode.js';
import { modeAt, trackingWindows } from '../tracking/tracking-windows.js';
import { piecesOf } from './session-pieces.js';

export interface DeriveScope {
  accountIds?: readonly string[];
  serverIds?: readonly string[];
}

interface EventRow {
  event_id: string;
  type: 'logon' | 'logoff';
  occurred_at: string | number;
  licenses: string;
  telephone_only: string | number;
  tracked: string | number;
}

const BATCH = 500;

/**
 * Keeps `usage_session` equal to what the raw events of each user say. Ingestion only marks a
 * user dirty from the earliest changed instant; this re-runs the session counter from the last
 * known quiet point before it (the start of an active session: the counter was 0 just before)
 * and replaces the user's pieces from there. The result depends only on the stored events and
 * licence loads, never on the order they arrived in.
 *
 * Reads that must be complete (reports, session and file listings) call `catchUp` first; a
 * background pass keeps the backlog short in between.
 */
export class UsageDeriver {
  /**
   * The background pass. A kick waits the settle delay (kicks meanwhile join it); one during a
   * pass asks for another, which waits the settle delay too.
   */
  private readonly task: BackgroundTask<void>;
  /** Users derived since start (a burst of one user's events should cost one). */
  derivedUsers = 0;

  /**
   * `delayMs`: how long a kick waits before its pass, so that the events of a burst (the same
   * users logging on and off many times a second) are derived once, not once each.
   */
  constructor(
    private readonly database: Database,
    private readonly logger?: Logger,
    private readonly mapping: CategoryMapping = CURRENT_CATEGORY_MAPPING,
    delayMs = 0,
  ) {
    this.task = new BackgroundTask({
      run: async () => {
        // Not in the kicker's turn (a consumer's transaction).
        await new Promise<void>((resolve) => setImmediate(resolve));
        await this.catchUp({}, true);
      },
      delayMs,
      minIntervalMs: delayMs,
      ...(logger ? { logger } : {}),
      failureMessage: 'usage derivation pass failed; it will be retried',
    });
  }

  get categoryVersion(): string {
    return this.mapping.version;
  }

  /**
   * Marks for derivation every user whose sessions were derived with another mapping version
   * (a release changed the mapping), from the first such session on: a report names one
   * version, so every figure in it must come from that version. Returns how many users.
   */
  async markOtherVersions(): Promise<number> {
    const stale = (await this.database.dataSource.query(
      `SELECT server_id, user_id, account_id, MIN(active_start) AS from_at FROM usage_session
       WHERE category_version <> ? GROUP BY server_id, user_id, account_id`,
      [this.mapping.version],
    )) as Array<{ server_id: string; user_id: string; account_id: string; from_at: unknown }>;
    for (const chunk of chunks(stale, BATCH)) {
      await this.database.transaction((manager) =>
        markUsersDirty(
          manager,
          chunk.map((r) => ({
            serverId: r.server_id,
            userId: r.user_id,
            accountId: r.account_id,
            from: num(r.from_at),
          })),
        ),
      );
    }
    if (stale.length > 0) {
      this.logger?.info(
        { users: stale.length, version: this.mapping.version },
        'usage derived with another category mapping version will be derived again',
      );
    }
    return stale.length;
  }

  /**
   * Derives every dirty user in scope (all when no scope); returns how many were derived. A user
   * made dirty again meanwhile is derived again before this returns (a report must see every
   * event stored before it asked), unless `onePass`: the background pass derives each user it
   * found once, and leaves what arrived meanwhile to the next pass, after the settle delay, so
   * that under steady load a user is derived about once per delay, not continuously.
   */
  async catchUp(scope: DeriveScope = {}, onePass = false): Promise<number> {
    let derived = 0;
    for (;;) {
      const conditions = ['dirty_from IS NOT NULL'];
      const params: string[] = [];
      for (const [column, ids] of [
        ['account_id', scope.accountIds],
        ['server_id', scope.serverIds],
      ] as const) {
        if (ids === undefined) continue;
        if (ids.length === 0) return derived;
        conditions.push(`${column} IN (${placeholders(ids.length)})`);
        params.push(...ids);
      }
      const users = (await this.database.dataSource.query(
        `SELECT server_id, user_id FROM usage_user WHERE ${conditions.join(' AND ')} LIMIT ${BATCH}`,
        params,
      )) as Array<{ server_id: string; user_id: string }>;
      if (users.length === 0) return derived;
      for (const user of users) if (await this.deriveUser(user.server_id, user.user_id)) derived += 1;
      if (onePass) {
        // More were waiting than one statement lists: another pass soon.
        if (users.length === BATCH) this.kick();
        return derived;
      }
    }
  }

  /** Re-derives one user's sessions if the user is dirty; false when there was nothing to do. */
  async deriveUser(serverId: string, userId: string): Promise<boolean> {
    const derived = await this.database.transaction((manager) => this.deriveIn(manager, serverId, userId));
    if (derived) this.derivedUsers += 1;
    return derived;
  }

  private async deriveIn(manager: EntityManager, serverId: string, userId: string): Promise<boolean> {
    const dialect = dialectOf(manager);
    // The lock comes first: on MariaDB the snapshot of every later read is taken after it.
    const [user] = (await manager.query(
      `SELECT account_id, dirty_from, last_active_start FROM usage_user WHERE server_id = ? AND user_id = ?${forUpdate(dialect)}`,
      [serverId, userId],
    )) as Array<{ account_id: string; dirty_from: unknown; last_active_start: unknown }>;
    const dirtyFrom = numOrNull(user?.dirty_from);
    if (!user || dirtyFrom === null) return false;

    const anchor = await this.anchorFor(
      manager,
      serverId,
      userId,
      dirtyFrom,
      numOrNull(user.last_active_start),
    );
    // The summaries are recomputed from the anchor's period on.
    const from =
      anchor === null ? Number.MIN_SAFE_INTEGER : billingPeriodAt(new Date(anchor)).start.getTime();
    const afterAnchor = (column: string) => (anchor === null ? '' : ` AND ${column} >= ?`);
    const userAfterAnchor = anchor === null ? [serverId, userId] : [serverId, userId, anchor];
    // Every read in one round trip (MariaDB), every write in another.
    const [eventRows, loadRows, sessionRows, periodRows] = await queryAll(manager, [
      {
        sql: `SELECT event_id, type, occurred_at, licenses, telephone_only, tracked FROM usage_event
          WHERE server_id = ? AND user_id = ?${afterAnchor('occurred_at')} ORDER BY occurred_at, event_id`,
        params: userAfterAnchor,
      },
      { sql: 'SELECT loaded_at, mode FROM billing_license_load WHERE server_id = ?', params: [serverId] },
      {
        // The pieces to replace (from the anchor on) and those kept in the summarised periods.
        sql: `SELECT id, active_start, period_start, categories FROM usage_session WHERE server_id = ? AND user_id = ?${
          anchor === null ? '' : ' AND (active_start >= ? OR period_start >= ?)'
        }`,
        params: anchor === null ? [serverId, userId] : [serverId, userId, anchor, from],
      },
      {
        sql: 'SELECT period_start, categories FROM usage_user_period WHERE server_id = ? AND user_id = ? AND period_start >= ?',
        params: [serverId, userId, from],
      },
    ]);
    const events = eventRows as EventRow[];
    const windows = trackingWindows(
      (loadRows as Array<{ loaded_at: unknown; mode: TrackingMode }>).map((l) => ({
        loadedAt: num(l.loaded_at),
        mode: l.mode,
      })),
    );

    const sessionEvents: SessionEvent[] = events.map((e) => ({
      type: e.type,
      occurredAt: new Date(num(e.occurred_at)),
      licenses: JSON.parse(e.licenses) as string[],
      eventId: e.event_id,
      ...(num(e.telephone_only) === 1 ? { telephoneOnly: true } : {}),
    }));
    const { sessions } = countSessions(sessionEvents);
    const { pieces, open } = piecesOf(sessions, windows, this.mapping);
    const writes: Statement[] = [];

    // Which events fall in a tracking window: the usage files carry only those.
    const nowTracked: string[] = [];
    const nowUntracked: string[] = [];
    for (const e of events) {
      const tracked = modeAt(windows, num(e.occurred_at)) !== 'NONE' ? 1 : 0;
      if (tracked !== num(e.tracked)) (tracked ? nowTracked : nowUntracked).push(e.event_id);
    }
    for (const [flag, ids] of [
      [1, nowTracked],
      [0, nowUntracked],
    ] as const) {
      for (const chunk of chunks(ids, BATCH)) {
        writes.push({
          sql: `UPDATE usage_event SET tracked = ${flag} WHERE event_id IN (${placeholders(chunk.length)})`,
          params: chunk,
        });
      }
    }

    // Replace the pieces from the anchor on (deleting by key: no range locks on MariaDB).
    const stored = sessionRows as Array<{
      id: unknown;
      active_start: unknown;
      period_start: unknown;
      categories: unknown;
    }>;
    const stale = stored.filter((r) => anchor === null || num(r.active_start) >= anchor);
    for (const chunk of chunks(
      stale.map((r) => num(r.id)),
      BATCH,
    )) {
      writes.push({
        sql: `DELETE FROM usage_session WHERE id IN (${placeholders(chunk.length)})`,
        params: chunk,
      });
    }
    for (const chunk of chunks(pieces, 200)) {
      writes.push({
        sql:
          'INSERT INTO usage_session (server_id, account_id, user_id, active_start, session_start, session_end, ' +
          `period_start, start_at, end_at, categories, category_version, licenses) VALUES ${chunk
            .map(() => `(${placeholders(12)})`)
            .join(', ')}`,
        params: chunk.flatMap((p) => [
          serverId,
          user.account_id,
          userId,
          p.activeStart,
          p.sessionStart,
          p.sessionEnd,
          p.periodStart,
          p.startAt,
          p.endAt,
          p.categories,
          this.mapping.version,
          JSON.stringify(p.licenses),
        ]),
      });
    }

    // The user's category summary of each period from the anchor's period on: the pieces kept
    // and the new ones, row by row (no range locks).
    const wanted = new Map<number, number>();
    const add = (periodStart: number, categories: number) =>
      wanted.set(periodStart, (wanted.get(periodStart) ?? 0) | categories);
    for (const r of stored)
      if (anchor !== null && num(r.active_start) < anchor && num(r.period_start) >= from)
        add(num(r.period_start), num(r.categories));
    for (const p of pieces) if (p.periodStart >= from) add(p.periodStart, p.categories);
    const had = new Map(
      (periodRows as Array<{ period_start: unknown; categories: unknown }>).map((r) => [
        num(r.period_start),
        num(r.categories),
      ]),
    );
    for (const [periodStart, categories] of had) {
      if (!wanted.has(periodStart)) {
        writes.push({
          sql: 'DELETE FROM usage_user_period WHERE server_id = ? AND user_id = ? AND period_start = ?',
          params: [serverId, userId, periodStart],
        });
      } else if (wanted.get(periodStart) !== categories) {
        writes.push({
          sql: 'UPDATE usage_user_period SET categories = ? WHERE server_id = ? AND user_id = ? AND period_start = ?',
          params: [wanted.get(periodStart)!, serverId, userId, periodStart],
        });
      }
    }
    const fresh = [...wanted].filter(([periodStart]) => !had.has(periodStart));
    if (fresh.length > 0) {
      writes.push({
        sql: `INSERT INTO usage_user_period (server_id, user_id, period_start, account_id, categories) VALUES ${fresh
          .map(() => `(${placeholders(5)})`)
          .join(', ')}`,
        params: fresh.flatMap(([periodStart, categories]) => [
          serverId,
          userId,
          periodStart,
          user.account_id,
          categories,
        ]),
      });
    }

    const lastSession = sessions.at(-1);
    const previous = numOrNull(user.last_active_start);
    // With no session from the anchor on, the previous latest start still holds only if it is older.
    const lastActiveStart = lastSession
      ? lastSession.start.getTime()
      : anchor !== null && previous !== null && previous < anchor
        ? previous
        : null;
    writes.push({
      sql: `UPDATE usage_user SET dirty_from = NULL, open_start = ?, open_categories = ?, last_active_start = ?
       WHERE server_id = ? AND user_id = ?`,
      params: [open?.start ?? null, open?.categories ?? null, lastActiveStart, serverId, userId],
    });
    await sendAll(manager, writes);
    return true;
  }

  /**
   * The latest instant at or before `dirtyFrom` at which the user's counter is known to have
   * been 0 just before: the start of a stored session, or of the last active session. Null
   * means "from the first event".
   */
  private async anchorFor(
    manager: EntityManager,
    serverId: string,
    userId: string,
    dirtyFrom: number,
    lastActiveStart: number | null,
  ): Promise<number | null> {
    const [row] = (await manager.query(
      'SELECT MAX(active_start) AS anchor FROM usage_session WHERE server_id = ? AND user_id = ? AND active_start <= ?',
      [serverId, userId, dirtyFrom],
    )) as Array<{ anchor: unknown }>;
    const stored = numOrNull(row?.anchor);
    const last = lastActiveStart !== null && lastActiveStart <= dirtyFrom ? lastActiveStart : null;
    if (stored === null) return last;
    if (last === null) return stored;
    return Math.max(stored, last);
  }

  /** Starts the background pass (every `pollMs`, and soon after each `kick`). */
  start(pollMs: number): void {
    this.task.start({ pollMs, firstPollMs: pollMs });
  }

  /** Asks for a background pass after the delay; passes coalesce. */
  kick(): void {
    this.task.kick();
  }

  stop(): Promise<void> {
    return this.task.stop();
  }
}
