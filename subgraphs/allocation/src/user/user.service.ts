import { randomUUID } from 'node:crypto';
import { In, type EntityManager } from 'typeorm';
import {
  type Clock,
  DomainError,
  ErrorCode,
  type Principal,
  badInput,
  notFound,
  parseInput,
  isUniqueViolation,
} from '@lic/shared';
import { type Db, immediate } from '../db/db.js';
import { type Effects, ruleError } from '../effects.js';
import { NOTHING, PoolExhausted, reconfigure, type Configuration } from '../pool/assignments.js';
import { recordDenials } from '../pool/denials.js';
import { type PoolStore } from '../pool/pool.store.js';
import { checkServerPrerequisites, validateUserLicenses } from '../rules/licenses.js';
import { type Server } from '../server/server.entity.js';
import { type ServerService } from '../server/server.service.js';
import { type SessionEnder } from '../session/session-ender.js';
import { SessionEndCause } from '../session/session.entity.js';
import { type AllocationMethod, CicUser } from './user.entity.js';
import { type UserStore } from './user.store.js';
import { type CreateCicUser, createCicUserSchema, userMediaTypesSchema } from './user.inputs.js';

export const exhausted = (key: string): DomainError =>
  new DomainError(
    ErrorCode.LICENSE_EXHAUSTED,
    `No ${key} licence is available to assign: the pool is exhausted or not licensed`,
    {
      key,
    },
  );

