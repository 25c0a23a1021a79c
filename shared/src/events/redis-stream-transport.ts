import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { type Logger } from '../logging/logger.js';
import {
  type BatchEventHandler,
  isDomainEvent,
  type DomainEvent,
  type EventHandler,
  type EventSubscription,
  type EventTransport,
} from './types.js';

type StreamEntry = [id: string, fields: string[]];

const BLOCK_MS = 1000;
/** The most entries one read takes. */
const READ_COUNT = 100;
/** How soon, and at most how far apart, a consumer retries entries its handler failed. */
const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 5000;
const MAX_LEN = 1_000_000;

export interface RedisStreamOptions {
  logger?: Logger;
  keyPrefix?: string;
  /** How long an entry stays pending (a crashed or failing consumer) before it is redelivered. */
  claimIdleMs?: number;
  /**
   * A batch subscriber's wait after a read that found fewer than a full batch, before it reads
   * again (0: at once). Under a steady stream the events that arrive meanwhile come as one batch,
   * one transaction for the consumer instead of one for every few events; an event waits at most
   * this long more. A full read is followed by the next at once.
   */
  batchWaitMs?: number;
}

/**
 * Distributed mode's bus: one Redis Stream per topic, one consumer group per consuming
 * subgraph. An entry is acknowledged only after its handler committed; entries left pending by
 * a crashed replica are claimed by another after `claimIdleMs`.
 */
export class RedisStreamTransport implements EventTransport {
  readonly kind = 'redis-streams' as const;
  private readonly publisher: Redis;
  private readonly readers = new Set<Redis>();
  private closed = false;

  private readonly logger: Logger | undefined;
  private readonly keyPrefix: string;
  private readonly claimIdleMs: number;
  private readonly batchWaitMs: number;

