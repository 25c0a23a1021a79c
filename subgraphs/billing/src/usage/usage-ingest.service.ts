import { type EntityManager } from 'typeorm';
import {
  DAY_MS,
  type Clock,
  type SessionEndedPayload,
  type SessionStartedPayload,
  type Dialect,
  type Statement,
  chunks,
  dialectOf,
  placeholders,
  sendAll,
} from '@lic/shared';
import { type DirtyMark, markUsersDirty, markUsersDirtyStatements } from '../db/sql.js';
import { ensureServersStatements } from '../tracking/tracking.service.js';
import { type UsageEventType } from './usage-event.entity.js';

export interface RawUsageEvent {
  eventId: string;
  serverId: string;
  accountId: string;
  userId: string;
  type: UsageEventType;
  occurredAt: number;
  application: string | null;
  /** The licences applied to the user (its own, where the producer says which those are). */
  licenses: readonly string[];
  /** A logon from the telephone without a client application (billed as AGENT). */
  telephoneOnly?: boolean;
}

export const utcDayNumber = (ms: number): number => Math.floor(ms / DAY_MS);

/**
 * Stores logons and logoffs as they are reported (from the bus or from an uploaded file) and
 * marks their users for re-derivation. It never reads earlier events, so it takes no range
 * locks and gives the same stored facts whatever order events arrive in.
 */
export class UsageIngest {
  constructor(private readonly clock: Clock) {}

  async sessionEvent(
    manager: EntityManager,
    eventId: string,
    type: UsageEventType,
    payload: SessionStartedPayload | SessionEndedPayload,
  ): Promise<void> {
    await this.sessionEvents(manager, type, [{ eventId, payload }]);
  }

  /**
   * Logons (or logoffs) from the bus, stored together (the bus hands them over in batches, each
   * event once: its inbox row commits with them). A batch costs a fixed number of statements,
   * sent as one query on MariaDB: its servers created if new, its events inserted (one already
   * stored, from a usage file, is kept as it is) and its users marked for derivation.
   */
  async sessionEvents(
    manager: EntityManager,
    type: UsageEventType,
    events: ReadonlyArray<{ eventId: string; payload: SessionStartedPayload | SessionEndedPayload }>,
  ): Promise<void> {
    const dialect = dialectOf(manager);
    const raw = events.map(({ eventId, payload }) => ({
      eventId,
      serverId: payload.serverId,
      accountId: payload.accountId,
      userId: payload.userId,
      type,
      occurredAt: Date.parse(payload.occurredAt),
      application: payload.application,
      // Billing categories follow the user's own licences; older producers only give the
      // session's (user and station), which are then used as before.
      licenses: payload.userLicenses ?? payload.licenses,
      ...('telephoneOnly' in payload && payload.telephoneOnly === true ? { telephoneOnly: true } : {}),
    }));
    const servers = new Map(raw.map((e) => [e.serverId, e.accountId]));
    await sendAll(manager, [
      ...ensureServersStatements(dialect, servers),
      ...this.insertStatements(dialect, raw, 'EVENT'),
      ...markUsersDirtyStatements(dialect, raw.map(dirtyMarkOf)),
    ]);
  }

  /** Stores the events not stored yet; returns how many were new. */
  async store(
    manager: EntityManager,
    events: readonly RawUsageEvent[],
    source: 'EVENT' | 'FILE',
  ): Promise<number> {
    const known = new Set<string>();
    for (const chunk of chunks(
      events.map((e) => e.eventId),
      500,
    )) {
      const rows = (await manager.query(
        `SELECT event_id FROM usage_event WHERE event_id IN (${placeholders(chunk.length)})`,
        chunk,
      )) as Array<{ event_id: string }>;
      rows.forEach((r) => known.add(r.event_id));
    }
    const fresh = new Map<string, RawUsageEvent>();
    for (const event of events)
      if (!known.has(event.eventId) && !fresh.has(event.eventId)) fresh.set(event.eventId, event);
    const dialect = dialectOf(manager);
    for (const statement of this.insertStatements(dialect, [...fresh.values()], source))
      await manager.query(statement.sql, statement.params);
    await markUsersDirty(manager, [...fresh.values()].map(dirtyMarkOf));
    return fresh.size;
  }

  /** INSERTs of events, 200 a statement; an event already stored is left as it is. */
  private insertStatements(
    dialect: Dialect,
    events: readonly RawUsageEvent[],
    source: 'EVENT' | 'FILE',
  ): Statement[] {
    const receivedAt = this.clock.now().getTime();
    // Plain SQL: TypeORM's insert builder spent more on its parameters than the database did.
    const insertIgnore = dialect === 'mariadb' ? 'INSERT IGNORE INTO' : 'INSERT OR IGNORE INTO';
    return chunks(events, 200).map((chunk) => ({
      sql:
        `${insertIgnore} usage_event (event_id, server_id, account_id, user_id, type, occurred_at, day, ` +
        `application, licenses, telephone_only, tracked, source, received_at) VALUES ${chunk
          .map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)')
          .join(', ')}`,
      params: chunk.flatMap((e) => [
        e.eventId,
        e.serverId,
        e.accountId,
        e.userId,
        e.type,
        e.occurredAt,
        utcDayNumber(e.occurredAt),
        e.application,
        JSON.stringify(e.licenses),
        e.telephoneOnly === true ? 1 : 0,
        source,
        receivedAt,
      ]),
    }));
  }
}

const dirtyMarkOf = (e: RawUsageEvent): DirtyMark => ({
  serverId: e.serverId,
  userId: e.userId,
  accountId: e.accountId,
  from: e.occurredAt,
});
