import { execute, select } from '@lic/shared';
import { type EntityManager } from 'typeorm';
import { type Db, immediate } from '../db/db.js';
import { type LicenseService } from '../license/license.service.js';
import { type PoolStore } from '../pool/pool.store.js';
import { Server } from '../server/server.entity.js';
import { type SessionEnder } from '../session/session-ender.js';
import { type SessionEndCause } from '../session/session.entity.js';
import { type UserStore } from '../user/user.store.js';

/**
 * A server reverting to unlicensed (enforcement stage 6, or its file's expiry): one code path for
 * both. Every session open on the server ends with its cause recorded (and a session-ended event,
 * so billing closes it), what the sessions held goes back to the pools, and then the limits and
 * withheld assignments follow the server's state, which the caller has already written.
 */
export class Unlicensing {
  constructor(
    private readonly db: Db,
    private readonly pools: PoolStore,
    private readonly users: UserStore,
    private readonly ender: SessionEnder,
    private readonly licenses: LicenseService,
  ) {}

  /**
   * In the caller's transaction, the server row locked; returns how many sessions ended. A switchover
   * pair's users and pools are its unit's: the active member's state governs them, and a standby
   * member's changes only take effect when it takes over (its limits follow the active member).
   */
  async revert(m: EntityManager, serverId: string, cause: SessionEndCause, at: Date): Promise<number> {
    const server = await m.getRepository(Server).findOneByOrFail({ id: serverId });
    const ended = server.standby ? 0 : await this.endSessions(m, server.unitId, cause, at);
    await this.licenses.recomputeLimits(m, serverId);
    return ended;
  }

  /**
   * A logon read before this change writes its user only if the user's row_version is still the
   * one it read: moving every user's version on makes such a logon read again, and find the
   * server's new state, even one that takes nothing from a pool (an ASSIGNED user's).
   */
  async fenceLogons(m: EntityManager, serverId: string): Promise<void> {
    await execute(m, 'UPDATE cic_user SET row_version = row_version + 1 WHERE server_id = ?', [serverId]);
  }

  private async endSessions(
    m: EntityManager,
    unitId: string,
    cause: SessionEndCause,
    at: Date,
  ): Promise<number> {
    await this.fenceLogons(m, unitId);
    // A locking read: the users as committed now, not as an earlier snapshot of this transaction saw them.
    const holders = await select<{ id: string }>(
      m,
      `SELECT id FROM cic_user WHERE server_id = ? AND logged_on_at IS NOT NULL ORDER BY id${this.db.forUpdate}`,
      [unitId],
    );
    const given = new Map<string, number>();
    let ended = 0;
    // Users before pools, as everywhere: a logon holding its user never waits on us holding a pool.
    for (const { id } of holders) {
      const user = await this.users.lock(m, id);
      if (!user || user.sessions.length === 0) continue;
      // A session never ends before it started (a logon stamped after the instant of the change).
      const endAt = new Date(Math.max(at.getTime(), ...user.sessions.map((s) => s.startedAt)));
      ended += user.sessions.length;
      const { released } = await this.ender.end(immediate(m), user, user.sessions, cause, endAt);
      await this.users.savePresence(m, user, user.lastSeenAt ?? endAt);
      for (const key of released) given.set(key, (given.get(key) ?? 0) + 1);
    }
    for (const key of [...given.keys()].sort()) await this.pools.give(m, unitId, key, given.get(key));
    return ended;
  }
}
