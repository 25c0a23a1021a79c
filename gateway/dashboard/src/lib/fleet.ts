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
  denials: number;
}

const RANK: Record<Fullness, number> = { full: 0, near: 1, ok: 2, uncapped: 3, none: 4 };

/**
 * One line per licence with a concurrent pool on each server (licences with none are left out;
 * uncapped ones only while someone holds them), ranked: full, then nearly full, then by share in
 * use, then by denials, then by server and licence name.
 */
export function rankFleet(
  servers: readonly FleetServerFacts[],
  rowsByServer: ReadonlyMap<string, readonly StatisticRow[]>,
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
      });
    }
  }
  return lines.sort(
    (a, b) =>
      RANK[a.state] - RANK[b.state] ||
      (b.ratio ?? -1) - (a.ratio ?? -1) ||
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
