import { randomUUID } from 'node:crypto';
import { type EntityManager } from 'typeorm';
import {
  type Clock,
  type Connection,
  type DomainError,
  type Logger,
  type PageArgs,
  type PageBounds,
  type Principal,
  type SessionStartedPayload,
  Topics,
  assertNotInFuture,
  notFound,
  outboxInsert,
  pageFromQuery,
  recordEvent,
  parseInput,
  inSpan,
  tracingEnabled,
  isUniqueViolation,
  json,
  numOrNull,
  select,
} from '@lic/shared';
import { type Db, type HotTx } from '../db/db.js';
import { type Effects } from '../effects.js';
import { type DenialRecord, insertDenials, recordDenials } from '../pool/denials.js';
import { type LogonPlan } from '../rules/licenses.js';
import { type PoolStore } from '../pool/pool.store.js';
import { checkServerAccess } from '../server/access.js';
import { Server } from '../server/server.entity.js';
import { type ActiveSession, type CicUser } from '../user/user.entity.js';
import { type UserStore } from '../user/user.store.js';
import {
  type LogonAttempt,
  type LogonContext,
  type PlannedLogon,
  assertLogonContext,
  planLogonAttempt,
} from './logon-plan.js';
import { appliedLicenses, type SessionEnder, userAppliedLicenses } from './session-ender.js';
import { LogonSession, SessionEndCause } from './session.entity.js';

import { type LogoffRequest, type LogonRequest, logoffSchema, logonSchema } from './session.inputs.js';

/** What a logon did, as stored with the session (a replay answers the same). */
export interface LogonOutcome {
  sessionId: string;
  /** Pool keys taken now: counts rose. */
  acquired: string[];
  /** Pool keys the user already held and keeps using: counts did not rise. */
  reused: string[];
  /** Pool keys given back (e.g. supervisor licences withheld by enforcement). */
  released: string[];
  /** Pool keys left out of the session (exhausted, or withheld by enforcement). */
  denied: string[];
  /** The session's licences: the union of user and station. */
  licenses: string[];
  warnings: string[];
  /** Interaction types the user will be queued, when its workgroups carry any. */
  queuedTypes: string[] | null;
  /** True when the user already had a session of this application at this station. */
  alreadyLoggedOn: boolean;
  replayed: boolean;
}

export interface LogoffOutcome {
  sessionId: string | null;
  ended: boolean;
  released: string[];
  remainingSessions: number;
  replayed: boolean;
}

/** A pool the look said had room was taken meanwhile: the logon rolls back and plans again without it. */
class PoolsContended extends Error {
  constructor(readonly keys: string[]) {
    super(`pools contended: ${keys.join(', ')}`);
  }
}

// Each attempt marks at least one more pool unavailable, so attempts are bounded by the keys of one user.
const MAX_CONTENDED_ATTEMPTS = 100;

/** The user changed between the read and the write (another event of the same user): read again. */
class UserChanged extends Error {
  constructor() {
    super('user changed concurrently');
  }
}

/** Thrown inside the logon transaction to roll it back; the refusal is recorded afterwards. */
class LogonRefused extends Error {
  constructor(
    readonly error: DomainError,
    readonly denials: DenialRecord[],
    /** The unit whose pools and denial report the refusal goes to. */
    readonly unitId: string,
  ) {
    super(error.message);
  }
}

/** What a logon's transaction hands back: the effects run once it has committed (logonUntraced). */
interface LogonCommitted {
  outcome: LogonOutcome;
  /** Counts changed (or sessions moved): live statistics are published. */
  moved: boolean;
  denied?: { unitId: string; denials: DenialRecord[]; at: Date };
}

const INSERT_SESSION =
  'INSERT INTO logon_session (id, server_id, account_id, user_id, station_id, dynamic_phone, application, licenses, ' +
  'started_at, logon_result, ended_at, end_cause, end_result) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL)';

