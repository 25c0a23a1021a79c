import { dateOrNull, execute, json, num, placeholders, select } from '@lic/shared';
import { type EntityManager } from 'typeorm';
import { type Db, type StatementSink } from '../db/db.js';
import { SerialBatches } from '../db/serial-batches.js';
import { type PoolRoom } from '../pool/pool.store.js';
import { type ActiveSession, type AllocationMethod, CicUser } from './user.entity.js';
import { hasRoom } from '../rules/pools.js';

interface RawUser {
  id: string;
  server_id: string;
  account_id: string;
  name: string;
  allocation_method: string;
  licenses: string;
  queued_media_types: string;
  chosen_media_types: string | null;
  created_at: unknown;
  station_id: string | null;
  dynamic_phone: string | null;
  held: string;
  capabilities: string;
  sessions: string;
  logged_on_at: unknown;
  last_seen_at: unknown;
  row_version: unknown;
}

const USER_COLUMNS =
  'id, server_id, account_id, name, allocation_method, licenses, queued_media_types, chosen_media_types, created_at, ' +
  'station_id, dynamic_phone, held, capabilities, sessions, logged_on_at, last_seen_at, row_version';

function toUser(r: RawUser): CicUser {
  return Object.assign(new CicUser(), {
    id: r.id,
    serverId: r.server_id,
    accountId: r.account_id,
    name: r.name,
    allocationMethod: r.allocation_method as AllocationMethod,
    licenses: json<string[]>(r.licenses, []),
    queuedMediaTypes: json<string[]>(r.queued_media_types, []),
    chosenMediaTypes: json<string[] | null>(r.chosen_media_types, null),
    createdAt: new Date(Number(r.created_at)),
    stationId: r.station_id,
    dynamicPhone: r.dynamic_phone,
    held: json<string[]>(r.held, []),
    capabilities: json<string[]>(r.capabilities, []),
    sessions: json<ActiveSession[]>(r.sessions, []),
    loggedOnAt: dateOrNull(r.logged_on_at),
    lastSeenAt: dateOrNull(r.last_seen_at),
    rowVersion: num(r.row_version),
  });
}

/** What a logon or logoff reads, in one statement and without locks. */
export interface EventContext {
  server: {
    id: string;
    accountId: string;
    credentialId: string | null;
    supervisorDisabled: boolean;
    enforcementStage: number;
    licenseExpiresAt: Date | null;
    licenseExpiredAt: Date | null;
    /** The switchover unit whose users, stations and pools these are (the server's own id when single). */
    unitId: string;
    standby: boolean;
  } | null;
  user: CicUser | null;
  station: { id: string; kind: string; enabled: boolean; licenses: string[] } | null;
  /** Every pool of the server and whether it has room (logon only). */
  pools: Map<string, PoolRoom>;
}

type RawContext = Partial<Record<keyof RawUser, unknown>> & {
  s_id: string;
  s_account_id: string;
  s_credential_id: string | null;
  s_supervisor_disabled: unknown;
  s_enforcement_stage: unknown;
  s_license_expires_at: unknown;
  s_license_expired_at: unknown;
  s_unit_id: string;
  s_standby: unknown;
  st_id: string | null;
  st_server_id?: string | null;
  st_kind: string | null;
  st_enabled: unknown;
  st_licenses: string | null;
  pools?: string | null;
};

interface PendingRead {
  serverId: string;
  userId: string;
  stationId: string | null;
  withPools: boolean;
  resolve: (context: EventContext) => void;
  reject: (error: unknown) => void;
}

/** The most event reads in one round trip. */
const READ_GROUP = 64;

const SERVER_CONTEXT_COLUMNS =
  's.id AS s_id, s.account_id AS s_account_id, s.credential_id AS s_credential_id, ' +
  's.supervisor_disabled AS s_supervisor_disabled, s.enforcement_stage AS s_enforcement_stage, ' +
  's.license_expires_at AS s_license_expires_at, s.license_expired_at AS s_license_expired_at, ' +
  's.unit_id AS s_unit_id, s.standby AS s_standby';
const STATION_CONTEXT_COLUMNS =
  'st.id AS st_id, st.server_id AS st_server_id, st.kind AS st_kind, st.enabled AS st_enabled, st.licenses AS st_licenses';
/** Every pool of the server's unit as `KEY=in_use/limit` (-1: no limit), comma-separated. */
const POOLS_COLUMN_MARIADB =
  "(SELECT GROUP_CONCAT(CONCAT(p.pool_key, '=', p.in_use, '/', COALESCE(p.limit_total, -1))) " +
  'FROM license_pool p WHERE p.server_id = s.unit_id) AS pools';
