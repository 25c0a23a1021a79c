import { randomUUID } from 'node:crypto';
import { type DataSource, type EntityManager } from 'typeorm';
import { type Clock } from '../clock/clock.js';
import { afterCommit } from '../db/database.js';
import { uncounted } from '../db/statement-counter.js';
import { BackgroundTask } from '../lifecycle/background-task.js';
import { type Logger } from '../logging/logger.js';
import { OutboxEventRow, ProcessedEventRow } from './outbox.entity.js';
import { type EventContractTopic, type PayloadOf } from './contracts.js';
import { type DomainEvent, type EventTransport } from './types.js';
import { SpanKind, currentTraceparent, inSpan, linkTo, tracingEnabled } from '../telemetry/tracing.js';

const committedListeners = new WeakMap<DataSource, Set<() => void>>();

/**
 * Calls `listener` after every commit that wrote events to this data source's outbox (the bus
 * kicks its relay so): whoever records an event never has to remember to. Returns the undo.
 */
export function onEventsCommitted(dataSource: DataSource, listener: () => void): () => void {
  let listeners = committedListeners.get(dataSource);
  if (!listeners) committedListeners.set(dataSource, (listeners = new Set()));
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Says that events of this data source's outbox have committed. `recordEvent` says it itself;
 * a caller that sends `outboxInsert`'s statement on its own says it once that has committed.
 */
export function eventsCommitted(dataSource: DataSource): void {
  const listeners = committedListeners.get(dataSource);
  if (listeners) for (const listener of listeners) listener();
}

/**
 * Writes a domain event into the outbox inside the caller's transaction; once that commits, the
 * relay is told (`onEventsCommitted`). The payload is checked against the topic's contract at
 * compile time (contracts.ts), as consumers check it when they parse it.
 */
export function recordEvent<T extends EventContractTopic>(
  manager: EntityManager,
  clock: Clock,
  topic: T,
  payload: PayloadOf<T>,
  occurredAt?: Date,
  id?: string,
): Promise<string> {
  return recordRawEvent(manager, clock, topic, payload, occurredAt, id);
}

/** `recordEvent` for any topic and payload: the outbox's own mechanics (its tests use it). */
export async function recordRawEvent(
  manager: EntityManager,
  clock: Clock,
  topic: string,
  payload: unknown,
  occurredAt: Date = clock.now(),
  id: string = randomUUID(),
): Promise<string> {
  await manager.insert(OutboxEventRow, {
    eventId: id,
    topic,
    payload: JSON.stringify(payload),
    occurredAt: occurredAt.getTime(),
    createdAt: clock.now().getTime(),
    publishedAt: null,
    // The trace of the request writing it, so that its consumers continue that trace.
    traceParent: currentTraceparent() ?? null,
  });
  const dataSource = manager.connection;
  afterCommit(manager, () => eventsCommitted(dataSource));
  return id;
}

/**
 * The INSERT that records an event in the outbox, as SQL and parameters (both engines), for a
 * caller that sends it together with other statements (allocation's logon and logoff); that
 * caller calls `eventsCommitted` once they have committed.
 */
export function outboxInsert<T extends EventContractTopic>(
  clock: Clock,
  topic: T,
  payload: PayloadOf<T>,
  occurredAt: Date = clock.now(),
  id: string = randomUUID(),
): { id: string; sql: string; params: unknown[] } {
  // With tracing on, the request's trace is stored with the event; off, the statement is as before.
  const traceparent = currentTraceparent();
  if (traceparent) {
    return {
      id,
      sql:
        'INSERT INTO outbox_event (event_id, topic, payload, occurred_at, created_at, published_at, trace_parent) ' +
        'VALUES (?, ?, ?, ?, ?, NULL, ?)',
      params: [id, topic, JSON.stringify(payload), occurredAt.getTime(), clock.now().getTime(), traceparent],
    };
  }
  return {
    id,
    sql:
      'INSERT INTO outbox_event (event_id, topic, payload, occurred_at, created_at, published_at) ' +
      'VALUES (?, ?, ?, ?, ?, NULL)',
    params: [id, topic, JSON.stringify(payload), occurredAt.getTime(), clock.now().getTime()],
  };
}

interface OutboxRow {
  seq: unknown;
  event_id: string;
  topic: string;
  payload: string;
  occurred_at: unknown;
  trace_parent: string | null;
}

function toEvent(row: OutboxRow, source: string): DomainEvent {
  return {
    id: row.event_id,
    topic: row.topic,
    source,
    occurredAt: new Date(Number(row.occurred_at)).toISOString(),
    payload: JSON.parse(row.payload) as unknown,
    ...(row.trace_parent ? { traceparent: row.trace_parent } : {}),
  };
}

export interface OutboxRelayOptions {
  dataSource: DataSource;
  transport: EventTransport;
  source: string;
  clock: Clock;
  pollMs: number;
  logger?: Logger;
  batchSize?: number;
  /**
   * While kicks keep coming, runs start at least this far apart (default 50 ms): under load each
   * run publishes a batch (one SELECT, one pipeline, one UPDATE for many events, and consumers
   * receive batches too); when idle, a kick runs at once.
   */
  minIntervalMs?: number;
  /**
   * How often, at most, a run first checks that the transport still holds what was published
   * (default 1 s): one round trip per check, never one per event.
   */
  generationCheckMs?: number;
  /**
   * Published events are pruned after this (unset: kept). A replay leaves out those published
   * nearly that long ago: consumers prune their inbox records on the same schedule, and an event
   * whose record has gone would be applied twice.
   */
  retentionMs?: number;
  /** Test hook: runs after an event is published and before it is marked (a crash point). */
  afterPublish?: (event: DomainEvent) => void | Promise<void>;
}

/**
 * Publishes outbox rows in order and marks them published. A crash between the two steps
 * republishes on the next run: consumers are idempotent, so nothing is lost or doubled.
 *
 * "Published" is not "delivered" when the transport can lose what it holds (Redis restarted
 * without its data): at most every `generationCheckMs` a run first reads the transport's
 * generation marker for this service. When it has gone (or changed under this process), every
 * event still in the outbox (those within the retention) is published again, in order, before
 * the pending ones, and only then is a new marker set, so a relay that dies mid-replay leaves
 * the marker missing and the next run (here or on another replica) replays again.
 */
export class OutboxRelay {
  private readonly task: BackgroundTask<number>;
  private generation: string | undefined;
  private generationCheckedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: OutboxRelayOptions) {
    this.task = new BackgroundTask({
      run: () => this.runOnce(),
      pollMs: options.pollMs,
      minIntervalMs: options.minIntervalMs ?? 50,
      ...(options.logger ? { logger: options.logger } : {}),
      failureMessage: 'outbox relay run failed',
    });
  }

  /** Runs now, then every `pollMs`. */
  start(): void {
    this.task.start();
  }

  /** Asks for a run (after a commit): now when idle, else once the interval after the current run. */
  kick(): void {
    this.task.kick();
  }

  /** Publishes every pending row; returns how many it published. */
  async runOnce(): Promise<number> {
    return uncounted(() => this.publishPending());
  }

  private async publishPending(): Promise<number> {
    const { dataSource, source, batchSize = 200 } = this.options;
    const find = (manager: EntityManager) =>
      manager.query(
        'SELECT seq, event_id, topic, payload, occurred_at, trace_parent FROM outbox_event WHERE published_at IS NULL ' +
          `ORDER BY seq LIMIT ${Number(batchSize)}`,
      ) as Promise<OutboxRow[]>;
    // On SQLite (one shared connection) a plain read would see rows of a transaction still open
    // on it, which may yet roll back; reading in a (queued) transaction waits for it to finish.
    const sqlite = dataSource.options.type === 'better-sqlite3';
    await this.checkGeneration(sqlite);
    let published = 0;
    for (;;) {
      const rows = sqlite ? await dataSource.transaction(find) : await find(dataSource.manager);
      if (rows.length === 0) return published;
      const events = rows.map((row) => toEvent(row, source));
      // The whole batch in one round trip: one at a time, a relay sharing its process with busy
      // request handlers fell behind the events they wrote (each await waits its turn).
      await this.publish(events);
      for (const event of events) await this.options.afterPublish?.(event);
      // One UPDATE a batch: a crash before it republishes the batch, which consumers ignore.
      await dataSource.query(
        `UPDATE outbox_event SET published_at = ? WHERE seq IN (${rows.map(() => '?').join(', ')})`,
        [this.options.clock.now().getTime(), ...rows.map((r) => r.seq)],
      );
      published += rows.length;
      // A short batch was all there was; what commits meanwhile comes with its own kick.
      if (rows.length < batchSize) return published;
    }
  }

  /** One batch to the transport, in a span linked to the trace of each event (tracing on). */
  private publish(events: DomainEvent[]): Promise<void> {
    if (!tracingEnabled()) return this.options.transport.publishAll(events);
    return inSpan(
      this.options.source,
      'outbox publish',
      {
        kind: SpanKind.PRODUCER,
        links: events.flatMap((e) => linkTo(e.traceparent) ?? []).slice(0, 128),
        attributes: { 'messaging.batch.message_count': events.length },
      },
      () => this.options.transport.publishAll(events),
    );
  }

  /**
   * Replays the outbox when the transport's generation marker for this service has gone (Redis
   * restarted empty: its streams, groups and whatever consumers had not read went with it) or
   * changed (another replica found it gone; replaying too covers a batch this process had in
   * flight meanwhile). Consumers skip the events they had applied (their inbox).
   */
  private async checkGeneration(sqlite: boolean): Promise<void> {
    const { transport, source } = this.options;
    if (!transport.readGeneration || !transport.markGeneration) return;
    const now = performance.now();
    if (now - this.generationCheckedAt < (this.options.generationCheckMs ?? 1000)) return;
    this.generationCheckedAt = now;
    const current = await transport.readGeneration(source);
    if (current !== null && (this.generation === undefined || current === this.generation)) {
      this.generation = current;
      return;
    }
    const replayed = await this.replayAll(sqlite);
    this.generation = await transport.markGeneration(source);
    this.options.logger?.warn(
      { events: replayed, generation: this.generation },
      current === null
        ? 'event streams lost (or first start): outbox replayed'
        : 'event streams reset by another replica: outbox replayed',
    );
  }

  /**
   * Publishes every published event still in the outbox again (but those near the end of their
   * retention), oldest first, a batch a round trip.
   */
  private async replayAll(sqlite: boolean): Promise<number> {
    const { dataSource, transport, source, batchSize = 200 } = this.options;
    // Those not yet published follow in this run. Those a replica has in flight are marked
    // published after this read; that replica finds the marker changed and replays them itself.
    const { retentionMs } = this.options;
    // A margin of a tenth of the retention (at most ten minutes) for the services' clocks.
    const since =
      retentionMs === undefined
        ? Number.MIN_SAFE_INTEGER
        : this.options.clock.now().getTime() - retentionMs + Math.min(retentionMs / 10, 600_000);
    let after = 0;
    let replayed = 0;
    for (;;) {
      const find = (manager: EntityManager) =>
        manager.query(
          'SELECT seq, event_id, topic, payload, occurred_at, trace_parent FROM outbox_event ' +
            'WHERE seq > ? AND published_at IS NOT NULL AND published_at >= ? ' +
            `ORDER BY seq LIMIT ${Number(batchSize)}`,
          [after, since],
        ) as Promise<OutboxRow[]>;
      const rows = sqlite ? await dataSource.transaction(find) : await find(dataSource.manager);
      if (rows.length === 0) return replayed;
      await transport.publishAll(rows.map((row) => toEvent(row, source)));
      replayed += rows.length;
      after = Number(rows[rows.length - 1]!.seq);
      if (rows.length < batchSize) return replayed;
    }
  }

  /**
   * Runs once after the current run (tests use it to know delivery has been attempted). A poll or
   * kick meanwhile waits for it: two runs at once would both publish the rows still pending.
   */
  async flush(): Promise<void> {
    await this.task.runNow();
  }

  /** Stops polling and kicks; resolves once the run in flight has finished. */
  stop(): Promise<void> {
    return this.task.stop();
  }
}