/** A re-logon of a running application at the same station: the same session, counts unchanged. */
function alreadyLoggedOn(sessionId: string, user: CicUser): LogonOutcome {
  return {
    sessionId,
    acquired: [],
    reused: [...user.held],
    released: [],
    denied: [],
    licenses: [...user.capabilities],
    warnings: [],
    queuedTypes: null,
    alreadyLoggedOn: true,
    replayed: false,
  };
}

/** The user's presence once the new session is theirs (the sessions it replaces already ended). */
function enterSession(
  user: CicUser,
  serverId: string,
  sessionId: string,
  { plan, elsewhere }: PlannedLogon,
  attempt: LogonAttempt,
): void {
  const { at } = attempt;
  user.held = [...new Set([...plan.reuse, ...plan.acquire])].sort();
  user.capabilities = [...plan.capabilities].sort();
  user.stationId = attempt.stationId;
  user.dynamicPhone = attempt.phone;
  if (user.loggedOnAt === null || elsewhere) user.loggedOnAt = at;
  user.sessions = [
    ...user.sessions,
    {
      id: sessionId,
      application: attempt.application,
      startedAt: at.getTime(),
      ...(serverId !== user.serverId ? { serverId } : {}),
    },
  ];
}

/** What a new session's logon answers, and stores with the session for a replay to answer again. */
function startedOutcome(sessionId: string, plan: LogonPlan, capabilities: string[]): LogonOutcome {
  return {
    sessionId,
    acquired: [...plan.acquire].sort(),
    reused: [...plan.reuse].sort(),
    released: [...plan.release].sort(),
    denied: plan.denied.map((d) => d.key),
    licenses: capabilities,
    warnings: plan.warnings,
    queuedTypes: plan.queuedTypes ?? null,
    alreadyLoggedOn: false,
    replayed: false,
  };
}

/**
 * Logons and logoffs as docs/domain.md section 2 describes them, each one transaction in two round
 * trips on MariaDB (Db.hot):
 * 1. one read, without locks, of server, user, station and the server's pools;
 * 2. the plan (rules/logon.ts) from that read: which pools to take, what is left out;
 * 3. the writes, queued: the session row, the user's presence (written only if the user's
 *    row_version is still the one read: another event of the same user in between means read
 *    again), denials, the outbox event;
 * 4. PoolStore.finish sends them in one batch with the pools' atomic conditional updates and the
 *    commit: a pool that filled since the read rolls everything back and the logon plans again
 *    without it, so a count never goes above its limit and nothing is half-written.
 * On SQLite the same steps run in an ordinary transaction, writes as issued.
 * The logon's (server, user, application, occurredAt) is a unique key: a replayed logon collides,
 * rolls back and answers what the first one answered. A replayed logoff finds the session it ended.
 */
/** Sessions newest first; cursors of `sessionsConnection`. */
export const SESSION_ORDER = {
  list: 'sessions',
  direction: 'DESC',
  key: (s: LogonSession) => s.startedAt.getTime(),
  id: (s: LogonSession) => s.id,
  keyColumn: 's.startedAt',
  idColumn: 's.id',
} as const;

