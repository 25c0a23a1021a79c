import { createHash, randomUUID } from 'node:crypto';
import { In, type EntityManager } from 'typeorm';
import {
  type Clock,
  type Config,
  type Principal,
  type RevocationChannel,
  type SoldTo,
  TenantScope,
  Topics,
  assertCanSeeAccount,
  assertNotInFuture,
  badInput,
  notFound,
  partnerCustomersOf,
  recordEvent,
  requireRole,
  parseInput,
  signToken,
  isUniqueViolation,
} from '@lic/shared';
import { type Db } from '../db/db.js';
import { CREDENTIAL_SUBJECT_PREFIX, type ServerAccess, canReadServer, checkServerAccess } from './access.js';
import { Server, type ServerEnvironment, machineKeyOf } from './server.entity.js';
import { type ParsedRegisterServer, type RegisterServer, registerServerSchema } from './server.inputs.js';

const MACHINE_NAME_INDEX = 'ux_server_account_machine';

function duplicateMachine(name: string) {
  return badInput(
    `A server named ${name} is already registered to this account: an activation file is for one machine (and its switchover partner), so each machine is registered once`,
    'name',
  );
}

export interface IssuedCredential {
  serverId: string;
  token: string;
  issuedAt: Date;
  expiresAt: Date;
}

