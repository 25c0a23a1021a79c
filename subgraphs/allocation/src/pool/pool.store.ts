import { execute, num, numOrNull, placeholders, select } from '@lic/shared';
import { type EntityManager } from 'typeorm';
import { type Db, type HotTx, type MemberPart, type QueuedStatement } from '../db/db.js';
import { type GroupMember } from '../db/group-commit.js';
import { hasRoom, poolHasRoomSql } from '../rules/pools.js';

export type PoolRoom = 'room' | 'full' | 'missing';

/** The pool part of a logon or logoff: keys to give back, take and count a denial on. */
export interface PoolStep {
  give: readonly string[];
  take: readonly string[];
  deny: readonly string[];
  at: Date;
  /** Written on the pools taken: tells which were when not all were. */
  claim: string;
}

/** One licence pool of a server, as stored (keys are pool keys: `X` or `X_CONCURRENT`). */
export interface PoolRow {
  serverId: string;
  key: string;
  inFile: boolean;
  fileTotal: number;
  /** The most holders admitted; null = uncapped (a subscription pool without an account cap). */
  limit: number | null;
  inUse: number;
  configured: number;
  /** Assigned licences withheld by enforcement or expiry (not in inUse; they come back when lifted). */
  withheld: number;
  peakInUse: number;
  peakAt: Date | null;
  denials: number;
  version: number;
}

interface RawPool {
  server_id: string;
  pool_key: string;
  in_file: unknown;
  file_total: unknown;
  limit_total: unknown;
  in_use: unknown;
  configured: unknown;
  withheld: unknown;
  peak_in_use: unknown;
  peak_at: unknown;
  denials: unknown;
  version: unknown;
}

function toPool(r: RawPool): PoolRow {
  return {
    serverId: r.server_id,
    key: r.pool_key,
    inFile: num(r.in_file) === 1,
    fileTotal: num(r.file_total),
    limit: numOrNull(r.limit_total),
    inUse: num(r.in_use),
    configured: num(r.configured),
    withheld: num(r.withheld),
    peakInUse: num(r.peak_in_use),
    peakAt: r.peak_at === null || r.peak_at === undefined ? null : new Date(num(r.peak_at)),
    denials: num(r.denials),
    version: num(r.version),
  };
}

const HAS_ROOM = poolHasRoomSql();

const POOL_COLUMNS =
  'server_id, pool_key, in_file, file_total, limit_total, in_use, configured, peak_in_use, peak_at, denials, version';
const POOL_READ_COLUMNS = `${POOL_COLUMNS}, withheld`;

/** The assignments a withheld pool takes out of in_use: never more than it holds, never its logons' share. */
const ASSIGNED_HELD = 'CASE WHEN in_use < configured THEN in_use ELSE configured END';

// Assignments are listed before `in_use` changes: MariaDB evaluates a single-table UPDATE's
// assignments left to right with the new values, SQLite with the old ones; in this order both
// see the old `in_use` in the peak expressions.
const TAKE_SET =
  'peak_at = CASE WHEN in_use + 1 > peak_in_use THEN ? ELSE peak_at END, ' +
  'peak_in_use = CASE WHEN in_use + 1 > peak_in_use THEN in_use + 1 ELSE peak_in_use END, ' +
  'in_use = in_use + 1, version = version + 1';

/**
 * The pools of a server, and the atomic conditional updates that keep "in use never exceeds
 * the total for new acquisitions" true under any concurrency, across processes: the check and
 * the increment are one statement, so two requests can never both take the last licence.
 */
export class PoolStore {
  constructor(private readonly db: Db) {}

  async byServers(manager: EntityManager, serverIds: readonly string[]): Promise<PoolRow[]> {
    if (serverIds.length === 0) return [];
    const rows = await select<RawPool>(
      manager,
      `SELECT ${POOL_READ_COLUMNS} FROM license_pool WHERE server_id IN (${placeholders(serverIds.length)}) ORDER BY pool_key`,
      [...serverIds],
    );
    return rows.map(toPool);
  }

  /** Takes one licence if the pool is under its limit; false when exhausted or absent. */
  async take(
    manager: EntityManager,
    serverId: string,
    key: string,
    at: Date,
    configured = 0,
  ): Promise<boolean> {
    const affected = await execute(
      manager,
      `UPDATE license_pool SET ${TAKE_SET}, configured = configured + ? ` +
        `WHERE server_id = ? AND pool_key = ? AND ${HAS_ROOM}`,
      [at.getTime(), configured, serverId, key],
    );
    return affected === 1;
  }

