/** The fleet overview's ranking: every licence of every server, fullest first. */
import { concurrentFullness, freeForLogon, type Fullness, type StatisticRow } from './statistics.js';

export interface FleetServerFacts {
  id: string;
  name: string;
  accountId: string;
  accountName: string;
}

export interface FleetLine {
  serverId: string;
  serverName: string;
  accountId: string;
  accountName: string;
  key: string;
  inUse: number;
  /** Null when uncapped */
  allowed: number | null;
  free: number | null | undefined;
  state: Fullness;
  ratio: number | null;
  /** Refused since the pool's counters began */
  denials: number;
  /** Refused in the last hour and day (the platform's figures); undefined until they arrive */
  recent: RecentDenials | undefined;
}

export interface RecentDenials {
  lastHour: number;
  lastDay: number;
}

/** Per server, per licence: refusals over the last hour and day. */
export type RecentDenialsByServer = ReadonlyMap<string, ReadonlyMap<string, RecentDenials>>;

const RANK: Record<Fullness, number> = { full: 0, near: 1, ok: 2, uncapped: 3, none: 4 };

/**
 * One line per licence with a concurrent pool on each server (licences with none are left out;
 * uncapped ones only while someone holds them), ranked: full, then nearly full, then by share in
 * use, then by refusals in the last hour, the last day and ever, then by server and licence name.
 */
export function rankFleet(
  servers: readonly FleetServerFacts[],
  rowsByServer: ReadonlyMap<string, readonly StatisticRow[]>,
  recentByServer: RecentDenialsByServer = new Map(),
): FleetLine[] {
  const lines: FleetLine[] = [];
  for (const server of servers) {
    for (const row of rowsByServer.get(server.id) ?? []) {
      const { state, ratio } = concurrentFullness(row);
      if (state === 'none' || (state === 'uncapped' && row.concurrentInUse === 0)) continue;
      lines.push({
        serverId: server.id,
        serverName: server.name,
        accountId: server.accountId,
        accountName: server.accountName,
        key: row.key,
        inUse: row.concurrentInUse,
        allowed: row.concurrentAllowed,
        free: freeForLogon(row),
        state,
        ratio,
        denials: row.denials,
        // A server whose figures arrived and name no refusal of the licence refused none lately.
        recent: recentByServer.has(server.id)
          ? (recentByServer.get(server.id)!.get(row.key) ?? { lastHour: 0, lastDay: 0 })
          : undefined,
      });
    }
  }
  return lines.sort(
    (a, b) =>
      RANK[a.state] - RANK[b.state] ||
      (b.ratio ?? -1) - (a.ratio ?? -1) ||
      (b.recent?.lastHour ?? 0) - (a.recent?.lastHour ?? 0) ||
      (b.recent?.lastDay ?? 0) - (a.recent?.lastDay ?? 0) ||
      b.denials - a.denials ||
      a.serverName.localeCompare(b.serverName) ||
      a.key.localeCompare(b.key),
  );
}

/** How many lines are exhausted and nearly so (the page's summary). */
export function fleetCounts(lines: readonly FleetLine[]): { full: number; near: number } {
  return {
    full: lines.filter((l) => l.state === 'full').length,
    near: lines.filter((l) => l.state === 'near').length,
  };
}

export interface FleetServerSummary {
  id: string;
  /** Licences of the server at 100 % and from 80 % */
  full: number;
  near: number;
  /** The server's fullest licence line, if it has one */
  fullest: FleetLine | undefined;
  /** Whether its statistics arrived, and whether it has any licence line */
  loaded: boolean;
  licensed: boolean;
}

/** Per server: how many licences are exhausted or nearly so, and the fullest (from the ranking). */
export function summariseServers(
  servers: readonly FleetServerFacts[],
  rowsByServer: ReadonlyMap<string, readonly StatisticRow[]>,
  lines: readonly FleetLine[],
): FleetServerSummary[] {
  return servers.map((s) => {
    const own = lines.filter((l) => l.serverId === s.id);
    const rows = rowsByServer.get(s.id);
    return {
      id: s.id,
      full: own.filter((l) => l.state === 'full').length,
      near: own.filter((l) => l.state === 'near').length,
      fullest: own[0],
      loaded: rows !== undefined,
      licensed: (rows?.length ?? 0) > 0,
    };
  });
}

/** Refusals over the last hour and day across the lines (undefined while any server's are missing). */
export function recentTotals(lines: readonly FleetLine[]): RecentDenials | undefined {
  if (lines.some((l) => l.recent === undefined)) return undefined;
  return {
    lastHour: lines.reduce((sum, l) => sum + l.recent!.lastHour, 0),
    lastDay: lines.reduce((sum, l) => sum + l.recent!.lastDay, 0),
  };
}
