import { randomUUID } from 'node:crypto';
import { In } from 'typeorm';
import {
  CALL_PORT_KEY,
  type Clock,
  type Principal,
  badInput,
  execute,
  isUniqueViolation,
  num,
  select,
} from '@lic/shared';
import { type Db } from '../db/db.js';
import { type Effects } from '../effects.js';
import { recordDenials } from '../pool/denials.js';
import { type PoolStore } from '../pool/pool.store.js';
import {
  DEVELOPMENT_LICENSE_PREFIX,
  developmentCallEndsAt,
  developmentCallsOpenedBy,
} from '../rules/licenses.js';
import { type ServerService } from '../server/server.service.js';
import { CallEndCause, EndedCall } from './ended-call.entity.js';

export interface CallPortStatus {
  serverId: string;
  callId: string;
  /** The call holds a call port (false: every call port allowed now is busy). */
  accepted: boolean;
  /** Calls open on the server after this request. */
  open: number;
  /** Call ports allowed now: licensed (any licence model), lowered by enforcement. */
  limit: number | null;
  /** Closing a call the platform had already ended: why and when it ended (null otherwise). */
  endCause: CallEndCause | null;
  endedAt: Date | null;
}

/** Development-licensed servers' calls that are due, the most ended per server in one transaction. */
const SWEEP_BATCH = 500;

/** The server's loaded file is a development file (the prefix comes as two parameters). */
const DEVELOPMENT_SERVER = 'SUBSTR(s.license_type, 1, ?) = ?';
const developmentParams = [DEVELOPMENT_LICENSE_PREFIX.length, DEVELOPMENT_LICENSE_PREFIX];

const CALL_ID = /^[!-~]{1,100}$/;

/**
 * Call ports: a call holds one while it is open. The bound is the pool's limit, which is the
 * licensed number (I3_SESSION_CALL_PORT in the file) lowered by enforcement at stages 5 and 6.
 * Opening the same call again, or closing one already closed, changes nothing. On a server whose
 * loaded file is a development file, the platform ends each call an hour after it opened
 * (sweepDevelopmentCalls) and records it; the server closing it afterwards is told so.
 */
