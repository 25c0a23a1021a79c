import { type EntityManager } from 'typeorm';
import { type Dialect, type Statement, chunks, dialectOf } from '@lic/shared';

export interface DirtyMark {
  serverId: string;
  userId: string;
  accountId: string;
  from: number;
}

/**
 * Records that a user's events changed from `from` on: creates the user row or lowers its
 * `dirty_from`. On MariaDB the upsert takes the row lock, so it waits for a derivation of the
 * same user in progress and lands after it (the user is then derived again).
 */
export async function markUsersDirty(manager: EntityManager, marks: readonly DirtyMark[]): Promise<void> {
  for (const statement of markUsersDirtyStatements(dialectOf(manager), marks))
    await manager.query(statement.sql, statement.params);
}

/** markUsersDirty's statements (one per 200 users), to send with others. */
export function markUsersDirtyStatements(dialect: Dialect, marks: readonly DirtyMark[]): Statement[] {
  // One mark per user, with the earliest time: a multi-row upsert may not name a row twice.
  const byUser = new Map<string, DirtyMark>();
  for (const mark of marks) {
    const key = `${mark.serverId}\u0000${mark.userId}`;
    const seen = byUser.get(key);
    if (!seen || mark.from < seen.from) byUser.set(key, mark);
  }
  return chunks([...byUser.values()], 200).map((chunk) => {
    const values = chunk.map(() => '(?, ?, ?, ?)').join(', ');
    const params = chunk.flatMap((m) => [m.serverId, m.userId, m.accountId, m.from]);
    const sql =
      dialect === 'mariadb'
        ? `INSERT INTO usage_user (server_id, user_id, account_id, dirty_from) VALUES ${values}
           ON DUPLICATE KEY UPDATE dirty_from = CASE WHEN dirty_from IS NULL OR dirty_from > VALUES(dirty_from)
             THEN VALUES(dirty_from) ELSE dirty_from END`
        : `INSERT INTO usage_user (server_id, user_id, account_id, dirty_from) VALUES ${values}
           ON CONFLICT (server_id, user_id) DO UPDATE SET dirty_from = CASE
             WHEN usage_user.dirty_from IS NULL OR usage_user.dirty_from > excluded.dirty_from
             THEN excluded.dirty_from ELSE usage_user.dirty_from END`;
    return { sql, params };
  });
}

/** Marks every user of a server dirty from `from` (a licence load changes what was tracked). */
export async function markServerDirty(manager: EntityManager, serverId: string, from: number): Promise<void> {
  await manager.query(
    `UPDATE usage_user SET dirty_from = CASE WHEN dirty_from IS NULL OR dirty_from > ? THEN ? ELSE dirty_from END
     WHERE server_id = ?`,
    [from, from, serverId],
  );
}
