import { randomUUID } from 'node:crypto';
import { type EntityManager } from 'typeorm';
import { type StatementSink, immediate } from '../db/db.js';
import { type PoolStore } from './pool.store.js';

export type DenialReason =
  | 'EXHAUSTED'
  | 'SUPERVISOR_DISABLED'
  | 'UNLICENSED'
  | 'LICENSE_EXPIRED'
  | 'CALL_PORTS_LIMITED'
  | 'SERVER_STANDBY';

export interface DenialRecord {
  key: string;
  reason: DenialReason;
  userId?: string | null;
  stationId?: string | null;
  application?: string | null;
}

/**
 * Records refused acquisitions for the denial report and counts them on their pools. The count
 * is one statement on the pool rows; a logon defers it to its end (insertDenials, then
 * PoolStore.countDenials last) so it holds no pool lock while it writes the rest.
 */
export async function recordDenials(
  manager: EntityManager,
  pools: PoolStore,
  serverId: string,
  denials: readonly DenialRecord[],
  at: Date,
): Promise<void> {
  await insertDenials(immediate(manager), serverId, denials, at);
  await pools.countDenials(
    manager,
    serverId,
    denials.map((d) => d.key),
  );
}

/** The denial report's rows only (no pool lock). */
export async function insertDenials(
  sink: StatementSink,
  serverId: string,
  denials: readonly DenialRecord[],
  at: Date,
): Promise<void> {
  for (const denial of [...denials].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
    await sink.write(
      'INSERT INTO license_denial (id, server_id, pool_key, user_id, station_id, application, reason, occurred_at) ' +
        'VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [
        randomUUID(),
        serverId,
        denial.key,
        denial.userId ?? null,
        denial.stationId ?? null,
        denial.application ?? null,
        denial.reason,
        at.getTime(),
      ],
    );
  }
}
