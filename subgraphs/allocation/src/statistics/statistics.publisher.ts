import { randomUUID } from 'node:crypto';
import { type LivePubSub, type Logger } from '@lic/shared';
import { serverFromSnapshot } from '../server/server.entity.js';
import { type LicenseStatistic, type LicenseStatisticsUpdate } from './statistic.type.js';

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
 */
export class StatisticsPublisher {
  private readonly windows = new Map<string, Window>();
  private closed = false;

  constructor(
    private readonly pubSub: LivePubSub,
    private readonly read: StatisticsReader,
    private readonly logger: Logger,
    private readonly windowMs = 50,
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
      const message = await this.read(serverId);
      if (message && !this.closed) this.pubSub.publish(STATISTICS_TOPIC, serverId, message);
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

/**
 * One subscriber's stream of a server's statistics. It first proves that its PubSub
 * subscription is live (a ping it published comes back: with Redis, SUBSCRIBE completes
 * asynchronously), then yields the current state, then every newer state. Messages older than
 * what was already yielded (two replicas publishing in the other order) are dropped, by version.
 */
export function statisticsStream(
  pubSub: LivePubSub,
  publisher: StatisticsPublisher,
  serverId: string,
  snapshot: () => Promise<Extract<StatisticsMessage, { kind: 'statistics' }> | null>,
): AsyncIterableIterator<LicenseStatisticsUpdate> {
  const messages: AsyncIterable<StatisticsMessage> = pubSub.subscribe(STATISTICS_TOPIC, serverId);
  const source = messages[Symbol.asyncIterator]();
  const nonce = randomUUID();
  let lastVersion = -1;
  let started: Promise<LicenseStatisticsUpdate | null> | undefined;
  let pending: Promise<IteratorResult<StatisticsMessage>> | undefined;
  let done = false;

  const pull = (): Promise<IteratorResult<StatisticsMessage>> => {
    pending ??= source.next().finally(() => {
      pending = undefined;
    });
    return pending;
  };

  const handshake = async (): Promise<LicenseStatisticsUpdate | null> => {
    const deadline = Date.now() + HANDSHAKE_TIMEOUT_MS;
    let confirmed = false;
    while (!confirmed && !done && Date.now() < deadline) {
      const incoming = pull();
      publisher.ping(serverId, nonce);
      const outcome = await Promise.race([
        incoming,
        new Promise<'retry'>((r) => setTimeout(() => r('retry'), HANDSHAKE_RETRY_MS)),
      ]);
      if (outcome === 'retry') continue;
      if (outcome.done) return null;
      if (outcome.value.kind === 'ping' && outcome.value.nonce === nonce) confirmed = true;
    }
    const current = await snapshot();
    if (!current) return null;
    lastVersion = current.version;
    return toUpdate(current);
  };

  const iterator: AsyncIterableIterator<LicenseStatisticsUpdate> = {
    [Symbol.asyncIterator]: () => iterator,
    next: async () => {
      if (!started) {
        started = handshake();
        const first = await started;
        if (first) return { value: first, done: false };
      }
      while (!done) {
        const result = await pull();
        if (result.done) break;
        const message = result.value;
        if (message.kind !== 'statistics' || message.version <= lastVersion) continue;
        lastVersion = message.version;
        return { value: toUpdate(message), done: false };
      }
      return { value: undefined, done: true };
    },
    return: async () => {
      done = true;
      await source.return?.();
      return { value: undefined, done: true };
    },
  };
  return iterator;
}
