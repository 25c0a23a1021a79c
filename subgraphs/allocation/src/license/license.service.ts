import { In, type EntityManager } from 'typeorm';
import {
  type ActivationFileUpdatedPayload,
  CALL_PORT_KEY,
  type Clock,
  DomainError,
  ErrorCode,
  type LicenseFileContent,
  type LicenseFileLoadedPayload,
  type Principal,
  Topics,
  assertCanSeeAccount,
  badInput,
  recordEvent,
  requireRole,
  revisionOf,
  verifyLicenseFile,
  execute,
  select,
} from '@lic/shared';
import { type Db } from '../db/db.js';
import { type Effects } from '../effects.js';
import { effectiveLimit, isUnlicensed, isWithheldPool } from '../pool/limits.js';
import { type PoolStore } from '../pool/pool.store.js';
import { isFeatureKey, isWellFormedKey, canonicalKey } from '../rules/licenses.js';
import { Server } from '../server/server.entity.js';
import { type ServerService } from '../server/server.service.js';
import { FileBindings, environmentProblem, namesMachine, sameMachine } from './file-binding.js';

export interface LicenseCap {
  accountId: string;
  key: string;
  cap: number;
}

const invalidFile = (message: string, details: Record<string, unknown> = {}): DomainError =>
  new DomainError(ErrorCode.INVALID_LICENSE_FILE, `Invalid licence file: ${message}`, details);

/** Keys that become pools: everything but server features. */
const isPoolKey = (key: string): boolean => !isFeatureKey(key);

/**
 * Licence files, pool totals and what bounds them (account caps, enforcement). A file binds to
 * machines by name: the server's registered name is its CIC machine name, and a file loads on
 * the server whose name is the file's machine name or its switchover machine name, of the
 * file's account and install site. A switchover file is applied to both servers of the pair,
 * whose pools are one set: the unit's (see Server.unitId), bounded by its active member.
 */
