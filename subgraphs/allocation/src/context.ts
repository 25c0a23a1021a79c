import { type PageBounds } from '@lic/shared';
import DataLoader from 'dataloader';
import { type Clock, type LivePubSub, type Principal, type TenantScope } from '@lic/shared';
import { type PoolAlerts } from './alerts/pool-alerts.js';
import { type CallService } from './call/call.service.js';
import { type ExpiryScheduler } from './expiry/expiry.scheduler.js';
import { type LicenseService } from './license/license.service.js';
import { type Server } from './server/server.entity.js';
import { createServerLoaders, type ServerLoaders } from './server/server.loaders.js';
import { type ServerService } from './server/server.service.js';
import { type LogonSession } from './session/session.entity.js';
import { type SessionService } from './session/session.service.js';
import { type Station } from './station/station.entity.js';
import { type StationService } from './station/station.service.js';
import { type LicenseStatistic } from './statistics/statistic.types.js';
import { type StatisticsFeed, type StatisticsPublisher } from './statistics/statistics.publisher.js';
import { type StatisticsService } from './statistics/statistics.service.js';
import { type UsageHistory } from './statistics/history.store.js';
import { type CicUser } from './user/user.entity.js';
import { type UserService } from './user/user.service.js';

export interface Services {
  /** Page sizes of connections (config `pagination`); the defaults when absent. */
  pageBounds?: PageBounds;
  servers: ServerService;
  licenses: LicenseService;
  users: UserService;
  stations: StationService;
  sessions: SessionService;
  calls: CallService;
  statistics: StatisticsService;
  publisher: StatisticsPublisher;
  feed: StatisticsFeed;
  history: UsageHistory;
  pubSub: LivePubSub;
  /** Ends loaded files whose expiry has passed (tests call its tick). */
  expiry: ExpiryScheduler;
  /** Pool exhausted / denial burst announcements (tests wait for `settle` and call `sweep`). */
  alerts: PoolAlerts;
  /** The injected clock: fields whose answer depends on now (the expiry warning) read it. */
  clock: Clock;
}

export interface Loaders extends ServerLoaders {
  user: DataLoader<string, CicUser | null>;
  usersByServer: DataLoader<string, CicUser[]>;
  station: DataLoader<string, Station | null>;
  stationsByServer: DataLoader<string, Station[]>;
  statisticsByServer: DataLoader<Server, LicenseStatistic[], string>;
  session: DataLoader<string, LogonSession | null>;
}

/**
 * Per request: who is calling, their tenant scope and fresh DataLoaders (never shared between
 * requests). Services are not here: each resolver is constructed with the ones it uses (schema.ts).
 */
export interface Context {
  principal: Principal | undefined;
  /**
   * The tenant-access policy for this request, with a partner's customers looked up once, lazily:
   * a per-request cache, like a loader.
   */
  tenant: TenantScope;
  loaders: Loaders;
}

function byKey<T, K>(keys: readonly K[], rows: readonly T[], keyOf: (row: T) => K): Array<T | null> {
  const map = new Map(rows.map((r) => [keyOf(r), r]));
  return keys.map((k) => map.get(k) ?? null);
}

function groupBy<T, K>(keys: readonly K[], rows: readonly T[], keyOf: (row: T) => K): T[][] {
  const map = new Map<K, T[]>();
  for (const row of rows) map.set(keyOf(row), [...(map.get(keyOf(row)) ?? []), row]);
  return keys.map((k) => map.get(k) ?? []);
}

type LoaderFactories = { [K in keyof Loaders]: () => Loaders[K] };

/**
 * Loaders created on first use: a logon or logoff resolves no relation, so it should not pay for
 * eight DataLoaders it never calls. Each request still gets its own (never shared between requests).
 */
function lazyLoaders(factories: LoaderFactories): Loaders {
  const loaders = {} as Loaders;
  for (const key of Object.keys(factories) as Array<keyof Loaders>) {
    Object.defineProperty(loaders, key, {
      enumerable: true,
      configurable: true,
      get() {
        const loader = factories[key]();
        Object.defineProperty(loaders, key, { value: loader, enumerable: true, writable: false });
        return loader;
      },
    });
  }
  return loaders;
}

/** Builds a request's context from the services (its loaders read through them) and the caller. */
export function createContext(services: Services, principal: Principal | undefined): Context {
  let serverLoaders: ServerLoaders | undefined;
  const ofServers = (): ServerLoaders => (serverLoaders ??= createServerLoaders(services.servers));
  const loaders = lazyLoaders({
    server: () => ofServers().server,
    serversByAccount: () => ofServers().serversByAccount,
    user: () => new DataLoader(async (ids) => byKey(ids, await services.users.byIds(ids), (u) => u.id)),
    usersByServer: () =>
      new DataLoader(async (ids) => groupBy(ids, await services.users.byServerIds(ids), (u) => u.serverId)),
    station: () => new DataLoader(async (ids) => byKey(ids, await services.stations.byIds(ids), (s) => s.id)),
    stationsByServer: () =>
      new DataLoader(async (ids) =>
        groupBy(ids, await services.stations.byServerIds(ids), (s) => s.serverId),
      ),
    statisticsByServer: () =>
      new DataLoader(
        async (servers: readonly Server[]) => {
          const byServer = await services.statistics.forServers(servers);
          return servers.map((s) => byServer.get(s.id) ?? []);
        },
        { cacheKeyFn: (server: Server) => server.id },
      ),
    session: () =>
      new DataLoader(async (ids) => byKey(ids, await services.sessions.sessionsByIds(ids), (s) => s.id)),
  });
  return { principal, tenant: services.servers.tenantScope(principal), loaders };
}