/**
 * Wraps a handler so that it applies each event at most once for `consumer`: the inbox row and
 * the handler's changes commit together, and a redelivered event finds its row and is skipped.
 */
export function idempotentConsumer(
  dataSource: DataSource,
  consumer: string,
  clock: Clock,
  apply: (event: DomainEvent, manager: EntityManager) => Promise<void>,
): (event: DomainEvent) => Promise<boolean> {
  return async (event) =>
    uncounted(() =>
      dataSource.transaction(async (manager) => {
        const seen = await manager.findOne(ProcessedEventRow, { where: { consumer, eventId: event.id } });
        if (seen) return false;
        // The primary key makes a concurrent duplicate fail here and roll back its changes.
        await manager.insert(ProcessedEventRow, {
          consumer,
          eventId: event.id,
          processedAt: clock.now().getTime(),
        });
        await apply(event, manager);
        return true;
      }),
    );
}

/**
 * The batch form of idempotentConsumer: the events of a batch not applied before are applied
 * together, with their inbox rows, in one transaction (one commit and a few statements for the
 * whole batch instead of a few for each event: the inbox is one statement). Returns how many were new.
 */
export function idempotentBatchConsumer(
  dataSource: DataSource,
  consumer: string,
  clock: Clock,
  apply: (events: DomainEvent[], manager: EntityManager) => Promise<void>,
  options: { returning?: boolean } = {},
): (events: DomainEvent[]) => Promise<number> {
  // One statement records the batch's inbox rows and names those it added (RETURNING: MariaDB
  // 10.5+, SQLite 3.35+): an event already recorded is ignored and not returned, and one that a
  // concurrent transaction is recording waits for it (the row lock), then is ignored or added.
  // MySQL has no RETURNING: there the recorded ones are read first and the rest inserted, the
  // primary key failing (and rolling back) a concurrent duplicate, which the bus delivers again.
  // `options.returning` settles it instead of asking the server (tests of the MySQL form).
  const sqlite = dataSource.options.type !== 'mariadb' && dataSource.options.type !== 'mysql';
  let returning: Promise<boolean> | undefined;
  const supportsReturning = (manager: EntityManager): Promise<boolean> =>
    (returning ??=
      options.returning !== undefined || sqlite
        ? Promise.resolve(options.returning ?? true)
        : (manager.query('SELECT VERSION() AS version') as Promise<Array<{ version: string }>>).then(
            (rows) => /mariadb/i.test(String(rows[0]?.version ?? '')),
            (error: unknown) => {
              returning = undefined; // asked again next time
              throw error;
            },
          ));
  const record = async (manager: EntityManager, ids: string[], processedAt: number): Promise<Set<string>> => {
    const rows = (id: string) => [consumer, id, processedAt];
    const values = ids.map(() => '(?, ?, ?)').join(', ');
    // Plain SQL: TypeORM's builders cost more than the database on a busy stream.
    if (await supportsReturning(manager)) {
      const added = (await manager.query(
        `${sqlite ? 'INSERT OR IGNORE INTO' : 'INSERT IGNORE INTO'} processed_event (consumer, event_id, processed_at) VALUES ${values} RETURNING event_id`,
        ids.flatMap(rows),
      )) as Array<{ event_id: string }>;
      return new Set(added.map((row) => row.event_id));
    }
    const seen = (await manager.query(
      `SELECT event_id FROM processed_event WHERE consumer = ? AND event_id IN (${ids.map(() => '?').join(', ')})`,
      [consumer, ...ids],
    )) as Array<{ event_id: string }>;
    const known = new Set(seen.map((row) => row.event_id));
    const fresh = ids.filter((id) => !known.has(id));
    if (fresh.length > 0) {
      await manager.query(
        `INSERT INTO processed_event (consumer, event_id, processed_at) VALUES ${fresh.map(() => '(?, ?, ?)').join(', ')}`,
        fresh.flatMap(rows),
      );
    }
    return new Set(fresh);
  };
  return async (events) =>
    uncounted(() =>
      dataSource.transaction(async (manager) => {
        const unique = new Map<string, DomainEvent>();
        for (const event of events) if (!unique.has(event.id)) unique.set(event.id, event);
        if (unique.size === 0) return 0;
        const added = await record(manager, [...unique.keys()], clock.now().getTime());
        // In the batch's order.
        const fresh = [...unique.values()].filter((event) => added.has(event.id));
        if (fresh.length === 0) return 0;
        await apply(fresh, manager);
        return fresh.length;
      }),
    );
}

