import { type DataSource, type EntityManager } from 'typeorm';
import { type Clock } from '../clock/clock.js';
import { type Config } from '../config/config.js';
import { BackgroundTask } from '../lifecycle/background-task.js';
import { type Logger } from '../logging/logger.js';
import { InProcessTransport } from './in-process-transport.js';
import {
  idempotentBatchConsumer,
  idempotentConsumer,
  onEventsCommitted,
  OutboxRelay,
  pruneEvents,
} from './outbox.js';
import { RedisStreamTransport } from './redis-stream-transport.js';
import { type EventContractTopic, type PayloadOf, parsePayload } from './contracts.js';
import { type DomainEvent, type EventSubscription, type EventTransport } from './types.js';
import { type ServiceMetrics } from '../telemetry/metrics.js';
import { SpanKind, TRACEPARENT, contextFrom, inSpan, linkTo, tracingEnabled } from '../telemetry/tracing.js';

/** At most this many links on a batch's span (one a traced event). */
const MAX_LINKS = 128;

/** In-process when REDIS_URL is unset (embedded mode), Redis Streams otherwise. */
export function createEventTransport(config: Config, logger?: Logger): EventTransport {
  return config.redisUrl
    ? new RedisStreamTransport(config.redisUrl, {
        keyPrefix: `${config.redisPrefix}events:`,
        batchWaitMs: config.eventBatchWaitMs,
        ...(logger ? { logger } : {}),
      })
    : new InProcessTransport();
}

/** What a subgraph does with one event of a topic, in the consumer's transaction. */
export type TopicHandler<T extends EventContractTopic> = (
  payload: PayloadOf<T>,
  event: DomainEvent,
  manager: EntityManager,
) => Promise<unknown>;

/** What a subgraph does with a batch of events of a topic (one commit for many: logons, logoffs). */
export interface TopicBatchHandler<T extends EventContractTopic> {
  batch: (
    items: Array<{ payload: PayloadOf<T>; event: DomainEvent }>,
    manager: EntityManager,
  ) => Promise<void>;
}

/**
 * A subgraph's consumers as one table, topic → handler (each subgraph's `src/events.ts`): what a
 * subgraph hears, and where it goes, read in one place.
 */
export type EventHandlers = {
  [T in EventContractTopic]?: TopicHandler<T> | TopicBatchHandler<T>;
};

/** A subgraph's view of the bus: its outbox relay and its idempotent consumers. */
export class EventBus {
  readonly relay: OutboxRelay;
  private readonly subscriptions: EventSubscription[] = [];

  constructor(
    private readonly options: {
      service: string;
      dataSource: DataSource;
      transport: EventTransport;
      clock: Clock;
      pollMs: number;
      /** Published events and inbox records older than this are pruned (unset: kept). */
      retentionMs?: number;
      logger?: Logger;
      /** Counts events consumed and failed per topic. */
      metrics?: ServiceMetrics;
    },
  ) {
    this.relay = new OutboxRelay({
      dataSource: options.dataSource,
      transport: options.transport,
      source: options.service,
      clock: options.clock,
      pollMs: options.pollMs,
      ...(options.retentionMs === undefined ? {} : { retentionMs: options.retentionMs }),
      ...(options.logger ? { logger: options.logger } : {}),
    });
  }

  private pruner: BackgroundTask<number> | undefined;

  private stopListening: (() => void) | undefined;

  start(): void {
    this.relay.start();
    // Every commit that wrote events kicks the relay (see recordEvent).
    this.stopListening ??= onEventsCommitted(this.options.dataSource, () => this.relay.kick());
    const { retentionMs, logger } = this.options;
    if (retentionMs === undefined) return;
    // A tenth of the retention, at most every ten minutes: the tables stay near their retention.
    // A poll that finds a prune still running leaves it to finish.
    this.pruner ??= new BackgroundTask({
      run: () => this.prune(),
      pollMs: Math.min(retentionMs / 10, 600_000),
      whileRunning: 'skip',
      ...(logger ? { logger } : {}),
      failureMessage: 'event pruning failed',
    });
    this.pruner.start();
  }

  /** Prunes published events and inbox records past the retention now; returns how many rows went. */
  async prune(): Promise<number> {
    const { retentionMs, dataSource, clock } = this.options;
    if (retentionMs === undefined) return 0;
    const pruned = await pruneEvents(dataSource, clock.now().getTime() - retentionMs);
    if (pruned > 0) this.options.logger?.info({ rows: pruned }, 'pruned old events');
    return pruned;
  }

