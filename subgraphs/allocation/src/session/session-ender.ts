import { type EntityManager } from 'typeorm';
import { type Clock, type SessionEndedPayload, Topics, outboxInsert, placeholders } from '@lic/shared';
import { type StatementSink, immediate } from '../db/db.js';
import { type PoolStore } from '../pool/pool.store.js';
import { licenseOf } from '../rules/keys.js';
import { type ActiveSession, type CicUser } from '../user/user.entity.js';
import { type UserStore } from '../user/user.store.js';
import { type SessionEndCause } from './session.entity.js';

export interface Ended {
  ended: ActiveSession[];
  /** Pool keys to give back (the user's last session ended): the caller gives them last, see end(). */
  released: string[];
}

/** The licences applied to a user at a moment: its capabilities and the pool licences it holds. */
export function appliedLicenses(user: Pick<CicUser, 'capabilities' | 'held'>): string[] {
  return [...new Set([...user.capabilities, ...user.held])].sort();
}

/**
 * The applied licences that are the user's own, not the station's: billing categories follow
 * them (a business user at a station holding ACD Media 1 stays a business user).
 */
export function userAppliedLicenses(user: Pick<CicUser, 'capabilities' | 'held' | 'licenses'>): string[] {
  const own = new Set(user.licenses.map(licenseOf));
  return appliedLicenses(user).filter((key) => own.has(licenseOf(key)));
}

/**
 * Ends sessions of a user whose row the caller has locked: records the end and its cause,
 * writes one session-ended event each, and when no session is left clears where the user was
 * logged on and returns what it held. The caller gives those licences back as the last
 * statement of its transaction: a pool row is the one thing every logon and logoff of a server
 * waits for, so its lock is taken as late as possible and held only until the commit.
 */
export class SessionEnder {
  constructor(
    private readonly clock: Clock,
    private readonly pools: PoolStore,
    private readonly users: UserStore,
  ) {}

  async end(
    sink: StatementSink,
    user: CicUser,
    sessions: readonly ActiveSession[],
    cause: SessionEndCause,
    at: Date,
    options: { endResult?: string; keepPresence?: boolean } = {},
  ): Promise<Ended> {
    const ending = new Set(sessions.map((s) => s.id));
    const remaining = user.sessions.filter((s) => !ending.has(s.id));
    const applied = appliedLicenses(user);
    const userLicenses = userAppliedLicenses(user);
    const released = remaining.length === 0 && !options.keepPresence ? [...user.held].sort() : [];
    if (sessions.length > 0) {
      await sink.write(
        `UPDATE logon_session SET ended_at = ?, end_cause = ?, end_result = ? WHERE id IN (${placeholders(sessions.length)}) AND ended_at IS NULL`,
        [at.getTime(), cause, options.endResult ?? null, ...sessions.map((s) => s.id)],
        false,
        sessions.length === 1 ? 'session-end' : undefined,
      );
    }
    for (const session of sessions) {
      const payload: SessionEndedPayload = {
        sessionId: session.id,
        // Billing and enforcement know servers by member: the event names where the session ran.
        serverId: session.serverId ?? user.serverId,
        accountId: user.accountId,
        userId: user.id,
        application: session.application,
        licenses: applied,
        userLicenses,
        occurredAt: at.toISOString(),
        cause,
      };
      const event = outboxInsert(this.clock, Topics.SessionEnded, payload, at);
      await sink.write(event.sql, event.params, false, 'event');
    }
    user.sessions = remaining;
    if (remaining.length === 0 && !options.keepPresence) {
      user.held = [];
      user.capabilities = [];
      user.stationId = null;
      user.dynamicPhone = null;
      user.loggedOnAt = null;
    }
    return { ended: [...sessions], released };
  }

  /** Ends, saves the user and gives the licences back: for callers with nothing else to write. */
  async endAndSave(
    manager: EntityManager,
    user: CicUser,
    sessions: readonly ActiveSession[],
    cause: SessionEndCause,
    at: Date,
  ): Promise<Ended> {
    const ended = await this.end(immediate(manager), user, sessions, cause, at);
    await this.users.savePresence(manager, user, user.lastSeenAt ?? this.clock.now());
    await this.pools.giveAll(manager, user.serverId, ended.released);
    return ended;
  }
}