  constructor(
    private readonly url: string,
    options: RedisStreamOptions = {},
  ) {
    this.logger = options.logger;
    this.keyPrefix = options.keyPrefix ?? 'lic:events:';
    this.claimIdleMs = options.claimIdleMs ?? 30_000;
    this.batchWaitMs = options.batchWaitMs ?? 0;
    this.publisher = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 3 });
  }

  streamKey(topic: string): string {
    return `${this.keyPrefix}${topic}`;
  }

  /** The key holding the generation of `source`'s streams; it vanishes with them when Redis loses its data. */
  generationKey(source: string): string {
    return `${this.keyPrefix}generation:${source}`;
  }

  async readGeneration(source: string): Promise<string | null> {
    return this.publisher.get(this.generationKey(source));
  }

  async markGeneration(source: string): Promise<string> {
    const key = this.generationKey(source);
    const results = (await this.publisher.pipeline().set(key, randomUUID(), 'NX').get(key).exec()) ?? [];
    const failed = results.find(([error]) => error);
    if (failed) throw failed[0];
    return String(results[1]?.[1]);
  }

  async publish(event: DomainEvent): Promise<void> {
    await this.publisher.xadd(
      this.streamKey(event.topic),
      'MAXLEN',
      '~',
      MAX_LEN,
      '*',
      'event',
      JSON.stringify(event),
    );
  }

  /** One pipeline for the whole batch: one round trip, in order. */
  async publishAll(events: readonly DomainEvent[]): Promise<void> {
    if (events.length === 0) return;
    const pipeline = this.publisher.pipeline();
    for (const event of events) {
      pipeline.xadd(this.streamKey(event.topic), 'MAXLEN', '~', MAX_LEN, '*', 'event', JSON.stringify(event));
    }
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([error]) => error);
    if (failed) throw failed[0];
  }

  subscribe(topic: string, group: string, handler: EventHandler): Promise<EventSubscription> {
    return this.read(topic, group, 0, async (key, reader, entries, stopped) => {
      for (const { id, event } of entries) {
        if (stopped()) return true;
        try {
          await handler(event);
          await reader.xack(key, group, id);
        } catch (error) {
          this.logger?.warn({ err: error, topic, id }, 'event handler failed; will be retried');
          return false;
        }
      }
      return true;
    });
  }

  subscribeBatch(topic: string, group: string, handler: BatchEventHandler): Promise<EventSubscription> {
    return this.read(topic, group, this.batchWaitMs, async (key, reader, entries, stopped) => {
      if (entries.length === 0 || stopped()) return true;
      if (entries.length > 1) {
        try {
          await handler(entries.map((e) => e.event));
          await reader.xack(key, group, ...entries.map((e) => e.id));
          return true;
        } catch (error) {
          this.logger?.warn(
            { err: error, topic, events: entries.length },
            'event batch failed; one at a time',
          );
        }
      }
      // One at a time: those before a failing event are applied; it and the rest wait for a retry.
      for (const { id, event } of entries) {
        if (stopped()) return true;
        try {
          await handler([event]);
          await reader.xack(key, group, id);
        } catch (error) {
          this.logger?.warn({ err: error, topic, id }, 'event handler failed; will be retried');
          return false;
        }
      }
      return true;
    });
  }

  /** The consumer-group read loop shared by subscribe and subscribeBatch. */
  private async read(
    topic: string,
    group: string,
    /** How long to let entries gather after a read that was not full (batch subscribers). */
    waitMs: number,
    apply: (
      key: string,
      reader: Redis,
      entries: Array<{ id: string; event: DomainEvent }>,
      stopped: () => boolean,
    ) => Promise<boolean>,
  ): Promise<EventSubscription> {
    const key = this.streamKey(topic);
    // From the start of the stream: a group created late (or again, after Redis lost its data)
    // reads every entry still there.
    const createGroup = async (redis: Redis): Promise<void> => {
      try {
        await redis.xgroup('CREATE', key, group, '0', 'MKSTREAM');
      } catch (error) {
        if (!String(error).includes('BUSYGROUP')) throw error;
      }
    };
    await createGroup(this.publisher);
    const reader = new Redis(this.url, { maxRetriesPerRequest: null });
    this.readers.add(reader);
    const consumer = `${group}:${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    let stopped = false;

    /** False when an entry failed and waits, unacknowledged, in this consumer's pending list. */
    const handle = async (entries: StreamEntry[]): Promise<boolean> => {
      const events: Array<{ id: string; event: DomainEvent }> = [];
      for (const [id, fields] of entries) {
        const raw = fields[fields.indexOf('event') + 1];
        let event: unknown;
        try {
          event = raw === undefined ? undefined : JSON.parse(raw);
        } catch {
          event = undefined;
        }
        if (isDomainEvent(event)) {
          events.push({ id, event });
          continue;
        }
        // A malformed entry can never succeed: acknowledge it so it does not block the group.
        this.logger?.error({ topic, id }, 'malformed event dropped');
        await reader.xack(key, group, id);
      }
      return apply(key, reader, events, () => stopped);
    };

    const loop = async (): Promise<void> => {
      // First whatever this consumer name left pending (none for a fresh name), then new entries;
      // entries a crashed replica left pending are claimed once idle.
      let claimCursor = '0-0';
      let lastClaim = 0;
      // After a failed handler (its database down, say) this consumer retries its own pending
      // entries, backing off from RETRY_MIN_MS to RETRY_MAX_MS, instead of leaving them until
      // they are idle long enough to be claimed (claimIdleMs): an event waits for the
      // dependency's return, not for half a minute after it.
      let retryMs = 0;
      /** When the next read of new entries may start (after a partial batch: its wait). */
      let nextReadAt = 0;
      while (!stopped && !this.closed) {
        try {
          if (retryMs > 0) {
            await new Promise((r) => setTimeout(r, retryMs));
            if (stopped || this.closed) return;
            const own = (await reader.xreadgroup(
              'GROUP',
              group,
              consumer,
              'COUNT',
              READ_COUNT,
              'STREAMS',
              key,
              '0',
            )) as Array<[string, StreamEntry[]]> | null;
            const pending = own?.flatMap(([, entries]) => entries) ?? [];
            if (pending.length === 0 || (await handle(pending))) retryMs = 0;
            else retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
            continue;
          }
          if (Date.now() - lastClaim > this.claimIdleMs / 3) {
            lastClaim = Date.now();
            const claimed = (await reader.xautoclaim(
              key,
              group,
              consumer,
              this.claimIdleMs,
              claimCursor,
              'COUNT',
              READ_COUNT,
            )) as [string, StreamEntry[]];
            claimCursor = claimed[0];
            if (claimed[1].length > 0 && !(await handle(claimed[1]))) {
              retryMs = RETRY_MIN_MS;
              continue;
            }
          }
          const waiting = nextReadAt - Date.now();
          if (waiting > 0) {
            await new Promise((r) => setTimeout(r, waiting));
            if (stopped || this.closed) return;
          }
          const readAt = Date.now();
          const result = (await reader.xreadgroup(
            'GROUP',
            group,
            consumer,
            'COUNT',
            READ_COUNT,
            'BLOCK',
            BLOCK_MS,
            'STREAMS',
            key,
            '>',
          )) as Array<[string, StreamEntry[]]> | null;
          const read = result?.reduce((n, [, entries]) => n + entries.length, 0) ?? 0;
          // An empty read has waited already (BLOCK); a full one means more are queued.
          nextReadAt = read > 0 && read < READ_COUNT ? readAt + waitMs : 0;
          if (result) for (const [, entries] of result) if (!(await handle(entries))) retryMs = RETRY_MIN_MS;
        } catch (error) {
          if (stopped || this.closed) return;
          if (String(error).includes('NOGROUP')) {
            // Redis restarted without its data (or the stream was deleted): the group went with
            // the stream. Recreate both and go on; the producers replay what may have been lost.
            this.logger?.warn({ topic, group }, 'consumer group gone; recreating it');
            claimCursor = '0-0';
            try {
              await createGroup(reader);
              continue;
            } catch (createError) {
              this.logger?.warn({ err: createError, topic }, 'recreating the consumer group failed');
            }
          } else {
            this.logger?.warn({ err: error, topic }, 'stream read failed; retrying');
          }
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    };
    const running = loop();

    return {
      close: async () => {
        stopped = true;
        reader.disconnect();
        this.readers.delete(reader);
        await running;
      },
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const reader of this.readers) reader.disconnect();
    this.readers.clear();
    await this.publisher.quit().catch(() => undefined);
  }
}
