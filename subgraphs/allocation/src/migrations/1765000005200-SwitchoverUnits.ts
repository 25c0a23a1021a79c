import { type MigrationInterface, type QueryRunner, TableColumn, TableIndex } from 'typeorm';
import { Topics, outboxInsert, systemClock } from '@lic/shared';
import { concurrentTwin } from '../rules/keys.js';

interface PairedServer {
  id: string;
  name: string;
  account_id: string;
  switchover_partner_id: string;
}

interface MovedUser {
  id: string;
  account_id: string;
  name: string;
  allocation_method: string;
  licenses: string;
  held: string;
  capabilities: string;
  sessions: string;
}

interface MovedStation {
  id: string;
  name: string;
  licenses: string;
}

interface Counts {
  inUse: number;
  configured: number;
}

const list = (text: unknown): string[] => {
  try {
    const value: unknown = JSON.parse(String(text ?? '[]'));
    return Array.isArray(value) ? value.map(String) : [];
  } catch {
    return [];
  }
};

const sessionsOf = (text: unknown): Array<{ id: string; application: string }> => {
  try {
    const value: unknown = JSON.parse(String(text ?? '[]'));
    return Array.isArray(value)
      ? value.filter(
          (s): s is { id: string; application: string } =>
            typeof s === 'object' && s !== null && typeof (s as { id?: unknown }).id === 'string',
        )
      : [];
  } catch {
    return [];
  }
};

/** A name free in the unit: the moved row keeps its own, or gets its old server's name added. */
function freeName(name: string, serverName: string, taken: Set<string>): string {
  const key = (n: string) => n.toLowerCase();
  let candidate = name;
  for (let n = 1; taken.has(key(candidate)); n += 1) {
    const suffix = n === 1 ? ` (${serverName})` : ` (${serverName} ${n})`;
    candidate = `${name.slice(0, 200 - suffix.length)}${suffix}`;
  }
  taken.add(key(candidate));
  return candidate;
}

/**
 * Switchover pairs become one active/standby unit: `unit_id` names the unit (a single server's
 * own id; for a pair the member registered first), `standby` marks the member that refuses
 * logons. Existing pairs are merged: the partner becomes the standby, its open sessions end
 * (cause SWITCHOVER, with the session-ended events billing needs), its users and stations move
 * to the unit (a name the unit already uses gets the partner's server name added), its pools,
 * calls and their counts are dropped, and the unit's pools take what the moved users and
 * stations are assigned or configured. Holders above a total keep their licences (nothing new
 * until back under), as after loading a smaller file. Not reversible: down() keeps the merge.
 */