export class ServerService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly config: Config,
    private readonly revocations?: Pick<RevocationChannel, 'publish'>,
  ) {}

  async byIds(ids: readonly string[]): Promise<Server[]> {
    if (ids.length === 0) return [];
    return this.db.read((m) => m.getRepository(Server).findBy({ id: In([...ids]) }));
  }

  async byAccountIds(accountIds: readonly string[]): Promise<Server[]> {
    if (accountIds.length === 0) return [];
    return this.db.read((m) =>
      m.getRepository(Server).find({ where: { accountId: In([...accountIds]) }, order: { name: 'ASC' } }),
    );
  }

  /**
   * The tenant-access policy for one request: a partner's customers come from this subgraph's
   * copy of the relation (`partner_customer`, kept from the accounts subgraph's announcements).
   */
  tenantScope(principal: Principal | undefined, manager?: EntityManager): TenantScope {
    return new TenantScope(principal, (partnerAccountId) =>
      manager
        ? partnerCustomersOf(manager, partnerAccountId)
        : this.db.read((m) => partnerCustomersOf(m, partnerAccountId)),
    );
  }

  /** `soldTo` for a decision on one account (a partner's customers; empty for anyone else). */
  soldToFor(principal: Principal | undefined, accountId: string, manager?: EntityManager): Promise<SoldTo> {
    return this.tenantScope(principal, manager).soldToFor(accountId);
  }

  /** Loads a server the caller may use as asked, or fails with NOT_FOUND / FORBIDDEN. */
  async require(
    principal: Principal | undefined,
    id: string,
    access: ServerAccess = 'read',
    manager?: EntityManager,
  ): Promise<Server> {
    const load = (m: EntityManager) => m.getRepository(Server).findOneBy({ id });
    const server = manager ? await load(manager) : await this.db.read(load);
    if (!server) throw notFound('Server', id);
    const soldTo = access === 'machine' ? [] : await this.soldToFor(principal, server.accountId, manager);
    checkServerAccess(principal, server, access, soldTo);
    return server;
  }

  /**
   * Loads a switchover unit for a caller who may use one of its members as asked: the caller's
   * own member when a machine credential calls, else the active member (whose file and
   * enforcement bound the unit's pools). Users and stations name their unit, not a member.
   */
  async requireUnit(
    principal: Principal | undefined,
    unitId: string,
    access: ServerAccess = 'read',
    manager?: EntityManager,
  ): Promise<Server> {
    const load = (m: EntityManager) => this.unitMembers(m, unitId);
    const members = manager ? await load(manager) : await this.db.read(load);
    const server = members.find((s) => s.id === principal?.serverId) ?? members[0];
    if (!server) throw notFound('Server', unitId);
    const soldTo = access === 'machine' ? [] : await this.soldToFor(principal, server.accountId, manager);
    checkServerAccess(principal, server, access, soldTo);
    return server;
  }

  /** The members of a unit, the active one first. */
  unitMembers(manager: EntityManager, unitId: string): Promise<Server[]> {
    return manager.getRepository(Server).find({ where: { unitId }, order: { standby: 'ASC', id: 'ASC' } });
  }

  async visible(principal: Principal | undefined, server: Server | null): Promise<Server | null> {
    if (!server || !principal) return null;
    return canReadServer(principal, server, await this.soldToFor(principal, server.accountId))
      ? server
      : null;
  }

  async register(principal: Principal | undefined, input: RegisterServer): Promise<Server> {
    requireRole(principal, 'LICENSING_ADMIN', 'CUSTOMER_ADMIN', 'PARTNER');
    assertCanSeeAccount(principal, input.accountId, await this.soldToFor(principal, input.accountId));
    const parsed = parseInput(registerServerSchema, input);
    const { name, environment } = parsed;
    const machineKey = machineKeyOf(name);
    try {
      return await this.insert(parsed, name, machineKey, environment);
    } catch (error) {
      // Two registrations of one name at once: the unique index lets exactly one through.
      if (isUniqueViolation(error, MACHINE_NAME_INDEX)) throw duplicateMachine(name);
      throw error;
    }
  }

  /**
   * A server stands at an active install site of its own account. Sites are the accounts
   * subgraph's: allocation learns them from its install-site events (and knew those its servers
   * used before). A site not learnt yet (the event is on its way) is refused only when another
   * account's servers stand there. One answer for every refusal, whoever asks.
   */
  private async assertInstallSite(
    manager: EntityManager,
    installSiteId: string,
    accountId: string,
  ): Promise<void> {
    const refused = () =>
      badInput('installSiteId is not an active install site of this account', 'installSiteId');
    const [site] = (await manager.query('SELECT account_id, active FROM install_site WHERE id = ?', [
      installSiteId,
    ])) as Array<{ account_id: string; active: unknown }>;
    if (site) {
      if (site.account_id !== accountId || Number(site.active) !== 1) throw refused();
      return;
    }
    const elsewhere = await manager
      .getRepository(Server)
      .createQueryBuilder('s')
      .where('s.installSiteId = :site AND s.accountId <> :account', {
        site: installSiteId,
        account: accountId,
      })
      .getExists();
    if (elsewhere) throw refused();
  }

  /** The accounts subgraph created, deactivated or reactivated an install site. */
  async installSiteChanged(
    manager: EntityManager,
    change: { installSiteId: string; accountId: string; active: boolean },
  ): Promise<void> {
    await manager.query('DELETE FROM install_site WHERE id = ?', [change.installSiteId]);
    await manager.query('INSERT INTO install_site (id, account_id, active) VALUES (?, ?, ?)', [
      change.installSiteId,
      change.accountId,
      change.active ? 1 : 0,
    ]);
  }

  private insert(
    input: ParsedRegisterServer,
    name: string,
    machineKey: string,
    environment: ServerEnvironment,
  ): Promise<Server> {
    return this.db.tx(async (manager) => {
      const existing = await manager.findOneBy(Server, { accountId: input.accountId, machineKey });
      if (existing) throw duplicateMachine(name);
      await this.assertInstallSite(manager, input.installSiteId, input.accountId);
      const partnerId = input.switchoverPartnerId ?? null;
      if (partnerId) {
        const partner = await manager.findOneBy(Server, { id: partnerId });
        if (!partner || partner.accountId !== input.accountId) {
          throw badInput('switchoverPartnerId must be a server of the same account', 'switchoverPartnerId');
        }
        if (partner.switchoverPartnerId || partner.unitId !== partner.id) {
          throw badInput(`${partner.name} already has a switchover partner`, 'switchoverPartnerId');
        }
      }
      const id = randomUUID();
      // A pair is one unit under the member registered first, which stays active; the partner
      // joins as its standby and shares its pools, users and stations.
      const server = manager.create(Server, {
        id,
        accountId: input.accountId,
        installSiteId: input.installSiteId,
        name,
        machineKey,
        environment,
        switchoverPartnerId: partnerId,
        unitId: partnerId ?? id,
        standby: partnerId !== null,
        createdAt: this.clock.now(),
        credentialId: null,
        credentialHash: null,
        credentialIssuedAt: null,
        licenseFileId: null,
        licenseModel: null,
        licenseType: null,
        licenseKeys: null,
        licenseRevision: null,
        licenseLoadedAt: null,
        licenseExpiresAt: null,
        licenseWithdrawnAt: null,
        enforcementStage: 1,
        supervisorDisabled: false,
        callPortLimit: null,
        enforcementAt: null,
        lastHeartbeatAt: null,
        startedAt: null,
      });
      await manager.insert(Server, server);
      if (partnerId) await manager.update(Server, { id: partnerId }, { switchoverPartnerId: server.id });
      await recordEvent(manager, this.clock, Topics.ServerRegistered, {
        serverId: server.id,
        accountId: server.accountId,
        installSiteId: server.installSiteId,
        name,
      });
      return server;
    });
  }

  /**
   * Issues the server's machine credential: a token with role SERVER scoped to this server.
   * Only its SHA-256 is kept; the token's subject names the credential, so issuing a new one
   * makes every earlier token of the server fail with UNAUTHENTICATED.
   */
  async issueCredential(principal: Principal | undefined, serverId: string): Promise<IssuedCredential> {
    const server = await this.require(principal, serverId, 'configure');
    requireRole(principal, 'LICENSING_ADMIN', 'CUSTOMER_ADMIN', 'PARTNER');
    const credentialId = randomUUID();
    const issuedAt = this.clock.now();
    // Lives SERVER_CREDENTIAL_LIFETIME_SECONDS (well under a year); a new one revokes it sooner.
    const lifetimeSeconds = this.config.jwt.serverMaxLifetimeSeconds;
    const token = await signToken(
      this.config,
      { sub: `${CREDENTIAL_SUBJECT_PREFIX}${credentialId}`, roles: ['SERVER'], serverId: server.id },
      lifetimeSeconds,
    );
    const credentialHash = createHash('sha256').update(token).digest('hex');
    await this.db.tx(async (m) => {
      await m.update(
        Server,
        { id: server.id },
        { credentialId, credentialHash, credentialIssuedAt: issuedAt },
      );
      // Other subgraphs that take the server's own word (enforcement's check-ins) learn which one is in force.
      await recordEvent(
        m,
        this.clock,
        Topics.ServerCredentialIssued,
        { serverId: server.id, accountId: server.accountId, credentialId, issuedAt: issuedAt.toISOString() },
        issuedAt,
      );
    });
    if (server.credentialId && this.revocations) {
      // Requests with the old token already fail (access.ts reads the row); this closes its open
      // sockets on every gateway and subgraph replica. Should the channel be down, those sockets
      // still lose every new operation, so the new credential is not held back for it.
      await this.revocations
        .publish({ sub: `${CREDENTIAL_SUBJECT_PREFIX}${server.credentialId}`, serverId: server.id })
        .catch(() => undefined);
    }
    return {
      serverId: server.id,
      token,
      issuedAt,
      // The token's exp is read against the system clock (as the token library does), so is this.
      expiresAt: new Date(Date.now() + lifetimeSeconds * 1000),
    };
  }

  /**
   * Renews the leases of every session of the server. The lease runs from when the heartbeat is
   * received; the server's own time only has to be believable (not too far ahead of ours).
   */
  async heartbeat(
    principal: Principal | undefined,
    serverId: string,
    occurredAt: Date | null = null,
  ): Promise<boolean> {
    const receivedAt = this.clock.now();
    if (occurredAt) assertNotInFuture(occurredAt, receivedAt, this.config.eventFutureToleranceSeconds);
    await this.db.tx(async (m) => {
      await this.require(principal, serverId, 'machine', m);
      await m.update(Server, { id: serverId }, { lastHeartbeatAt: receivedAt });
    });
    return true;
  }
}
