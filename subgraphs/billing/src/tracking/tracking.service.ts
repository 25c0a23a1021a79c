import { In, type DataSource, type EntityManager } from 'typeorm';
import {
  type LicenseFileLoadedPayload,
  type ServerRegisteredPayload,
  type ServerStartedPayload,
  type Dialect,
  type Statement,
  placeholders,
} from '@lic/shared';
import { BillingServer } from '../account/billing-server.entity.js';
import { markServerDirty } from '../db/sql.js';
import { LicenseLoad } from './license-load.entity.js';
import { ServerStart } from './server-start.entity.js';
import { trackingModeOf } from './tracking-mode.js';
import { type TrackingWindow, trackingWindows } from './tracking-windows.js';

/** Creates the server row the first time any event names the server (events of different topics race). */
export async function ensureServer(
  manager: EntityManager,
  serverId: string,
  accountId: string,
  name: string | null = null,
): Promise<void> {
  await manager
    .createQueryBuilder()
    .insert()
    .into(BillingServer)
    .values({ serverId, accountId, name })
    .orIgnore()
    .execute();
  if (name !== null) await manager.update(BillingServer, { serverId }, { name });
}

/** The INSERT creating the rows of those servers (id to account) that have none yet. */
export function ensureServersStatements(dialect: Dialect, servers: ReadonlyMap<string, string>): Statement[] {
  if (servers.size === 0) return [];
  return [
    {
      sql: `${dialect === 'mariadb' ? 'INSERT IGNORE INTO' : 'INSERT OR IGNORE INTO'} billing_server (server_id, account_id, name) VALUES ${[
        ...servers.keys(),
      ]
        .map(() => `(${placeholders(2)}, NULL)`)
        .join(', ')}`,
      params: [...servers].flat(),
    },
  ];
}

/**
 * What billing learns about servers from allocation: where they belong, which licence (and so
 * which usage-tracking mode) they run under from when, and when they restart.
 */
export class TrackingService {
  constructor(private readonly dataSource: DataSource) {}

  async serverRegistered(manager: EntityManager, payload: ServerRegisteredPayload): Promise<void> {
    await ensureServer(manager, payload.serverId, payload.accountId, payload.name);
  }

  /**
   * A licence load may arrive after session events it governs (topics are separate streams),
   * so it re-derives the server's users from the load's time on instead of judging only what
   * comes next.
   */
  async licenseFileLoaded(
    manager: EntityManager,
    eventId: string,
    payload: LicenseFileLoadedPayload,
  ): Promise<void> {
    await ensureServer(manager, payload.serverId, payload.accountId);
    const loadedAt = Date.parse(payload.loadedAt);
    await manager.insert(LicenseLoad, {
      eventId,
      serverId: payload.serverId,
      fileId: payload.fileId,
      loadedAt,
      mode: trackingModeOf(payload.keys),
    });
    await markServerDirty(manager, payload.serverId, loadedAt);
  }

  async serverStarted(manager: EntityManager, eventId: string, payload: ServerStartedPayload): Promise<void> {
    await ensureServer(manager, payload.serverId, payload.accountId);
    await manager.insert(ServerStart, {
      eventId,
      serverId: payload.serverId,
      occurredAt: Date.parse(payload.occurredAt),
    });
  }

  /** Tracking windows per server. */
  async windowsOf(
    serverIds: readonly string[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Map<string, TrackingWindow[]>> {
    const loads =
      serverIds.length === 0
        ? []
        : await manager.find(LicenseLoad, { where: { serverId: In([...serverIds]) } });
    const byServer = new Map<string, LicenseLoad[]>(serverIds.map((id) => [id, []]));
    for (const load of loads) byServer.get(load.serverId)?.push(load);
    return new Map([...byServer].map(([id, list]) => [id, trackingWindows(list)]));
  }
}
