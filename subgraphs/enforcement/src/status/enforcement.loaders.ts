import DataLoader from 'dataloader';
import { type CheckInRow } from '../checkin/check-in.entity.js';
import { type CheckInService, type GoodCheckInQuery } from '../checkin/check-in.service.js';
import { type StageChangeRow } from '../history/stage-change.entity.js';
import { type AccountHoldRow, type LicenseFileFacts } from '../standing/standing.entity.js';
import { type StandingService } from '../standing/standing.service.js';
import { type EnforcementServer } from './enforcement-server.entity.js';
import { type EnforcementService } from './enforcement.service.js';

export interface EnforcementLoaders {
  server: DataLoader<string, EnforcementServer | null>;
  history: DataLoader<string, StageChangeRow[]>;
  lastGoodCheckIn: DataLoader<GoodCheckInQuery, Date | null, string>;
  /** What accounts said of an activation file, by file id. */
  licenseFile: DataLoader<string, LicenseFileFacts | null>;
  /** The hold in force on an account, by account id. */
  holdInForce: DataLoader<string, AccountHoldRow | null>;
  /** The latest `limit` check-ins of a server (one loader per limit asked for). */
  checkIns(limit: number): DataLoader<string, CheckInRow[]>;
}

const groupBy = <T>(ids: readonly string[], rows: T[], key: (row: T) => string): T[][] => {
  const grouped = new Map<string, T[]>(ids.map((id) => [id, []]));
  for (const row of rows) grouped.get(key(row))?.push(row);
  return ids.map((id) => grouped.get(id) ?? []);
};

export function createEnforcementLoaders(
  servers: EnforcementService,
  checkIns: CheckInService,
  standing: StandingService,
): EnforcementLoaders {
  const byLimit = new Map<number, DataLoader<string, CheckInRow[]>>();
  return {
    server: new DataLoader(async (ids) => {
      const byId = new Map((await servers.byIds(ids)).map((s) => [s.serverId, s]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    history: new DataLoader(async (ids) => groupBy(ids, await servers.historyOf(ids), (r) => r.serverId)),
    lastGoodCheckIn: new DataLoader((queries) => checkIns.lastGoodAsOf(queries), {
      cacheKeyFn: (q) => `${q.serverId}@${q.asOf.getTime()}`,
    }),
    licenseFile: new DataLoader(async (ids) => {
      const byId = new Map((await standing.filesOf(undefined, ids)).map((f) => [f.fileId, f]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    holdInForce: new DataLoader(async (ids) => {
      const byId = new Map((await standing.holdsInForce(undefined, ids)).map((h) => [h.accountId, h]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    checkIns: (limit) => {
      let loader = byLimit.get(limit);
      if (!loader) {
        loader = new DataLoader(async (ids) =>
          groupBy(ids, await checkIns.latestOf(ids, limit), (r) => r.serverId),
        );
        byLimit.set(limit, loader);
      }
      return loader;
    },
  };
}