  /** Applies each event of `topic` once, in a transaction with the inbox record. */
  async consume(
    topic: string,
    apply: (event: DomainEvent, manager: EntityManager) => Promise<void>,
  ): Promise<void> {
    const consumer = `${this.options.service}:${topic}`;
    const handler = idempotentConsumer(this.options.dataSource, consumer, this.options.clock, apply);
    const { service, metrics } = this.options;
    const subscription = await this.options.transport.subscribe(topic, service, async (event) => {
      try {
        // The consumer's span continues the trace of the request that wrote the event.
        await inSpan(
          service,
          `consume ${topic}`,
          {
            kind: SpanKind.CONSUMER,
            parent: contextFrom(event.traceparent ? { [TRACEPARENT]: event.traceparent } : undefined),
            attributes: { 'messaging.destination.name': topic, 'messaging.message.id': event.id },
          },
          () => handler(event),
        );
        metrics?.eventConsumed(topic);
      } catch (error) {
        metrics?.eventFailed(topic);
        throw error;
      }
    });
    this.subscriptions.push(subscription);
  }

  /** Subscribes every handler of a subgraph's table (see EventHandlers). */
  async consumeAll(handlers: EventHandlers): Promise<void> {
    for (const topic of Object.keys(handlers) as EventContractTopic[]) {
      const handler = handlers[topic] as TopicHandler<typeof topic> | TopicBatchHandler<typeof topic>;
      if (typeof handler === 'function')
        await this.consumeTyped(topic, async (payload, event, manager) => {
          await handler(payload, event, manager);
        });
      else await this.consumeTypedBatch(topic, handler.batch);
    }
  }

  /**
   * Like consume, with the payload parsed against its contract. A malformed event is logged and
   * recorded as processed (it can never succeed), so it neither blocks the stream nor applies.
   */
  async consumeTyped<T extends EventContractTopic>(
    topic: T,
    apply: (payload: PayloadOf<T>, event: DomainEvent, manager: EntityManager) => Promise<void>,
  ): Promise<void> {
    await this.consume(topic, async (event, manager) => {
      const parsed = parsePayload(topic, event.payload);
      if (!parsed.ok) {
        this.options.logger?.error(
          { eventId: event.id, topic, reason: parsed.reason },
          'malformed event ignored',
        );
        return;
      }
      await apply(parsed.value, event, manager);
    });
  }

  /**
   * Like consumeTyped, for events that are cheaper applied together (billing's logons and
   * logoffs): the waiting events of the topic come in batches, each applied once, in one
   * transaction with their inbox rows. Malformed events are logged and recorded as processed.
   */
  async consumeTypedBatch<T extends EventContractTopic>(
    topic: T,
    apply: (
      items: Array<{ payload: PayloadOf<T>; event: DomainEvent }>,
      manager: EntityManager,
    ) => Promise<void>,
  ): Promise<void> {
    const consumer = `${this.options.service}:${topic}`;
    const handler = idempotentBatchConsumer(
      this.options.dataSource,
      consumer,
      this.options.clock,
      async (events, manager) => {
        const items: Array<{ payload: PayloadOf<T>; event: DomainEvent }> = [];
        for (const event of events) {
          const parsed = parsePayload(topic, event.payload);
          if (parsed.ok) items.push({ payload: parsed.value, event });
          else {
            this.options.logger?.error(
              { eventId: event.id, topic, reason: parsed.reason },
              'malformed event ignored',
            );
          }
        }
        if (items.length > 0) await apply(items, manager);
      },
    );
    const { service, metrics } = this.options;
    const subscription = await this.options.transport.subscribeBatch(topic, service, async (events) => {
      try {
        // A batch applies events of many requests: its span links to each one's trace.
        const links = tracingEnabled()
          ? events.flatMap((e) => linkTo(e.traceparent) ?? []).slice(0, MAX_LINKS)
          : [];
        await inSpan(
          service,
          `consume ${topic}`,
          {
            kind: SpanKind.CONSUMER,
            links,
            attributes: {
              'messaging.destination.name': topic,
              'messaging.batch.message_count': events.length,
            },
          },
          () => handler(events),
        );
        metrics?.eventConsumed(topic, events.length);
      } catch (error) {
        metrics?.eventFailed(topic);
        throw error;
      }
    });
    this.subscriptions.push(subscription);
  }

  /**
   * Stops pruning, consuming and relaying. With `flushWithinMs`, the relay then publishes what is
   * committed and still pending, for at most that long (the transport may be down: what is left
   * stays in the outbox for the next relay); resolves with how many it published (undefined: none
   * attempted or the bound ran out).
   */
  async stop(options: { flushWithinMs?: number } = {}): Promise<number | undefined> {
    this.stopListening?.();
    this.stopListening = undefined;
    await this.pruner?.stop();
    // Consumers first: their handlers may record events the flush then publishes.
    await Promise.all(this.subscriptions.map((s) => s.close()));
    await this.relay.stop();
    const { flushWithinMs } = options;
    if (!flushWithinMs || flushWithinMs <= 0) return undefined;
    let timer: NodeJS.Timeout | undefined;
    const flushed = this.relay.runOnce().catch((error: unknown) => {
      this.options.logger?.warn({ err: error }, 'outbox flush failed: pending events stay in the outbox');
      return undefined;
    });
    try {
      return await Promise.race([
        flushed,
        new Promise<undefined>((resolve) => {
          timer = setTimeout(() => resolve(undefined), flushWithinMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }
}