/** CIC users: their licences (all ASSIGNED or all CONCURRENT) and the pools that follows. */
export class UserService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly servers: ServerService,
    private readonly pools: PoolStore,
    private readonly users: UserStore,
    private readonly ender: SessionEnder,
    private readonly effects: Effects,
  ) {}

  async byIds(ids: readonly string[]): Promise<CicUser[]> {
    if (ids.length === 0) return [];
    return this.db.read((m) => m.getRepository(CicUser).findBy({ id: In([...ids]) }));
  }

  async byServerIds(serverIds: readonly string[]): Promise<CicUser[]> {
    if (serverIds.length === 0) return [];
    return this.db.read((m) =>
      m.getRepository(CicUser).find({ where: { serverId: In([...serverIds]) }, order: { name: 'ASC' } }),
    );
  }

  private validate(server: Server, method: AllocationMethod, licenses: string[]): string[] {
    const result = validateUserLicenses({ allocationMethod: method, licenses });
    if (!result.ok) throw ruleError(result);
    const prerequisite = checkServerPrerequisites(result.licenses, Object.keys(server.licenseKeys ?? {}));
    if (prerequisite) throw ruleError(prerequisite);
    return result.licenses;
  }

  async create(principal: Principal | undefined, input: CreateCicUser): Promise<CicUser> {
    const server = await this.servers.require(principal, input.serverId, 'configure');
    const { name, queuedMediaTypes, chosenMediaTypes } = parseInput(createCicUserSchema, input);
    const licenses = this.validate(server, input.allocationMethod, input.licenses);
    const user = Object.assign(new CicUser(), {
      id: randomUUID(),
      // A switchover pair's members share one user configuration: the unit's.
      serverId: server.unitId,
      accountId: server.accountId,
      name,
      allocationMethod: input.allocationMethod,
      licenses,
      queuedMediaTypes: queuedMediaTypes ?? [],
      chosenMediaTypes,
      createdAt: this.clock.now(),
      stationId: null,
      dynamicPhone: null,
      held: [],
      capabilities: [],
      sessions: [],
      loggedOnAt: null,
      lastSeenAt: null,
      rowVersion: 0,
    });
    await this.configure(server.unitId, NOTHING, { method: user.allocationMethod, licenses }, async (m) => {
      try {
        await m.insert(CicUser, { ...user });
      } catch (error) {
        if (isUniqueViolation(error))
          throw badInput(`A user named ${name} already exists on this server`, 'name');
        throw error;
      }
    });
    return user;
  }

  /** Replaces a user's licences (and, if given, its allocation method); pools follow the difference. */
  async setLicenses(
    principal: Principal | undefined,
    userId: string,
    licenses: string[],
    allocationMethod?: AllocationMethod | null,
  ): Promise<CicUser> {
    const current = (await this.byIds([userId]))[0];
    if (!current) throw notFound('CicUser', userId);
    const server = await this.servers.requireUnit(principal, current.serverId, 'configure');
    const method = allocationMethod ?? current.allocationMethod;
    const validated = this.validate(server, method, licenses);
    let saved: CicUser | undefined;
    await this.configureLocked(userId, async (m, user) => {
      const before: Configuration = { method: user.allocationMethod, licenses: user.licenses };
      await m.update(
        CicUser,
        { id: user.id },
        { licenses: validated, allocationMethod: method, rowVersion: () => 'row_version + 1' },
      );
      saved = Object.assign(user, { licenses: validated, allocationMethod: method });
      return { serverId: user.serverId, before, after: { method, licenses: validated } };
    });
    return saved!;
  }

  async setMediaTypes(
    principal: Principal | undefined,
    userId: string,
    queued: string[],
    chosen: string[] | null | undefined,
  ): Promise<CicUser> {
    const current = (await this.byIds([userId]))[0];
    if (!current) throw notFound('CicUser', userId);
    await this.servers.requireUnit(principal, current.serverId, 'configure');
    const media = parseInput(userMediaTypesSchema, { queuedMediaTypes: queued, chosenMediaTypes: chosen });
    const queuedMediaTypes = media.queuedMediaTypes ?? [];
    const chosenMediaTypes = media.chosenMediaTypes;
    await this.db.tx((m) =>
      m.update(
        CicUser,
        { id: userId },
        { queuedMediaTypes, chosenMediaTypes, rowVersion: () => 'row_version + 1' },
      ),
    );
    return Object.assign(current, { queuedMediaTypes, chosenMediaTypes });
  }

  /** Deletes a user: its sessions end (USER_DELETED) and every licence it held or was assigned goes back. */
  async delete(principal: Principal | undefined, userId: string): Promise<boolean> {
    const current = (await this.byIds([userId]))[0];
    if (!current) throw notFound('CicUser', userId);
    await this.servers.requireUnit(principal, current.serverId, 'configure');
    await this.configureLocked(userId, async (m, user) => {
      const { released } = await this.ender.end(
        immediate(m),
        user,
        user.sessions,
        SessionEndCause.USER_DELETED,
        this.clock.now(),
      );
      await m.delete(CicUser, { id: user.id });
      await this.pools.giveAll(m, user.serverId, released);
      return {
        serverId: user.serverId,
        before: { method: user.allocationMethod, licenses: user.licenses },
        after: NOTHING,
      };
    });
    return true;
  }

  private async configureLocked(
    userId: string,
    change: (
      m: EntityManager,
      user: CicUser,
    ) => Promise<{ serverId: string; before: Configuration; after: Configuration }>,
  ): Promise<void> {
    let serverId = '';
    try {
      await this.db.tx(async (m) => {
        const user = await this.users.lock(m, userId);
        if (!user) throw notFound('CicUser', userId);
        const plan = await change(m, user);
        serverId = plan.serverId;
        await reconfigure(m, this.pools, plan.serverId, plan.before, plan.after, this.clock.now());
        this.effects.afterCommit(m, [plan.serverId]);
      });
    } catch (error) {
      if (error instanceof PoolExhausted) throw await this.refused(serverId, error.key, { userId });
      throw error;
    }
  }

  private async configure(
    serverId: string,
    before: Configuration,
    after: Configuration,
    write: (m: EntityManager) => Promise<void>,
  ): Promise<void> {
    try {
      await this.db.tx(async (m) => {
        await write(m);
        await reconfigure(m, this.pools, serverId, before, after, this.clock.now());
        this.effects.afterCommit(m, [serverId], false);
      });
    } catch (error) {
      if (error instanceof PoolExhausted) throw await this.refused(serverId, error.key, {});
      throw error;
    }
  }

  /** The assignment was rolled back; the refusal itself is recorded for the denial report. */
  private async refused(
    serverId: string,
    key: string,
    who: { userId?: string; stationId?: string },
  ): Promise<DomainError> {
    await this.db.tx(async (m) => {
      const at = this.clock.now();
      await recordDenials(m, this.pools, serverId, [{ key, reason: 'EXHAUSTED', ...who }], at);
      this.effects.afterCommit(m, [serverId], false);
      this.effects.denied(m, serverId, [{ key, reason: 'EXHAUSTED' }], at);
    });
    return exhausted(key);
  }
}