const POOLS_COLUMN_SQLITE =
  "(SELECT GROUP_CONCAT(p.pool_key || '=' || p.in_use || '/' || COALESCE(p.limit_total, -1)) " +
  'FROM license_pool p WHERE p.server_id = s.unit_id) AS pools';

function serverOf(row: RawContext): NonNullable<EventContext['server']> {
  return {
    id: row.s_id,
    accountId: row.s_account_id,
    credentialId: row.s_credential_id,
    supervisorDisabled: num(row.s_supervisor_disabled) === 1,
    enforcementStage: num(row.s_enforcement_stage),
    licenseExpiresAt: dateOrNull(row.s_license_expires_at),
    licenseExpiredAt: dateOrNull(row.s_license_expired_at),
    unitId: row.s_unit_id,
    standby: num(row.s_standby) === 1,
  };
}

function stationOf(row: RawContext): NonNullable<EventContext['station']> {
  return {
    id: row.st_id ?? '',
    kind: row.st_kind ?? '',
    enabled: num(row.st_enabled) === 1,
    licenses: json<string[]>(row.st_licenses, []),
  };
}

/** Whether each pool admits one more now, from the pools column. */
function roomOf(pools: string | null | undefined): Map<string, PoolRoom> {
  const room = new Map<string, PoolRoom>();
  for (const item of pools ? pools.split(',') : []) {
    const [key = '', counts = ''] = item.split('=');
    const [inUse = '0', limit = '-1'] = counts.split('/');
    // The pools column writes an uncapped pool's limit as -1.
    room.set(key, hasRoom(Number(inUse), Number(limit) < 0 ? null : Number(limit)) ? 'room' : 'full');
  }
  return room;
}

/** The user rows on the hot paths (logon, logoff), in plain SQL. */
export class UserStore {
  constructor(private readonly db: Db) {}

  /** Reads and locks a user: for the paths that end sessions (sweeper, deletion, enforcement). */
  async lock(manager: EntityManager, id: string): Promise<CicUser | null> {
    const rows = await select<RawUser>(
      manager,
      `SELECT ${USER_COLUMNS} FROM cic_user WHERE id = ?${this.db.forUpdate}`,
      [id],
    );
    return rows[0] ? toUser(rows[0]) : null;
  }

  /**
   * Server, user, station and (for a logon) the server's pools in one round trip, without locks:
   * the user is written back only if its row_version is unchanged (saveIfUnchanged), and the pools
   * decide at the end with their conditional update, so a stale read costs a retry, never a wrong count.
   *
   * On MariaDB the reads of logons and logoffs arriving together go as one round trip (one read in
   * flight at a time; those arriving meanwhile form the next): three statements for the whole
   * group (servers with their pools, users, stations) instead of one per event.
   */
  readEventContext(
    manager: EntityManager,
    serverId: string,
    userId: string,
    stationId: string | null,
    withPools: boolean,
  ): Promise<EventContext> {
    if (this.db.kind !== 'mariadb') return this.readOne(manager, serverId, userId, stationId, withPools);
    return new Promise<EventContext>((resolve, reject) =>
      this.reads.add({ serverId, userId, stationId, withPools, resolve, reject }),
    );
  }

  private readonly reads = new SerialBatches<PendingRead>(READ_GROUP, (group) => this.readGroup(group));