  /**
   * A hint read (no lock) of whether each pool admits one more now ('room'), is at its limit
   * ('full') or does not exist ('missing'); the conditional update at the end decides.
   */
  async peek(
    manager: EntityManager,
    serverId: string,
    keys: readonly string[],
  ): Promise<Map<string, PoolRoom>> {
    const unique = [...new Set(keys)];
    const result = new Map<string, PoolRoom>(unique.map((k) => [k, 'missing']));
    if (unique.length === 0) return result;
    const rows = await select<{ pool_key: string; in_use: unknown; limit_total: unknown }>(
      manager,
      `SELECT pool_key, in_use, limit_total FROM license_pool WHERE server_id = ? AND pool_key IN (${placeholders(unique.length)})`,
      [serverId, ...unique],
    );
    for (const r of rows) {
      const limit = numOrNull(r.limit_total);
      result.set(r.pool_key, hasRoom(num(r.in_use), limit) ? 'room' : 'full');
    }
    return result;
  }

  /**
   * The last step of a logon or logoff: gives back, takes (each pool's own condition decides)
   * and counts denials, and the transaction commits. On MariaDB one batch does everything: it
   * opens the transaction, runs the writes the logon queued (see Db.hot), and updates the pools,
   * or rolls back if a guarded write missed its row (`stale`: the user changed since it was read)
   * or a pool had no room (`missed`), and commits. The batch is usually a group's (GroupCommit):
   * each member's rollback goes back to its own savepoint, and the group commits once. Sent alone
   * (the group failed as a whole), allocation_finish_guarded commits or rolls back by itself. No
   * pool row stays locked while this process reads a reply. Nothing may run on the transaction
   * after a committed finish.
   */
  async finish(
    tx: HotTx,
    serverId: string,
    step: PoolStep,
  ): Promise<{ committed: boolean; missed: string[]; stale: boolean }> {
    const give = [...new Set(step.give)].sort();
    const take = [...new Set(step.take)].sort();
    const deny = [...new Set(step.deny)].sort();
    const manager = tx.manager;
    if (tx.queued) {
      const queued = tx.queued.splice(0);
      if (queued.length + give.length + take.length + deny.length === 0) {
        return { committed: true, missed: [], stale: false };
      }
      const finishArgs: [string, string, string, number, string, number, string] = [
        serverId,
        sqlKeyList(give),
        sqlKeyList(take),
        take.length,
        sqlKeyList(deny),
        step.at.getTime(),
        step.claim,
      ];
      const member = groupMember(queued, serverId, { give, take, deny, at: step.at, claim: step.claim });
      const grouped = this.db.group ? await this.db.group.submit(member) : 'alone';
      let outcome = grouped;
      if (outcome === 'alone') {
        // A member procedure decides by itself: alone, it is a group of one.
        outcome =
          member.procedure && this.db.group
            ? await this.db.group.alone(member)
            : await this.finishAlone(manager, queued, finishArgs);
      }
      if (outcome.committed) {
        tx.committed = true;
        return { committed: true, missed: [], stale: false };
      }
      if (outcome.stale) return { committed: false, missed: [], stale: true };
      return { committed: false, missed: outcome.missed.length > 0 ? outcome.missed : take, stale: false };
    }
    if (give.length + take.length + deny.length === 0) return { committed: true, missed: [], stale: false };
    // SQLite: one writer at a time, so the same statements in order, then the caller commits.
    await this.giveAll(manager, serverId, give);
    const taken = await this.takeAll(manager, serverId, take, step.at, step.claim);
    if (taken.size < take.length) {
      return { committed: false, missed: take.filter((k) => !taken.has(k)), stale: false };
    }
    await this.countDenials(manager, serverId, deny);
    return { committed: true, missed: [], stale: false };
  }

