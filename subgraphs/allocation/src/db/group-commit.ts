import { type DataSource } from 'typeorm';
import { num, placeholders } from '@lic/shared';
import { SerialBatches } from './serial-batches.js';

/**
 * One logon's or logoff's writes and pool updates, ready to send (see PoolStore.finish): its
 * statements, then either allocation_member_decide (`decide`), or a member procedure that writes
 * the rest, updates the pools and decides by itself (`procedure`: allocation_logon_member,
 * allocation_logoff_member).
 */
export interface GroupMember {
  /**
   * The member's statements, no transaction control and no savepoint. With `decide`: its writes,
   * `SET @allocation_ok = …` after guarded ones, then its pool updates with the take (if any)
   * last. With `procedure`: the writes the procedure does not make (denials, sessions ended elsewhere).
   */
  statements: string[];
  params: unknown[];
  decide?: {
    /** Whether a guarded write set @allocation_ok, and whether the last statement is the take. */
    guarded: boolean;
    takes: boolean;
    /** allocation_member_decide's last arguments: take count, server, the taken keys as `A,B`, claim. */
    args: [number, string, string, string];
  };
  /** The member procedure and its arguments after the first (the member's index, which the group adds). */
  procedure?: { name: string; args: unknown[] };
}

/** What the group did with a member, or `alone`: the group failed as a whole and did nothing. */
export type GroupOutcome = { committed: boolean; missed: string[]; stale: boolean } | 'alone';

interface Waiting {
  member: GroupMember;
  resolve: (outcome: GroupOutcome) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitOptions {
  /** The most members in one transaction. */
  maxMembers: number;
}

/**
 * Group commit of logons and logoffs on MariaDB. The members that finish while a group is on its
 * way to the database wait, and go together as the next group: one round trip and one
 * transaction, `START TRANSACTION`, then per member `SAVEPOINT allocation_member`, its writes,
 * its pool updates and allocation_member_decide (which keeps the member, or rolls back to the
 * savepoint when the user changed since it was read or a pool had no room), and one `COMMIT`.
 * A plain logon or logoff is its savepoint and one CALL of a member procedure that makes its
 * writes and pool updates and decides the same way (allocation_logon_member,
 * allocation_logoff_member): two statements instead of seven, none parsed again on each send.
 * Each member's outcome is what it would have been alone, in the order of the group: a member
 * sees the pools as the members before it left them, so a count still never goes above its limit.
 *
 * One group is in flight at a time, so the process never waits on its own locks, and a group
 * holds one pooled connection, never more. When the group fails as a whole (a replayed event's
 * unique key, a deadlock with another process), it rolls back, and its members are sent alone,
 * each as it would have been without the group; a lone member's error is its own.
 */
export class GroupCommit {
  /** Groups sent, members sent in them, and members sent alone after their group failed. */
  readonly counts = { groups: 0, members: 0, alone: 0 };
  private readonly groups: SerialBatches<Waiting>;

  constructor(
    private readonly dataSource: DataSource,
    options: GroupCommitOptions,
  ) {
    this.groups = new SerialBatches(options.maxMembers, (group) => this.send(group));
  }

  submit(member: GroupMember): Promise<GroupOutcome> {
    return new Promise<GroupOutcome>((resolve, reject) => this.groups.add({ member, resolve, reject }));
  }

  /**
   * One member in a transaction of its own, now (its group failed as a whole): its outcome, or
   * its own error.
   */
  alone(member: GroupMember): Promise<{ committed: boolean; missed: string[]; stale: boolean }> {
    return new Promise((resolve, reject) => {
      void this.send([
        {
          member,
          resolve: (outcome) =>
            outcome === 'alone' ? reject(new Error('a lone member failed as a group')) : resolve(outcome),
          reject,
        },
      ]);
    });
  }

  private async send(group: Waiting[]): Promise<void> {
    const statements = ['START TRANSACTION'];
    const params: unknown[] = [];
    group.forEach(({ member }, index) => {
      statements.push('SAVEPOINT allocation_member', ...member.statements);
      params.push(...member.params);
      const { decide, procedure } = member;
      if (procedure) {
        statements.push(`CALL ${procedure.name}(${placeholders(procedure.args.length + 1)})`);
        params.push(index, ...procedure.args);
        return;
      }
      // ROW_COUNT() as an argument is the rows the statement before the CALL changed: the take's.
      const ok = decide?.guarded ? '@allocation_ok' : '1';
      const taken = decide?.takes ? 'ROW_COUNT()' : '0';
      statements.push(`CALL allocation_member_decide(?, ${ok}, ${taken}, ?, ?, ?, ?)`);
      params.push(index, ...(decide?.args ?? [0, '', '', '']));
    });
    statements.push('COMMIT');
    this.counts.groups += 1;
    this.counts.members += group.length;
    const runner = this.dataSource.createQueryRunner();
    try {
      let outcomes: Array<GroupOutcome | undefined>;
      try {
        const raw = (await runner.query(statements.join(';\n'), params)) as unknown[];
        outcomes = memberOutcomes(raw, group.length);
      } catch (error) {
        await runner.query('ROLLBACK').catch(() => undefined);
        if (group.length === 1) {
          group[0]!.reject(error);
          return;
        }
        this.counts.alone += group.length;
        for (const waiting of group) waiting.resolve('alone');
        return;
      }
      // The COMMIT went through: a member that answered no row was kept, and is committed.
      group.forEach((waiting, index) => {
        waiting.resolve(outcomes[index] ?? { committed: true, missed: [], stale: false });
      });
    } finally {
      await runner.release();
    }
  }
}

/** The rows allocation_member_decide answered (members rolled back), by member index. */
function memberOutcomes(raw: unknown[], size: number): Array<GroupOutcome | undefined> {
  const outcomes: Array<GroupOutcome | undefined> = new Array<GroupOutcome | undefined>(size);
  for (const part of raw) {
    if (!Array.isArray(part)) continue;
    const row = part[0] as Record<string, unknown> | undefined;
    if (!row || !('member' in row) || !('committed' in row)) continue;
    const missed = typeof row['missed'] === 'string' && row['missed'] !== '' ? row['missed'].split(',') : [];
    outcomes[num(row['member'])] = {
      committed: num(row['committed']) === 1,
      missed,
      stale: num(row['stale']) === 1,
    };
  }
  return outcomes;
}