  private async readGroup(group: PendingRead[]): Promise<void> {
    try {
      if (group.length === 1) {
        const { serverId, userId, stationId, withPools } = group[0]!;
        group[0]!.resolve(
          await this.readOne(this.db.dataSource.manager, serverId, userId, stationId, withPools),
        );
        return;
      }
      const servers = [...new Set(group.map((r) => r.serverId))];
      const users = [...new Set(group.map((r) => r.userId))];
      const stations = [...new Set(group.flatMap((r) => (r.stationId === null ? [] : [r.stationId])))];
      const withPools = group.some((r) => r.withPools);
      const statements = [
        `SELECT ${SERVER_CONTEXT_COLUMNS}${withPools ? `, ${POOLS_COLUMN_MARIADB}` : ''} FROM server s ` +
          `WHERE s.id IN (${placeholders(servers.length)})`,
        `SELECT ${USER_COLUMNS} FROM cic_user WHERE id IN (${placeholders(users.length)})`,
      ];
      const params: unknown[] = [...servers, ...users];
      if (stations.length > 0) {
        statements.push(
          `SELECT ${STATION_CONTEXT_COLUMNS} FROM station st WHERE st.id IN (${placeholders(stations.length)})`,
        );
        params.push(...stations);
      }
      const [serverRows = [], userRows = [], stationRows = []] = (await this.db.dataSource.query(
        statements.join(';\n'),
        params,
      )) as [RawContext[]?, RawUser[]?, RawContext[]?];
      const serverById = new Map(serverRows.map((r) => [r.s_id, r]));
      const userById = new Map(userRows.map((r) => [r.id, r]));
      const stationById = new Map(stationRows.map((r) => [r.st_id ?? '', r]));
      for (const read of group) {
        const server = serverById.get(read.serverId);
        if (!server) {
          read.resolve({ server: null, user: null, station: null, pools: new Map() });
          continue;
        }
        const user = userById.get(read.userId);
        const station = read.stationId === null ? undefined : stationById.get(read.stationId);
        read.resolve({
          server: serverOf(server),
          // Another unit's user or station is no user or station of this server.
          user: user && user.server_id === server.s_unit_id ? toUser(user) : null,
          station: station && station.st_server_id === server.s_unit_id ? stationOf(station) : null,
          pools: read.withPools ? roomOf(server.pools) : new Map(),
        });
      }
    } catch (error) {
      for (const read of group) read.reject(error);
    }
  }

  private async readOne(
    manager: EntityManager,
    serverId: string,
    userId: string,
    stationId: string | null,
    withPools: boolean,
  ): Promise<EventContext> {
    const pools = withPools
      ? `, ${this.db.kind === 'mariadb' ? POOLS_COLUMN_MARIADB : POOLS_COLUMN_SQLITE}`
      : '';
    const userColumns = USER_COLUMNS.split(', ')
      .map((c) => `u.${c}`)
      .join(', ');
    const rows = await select<RawContext>(
      manager,
      `SELECT ${userColumns}, ${SERVER_CONTEXT_COLUMNS}, ${STATION_CONTEXT_COLUMNS}${pools}` +
        ' FROM server s LEFT JOIN cic_user u ON u.id = ? AND u.server_id = s.unit_id ' +
        'LEFT JOIN station st ON st.id = ? AND st.server_id = s.unit_id WHERE s.id = ?',
      [userId, stationId ?? '', serverId],
    );
    const row = rows[0];
    if (!row) return { server: null, user: null, station: null, pools: new Map() };
    return {
      server: serverOf(row),
      user: row.id ? toUser(row as RawUser) : null,
      station: row.st_id ? stationOf(row) : null,
      pools: roomOf(row.pools),
    };
  }

  private presence(user: CicUser, seenAt: Date): unknown[] {
    return [
      user.stationId,
      user.dynamicPhone,
      JSON.stringify(user.held),
      JSON.stringify(user.capabilities),
      JSON.stringify(user.sessions),
      user.loggedOnAt ? user.loggedOnAt.getTime() : null,
      seenAt.getTime(),
    ];
  }

  private static readonly SET_PRESENCE =
    'UPDATE cic_user SET station_id = ?, dynamic_phone = ?, held = ?, capabilities = ?, sessions = ?, ' +
    'logged_on_at = ?, last_seen_at = ?, row_version = row_version + 1 WHERE id = ?';

  /** Writes where the user is logged on and what it holds (the caller holds the row lock). */
  async savePresence(manager: EntityManager, user: CicUser, seenAt: Date): Promise<void> {
    await execute(manager, UserStore.SET_PRESENCE, [...this.presence(user, seenAt), user.id]);
    user.lastSeenAt = seenAt;
    user.rowVersion += 1;
  }

  /**
   * Writes the presence only if nobody changed the user since it was read; false means read
   * again. Queued (MariaDB's logon and logoff), the guard is checked when the batch runs: the
   * transaction rolls back and PoolStore.finish reports it `stale`.
   */
  async saveIfUnchanged(sink: StatementSink, user: CicUser, seenAt: Date): Promise<boolean> {
    const changed = await sink.write(
      `${UserStore.SET_PRESENCE} AND row_version = ?`,
      [...this.presence(user, seenAt), user.id, user.rowVersion],
      true,
      'presence',
    );
    if (changed !== undefined && changed !== 1) return false;
    user.lastSeenAt = seenAt;
    user.rowVersion += 1;
    return true;
  }
}