/**
 * Deletes what the bus no longer needs: outbox events published before `before` (never one still
 * waiting to be published) and inbox records of events applied before it (an event is redelivered
 * within seconds of a crash, never days later). A few thousand rows a statement, oldest first, so
 * that a large backlog never holds long locks. Returns how many rows went.
 */
export async function pruneEvents(dataSource: DataSource, before: number, batch = 2000): Promise<number> {
  return uncounted(async () => {
    let pruned = 0;
    for (const [table, key, column] of [
      ['outbox_event', 'seq', 'published_at'],
      ['processed_event', 'consumer, event_id', 'processed_at'],
    ] as const) {
      for (;;) {
        // A transaction per batch: on SQLite it takes its turn with the others (one connection).
        const count = await dataSource.transaction(async (manager) => {
          const rows = (await manager.query(
            `SELECT ${key} FROM ${table} WHERE ${column} IS NOT NULL AND ${column} < ? ORDER BY ${column} LIMIT ${batch}`,
            [before],
          )) as Array<Record<string, unknown>>;
          if (rows.length === 0) return 0;
          if (table === 'outbox_event') {
            await manager.query(
              `DELETE FROM outbox_event WHERE seq IN (${rows.map(() => '?').join(', ')})`,
              rows.map((r) => r['seq']),
            );
          } else {
            await manager.query(
              `DELETE FROM processed_event WHERE ${rows.map(() => '(consumer = ? AND event_id = ?)').join(' OR ')}`,
              rows.flatMap((r) => [r['consumer'], r['event_id']]),
            );
          }
          return rows.length;
        });
        pruned += count;
        if (count < batch) break;
      }
    }
    return pruned;
  });
}
