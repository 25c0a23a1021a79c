import { type EntityManager } from 'typeorm';
import { type StageChangedPayload, select } from '@lic/shared';
import { type Db } from '../db/db.js';
import { type Effects } from '../effects.js';
import { type LicenseService } from '../license/license.service.js';
import { type PoolStore } from '../pool/pool.store.js';
import { isSupervisorKey, licenseOf } from '../rules/licenses.js';
import { Server } from '../server/server.entity.js';
import { SessionEndCause } from '../session/session.entity.js';
import { type UserStore } from '../user/user.store.js';
import { type Unlicensing } from './unlicensed.js';

/**
 * Applies what enforcement decided for a server, each event once: stage 4 and beyond withhold
 * supervisor licences (their pools admit nobody; concurrent ones held are given back now, assigned
 * ones are withheld); stages 5 and 6 bound the call ports; stage 6 reverts the server to
 * unlicensed (every session ends, everything but call ports withheld, see Unlicensing); stage 1
 * restores what is withheld. An event older than the last one applied is ignored.
 */
export class EnforcementEffects {
  constructor(
    private readonly db: Db,
    private readonly pools: PoolStore,
    private readonly users: UserStore,
    private readonly licenses: LicenseService,
    private readonly unlicensing: Unlicensing,
    private readonly effects: Effects,
  ) {}

  async apply(m: EntityManager, payload: StageChangedPayload): Promise<void> {
    const at = new Date(payload.at);
    await select(m, `SELECT id FROM server WHERE id = ?${this.db.forUpdate}`, [payload.serverId]);
    const server = await m.getRepository(Server).findOneBy({ id: payload.serverId });
    if (!server) return;
    if (server.enforcementAt && server.enforcementAt.getTime() > at.getTime()) return;
    const supervisorDisabled = !payload.supervisorEnabled;
    await m.update(
      Server,
      { id: server.id },
      {
        enforcementStage: payload.to,
        supervisorDisabled,
        callPortLimit: payload.callPortLimit,
        enforcementAt: at,
      },
    );
    if (payload.to >= 6) {
      const ended = await this.unlicensing.revert(m, server.id, SessionEndCause.UNLICENSED, at);
      this.effects.afterCommit(m, [server.id], ended > 0);
      return;
    }
    // Users before pools, as logons lock them: a logon holding its user never waits on us holding a pool.
    // A switchover pair's users are its unit's; the standby's stage governs nothing until it takes over.
    if (supervisorDisabled && !server.supervisorDisabled && !server.standby)
      await this.unlicensing.fenceLogons(m, server.unitId);
    if (supervisorDisabled && !server.standby) await this.releaseSupervisorLicenses(m, server.unitId);
    await this.licenses.recomputeLimits(m, server.id);
    this.effects.afterCommit(m, [server.id], false);
  }

  private async releaseSupervisorLicenses(m: EntityManager, serverId: string): Promise<void> {
    const holders = await select<{ id: string }>(
      m,
      `SELECT id FROM cic_user WHERE server_id = ? AND logged_on_at IS NOT NULL ORDER BY id${this.db.forUpdate}`,
      [serverId],
    );
    const given = new Map<string, number>();
    const changed = [];
    for (const { id } of holders) {
      const user = await this.users.lock(m, id);
      if (!user) continue;
      const withheld = user.held.filter(isSupervisorKey);
      const lostCapabilities = user.capabilities.filter((c) => isSupervisorKey(c));
      if (withheld.length === 0 && lostCapabilities.length === 0) continue;
      for (const key of withheld) given.set(key, (given.get(key) ?? 0) + 1);
      user.held = user.held.filter((k) => !isSupervisorKey(k));
      user.capabilities = user.capabilities.filter((c) => !isSupervisorKey(licenseOf(c)));
      changed.push(user);
    }
    for (const key of [...given.keys()].sort()) await this.pools.give(m, serverId, key, given.get(key));
    for (const user of changed) await this.users.savePresence(m, user, user.lastSeenAt ?? new Date(0));
  }
}
