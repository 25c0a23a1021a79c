import { randomUUID } from 'node:crypto';
import { type LivePubSub, type Logger } from '@lic/shared';
import { serverFromSnapshot } from '../server/server.entity.js';
import { type LicenseStatistic, type LicenseStatisticsUpdate } from './statistic.types.js';

export const STATISTICS_TOPIC = 'allocation.licenseStatistics';

/** What travels on the PubSub (JSON through Redis in distributed mode). */
export type StatisticsMessage =
  | {
      kind: 'statistics';
      serverId: string;
      version: number;
      at: string;
      server: Record<string, unknown>;
      statistics: Array<Omit<LicenseStatistic, 'peakAt'> & { peakAt: string | null }>;
    }
  | { kind: 'ping'; nonce: string };

export type StatisticsReader = (
  serverId: string,
) => Promise<Extract<StatisticsMessage, { kind: 'statistics' }> | null>;

/** The messages after a change: one per server sharing the changed server's pools (a switchover pair). */
export type UnitStatisticsReader = (
  serverId: string,
) => Promise<Array<Extract<StatisticsMessage, { kind: 'statistics' }>>>;

interface Window {
  timer: NodeJS.Timeout;
  dirty: boolean;
  running: Promise<void> | undefined;
}

/**
 * Publishes a server's statistics after changes, coalesced: the first change is published at
 * once, further changes within the window produce one more publish at its end, so a burst of
 * logons costs a few messages and the last message always carries the latest committed state
 * (each publish reads the database after the changes it follows have committed).
 *
 * Not a BackgroundTask (shared/src/lifecycle): this is a throttle per server, not a loop. A
 * window exists only from a server's first change until one passes without a change; it is
 * anchored at the start of a publish (a change soon after a publish that already ended still
 * waits for the window's end, and the next publish may be due while the previous one still runs,
 * queued behind it), and it has no poll, start or stop of its own. It runs on the logon path.
 */
export class StatisticsPublisher {
  private readonly windows = new Map<string, Window>();
  private closed = false;

  constructor(
    private readonly pubSub: LivePubSub,
    private readonly read: UnitStatisticsReader,
    private readonly logger: Logger,
    private readonly windowMs = 50,
    /** Sees every read it publishes (usage history folds them: no statement of its own per change). */
    private readonly observe?: (messages: Array<Extract<StatisticsMessage, { kind: 'statistics' }>>) => void,
  ) {}

  changed(serverId: string): void {
    if (this.closed) return;
    const window = this.windows.get(serverId);
    if (window) {
      window.dirty = true;
      return;
    }
    const fresh: Window = {
      timer: setTimeout(() => this.windowEnded(serverId), this.windowMs),
      dirty: false,
      running: undefined,
    };
    this.windows.set(serverId, fresh);
    fresh.running = this.publish(serverId);
  }

  private windowEnded(serverId: string): void {
    const window = this.windows.get(serverId);
    if (!window) return;
    if (!window.dirty || this.closed) {
      this.windows.delete(serverId);
      return;
    }
    window.dirty = false;
    const previous = window.running ?? Promise.resolve();
    window.running = previous.then(() => this.publish(serverId));
    window.timer = setTimeout(() => this.windowEnded(serverId), this.windowMs);
  }

  private async publish(serverId: string): Promise<void> {
    try {
      const messages = await this.read(serverId);
      this.observe?.(messages);
      for (const message of messages) {
        if (!this.closed) this.pubSub.publish(STATISTICS_TOPIC, message.serverId, message);
      }
    } catch (error) {
      this.logger.warn({ err: error, serverId }, 'licence statistics publish failed');
    }
  }

  /** Resolves once no publish is pending or due (tests count statements only after that). */
  async settled(): Promise<void> {
    while (this.windows.size > 0) {
      await Promise.all([...this.windows.values()].map((w) => w.running));
      await new Promise((r) => setTimeout(r, this.windowMs));
    }
  }

  /** Asks every subscriber's stream of a server to confirm that it receives (see statisticsStream). */
  ping(serverId: string, nonce: string): void {
    this.pubSub.publish(STATISTICS_TOPIC, serverId, { kind: 'ping', nonce } satisfies StatisticsMessage);
  }

  async close(): Promise<void> {
    this.closed = true;
    const running = [...this.windows.values()].map((w) => {
      clearTimeout(w.timer);
      return w.running;
    });
    this.windows.clear();
    await Promise.all(running);
  }
}

export function toUpdate(
  message: Extract<StatisticsMessage, { kind: 'statistics' }>,
): LicenseStatisticsUpdate {
  return {
    server: serverFromSnapshot(message.server),
    statistics: message.statistics.map((s) => ({
      ...s,
      peakAt: s.peakAt === null ? null : new Date(s.peakAt),
    })),
    at: new Date(message.at),
    version: message.version,
  };
}

const HANDSHAKE_RETRY_MS = 50;
const HANDSHAKE_TIMEOUT_MS = 2000;

type StatisticsState = Extract<StatisticsMessage, { kind: 'statistics' }>;

/** One subscriber of a channel: only the newest state is kept, so a slow reader costs one message. */
interface Listener {
  /** Registration order within the channel (see Channel.snapshot). */
  seq: number;
  latest: StatisticsState | undefined;
  wake: (() => void) | undefined;
  closed: boolean;
}

