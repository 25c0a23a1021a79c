import { CALL_PORT_KEY } from '@lic/shared';
import { type PoolRow } from '../pool/pool.store.js';
import { isConcurrentKey, isSupervisorKey, licenseOf } from '../rules/licenses.js';
import { type LicenseStatistic } from './statistic.types.js';

export interface StatisticsServerState {
  licenseModel: 'PERPETUAL' | 'SUBSCRIPTION' | null;
  licenseFileId: string | null;
  enforcementStage: number;
  supervisorDisabled: boolean;
  callPortLimit: number | null;
  licenseExpiredAt: Date | null;
}

const available = (pool: PoolRow | undefined): number =>
  pool && pool.limit !== null ? Math.max(0, pool.limit - pool.inUse) : 0;

function notes(
  license: string,
  a: PoolRow | undefined,
  c: PoolRow | undefined,
  server: StatisticsServerState,
): string[] {
  const result: string[] = [];
  for (const [pool, label] of [
    [a, 'assignable'],
    [c, 'concurrent'],
  ] as const) {
    if (!pool) continue;
    if (pool.limit !== null && pool.inUse > pool.limit) {
      result.push(
        `${pool.inUse} ${label} in use exceeds the ${pool.limit} allowed: holders keep their licences, none is given out until under`,
      );
    }
    if (!pool.inFile && (pool.configured > 0 || pool.inUse > 0)) {
      result.push(`${pool.key} is not in the loaded licence file`);
    }
  }
  if (
    a &&
    a.limit !== null &&
    a.configured > a.limit &&
    !isConcurrentKey(a.key) &&
    license !== CALL_PORT_KEY
  ) {
    result.push(
      `${a.configured} assigned exceeds the ${a.limit} assignable licences (a smaller licence file was loaded)`,
    );
  }
  if (license === CALL_PORT_KEY && server.callPortLimit !== null) {
    result.push(
      `Call ports limited to ${server.callPortLimit} by virtual cloud enforcement (stage ${server.enforcementStage})`,
    );
  } else if (server.licenseExpiredAt !== null && license !== CALL_PORT_KEY) {
    result.push('Withheld: the licence file expired, the server is unlicensed until a new file is loaded');
  } else if (server.enforcementStage >= 6 && license !== CALL_PORT_KEY) {
    result.push('Withheld: the server is unlicensed (virtual cloud enforcement stage 6)');
  } else if (server.supervisorDisabled && isSupervisorKey(license)) {
    result.push(
      `Withheld: supervisor licences are disabled by virtual cloud enforcement (stage ${server.enforcementStage})`,
    );
  }
  if (a && a.withheld > 0) {
    result.push(`${a.withheld} assigned withheld: configuration kept, counted again when lifted`);
  }
  if ((a?.inFile && a.limit === null) || (c?.inFile && c.limit === null)) {
    result.push('Subscription: uncapped, usage is billed');
  }
  return result;
}

/**
 * Licence statistics from a server's pools: one line per licence, joining its assignable pool
 * (`X`) and its concurrent pool (`X_CONCURRENT`). Call ports (I3_SESSION_CALL_PORT) appear as an
 * assignable line whose "in use" is the calls open.
 */
export function buildStatistics(
  pools: readonly PoolRow[],
  server: StatisticsServerState,
): LicenseStatistic[] {
  const byLicense = new Map<string, { a?: PoolRow; c?: PoolRow }>();
  for (const pool of pools) {
    const license = licenseOf(pool.key);
    const entry = byLicense.get(license) ?? {};
    if (isConcurrentKey(pool.key)) entry.c = pool;
    else entry.a = pool;
    byLicense.set(license, entry);
  }
  return [...byLicense.entries()]
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    .map(([license, { a, c }]) => {
      const uncapped = (a?.inFile === true && a.limit === null) || (c?.inFile === true && c.limit === null);
      const peakSource = c && (c.inFile || c.configured > 0 || c.peakInUse > 0) ? c : a;
      const note = notes(license, a, c, server);
      return {
        key: license,
        assignableAllowed: a ? a.limit : 0,
        assignableConfigured: a?.configured ?? 0,
        assignableInUse: a?.inUse ?? 0,
        assignableWithheld: a?.withheld ?? 0,
        assignableLicensed: a?.inFile ? a.fileTotal : 0,
        concurrentAllowed: c ? c.limit : 0,
        concurrentConfigured: c?.configured ?? 0,
        concurrentInUse: c?.inUse ?? 0,
        concurrentLicensed: c?.inFile ? c.fileTotal : 0,
        available: uncapped ? null : available(a) + available(c),
        capped: !uncapped,
        peakInUse: peakSource?.peakInUse ?? 0,
        peakAt: peakSource?.peakAt ?? null,
        denials: (a?.denials ?? 0) + (c?.denials ?? 0),
        note: note.length > 0 ? note.join('; ') : null,
      };
    });
}

/** Grows with every committed change to any pool of the server (each change bumps its row's version). */
export function statisticsVersion(pools: readonly PoolRow[]): number {
  return pools.reduce((sum, pool) => sum + pool.version, 0);
}