export class SwitchoverUnits1765000005200 implements MigrationInterface {
  name = 'SwitchoverUnits1765000005200';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('server', [
      new TableColumn({ name: 'unit_id', type: 'varchar', length: '36', isNullable: true }),
      new TableColumn({ name: 'standby', type: 'integer', default: 0 }),
    ]);
    await q.query('UPDATE server SET unit_id = id');
    const paired = (await q.query(
      'SELECT id, name, account_id, switchover_partner_id FROM server WHERE switchover_partner_id IS NOT NULL ' +
        'ORDER BY created_at, id',
    )) as PairedServer[];
    const merged = new Set<string>();
    for (const first of paired) {
      if (merged.has(first.id)) continue;
      const partner = paired.find((p) => p.id === first.switchover_partner_id);
      // Only a pair linked both ways is a pair.
      if (!partner || partner.switchover_partner_id !== first.id) continue;
      merged.add(first.id);
      merged.add(partner.id);
      // A migration runs before any service (and its clock) exists: the sessions end at deployment time.
      await this.merge(q, first, partner, systemClock.now());
    }
    await q.changeColumn(
      'server',
      'unit_id',
      new TableColumn({ name: 'unit_id', type: 'varchar', length: '36', isNullable: false }),
    );
    await q.createIndex('server', new TableIndex({ name: 'ix_server_unit', columnNames: ['unit_id'] }));
  }

  private async merge(q: QueryRunner, unit: PairedServer, member: PairedServer, now: Date): Promise<void> {
    const deltas = new Map<string, Counts>();
    const add = (key: string, inUse: number, configured: number) => {
      const counts = deltas.get(key) ?? { inUse: 0, configured: 0 };
      counts.inUse += inUse;
      counts.configured += configured;
      deltas.set(key, counts);
    };

    const userNames = new Set(
      (
        (await q.query('SELECT name FROM cic_user WHERE server_id = ?', [unit.id])) as Array<{ name: string }>
      ).map((r) => r.name.toLowerCase()),
    );
    const users = (await q.query(
      'SELECT id, account_id, name, allocation_method, licenses, held, capabilities, sessions FROM cic_user ' +
        'WHERE server_id = ? ORDER BY name, id',
      [member.id],
    )) as MovedUser[];
    for (const user of users) {
      const applied = [...new Set([...list(user.capabilities), ...list(user.held)])].sort();
      for (const session of sessionsOf(user.sessions)) {
        await q.query(
          "UPDATE logon_session SET ended_at = ?, end_cause = 'SWITCHOVER' WHERE id = ? AND ended_at IS NULL",
          [now.getTime(), session.id],
        );
        const event = outboxInsert(
          systemClock,
          Topics.SessionEnded,
          {
            sessionId: session.id,
            serverId: member.id,
            accountId: user.account_id,
            userId: user.id,
            application: session.application,
            licenses: applied,
            occurredAt: now.toISOString(),
            cause: 'SWITCHOVER',
          },
          now,
        );
        await q.query(event.sql, event.params);
      }
      const licenses = list(user.licenses);
      for (const license of new Set(licenses)) {
        if (user.allocation_method === 'ASSIGNED') add(license, 1, 1);
        else add(concurrentTwin(license), 0, 1);
      }
      await q.query(
        "UPDATE cic_user SET server_id = ?, name = ?, station_id = NULL, dynamic_phone = NULL, held = '[]', " +
          "capabilities = '[]', sessions = '[]', logged_on_at = NULL, row_version = row_version + 1 WHERE id = ?",
        [unit.id, freeName(user.name, member.name, userNames), user.id],
      );
    }
    // Sessions the users' rows no longer listed end too (no licences are held for them).
    await q.query(
      "UPDATE logon_session SET ended_at = ?, end_cause = 'SWITCHOVER' WHERE server_id = ? AND ended_at IS NULL",
      [now.getTime(), member.id],
    );

    const stationNames = new Set(
      (
        (await q.query('SELECT name FROM station WHERE server_id = ?', [unit.id])) as Array<{ name: string }>
      ).map((r) => r.name.toLowerCase()),
    );
    const stations = (await q.query(
      'SELECT id, name, licenses FROM station WHERE server_id = ? ORDER BY name, id',
      [member.id],
    )) as MovedStation[];
    for (const station of stations) {
      for (const license of new Set(list(station.licenses))) add(license, 1, 1);
      await q.query('UPDATE station SET server_id = ?, name = ? WHERE id = ?', [
        unit.id,
        freeName(station.name, member.name, stationNames),
        station.id,
      ]);
    }

    await q.query('DELETE FROM license_pool WHERE server_id = ?', [member.id]);
    await q.query('DELETE FROM open_call WHERE server_id = ?', [member.id]);
    for (const key of [...deltas.keys()].sort()) {
      const { inUse, configured } = deltas.get(key)!;
      const existing = (await q.query(
        'SELECT in_use FROM license_pool WHERE server_id = ? AND pool_key = ?',
        [unit.id, key],
      )) as Array<{ in_use: unknown }>;
      if (existing.length > 0) {
        await q.query(
          'UPDATE license_pool SET peak_in_use = CASE WHEN in_use + ? > peak_in_use THEN in_use + ? ELSE peak_in_use END, ' +
            'in_use = in_use + ?, configured = configured + ?, version = version + 1 WHERE server_id = ? AND pool_key = ?',
          [inUse, inUse, inUse, configured, unit.id, key],
        );
      } else {
        // A licence only the partner's file had: none to give until the unit's file has it.
        await q.query(
          'INSERT INTO license_pool (server_id, pool_key, in_file, file_total, limit_total, in_use, configured, ' +
            'peak_in_use, peak_at, denials, version, last_claim) VALUES (?, ?, 0, 0, 0, ?, ?, ?, NULL, 0, 1, NULL)',
          [unit.id, key, inUse, configured, inUse],
        );
      }
    }
    await q.query('UPDATE license_denial SET server_id = ? WHERE server_id = ?', [unit.id, member.id]);
    await q.query('UPDATE server SET unit_id = ?, standby = 1 WHERE id = ?', [unit.id, member.id]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('server', 'ix_server_unit');
    await q.dropColumn('server', 'standby');
    await q.dropColumn('server', 'unit_id');
  }
}