  /** One logon's or logoff's batch in a transaction of its own (allocation_finish_guarded commits). */
  private async finishAlone(
    manager: EntityManager,
    queued: readonly QueuedStatement[],
    finishArgs: readonly unknown[],
  ): Promise<{ committed: boolean; missed: string[]; stale: boolean }> {
    const statements = ['START TRANSACTION', 'SET @allocation_ok = 1'];
    const params: unknown[] = [];
    for (const q of queued) {
      statements.push(q.sql);
      params.push(...q.params);
      if (q.guard) statements.push('SET @allocation_ok = @allocation_ok * (ROW_COUNT() = 1)');
    }
    statements.push('CALL allocation_finish_guarded(?, ?, ?, ?, ?, ?, ?, @allocation_ok)');
    const runner = manager.connection.createQueryRunner();
    try {
      let raw: unknown[];
      try {
        raw = (await runner.query(statements.join(';\n'), [...params, ...finishArgs])) as unknown[];
      } catch (error) {
        // Whatever ran before the failing statement is still open on this connection.
        await runner.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
      const row = raw
        .filter((part): part is Array<Record<string, unknown>> => Array.isArray(part))
        .map((rows) => rows[0])
        .find((first) => first !== undefined && 'committed' in first);
      if (row && num(row['committed']) === 1) return { committed: true, missed: [], stale: false };
      if (row && num(row['stale'] ?? 0) === 1) return { committed: false, missed: [], stale: true };
      const missed =
        typeof row?.['missed'] === 'string' && row['missed'] !== '' ? row['missed'].split(',') : [];
      return { committed: false, missed, stale: false };
    } finally {
      await runner.release();
    }
  }

  /**
   * Takes one licence from each pool in one statement (each row's own condition still decides
   * for that row). Usually every row admits one and the count says so; otherwise the claim
   * token written with the increment tells which rows were taken.
   */
  async takeAll(
    manager: EntityManager,
    serverId: string,
    keys: readonly string[],
    at: Date,
    claim: string,
  ): Promise<Set<string>> {
    const unique = [...new Set(keys)].sort();
    if (unique.length === 0) return new Set();
    const affected = await execute(
      manager,
      `UPDATE license_pool SET ${TAKE_SET}, last_claim = ? ` +
        `WHERE server_id = ? AND pool_key IN (${placeholders(unique.length)}) AND ${HAS_ROOM}`,
      [at.getTime(), claim, serverId, ...unique],
    );
    if (affected === unique.length) return new Set(unique);
    if (affected === 0) return new Set();
    const taken = await select<{ pool_key: string }>(
      manager,
      `SELECT pool_key FROM license_pool WHERE server_id = ? AND pool_key IN (${placeholders(unique.length)}) AND last_claim = ?`,
      [serverId, ...unique, claim],
    );
    return new Set(taken.map((t) => t.pool_key));
  }

  /** Gives back one licence to each pool (never below zero), in one statement. */
  async giveAll(manager: EntityManager, serverId: string, keys: readonly string[]): Promise<void> {
    const unique = [...new Set(keys)].sort();
    if (unique.length === 0) return;
    await execute(
      manager,
      'UPDATE license_pool SET in_use = CASE WHEN in_use > 0 THEN in_use - 1 ELSE 0 END, version = version + 1 ' +
        `WHERE server_id = ? AND pool_key IN (${placeholders(unique.length)})`,
      [serverId, ...unique],
    );
  }

  /** Gives back `count` licences (never below zero), adjusting the configured count too. */
  async give(
    manager: EntityManager,
    serverId: string,
    key: string,
    count = 1,
    configured = 0,
  ): Promise<void> {
    await execute(
      manager,
      'UPDATE license_pool SET in_use = CASE WHEN in_use >= ? THEN in_use - ? ELSE 0 END, ' +
        'configured = CASE WHEN configured >= ? THEN configured - ? ELSE 0 END, version = version + 1 ' +
        'WHERE server_id = ? AND pool_key = ?',
      [count, count, configured, configured, serverId, key],
    );
  }

  /**
   * Releases one assignment (removed, or its user or station deleted). While the pool is withheld
   * the assignment is no longer in use: it leaves the withheld count instead, so lifting the
   * withholding later restores exactly the assignments that remain.
   */
  async unassign(manager: EntityManager, serverId: string, key: string): Promise<void> {
    // in_use before withheld: MariaDB's SET sees the values already assigned, SQLite the old ones.
    await execute(
      manager,
      'UPDATE license_pool SET in_use = CASE WHEN withheld > 0 THEN in_use WHEN in_use > 0 THEN in_use - 1 ELSE 0 END, ' +
        'withheld = CASE WHEN withheld > 0 THEN withheld - 1 ELSE 0 END, ' +
        'configured = CASE WHEN configured > 0 THEN configured - 1 ELSE 0 END, version = version + 1 ' +
        'WHERE server_id = ? AND pool_key = ?',
      [serverId, key],
    );
  }

  /**
   * Withholds a pool's assignments (true) or gives them back (false). Idempotent: a pool already
   * in the asked state is untouched, so a repeated stage change counts nothing twice.
   */
  async setWithheld(manager: EntityManager, serverId: string, key: string, withheld: boolean): Promise<void> {
    if (withheld) {
      await execute(
        manager,
        `UPDATE license_pool SET withheld = withheld + ${ASSIGNED_HELD}, in_use = in_use - ${ASSIGNED_HELD}, ` +
          `version = version + 1 WHERE server_id = ? AND pool_key = ? AND withheld = 0 AND ${ASSIGNED_HELD} > 0`,
        [serverId, key],
      );
      return;
    }
    await execute(
      manager,
      'UPDATE license_pool SET in_use = in_use + withheld, withheld = 0, version = version + 1 ' +
        'WHERE server_id = ? AND pool_key = ? AND withheld > 0',
      [serverId, key],
    );
  }

  /** Creates the pool row if missing (holding nothing), so counts about it have a home. */
  async ensure(manager: EntityManager, serverId: string, keys: readonly string[]): Promise<void> {
    for (const key of [...new Set(keys)].sort()) {
      await execute(
        manager,
        `${this.db.insertIgnore} license_pool (${POOL_COLUMNS}) VALUES (?, ?, 0, 0, 0, 0, 0, 0, NULL, 0, 1)`,
        [serverId, key],
      );
    }
  }

  /** Configuration without consumption (a CONCURRENT user's licences): only the configured count moves. */
  async configure(manager: EntityManager, serverId: string, key: string, delta: number): Promise<void> {
    await this.upsertUpdate(
      manager,
      serverId,
      key,
      'configured = CASE WHEN configured + ? >= 0 THEN configured + ? ELSE 0 END, version = version + 1',
      [delta, delta],
    );
  }

  /** Counts one refusal on each pool (a key may repeat), creating a missing pool row first. */
  async countDenials(manager: EntityManager, serverId: string, keys: readonly string[]): Promise<void> {
    const counts = new Map<string, number>();
    for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
    for (const [count, group] of groupByCount(counts)) {
      const sql =
        'UPDATE license_pool SET denials = denials + ?, version = version + 1 ' +
        `WHERE server_id = ? AND pool_key IN (${placeholders(group.length)})`;
      if ((await execute(manager, sql, [count, serverId, ...group])) === group.length) continue;
      // A key without a pool (not in the file, never configured): create it, then count.
      await this.ensure(manager, serverId, group);
      const existing = await select<{ pool_key: string; denials: unknown }>(
        manager,
        `SELECT pool_key, denials FROM license_pool WHERE server_id = ? AND pool_key IN (${placeholders(group.length)})`,
        [serverId, ...group],
      );
      for (const row of existing) {
        if (num(row.denials) === 0) {
          await execute(
            manager,
            'UPDATE license_pool SET denials = ?, version = version + 1 WHERE server_id = ? AND pool_key = ?',
            [count, serverId, row.pool_key],
          );
        }
      }
    }
  }

  /**
   * Updates the row, creating it first only when missing. Updating first matters on MariaDB: an
   * INSERT IGNORE that finds the row takes a shared lock, and two transactions each holding one
   * and wanting the exclusive lock for the UPDATE deadlock.
   */
  private async upsertUpdate(
    manager: EntityManager,
    serverId: string,
    key: string,
    set: string,
    values: unknown[],
  ): Promise<void> {
    const sql = `UPDATE license_pool SET ${set} WHERE server_id = ? AND pool_key = ?`;
    if ((await execute(manager, sql, [...values, serverId, key])) > 0) return;
    await this.ensure(manager, serverId, [key]);
    await execute(manager, sql, [...values, serverId, key]);
  }

  /** Sets what a licence file and the caps allow; in_use is untouched (holders keep their licences). */
  async setLimit(
    manager: EntityManager,
    serverId: string,
    key: string,
    values: { inFile: boolean; fileTotal: number; limit: number | null },
  ): Promise<void> {
    await execute(
      manager,
      'UPDATE license_pool SET in_file = ?, file_total = ?, limit_total = ?, version = version + 1 ' +
        'WHERE server_id = ? AND pool_key = ?',
      [values.inFile ? 1 : 0, values.fileTotal, values.limit, serverId, key],
    );
  }
}

/** Keys grouped by how many refusals each counts, sorted, so each group is one statement. */
function groupByCount(counts: ReadonlyMap<string, number>): Array<[number, string[]]> {
  const groups = new Map<number, string[]>();
  for (const [key, count] of [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    groups.set(count, [...(groups.get(count) ?? []), key]);
  }
  return [...groups.entries()];
}

const POOL_KEY = /^[A-Z][A-Z0-9_]{0,119}$/;

/** `'A','B'` for the procedure's IN lists: only keys of the key alphabet, so nothing can be injected. */
function sqlKeyList(keys: readonly string[]): string {
  for (const key of keys) {
    if (!POOL_KEY.test(key)) throw new Error(`not a pool key: ${JSON.stringify(key)}`);
  }
  return keys.map((k) => `'${k}'`).join(',');
}

const LOGON_CORE: readonly MemberPart[] = ['session-start', 'presence', 'event'];
const LOGOFF_CORE: readonly MemberPart[] = ['session-end', 'event', 'presence'];
/** The outbox insert's params without a trace, padded to the procedure's (trace_parent NULL). */
const EVENT_ARGS = 6;

/**
 * A logon's or logoff's part of a group commit. When its last writes are a plain logon's
 * (session, presence, event) or logoff's (one session ended, its event, presence), one member
 * procedure makes them with the pool updates and decides (allocation_logon_member,
 * allocation_logoff_member): the writes before them go as statements. Otherwise the statements
 * then allocation_member_decide, see statementMember.
 */
function groupMember(queued: readonly QueuedStatement[], serverId: string, step: PoolStep): GroupMember {
  const tail = queued.slice(-3);
  const parts = tail.map((q) => q.part);
  const name = sameParts(parts, LOGON_CORE)
    ? 'allocation_logon_member'
    : sameParts(parts, LOGOFF_CORE)
      ? 'allocation_logoff_member'
      : undefined;
  const before = queued.slice(0, -3);
  if (!name || before.some((q) => q.guard)) return statementMember(queued, serverId, step);
  const args: unknown[] = [];
  for (const q of tail) {
    args.push(...q.params);
    if (q.part === 'event') for (let i = q.params.length; i < EVENT_ARGS; i += 1) args.push(null);
  }
  // FIND_IN_SET-style plain lists: keys of the key alphabet (sqlKeyList checked them), no commas.
  args.push(
    serverId,
    step.give.join(','),
    step.take.join(','),
    step.deny.join(','),
    step.at.getTime(),
    step.claim,
  );
  return {
    statements: before.map((q) => q.sql),
    params: before.flatMap((q) => q.params),
    procedure: { name, args },
  };
}

function sameParts(parts: ReadonlyArray<MemberPart | undefined>, core: readonly MemberPart[]): boolean {
  return parts.length === core.length && parts.every((part, i) => part === core[i]);
}

/**
 * A logon's or logoff's part of a group commit: its writes (the first guard sets @allocation_ok,
 * later ones multiply it), then its pool updates as static statements, the take last so that the
 * group can hand its ROW_COUNT() to allocation_member_decide. Denials are counted before the take:
 * if the take misses, the member rolls back to its savepoint, denials and all.
 */
function statementMember(queued: readonly QueuedStatement[], serverId: string, step: PoolStep): GroupMember {
  const statements: string[] = [];
  const params: unknown[] = [];
  let guarded = false;
  for (const q of queued) {
    statements.push(q.sql);
    params.push(...q.params);
    if (q.guard) {
      statements.push(
        guarded
          ? 'SET @allocation_ok = @allocation_ok * (ROW_COUNT() = 1)'
          : 'SET @allocation_ok = (ROW_COUNT() = 1)',
      );
      guarded = true;
    }
  }
  if (step.give.length > 0) {
    statements.push(
      'UPDATE license_pool SET in_use = CASE WHEN in_use > 0 THEN in_use - 1 ELSE 0 END, version = version + 1 ' +
        `WHERE server_id = ? AND pool_key IN (${placeholders(step.give.length)})`,
    );
    params.push(serverId, ...step.give);
  }
  if (step.deny.length > 0) {
    statements.push(
      'UPDATE license_pool SET denials = denials + 1, version = version + 1 ' +
        `WHERE server_id = ? AND pool_key IN (${placeholders(step.deny.length)})`,
    );
    params.push(serverId, ...step.deny);
  }
  if (step.take.length > 0) {
    statements.push(
      `UPDATE license_pool SET ${TAKE_SET}, last_claim = ? ` +
        `WHERE server_id = ? AND pool_key IN (${placeholders(step.take.length)}) AND ${HAS_ROOM}`,
    );
    params.push(step.at.getTime(), step.claim, serverId, ...step.take);
  }
  return {
    statements,
    params,
    decide: {
      guarded,
      takes: step.take.length > 0,
      // FIND_IN_SET's plain list: keys of the key alphabet (sqlKeyList checked them), no commas.
      args: [step.take.length, serverId, step.take.join(','), step.claim],
    },
  };
}
