import { CALL_PORT_KEY, type Clock, type Principal, badInput } from '@lic/shared';
import { type Db, execute, isDuplicateKey, select } from '../db/db.js';
import { type Effects } from '../effects.js';
import { recordDenials } from '../pool/denials.js';
import { type PoolStore } from '../pool/pool.store.js';
import { type ServerService } from '../server/server.service.js';

export interface CallPortStatus {
  serverId: string;
  callId: string;
  /** The call holds a call port (false: every call port allowed now is busy). */
  accepted: boolean;
  /** Calls open on the server after this request. */
  open: number;
  /** Call ports allowed now (licensed, lowered by enforcement); null when uncapped. */
  limit: number | null;
}

const CALL_ID = /^[!-~]{1,100}$/;

/**
 * Call ports: a call holds one while it is open. The bound is the pool's limit, which is the
 * licensed number (I3_SESSION_CALL_PORT in the file) lowered by enforcement at stages 5 and 6.
 * Opening the same call again, or closing one already closed, changes nothing.
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
        await execute(tx.manager, 'INSERT INTO open_call (server_id, call_id, opened_at) VALUES (?, ?, ?)', [
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
        if (isDuplicateKey(error)) return 'open' as const;
        if (error instanceof CallRefused) return 'refused' as const;
        throw error;
      });
    if (outcome === 'refused') {
      const server = await this.servers.require(principal, serverId, 'machine');
      await this.db.tx(async (m) => {
        const reason = server.callPortLimit !== null ? 'CALL_PORTS_LIMITED' : 'EXHAUSTED';
        await recordDenials(m, this.pools, server.unitId, [{ key: CALL_PORT_KEY, reason }], now);
        this.effects.afterCommit(m, [server.unitId], false);
      });
    } else if (outcome === 'accepted') {
      this.effects.now([unitId], false);
    }
    return { serverId, callId: id, accepted: outcome !== 'refused', ...(await this.status(unitId)) };
  }

  async close(principal: Principal | undefined, serverId: string, callId: string): Promise<CallPortStatus> {
    const id = this.validate(callId);
    let unitId = serverId;
    const closed = await this.db.hot(async (tx) => {
      unitId = (await this.servers.require(principal, serverId, 'machine', tx.manager)).unitId;
      const removed = await execute(tx.manager, 'DELETE FROM open_call WHERE server_id = ? AND call_id = ?', [
        unitId,
        id,
      ]);
      if (removed === 0) return false;
      await this.pools.finish(tx, unitId, {
        give: [CALL_PORT_KEY],
        take: [],
        deny: [],
        at: this.clock.now(),
        claim: id,
      });
      return true;
    });
    if (closed) this.effects.now([unitId], false);
    return { serverId, callId: id, accepted: false, ...(await this.status(unitId)) };
  }

  private async status(unitId: string): Promise<{ open: number; limit: number | null }> {
    const pool = (await this.db.read((m) => this.pools.byServers(m, [unitId]))).find(
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