/** All subscribers of one server in this process, sharing one PubSub subscription. */
interface Channel {
  listeners: Set<Listener>;
  registered: number;
  /** Resolves once the shared PubSub subscription receives (with Redis, SUBSCRIBE is asynchronous). */
  ready: Promise<void>;
  source: AsyncIterator<StatisticsMessage>;
  /** A snapshot read in flight, and the registrations it covers (those made before it started). */
  snapshot: { covers: number; state: Promise<StatisticsState | null> } | undefined;
}

/**
 * The live statistics of this process's subscribers. Each server has one PubSub subscription
 * however many subscribers it has here: proving it live (a ping published and received back) is
 * done once, not once per subscriber (which, through Redis, would cost every subscriber a message
 * per newcomer); messages are handed to every subscriber from it; the current state a newcomer
 * starts with is read once for all newcomers waiting at the same time.
 */
export class StatisticsFeed {
  private readonly channels = new Map<string, Channel>();

  constructor(
    private readonly pubSub: LivePubSub,
    private readonly publisher: StatisticsPublisher,
    private readonly snapshot: StatisticsReader,
    private readonly logger: Logger,
  ) {}

  /** Open subscriptions per server (metrics and tests). */
  listenerCount(serverId: string): number {
    return this.channels.get(serverId)?.listeners.size ?? 0;
  }

  /** A subscriber's stream: the current state first, then every newer state (older ones dropped, by version). */
  stream(serverId: string): AsyncIterableIterator<LicenseStatisticsUpdate> {
    const channel = this.channel(serverId);
    const listener: Listener = {
      seq: ++channel.registered,
      latest: undefined,
      wake: undefined,
      closed: false,
    };
    channel.listeners.add(listener);
    let lastVersion = -1;
    let started = false;

    const close = () => {
      if (listener.closed) return;
      listener.closed = true;
      listener.wake?.();
      channel.listeners.delete(listener);
      if (channel.listeners.size === 0 && this.channels.get(serverId) === channel) {
        this.channels.delete(serverId);
        void channel.source.return?.();
      }
    };

    const iterator: AsyncIterableIterator<LicenseStatisticsUpdate> = {
      [Symbol.asyncIterator]: () => iterator,
      next: async () => {
        if (!started) {
          started = true;
          await channel.ready;
          const current = listener.closed ? null : await this.currentState(channel, serverId, listener.seq);
          if (!current) {
            close();
            return { value: undefined, done: true };
          }
          lastVersion = current.version;
          return { value: toUpdate(current), done: false };
        }
        while (!listener.closed) {
          const latest = listener.latest;
          listener.latest = undefined;
          if (latest && latest.version > lastVersion) {
            lastVersion = latest.version;
            return { value: toUpdate(latest), done: false };
          }
          await new Promise<void>((resolve) => (listener.wake = resolve));
          listener.wake = undefined;
        }
        return { value: undefined, done: true };
      },
      return: async () => {
        close();
        return { value: undefined, done: true };
      },
    };
    return iterator;
  }

  private channel(serverId: string): Channel {
    const existing = this.channels.get(serverId);
    if (existing) return existing;
    const messages: AsyncIterable<StatisticsMessage> = this.pubSub.subscribe(STATISTICS_TOPIC, serverId);
    const source = messages[Symbol.asyncIterator]();
    let confirm!: () => void;
    const channel: Channel = {
      listeners: new Set(),
      registered: 0,
      ready: new Promise<void>((resolve) => (confirm = resolve)),
      source,
      snapshot: undefined,
    };
    this.channels.set(serverId, channel);
    const nonce = randomUUID();
    let confirmed = false;
    const deadline = Date.now() + HANDSHAKE_TIMEOUT_MS;
    const ping = () => {
      if (confirmed || this.channels.get(serverId) !== channel) return;
      if (Date.now() >= deadline) {
        // Not confirmed in time (a PubSub that does not echo): start anyway, as before the handshake.
        confirmed = true;
        confirm();
        return;
      }
      this.publisher.ping(serverId, nonce);
      setTimeout(ping, HANDSHAKE_RETRY_MS).unref();
    };
    void (async () => {
      try {
        for (;;) {
          const result = await source.next();
          if (result.done) break;
          const message = result.value;
          if (message.kind === 'ping') {
            if (message.nonce === nonce && !confirmed) {
              confirmed = true;
              confirm();
            }
            continue;
          }
          for (const listener of channel.listeners) {
            if (listener.latest && listener.latest.version >= message.version) continue;
            listener.latest = message;
            listener.wake?.();
          }
        }
      } catch (error) {
        this.logger.warn({ err: error, serverId }, 'licence statistics feed failed');
      } finally {
        confirmed = true;
        confirm();
        if (this.channels.get(serverId) === channel) this.channels.delete(serverId);
        for (const listener of channel.listeners) {
          listener.closed = true;
          listener.wake?.();
        }
      }
    })();
    ping();
    return channel;
  }

  /**
   * The state a newcomer starts from: read after it registered (so that no change between the
   * read and its first message is lost), shared with every newcomer registered before the read began.
   */
  private currentState(channel: Channel, serverId: string, seq: number): Promise<StatisticsState | null> {
    const inFlight = channel.snapshot;
    if (inFlight && inFlight.covers >= seq) return inFlight.state;
    const state = this.snapshot(serverId);
    const entry = { covers: channel.registered, state };
    channel.snapshot = entry;
    const clear = () => {
      if (channel.snapshot === entry) channel.snapshot = undefined;
    };
    state.then(clear, clear);
    return state;
  }
}