export class SessionService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly pools: PoolStore,
    private readonly users: UserStore,
    private readonly ender: SessionEnder,
    private readonly effects: Effects,
    private readonly logger: Logger,
    private readonly leaseSeconds: number,
    /** How far ahead of our clock a server's event time may lie (EVENT_IN_FUTURE beyond). */
    private readonly futureToleranceSeconds: number,
    /** Sets a unit's pool limits from its active member (after a switchover). */
    private readonly limits?: { recomputeLimits(m: EntityManager, serverId: string): Promise<void> },
  ) {}

  /** The event's time (now when the server gave none), refused when it lies too far ahead. */
  private eventTime(occurredAt: Date | null | undefined): Date {
    const now = this.clock.now();
    if (!occurredAt) return now;
    assertNotInFuture(occurredAt, now, this.futureToleranceSeconds);
    return occurredAt;
  }

  logon(principal: Principal | undefined, request: LogonRequest): Promise<LogonOutcome> {
    if (!tracingEnabled()) return this.logonUntraced(principal, request);
    return inSpan('allocation', 'logon', { attributes: { 'lic.server_id': request.serverId } }, () =>
      this.logonUntraced(principal, request),
    );
  }

  private async logonUntraced(
    principal: Principal | undefined,
    request: LogonRequest,
  ): Promise<LogonOutcome> {
    const {
      application,
      stationId,
      dynamicRemotePhone: phone,
      telephoneOnly,
    } = parseInput(logonSchema, request);
    const at = this.eventTime(request.occurredAt);
    const unavailable = new Set<string>();
    const logon: LogonAttempt = {
      principal,
      serverId: request.serverId,
      userId: request.userId,
      application,
      stationId,
      phone,
      telephoneOnly,
      at,
      unavailable,
    };
    for (let attempt = 1; ; attempt += 1) {
      try {
        const { outcome, moved, denied } = await this.db.hot((tx) => this.logonIn(tx, logon));
        this.effects.now(moved ? [request.serverId] : [], !outcome.alreadyLoggedOn);
        // Pool alerts: only a logon with denials hands them over (checked after the commit).
        if (denied) this.effects.denied(undefined, denied.unitId, denied.denials, denied.at);
        return outcome;
      } catch (error) {
        if (error instanceof PoolsContended && attempt < MAX_CONTENDED_ATTEMPTS) {
          for (const key of error.keys) unavailable.add(key);
          continue;
        }
        if (error instanceof UserChanged && attempt < MAX_CONTENDED_ATTEMPTS) continue;
        if (isUniqueViolation(error, 'uq_logon_session_event')) {
          const replayed = await this.storedLogon(request.serverId, request.userId, application, at);
          if (replayed) return replayed;
        }
        if (error instanceof LogonRefused) {
          if (error.denials.length > 0) {
            await this.db.tx(async (m) => {
              const deniedAt = this.clock.now();
              await recordDenials(m, this.pools, error.unitId, error.denials, deniedAt);
              this.effects.afterCommit(m, [error.unitId], false);
              this.effects.denied(m, error.unitId, error.denials, deniedAt);
            });
          }
          throw error.error;
        }
        throw error;
      }
    }
  }

  /**
   * One attempt, in the transaction Db.hot gives it: load (one read, without locks), plan (pure,
   * from what was read), write (queued on MariaDB), finish (the pools, and the commit with them).
   */
  private async logonIn(tx: HotTx, attempt: LogonAttempt): Promise<LogonCommitted> {
    const receivedAt = this.clock.now();
    const { serverId, userId, stationId } = attempt;
    const read = await this.users.readEventContext(tx.manager, serverId, userId, stationId, true);
    assertLogonContext(read, attempt);
    const step = planLogonAttempt(read, attempt, receivedAt);
    if (step.kind === 'refused') throw new LogonRefused(step.error, step.denials, read.server.unitId);
    if (step.kind === 'running') return { moved: false, outcome: alreadyLoggedOn(step.sessionId, read.user) };
    const outcome = await this.writeLogon(tx, attempt, read, step, receivedAt);
    return this.finishLogon(tx, read, step, outcome, receivedAt);
  }

  /**
   * The logon's writes: its denials, the sessions it replaces, the session row, the user's presence
   * (written only if the user is unchanged since it was read) and the outbox event. On MariaDB they
   * are queued, and sent by finishLogon with the pools' updates.
   */
  private async writeLogon(
    tx: HotTx,
    attempt: LogonAttempt,
    { server, user }: LogonContext,
    step: PlannedLogon,
    receivedAt: Date,
  ): Promise<LogonOutcome> {
    const { stationId, phone, application, at } = attempt;
    const { plan, denials, elsewhere } = step;
    if (denials.length > 0) await insertDenials(tx, server.unitId, denials, receivedAt);

    if (elsewhere) {
      await this.ender.end(tx, user, user.sessions, SessionEndCause.REPLACED, at, { keepPresence: true });
    }
    const sessionId = randomUUID();
    enterSession(user, server.id, sessionId, step, attempt);
    const licenses = appliedLicenses(user);
    const outcome = startedOutcome(sessionId, plan, user.capabilities);
    await tx.write(
      INSERT_SESSION,
      [
        sessionId,
        server.id,
        server.accountId,
        user.id,
        stationId,
        phone,
        application,
        JSON.stringify(licenses),
        at.getTime(),
        JSON.stringify(outcome),
      ],
      false,
      'session-start',
    );
    // The user was read without a lock: it is written only if nobody changed it since.
    if (!(await this.users.saveIfUnchanged(tx, user, receivedAt))) throw new UserChanged();
    const payload: SessionStartedPayload = {
      sessionId,
      serverId: server.id,
      accountId: server.accountId,
      userId: user.id,
      stationId,
      application,
      licenses,
      occurredAt: at.toISOString(),
      userLicenses: userAppliedLicenses(user),
      ...(attempt.telephoneOnly ? { telephoneOnly: true } : {}),
    };
    const started = outboxInsert(this.clock, Topics.SessionStarted, payload, at);
    await tx.write(started.sql, started.params, false, 'event');
    return outcome;
  }

  /**
   * Last, the pools (the unit's), and on MariaDB the commit with them (see PoolStore.finish): a pool
   * that filled since the read, or a user changed since, rolls everything back for another attempt.
   */
  private async finishLogon(
    tx: HotTx,
    { server, pools: room }: LogonContext,
    { plan, denials, elsewhere }: PlannedLogon,
    outcome: LogonOutcome,
    receivedAt: Date,
  ): Promise<LogonCommitted> {
    // A denied key without a pool row gets one, so that its denial is counted.
    const homeless = denials.map((d) => d.key).filter((key) => !room.has(key));
    if (homeless.length > 0) await this.pools.ensure(tx.manager, server.unitId, homeless);
    const finished = await this.pools.finish(tx, server.unitId, {
      give: outcome.released,
      take: plan.acquire,
      deny: denials.map((d) => d.key),
      at: receivedAt,
      claim: outcome.sessionId,
    });
    // The user changed since it was read (another event of the same user): read again.
    if (finished.stale) throw new UserChanged();
    // Another logon took the last one between the read and the update: start again without it.
    if (!finished.committed) throw new PoolsContended(finished.missed);
    return {
      outcome,
      moved: plan.acquire.length + outcome.released.length + denials.length > 0 || elsewhere,
      ...(denials.length > 0 ? { denied: { unitId: server.unitId, denials, at: receivedAt } } : {}),
    };
  }

  private async storedLogon(
    serverId: string,
    userId: string,
    application: string,
    at: Date,
  ): Promise<LogonOutcome | null> {
    const rows = await this.db.read((m) =>
      select<{ logon_result: string }>(
        m,
        'SELECT logon_result FROM logon_session WHERE server_id = ? AND user_id = ? AND application = ? AND started_at = ?',
        [serverId, userId, application, at.getTime()],
      ),
    );
    const stored = rows[0];
    return stored ? { ...json<LogonOutcome>(stored.logon_result, {} as LogonOutcome), replayed: true } : null;
  }

  logoff(principal: Principal | undefined, request: LogoffRequest): Promise<LogoffOutcome> {
    if (!tracingEnabled()) return this.logoffUntraced(principal, request);
    return inSpan('allocation', 'logoff', { attributes: { 'lic.server_id': request.serverId } }, () =>
      this.logoffUntraced(principal, request),
    );
  }

  private async logoffUntraced(
    principal: Principal | undefined,
    request: LogoffRequest,
  ): Promise<LogoffOutcome> {
    const { application } = parseInput(logoffSchema, request);
    const at = this.eventTime(request.occurredAt);
    for (let attempt = 1; ; attempt += 1) {
      try {
        const { outcome, moved } = await this.db.hot((tx) =>
          this.logoffIn(tx, principal, request, application, at),
        );
        this.effects.now(moved ? [request.serverId] : [], outcome.ended);
        return outcome;
      } catch (error) {
        if (error instanceof UserChanged && attempt < MAX_CONTENDED_ATTEMPTS) continue;
        throw error;
      }
    }
  }

  private async logoffIn(
    tx: HotTx,
    principal: Principal | undefined,
    request: LogoffRequest,
    application: string,
    at: Date,
  ): Promise<{ outcome: LogoffOutcome; moved: boolean }> {
    const m = tx.manager;
    const receivedAt = this.clock.now();
    const { server, user } = await this.users.readEventContext(
      m,
      request.serverId,
      request.userId,
      null,
      false,
    );
    if (!server) throw notFound('Server', request.serverId);
    checkServerAccess(principal, server, 'machine');
    if (!user) throw notFound('CicUser', request.userId);
    // Only a session that runs on this member ends here (a pair's users are shared).
    const active = user.sessions.find(
      (s) => s.application === application && (s.serverId ?? user.serverId) === server.id,
    );
    // A logoff without a time of its own happens now; a session the server dated a little ahead
    // of our clock (within the future tolerance) still ends with it, at its start.
    const endAt =
      active && !request.occurredAt && at.getTime() < active.startedAt ? new Date(active.startedAt) : at;
    // A logoff older than the running session belongs to an earlier one: it cannot end this one.
    if (active && endAt.getTime() >= active.startedAt) {
      const remaining = user.sessions.length - 1;
      const outcome: LogoffOutcome = {
        sessionId: active.id,
        ended: true,
        released: remaining === 0 ? [...user.held].sort() : [],
        remainingSessions: remaining,
        replayed: false,
      };
      const { released } = await this.ender.end(tx, user, [active], SessionEndCause.LOGOFF, endAt, {
        endResult: JSON.stringify(outcome),
      });
      if (!(await this.users.saveIfUnchanged(tx, user, receivedAt))) throw new UserChanged();
      const finished = await this.pools.finish(tx, server.unitId, {
        give: released,
        take: [],
        deny: [],
        at: receivedAt,
        claim: active.id,
      });
      if (finished.stale) throw new UserChanged();
      return { outcome, moved: released.length > 0 };
    }
    // A replayed logoff finds the session it ended.
    const previous = await select<{ end_result: string | null }>(
      m,
      'SELECT end_result FROM logon_session WHERE user_id = ? AND application = ? AND ended_at = ? AND end_cause = ?',
      [user.id, application, at.getTime(), SessionEndCause.LOGOFF],
    );
    const stored = previous[0]?.end_result;
    if (stored)
      return {
        outcome: { ...json<LogoffOutcome>(stored, {} as LogoffOutcome), replayed: true },
        moved: false,
      };
    return {
      outcome: {
        sessionId: null,
        ended: false,
        released: [],
        remainingSessions: user.sessions.length,
        replayed: false,
      },
      moved: false,
    };
  }

  /** The session objects of GraphQL results. */
  async sessionsByIds(ids: readonly string[]): Promise<LogonSession[]> {
    if (ids.length === 0) return [];
    return this.db.read((m) => m.getRepository(LogonSession).findBy(ids.map((id) => ({ id }))));
  }

  /** One page of a server's sessions (newest first), keyset on (startedAt, id). */
  async sessionsPage(
    serverId: string,
    filter: { activeOnly: boolean; userId?: string | null },
    args: PageArgs,
    bounds?: PageBounds,
  ): Promise<Connection<LogonSession>> {
    return this.db.read((m) => {
      const query = m
        .getRepository(LogonSession)
        .createQueryBuilder('s')
        .where('s.serverId = :serverId', { serverId });
      if (filter.activeOnly) query.andWhere('s.endedAt IS NULL');
      if (filter.userId) query.andWhere('s.userId = :userId', { userId: filter.userId });
      return pageFromQuery(query, args, SESSION_ORDER, bounds);
    });
  }

  async sessionsOfServers(
    serverIds: readonly string[],
    filter: { activeOnly: boolean; userId?: string | null; limit: number },
  ): Promise<LogonSession[]> {
    if (serverIds.length === 0) return [];
    return this.db.read(async (m) => {
      const query = m
        .getRepository(LogonSession)
        .createQueryBuilder('s')
        .where('s.serverId IN (:...serverIds)', { serverIds: [...serverIds] });
      if (filter.activeOnly) query.andWhere('s.endedAt IS NULL');
      if (filter.userId) query.andWhere('s.userId = :userId', { userId: filter.userId });
      return query.orderBy('s.startedAt', 'DESC').limit(filter.limit).getMany();
    });
  }

  /**
   * Ends the sessions of servers that stopped renewing them: a user's lease runs from its last
   * logon or logoff, or the server's last heartbeat, whichever is later. Each user is ended in its
   * own transaction, under its lock, after checking again (another replica may have swept it).
   */
  async sweep(): Promise<number> {
    const now = this.clock.now().getTime();
    const leaseMs = this.leaseSeconds * 1000;
    const cutoff = now - leaseMs;
    const candidates = await this.db.read((m) =>
      select<{ id: string }>(
        m,
        // A unit's sessions run on its active member: its heartbeat renews them.
        'SELECT u.id FROM cic_user u JOIN server s ON s.unit_id = u.server_id AND s.standby = 0 ' +
          'WHERE u.logged_on_at IS NOT NULL ' +
          'AND u.last_seen_at < ? AND (s.last_heartbeat_at IS NULL OR s.last_heartbeat_at < ?)',
        [cutoff, cutoff],
      ),
    );
    let ended = 0;
    for (const { id } of candidates) {
      ended += await this.db.tx(async (m) => {
        const user = await this.users.lock(m, id);
        if (!user || user.sessions.length === 0) return 0;
        const heartbeat = await select<{ last_heartbeat_at: unknown }>(
          m,
          'SELECT last_heartbeat_at FROM server WHERE unit_id = ? AND standby = 0',
          [user.serverId],
        );
        const renewed = Math.max(
          user.lastSeenAt?.getTime() ?? 0,
          numOrNull(heartbeat[0]?.last_heartbeat_at) ?? 0,
        );
        if (renewed >= cutoff) return 0;
        const count = user.sessions.length;
        await this.ender.endAndSave(
          m,
          user,
          user.sessions,
          SessionEndCause.LEASE_EXPIRED,
          new Date(renewed + leaseMs),
        );
        this.effects.afterCommit(m, [user.serverId]);
        return count;
      });
    }
    if (ended > 0) this.logger.info({ sessions: ended }, 'ended sessions of silent servers');
    return ended + (await this.endStandbySessions());
  }

  /**
   * Ends sessions that run on a standby member: a logon that read its member as active just
   * before a switchover committed may have been written after the switchover ended the old
   * member's sessions. Nothing is locked until such a session is found.
   */
  private async endStandbySessions(): Promise<number> {
    const rows = await this.db.read((m) =>
      select<{ id: string; sessions: string; standby_id: string; unit_id: string }>(
        m,
        'SELECT u.id, u.sessions, s.id AS standby_id, s.unit_id FROM cic_user u ' +
          'JOIN server s ON s.unit_id = u.server_id AND s.standby = 1 WHERE u.logged_on_at IS NOT NULL',
        [],
      ),
    );
    const onStandby = (sessions: readonly ActiveSession[], unitId: string, standbyId: string) =>
      sessions.filter((s) => (s.serverId ?? unitId) === standbyId);
    let ended = 0;
    for (const row of rows) {
      if (onStandby(json<ActiveSession[]>(row.sessions, []), row.unit_id, row.standby_id).length === 0)
        continue;
      ended += await this.db.tx(async (m) => {
        const user = await this.users.lock(m, row.id);
        const standby = await select<{ id: string }>(
          m,
          'SELECT id FROM server WHERE id = ? AND standby = 1',
          [row.standby_id],
        );
        if (!user || standby.length === 0) return 0;
        const stale = onStandby(user.sessions, user.serverId, row.standby_id);
        if (stale.length === 0) return 0;
        await this.ender.endAndSave(m, user, stale, SessionEndCause.SWITCHOVER, this.clock.now());
        this.effects.afterCommit(m, [user.serverId]);
        return stale.length;
      });
    }
    if (ended > 0) this.logger.info({ sessions: ended }, 'ended sessions on standby servers');
    return ended;
  }

  /**
   * A server (re)started, or took over as switchover: the sessions it had before are gone with
   * the old process. A switchover makes the caller the active member of its pair and the other
   * the standby (the pair's pools then follow the new active member), and ends the sessions that
   * ran on the old one (cause SWITCHOVER, licences given back). Replaying the same start changes
   * nothing.
   */
  async serverStarted(
    principal: Principal | undefined,
    serverId: string,
    switchover: boolean,
    occurredAt: Date | null,
  ): Promise<Server> {
    const at = this.eventTime(occurredAt);
    const { server, replay, members } = await this.db.tx(async (m) => {
      const found = await m.getRepository(Server).findOneBy({ id: serverId });
      if (!found) throw notFound('Server', serverId);
      // The unit's rows in id order: two members taking over at once queue, never deadlock.
      await select(m, `SELECT id FROM server WHERE unit_id = ? ORDER BY id${this.db.forUpdate}`, [
        found.unitId,
      ]);
      const row = await m.getRepository(Server).findOneByOrFail({ id: serverId });
      checkServerAccess(principal, row, 'machine');
      const unit = await m.getRepository(Server).findBy({ unitId: row.unitId });
      if (row.startedAt?.getTime() === at.getTime()) return { server: row, replay: true, members: unit };
      const takesOver = switchover && row.standby;
      await m.update(
        Server,
        { id: serverId },
        { startedAt: at, lastHeartbeatAt: this.clock.now(), ...(takesOver ? { standby: false } : {}) },
      );
      if (takesOver) {
        for (const other of unit.filter((s) => s.id !== serverId))
          await m.update(Server, { id: other.id }, { standby: true });
        await this.limits?.recomputeLimits(m, serverId);
      }
      await recordEvent(
        m,
        this.clock,
        Topics.ServerStarted,
        { serverId, accountId: row.accountId, switchover, occurredAt: at.toISOString() },
        at,
      );
      this.effects.afterCommit(m, takesOver ? unit.map((s) => s.id) : []);
      return {
        server: Object.assign(row, {
          startedAt: at,
          lastHeartbeatAt: this.clock.now(),
          ...(takesOver ? { standby: false } : {}),
        }),
        replay: false,
        members: unit,
      };
    });
    if (replay) return server;
    if (switchover) {
      const others = members.filter((s) => s.id !== server.id).map((s) => s.id);
      await this.endSessionsOf(server.unitId, others, at, SessionEndCause.SWITCHOVER, false);
    }
    await this.endSessionsOf(server.unitId, [server.id], at, SessionEndCause.SERVER_RESTARTED, true);
    return server;
  }

  /**
   * Ends, at `at`, the sessions of a unit's users that ran on the given members: all of them, or
   * (`startedBy`) those that started no later than `at` (a restarted member keeps what it began since).
   */
  private async endSessionsOf(
    unitId: string,
    memberIds: string[],
    at: Date,
    cause: SessionEndCause,
    startedBy: boolean,
  ): Promise<void> {
    if (memberIds.length === 0) return;
    const users = await this.db.read((m) =>
      select<{ id: string }>(
        m,
        'SELECT id FROM cic_user WHERE server_id = ? AND logged_on_at IS NOT NULL ORDER BY id',
        [unitId],
      ),
    );
    for (const { id } of users) {
      await this.db.tx(async (m) => {
        const user = await this.users.lock(m, id);
        if (!user) return;
        const stale = user.sessions.filter(
          (s: ActiveSession) =>
            memberIds.includes(s.serverId ?? user.serverId) && (!startedBy || s.startedAt <= at.getTime()),
        );
        if (stale.length === 0) return;
        await this.ender.endAndSave(m, user, stale, cause, at);
        this.effects.afterCommit(m, [user.serverId]);
      });
    }
  }
}
