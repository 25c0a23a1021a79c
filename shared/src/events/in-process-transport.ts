import {
  type BatchEventHandler,
  type DomainEvent,
  type EventHandler,
  type EventSubscription,
  type EventTransport,
} from './types.js';

/** A subscriber of a group: one event at a time, or whatever is waiting (up to BATCH_MAX) at once. */
interface Consumer {
  apply: BatchEventHandler;
  batch: boolean;
}

interface Group {
  cursor: number;
  handlers: Consumer[];
  /** After a failed batch, events before this position are applied one at a time. */
  singlesUntil: number;
  next: number;
  running: boolean;
  retryTimer: NodeJS.Timeout | undefined;
}

interface Stream {
  base: number;
  entries: DomainEvent[];
  groups: Map<string, Group>;
}

const RETRY_MS = 250;
/** The most events a batch subscriber is handed at once (as a Redis Streams read). */
const BATCH_MAX = 100;

/**
 * Embedded mode's bus, with the semantics of Redis Streams consumer groups: a group created
 * late still reads from the start of the stream, each group acknowledges in order, and a
 * failing handler is retried (the event stays until the group has applied it).
 */
export class InProcessTransport implements EventTransport {
  readonly kind = 'in-process' as const;
  private readonly streams = new Map<string, Stream>();
  private closed = false;
  private sealed = false;

  private stream(topic: string): Stream {
    let s = this.streams.get(topic);
    if (!s) {
      s = { base: 0, entries: [], groups: new Map() };
      this.streams.set(topic, s);
    }
    return s;
  }

  /**
   * Shutdown: from now on publishing fails, so the relays leave what is committed in their
   * outboxes (published at the next start) instead of handing it to a bus that dies with the
   * process; what the bus holds already is still applied (see `settled`).
   */
  seal(): void {
    this.sealed = true;
  }

  /**
   * Resolves once every group that has a consumer has applied every event it holds (true), or
   * after `timeoutMs` (false).
   */
  async settled(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const busy = [...this.streams.values()].some((s) =>
        [...s.groups.values()].some(
          (g) => g.handlers.length > 0 && (g.running || g.cursor < s.base + s.entries.length),
        ),
      );
      if (!busy) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async publish(event: DomainEvent): Promise<void> {
    if (this.sealed) throw new Error('The in-process bus is stopping: the event stays in the outbox');
    const s = this.stream(event.topic);
    s.entries.push(structuredClone(event));
    for (const group of s.groups.values()) this.drain(s, group);
  }

  async publishAll(events: readonly DomainEvent[]): Promise<void> {
    for (const event of events) await this.publish(event);
  }

  async subscribe(topic: string, groupName: string, handler: EventHandler): Promise<EventSubscription> {
    return this.join(topic, groupName, { apply: (events) => handler(events[0]!), batch: false });
  }

  /**
   * The events waiting for the group when the subscriber is free come together (up to
   * BATCH_MAX): under load each batch is one transaction for the consumer, not one per event.
   * A failing batch is applied again one event at a time: those before the failing event are
   * applied, it and the rest wait for a retry.
   */
  subscribeBatch(topic: string, groupName: string, handler: BatchEventHandler): Promise<EventSubscription> {
    return this.join(topic, groupName, { apply: handler, batch: true });
  }

  private async join(topic: string, groupName: string, consumer: Consumer): Promise<EventSubscription> {
    const s = this.stream(topic);
    let group = s.groups.get(groupName);
    if (!group) {
      group = {
        cursor: s.base,
        handlers: [],
        singlesUntil: 0,
        next: 0,
        running: false,
        retryTimer: undefined,
      };
      s.groups.set(groupName, group);
    }
    group.handlers.push(consumer);
    this.drain(s, group);
    const g = group;
    return {
      close: async () => {
        g.handlers = g.handlers.filter((h) => h !== consumer);
        if (g.retryTimer) clearTimeout(g.retryTimer);
      },
    };
  }

  private drain(s: Stream, group: Group): void {
    if (group.running || this.closed || group.handlers.length === 0) return;
    group.running = true;
    void (async () => {
      try {
        while (!this.closed && group.handlers.length > 0 && group.cursor < s.base + s.entries.length) {
          const consumer = group.handlers[group.next++ % group.handlers.length]!;
          const waiting = s.base + s.entries.length - group.cursor;
          const count =
            consumer.batch && group.cursor >= group.singlesUntil ? Math.min(waiting, BATCH_MAX) : 1;
          const from = group.cursor - s.base;
          const events = s.entries.slice(from, from + count).map((event) => structuredClone(event));
          try {
            await consumer.apply(events);
            group.cursor += count;
          } catch {
            if (count > 1) {
              group.singlesUntil = group.cursor + count;
              continue;
            }
            group.retryTimer = setTimeout(() => {
              group.retryTimer = undefined;
              this.drain(s, group);
            }, RETRY_MS);
            return;
          }
        }
        this.trim(s);
      } finally {
        group.running = false;
      }
    })();
  }

  private trim(s: Stream): void {
    if (s.groups.size === 0) return;
    const min = Math.min(...[...s.groups.values()].map((g) => g.cursor));
    const drop = min - s.base;
    if (drop > 1000) {
      s.entries.splice(0, drop);
      s.base = min;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const s of this.streams.values()) {
      for (const g of s.groups.values()) if (g.retryTimer) clearTimeout(g.retryTimer);
    }
  }
}
