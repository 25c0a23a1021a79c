import { randomUUID } from 'node:crypto';
import { In, type DataSource } from 'typeorm';
import {
  type Clock,
  type Principal,
  Topics,
  assertAccountAccess,
  badInput,
  canAccessAccount,
  canActForServer,
  forbidden,
  notFound,
  recordEvent,
  requirePrincipal,
  requireRole,
} from '@lic/shared';
import { Server } from './server.entity.js';

export interface RegisterServer {
  accountId: string;
  installSiteId: string;
  name: string;
  switchoverPartnerId?: string | null | undefined;
}

export class ServerService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async byIds(ids: readonly string[]): Promise<Server[]> {
    if (ids.length === 0) return [];
    return this.dataSource.getRepository(Server).findBy({ id: In([...ids]) });
  }

  async byAccountIds(accountIds: readonly string[]): Promise<Server[]> {
    if (accountIds.length === 0) return [];
    return this.dataSource.getRepository(Server).find({ where: { accountId: In([...accountIds]) }, order: { name: 'ASC' } });
  }

  /** Loads a server the caller may see, or fails with NOT_FOUND / FORBIDDEN. */
  async require(principal: Principal | undefined, id: string): Promise<Server> {
    const p = requirePrincipal(principal);
    const server = await this.dataSource.getRepository(Server).findOneBy({ id });
    if (!server) throw notFound('Server', id);
    if (!canAccessAccount(p, server.accountId) && !(p.serverId === id)) throw forbidden('This server belongs to another tenant');
    if (!canActForServer(p, id)) throw forbidden('This machine credential is for another server');
    return server;
  }

  visible(principal: Principal | undefined, server: Server | null): Server | null {
    if (!server || !principal) return null;
    return canAccessAccount(principal, server.accountId) || principal.serverId === server.id ? server : null;
  }

  async register(principal: Principal | undefined, input: RegisterServer): Promise<Server> {
    requireRole(principal, 'LICENSING_ADMIN', 'CUSTOMER_ADMIN', 'PARTNER');
    assertAccountAccess(principal, input.accountId);
    const name = input.name.trim();
    if (name.length === 0) throw badInput('name must not be empty', 'name');
    return this.dataSource.transaction(async (manager) => {
      const partnerId = input.switchoverPartnerId ?? null;
      if (partnerId) {
        const partner = await manager.findOneBy(Server, { id: partnerId });
        if (!partner || partner.accountId !== input.accountId) {
          throw badInput('switchoverPartnerId must be a server of the same account', 'switchoverPartnerId');
        }
      }
      const server = manager.create(Server, {
        id: randomUUID(),
        accountId: input.accountId,
        installSiteId: input.installSiteId,
        name,
        switchoverPartnerId: partnerId,
        createdAt: this.clock.now(),
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
}