export class LicenseService {
  private readonly bindings: FileBindings;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly servers: ServerService,
    private readonly pools: PoolStore,
    private readonly effects: Effects,
    private readonly verificationKey: () => string,
  ) {
    this.bindings = new FileBindings(db);
  }

  async loadLicenseFile(
    principal: Principal | undefined,
    serverId: string,
    content: string,
  ): Promise<Server> {
    const server = await this.servers.require(principal, serverId, 'configure');
    // Signature, content and expiry first: a refused file changes nothing.
    const file = verifyLicenseFile(content, this.verificationKey(), this.clock);
    if (file.accountId !== server.accountId) {
      throw invalidFile(
        `it was issued to account ${file.accountId}, not to the account of server ${server.name}`,
        {
          fileId: file.fileId,
        },
      );
    }
    if (file.installSiteId !== server.installSiteId) {
      throw invalidFile(
        `it was issued for install site ${file.installSiteId}, not the site of server ${server.name}`,
        {
          fileId: file.fileId,
        },
      );
    }
    const environment = environmentProblem(file.licenseType, server.environment);
    if (environment) {
      throw invalidFile(environment, {
        fileId: file.fileId,
        reason: 'DEVELOPMENT_FILE_ON_PRODUCTION_SERVER',
        environment: server.environment,
      });
    }
    const loaded = await this.db.tx(async (m) => {
      const withdrawn = await select<{ file_id: string }>(
        m,
        'SELECT file_id FROM withdrawn_license_file WHERE file_id = ?',
        [file.fileId],
      );
      if (withdrawn.length > 0)
        throw invalidFile(`file ${file.fileId} was deactivated`, { fileId: file.fileId });
      // Only the current revision loads, and a file is live on one server (or pair) only.
      await this.bindings.claimRevision(m, file, this.clock.now());
      const targets = await this.targets(m, server.id, file);
      await this.bindings.assertNotLiveElsewhere(m, file.fileId, server);
      await this.apply(m, targets, file);
      this.effects.afterCommit(
        m,
        targets.map((t) => t.id),
      );
      return m.getRepository(Server).findOneByOrFail({ id: server.id });
    });
    return loaded;
  }

  /** Gives the servers the file's totals at once (a load, or an update of the file they run). */
  private async apply(m: EntityManager, targets: readonly Server[], file: LicenseFileContent): Promise<void> {
    const now = this.clock.now();
    // The reference spells the client key two ways; both name one licence (and one pool).
    const keys: Record<string, number> = {};
    for (const { key, quantity } of file.keys)
      keys[canonicalKey(key)] = (keys[canonicalKey(key)] ?? 0) + quantity;
    for (const target of targets) {
      await m.update(
        Server,
        { id: target.id },
        {
          licenseFileId: file.fileId,
          licenseRevision: revisionOf(file),
          licenseModel: file.licenseModel,
          licenseType: file.licenseType,
          licenseKeys: keys,
          licenseLoadedAt: now,
          licenseExpiresAt: file.expiresAt,
          // A new file ends what the expiry of the previous one did (enforcement stays as it is).
          licenseExpiredAt: null,
          licenseWithdrawnAt: null,
        },
      );
      // A pair's members share the unit's pools: the file's quantities count once.
      await this.pools.ensure(m, target.unitId, Object.keys(keys).filter(isPoolKey));
      await this.recomputeLimits(m, target.id);
      const payload: LicenseFileLoadedPayload = {
        serverId: target.id,
        accountId: target.accountId,
        fileId: file.fileId,
        licenseModel: file.licenseModel,
        licenseType: file.licenseType,
        keys,
        rampDate: file.virtualCloud?.rampDate.toISOString() ?? null,
        graceDays: file.virtualCloud?.gracePeriodDays ?? null,
        callPorts: keys[CALL_PORT_KEY] ?? 0,
        loadedAt: now.toISOString(),
        revision: revisionOf(file),
        expiresAt: file.expiresAt.toISOString(),
      };
      await recordEvent(m, this.clock, Topics.LicenseFileLoaded, payload, now);
    }
  }

  /**
   * accounts.activation-file-updated: the file's new revision becomes the current one (older ones
   * never load again), and every server running an older revision takes the new quantities at once,
   * exactly as a reload would (lowered totals: holders keep, nothing new until under). A server the
   * new revision no longer names loses the file's totals, as at deactivation.
   */
  async applyRevision(m: EntityManager, payload: ActivationFileUpdatedPayload): Promise<string[]> {
    const { fileId, accountId, revision } = payload;
    const at = new Date(payload.updatedAt);
    let file: LicenseFileContent | undefined;
    try {
      const read = verifyLicenseFile(payload.content, this.verificationKey(), this.clock);
      // A revision that does not verify (or has expired) cannot be applied: its servers lose the file.
      if (read.fileId === fileId && read.accountId === accountId && revisionOf(read) === revision)
        file = read;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
    }
    const current = await this.bindings.recordRevision(m, fileId, accountId, revision, at);
    if (current > revision) return [];
    const withdrawn = await select<{ file_id: string }>(
      m,
      'SELECT file_id FROM withdrawn_license_file WHERE file_id = ?',
      [fileId],
    );
    if (withdrawn.length > 0) return [];
    const stale = await select<{ id: string }>(
      m,
      `SELECT id FROM server WHERE license_file_id = ? AND license_withdrawn_at IS NULL
         AND (license_revision IS NULL OR license_revision < ?) ORDER BY id${this.db.forUpdate}`,
      [fileId, revision],
    );
    if (stale.length === 0) return [];
    const servers = await m.getRepository(Server).findBy({ id: In(stale.map((r) => r.id)) });
    servers.sort((a, b) => (a.id < b.id ? -1 : 1));
    const named = file ? servers.filter((s) => namesMachine(file, s.name)) : [];
    if (file && named.length > 0) await this.apply(m, named, file);
    for (const server of servers) {
      if (named.includes(server)) continue;
      await m.update(Server, { id: server.id }, { licenseKeys: null, licenseWithdrawnAt: at });
      await this.recomputeLimits(m, server.id);
    }
    this.effects.afterCommit(
      m,
      servers.map((s) => s.id),
    );
    return servers.map((s) => s.id);
  }

  /** The servers a file applies to (locked, in id order): this one, and its partner for a switchover file. */
  private async targets(m: EntityManager, serverId: string, file: LicenseFileContent): Promise<Server[]> {
    const server = await this.lockServer(m, serverId);
    const partner = server.switchoverPartnerId ? await this.lockServer(m, server.switchoverPartnerId) : null;
    const primaryName = file.machine.machineName;
    const switchoverName = file.switchover?.machineName;
    const otherName = sameMachine(server.name, primaryName)
      ? switchoverName
      : switchoverName !== undefined && sameMachine(server.name, switchoverName)
        ? primaryName
        : null;
    if (otherName === null) {
      const names = switchoverName ? `${primaryName} and ${switchoverName}` : primaryName;
      throw invalidFile(`it is for machine ${names}, not ${server.name}`, { fileId: file.fileId });
    }
    if (otherName === undefined || !partner) return [server];
    if (!sameMachine(partner.name, otherName)) {
      throw invalidFile(
        `its switchover machine ${otherName} is not ${partner.name}, the partner of ${server.name}`,
        {
          fileId: file.fileId,
        },
      );
    }
    return [server, partner].sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  private async lockServer(m: EntityManager, id: string): Promise<Server> {
    await select(m, `SELECT id FROM server WHERE id = ?${this.db.forUpdate}`, [id]);
    return m.getRepository(Server).findOneByOrFail({ id });
  }

  /**
   * Sets every pool's limit from the server's file, the account's caps and enforcement. Only
   * limits move: holders above a lowered limit keep their licences, and the conditional update
   * admits nobody new until the pool is back under it. Assignments are withheld, or given back,
   * as enforcement and expiry now say (see isWithheldPool).
   */
  async recomputeLimits(m: EntityManager, serverId: string): Promise<void> {
    const member = await m.getRepository(Server).findOneByOrFail({ id: serverId });
    // The unit's pools follow its active member: the file it runs and the enforcement it is under.
    const [server = member] = await this.servers.unitMembers(m, member.unitId);
    const unitId = server.unitId;
    const caps = await select<{ pool_key: string; cap: unknown }>(
      m,
      'SELECT pool_key, cap FROM account_license_cap WHERE account_id = ?',
      [server.accountId],
    );
    const keys = server.licenseKeys ?? {};
    const context = {
      model: server.licenseModel,
      caps: new Map(caps.map((c) => [c.pool_key, Number(c.cap)])),
      supervisorDisabled: server.supervisorDisabled,
      callPortLimit: server.callPortLimit,
      unlicensed: isUnlicensed(server),
    };
    for (const pool of await this.pools.byServers(m, [unitId])) {
      const quantity = keys[pool.key];
      const file = { inFile: quantity !== undefined, fileTotal: quantity ?? 0 };
      await this.pools.setLimit(m, unitId, pool.key, {
        ...file,
        limit: effectiveLimit(pool.key, file, context),
      });
      const withheld = isWithheldPool(pool.key, context);
      if (withheld !== pool.withheld > 0) await this.pools.setWithheld(m, unitId, pool.key, withheld);
    }
  }

  /**
   * A subscription account's own cap on a licence (a pool key such as I3_ACCESS_CLIENT_CONCURRENT);
   * null removes it. Perpetual pools ignore it: their file already caps them.
   */
  async setAccountLicenseCap(
    principal: Principal | undefined,
    accountId: string,
    key: string,
    cap: number | null,
  ): Promise<LicenseCap | null> {
    requireRole(principal, 'LICENSING_ADMIN', 'CUSTOMER_ADMIN', 'PARTNER');
    assertCanSeeAccount(principal, accountId, await this.servers.soldToFor(principal, accountId));
    const poolKey = canonicalKey(key.trim());
    if (!isWellFormedKey(poolKey) || isFeatureKey(poolKey))
      throw badInput(`${key} is not a licence key`, 'key');
    if (cap !== null && (!Number.isInteger(cap) || cap < 0 || cap > 1_000_000_000)) {
      throw badInput('cap must be a whole number from 0 to 1000000000', 'cap');
    }
    return this.db.tx(async (m) => {
      if (cap !== null) {
        // A cap bounds a pool the account holds: a key none of its servers' files license is refused.
        const held = await select<{ n: unknown }>(
          m,
          'SELECT COUNT(*) AS n FROM license_pool p JOIN server s ON s.id = p.server_id ' +
            'WHERE s.account_id = ? AND p.pool_key = ? AND p.in_file = 1',
          [accountId, poolKey],
        );
        if (Number(held[0]?.n ?? 0) === 0) {
          throw badInput(`No licence file of this account holds ${poolKey}: there is no pool to cap`, 'key');
        }
      }
      await execute(m, 'DELETE FROM account_license_cap WHERE account_id = ? AND pool_key = ?', [
        accountId,
        poolKey,
      ]);
      if (cap !== null) {
        await execute(
          m,
          'INSERT INTO account_license_cap (account_id, pool_key, cap, set_at) VALUES (?, ?, ?, ?)',
          [accountId, poolKey, cap, this.clock.now().getTime()],
        );
      }
      const servers = await select<{ id: string }>(
        m,
        'SELECT id FROM server WHERE account_id = ? AND standby = 0 ORDER BY id',
        [accountId],
      );
      for (const { id } of servers) await this.recomputeLimits(m, id);
      this.effects.afterCommit(
        m,
        servers.map((s) => s.id),
        false,
      );
      return cap === null ? null : { accountId, key: poolKey, cap };
    });
  }

  async caps(principal: Principal | undefined, accountId: string): Promise<LicenseCap[]> {
    assertCanSeeAccount(principal, accountId, await this.servers.soldToFor(principal, accountId));
    const rows = await this.db.read((m) =>
      select<{ pool_key: string; cap: unknown }>(
        m,
        'SELECT pool_key, cap FROM account_license_cap WHERE account_id = ? ORDER BY pool_key',
        [accountId],
      ),
    );
    return rows.map((r) => ({ accountId, key: r.pool_key, cap: Number(r.cap) }));
  }

  /**
   * accounts.activation-file-deactivated: every server running the file loses its pools' totals
   * (holders keep what they hold, nothing new is acquired), and the file never loads again.
   */
  async withdrawFile(m: EntityManager, fileId: string, accountId: string, at: Date): Promise<string[]> {
    await execute(
      m,
      `${this.db.insertIgnore} withdrawn_license_file (file_id, account_id, withdrawn_at) VALUES (?, ?, ?)`,
      [fileId, accountId, at.getTime()],
    );
    const servers = await select<{ id: string }>(
      m,
      `SELECT id FROM server WHERE license_file_id = ? ORDER BY id${this.db.forUpdate}`,
      [fileId],
    );
    for (const { id } of servers) {
      await m.update(Server, { id }, { licenseKeys: null, licenseWithdrawnAt: at });
      await this.recomputeLimits(m, id);
    }
    this.effects.afterCommit(
      m,
      servers.map((s) => s.id),
      false,
    );
    return servers.map((s) => s.id);
  }
}