export class CallService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly servers: ServerService,
    private readonly pools: PoolStore,
    private readonly effects: Effects,
  ) {}

  private validate(callId: string): string {
    if (!CALL_ID.test(callId))
      throw badInput('callId must be 1 to 100 printable characters without spaces', 'callId');
    return callId;
  }

  async open(principal: Principal | undefined, serverId: string, callId: string): Promise<CallPortStatus> {
    const id = this.validate(callId);
    const now = this.clock.now();
    let unitId = serverId;
    const outcome = await this.db
      .hot(async (tx) => {
        // A switchover pair's call ports are the unit's, like its other pools.
        unitId = (await this.servers.require(principal, serverId, 'machine', tx.manager)).unitId;
        const existing = await select(
          tx.manager,
          'SELECT call_id FROM open_call WHERE server_id = ? AND call_id = ?',
          [unitId, id],
        );
        if (existing.length > 0) return 'open' as const;
        // Queued with the take (on MariaDB): a refused call leaves no row behind.
        await tx.write('INSERT INTO open_call (server_id, call_id, opened_at) VALUES (?, ?, ?)', [
          unitId,
          id,
          now.getTime(),
        ]);
        // The call port is taken last, and committed with it (see PoolStore.finish).
        const finished = await this.pools.finish(tx, unitId, {
          give: [],
          take: [CALL_PORT_KEY],
          deny: [],
          at: now,
          claim: id,
        });
        if (!finished.committed) throw new CallRefused();
        return 'accepted' as const;
      })
      .catch((error: unknown) => {
        // The same call opened twice at once: the other request holds the port.
        if (isUniqueViolation(error)) return 'open' as const;
        if (error instanceof CallRefused) return 'refused' as const;
        throw error;
      });
    if (outcome === 'refused') {
      const server = await this.servers.require(principal, serverId, 'machine');
      await this.db.tx(async (m) => {
        const reason = server.callPortLimit !== null ? 'CALL_PORTS_LIMITED' : 'EXHAUSTED';
        await recordDenials(m, this.pools, unitId, [{ key: CALL_PORT_KEY, reason }], now);
        this.effects.afterCommit(m, [unitId], false);
        this.effects.denied(m, unitId, [{ key: CALL_PORT_KEY, reason }], now);
      });
    } else if (outcome === 'accepted') {
      this.effects.now([unitId], false);
    }
    return {
      serverId,
      callId: id,
      accepted: outcome !== 'refused',
      ...(await this.status(unitId)),
      endCause: null,
      endedAt: null,
    };
  }

  async close(principal: Principal | undefined, serverId: string, callId: string): Promise<CallPortStatus> {
    const id = this.validate(callId);
    let unitId = serverId;
    const closed = await this.db.hot(async (tx) => {
      unitId = (await this.servers.require(principal, serverId, 'machine', tx.manager)).unitId;
      // Guarded and sent with the give-back: only a call that was open gives its port back.
      const removed = await tx.write(
        'DELETE FROM open_call WHERE server_id = ? AND call_id = ?',
        [unitId, id],
        true,
      );
      if (removed !== undefined && removed !== 1) return false;
      const finished = await this.pools.finish(tx, unitId, {
        give: [CALL_PORT_KEY],
        take: [],
        deny: [],
        at: this.clock.now(),
        claim: id,
      });
      return finished.committed;
    });
    if (closed) this.effects.now([unitId], false);
    // Not open: perhaps the platform ended it (a development licence's hourly disconnect).
    const ended = closed ? undefined : ((await this.lastEnded(unitId, id)) ?? undefined);
    return {
      serverId,
      callId: id,
      accepted: false,
      ...(await this.status(unitId)),
      endCause: ended?.cause ?? null,
      endedAt: ended?.endedAt ?? null,
    };
  }

  private async lastEnded(serverId: string, callId: string): Promise<EndedCall | null> {
    return this.db.read((m) =>
      m.getRepository(EndedCall).findOne({ where: { serverId, callId }, order: { endedAt: 'DESC' } }),
    );
  }

  /** The calls the platform ended on these servers, newest first (at most `limit` per server). */
  async endedCalls(serverIds: readonly string[], limit: number): Promise<Map<string, EndedCall[]>> {
    const result = new Map<string, EndedCall[]>(serverIds.map((id) => [id, []]));
    if (serverIds.length === 0) return result;
    const rows = await this.db.read((m) =>
      m.getRepository(EndedCall).find({
        where: { serverId: In([...serverIds]) },
        order: { endedAt: 'DESC', callId: 'ASC' },
      }),
    );
    for (const row of rows) {
      const list = result.get(row.serverId);
      if (list && list.length < limit) list.push(row);
    }
    return result;
  }

  /**
   * Development licences: "interactions disconnect hourly". Ends every call that has been open
   * an hour or more on a server whose loaded file is a development file: the call's row goes,
   * its port comes back and the ending is recorded (at the hour it was due, however late the
   * sweep). Each server in its own transaction; a row another replica (or a closeCall) removed
   * first is skipped, so a call is ended once. Returns how many calls it ended.
   */
  async sweepDevelopmentCalls(): Promise<number> {
    const openedBy = developmentCallsOpenedBy(this.clock.now().getTime());
    const due = await this.db.read((m) =>
      select<{ server_id: string }>(
        m,
        'SELECT DISTINCT c.server_id FROM open_call c JOIN server s ON s.id = c.server_id ' +
          `WHERE ${DEVELOPMENT_SERVER} AND c.opened_at <= ? ORDER BY c.server_id`,
        [...developmentParams, openedBy],
      ),
    );
    let ended = 0;
    for (const { server_id: serverId } of due) {
      ended += await this.db.tx(async (m) => {
        const calls = await select<{ call_id: string; opened_at: unknown }>(
          m,
          'SELECT c.call_id, c.opened_at FROM open_call c JOIN server s ON s.id = c.server_id ' +
            `WHERE c.server_id = ? AND ${DEVELOPMENT_SERVER} AND c.opened_at <= ? ` +
            `ORDER BY c.opened_at, c.call_id LIMIT ${SWEEP_BATCH}`,
          [serverId, ...developmentParams, openedBy],
        );
        let count = 0;
        for (const call of calls) {
          const openedAt = num(call.opened_at);
          const removed = await execute(
            m,
            'DELETE FROM open_call WHERE server_id = ? AND call_id = ? AND opened_at = ?',
            [serverId, call.call_id, openedAt],
          );
          if (removed !== 1) continue;
          await m.insert(EndedCall, {
            id: randomUUID(),
            serverId,
            callId: call.call_id,
            openedAt: new Date(openedAt),
            endedAt: new Date(developmentCallEndsAt(openedAt)),
            cause: CallEndCause.DEVELOPMENT_HOURLY_DISCONNECT,
          });
          count += 1;
        }
        if (count > 0) {
          await this.pools.give(m, serverId, CALL_PORT_KEY, count);
          this.effects.afterCommit(m, [serverId], false);
        }
        return count;
      });
    }
    return ended;
  }

  private async status(serverId: string): Promise<{ open: number; limit: number | null }> {
    const pool = (await this.db.read((m) => this.pools.byServers(m, [serverId]))).find(
      (p) => p.key === CALL_PORT_KEY,
    );
    return { open: pool?.inUse ?? 0, limit: pool ? pool.limit : 0 };
  }
}

/** No call port is free: the call's row is rolled back and the refusal recorded. */
class CallRefused extends Error {
  constructor() {
    super('call refused');
  }
}
