import { type Redis } from 'ioredis';

/** One counter after a hit: how many hits its window holds, and when the window ends. */
export interface WindowCount {
  count: number;
  resetMs: number;
}

/**
 * Fixed-window counters. A window starts at its key's first hit and lasts `windowMs`; every
 * replica that shares the store shares the counter.
 */
export interface CounterStore {
  hit(key: string, windowMs: number): Promise<WindowCount>;
  peek(key: string): Promise<WindowCount>;
  close(): Promise<void>;
}

/** Embedded mode: one process, one map. Expired windows are swept as the map grows. */
export class MemoryCounterStore implements CounterStore {
  private readonly windows = new Map<string, { count: number; endsAt: number }>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly sweepAt = 10_000,
  ) {}

  async hit(key: string, windowMs: number): Promise<WindowCount> {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || window.endsAt <= now) {
      if (this.windows.size >= this.sweepAt) this.sweep(now);
      window = { count: 0, endsAt: now + windowMs };
      this.windows.set(key, window);
    }
    window.count += 1;
    return { count: window.count, resetMs: window.endsAt - now };
  }

  async peek(key: string): Promise<WindowCount> {
    const now = this.now();
    const window = this.windows.get(key);
    if (!window || window.endsAt <= now) return { count: 0, resetMs: 0 };
    return { count: window.count, resetMs: window.endsAt - now };
  }

  async close(): Promise<void> {
    this.windows.clear();
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
  }
}

/**
 * Distributed mode: INCR, then PEXPIRE … NX (only the first hit of a window sets its end) and
 * PTTL, in one round trip. Every gateway replica counts into the same keys.
 */
export class RedisCounterStore implements CounterStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async hit(key: string, windowMs: number): Promise<WindowCount> {
    const full = `${this.prefix}${key}`;
    const replies = await this.redis.multi().incr(full).pexpire(full, windowMs, 'NX').pttl(full).exec();
    const count = Number(replies?.[0]?.[1] ?? 0);
    const ttl = Number(replies?.[2]?.[1] ?? windowMs);
    return { count, resetMs: ttl > 0 ? ttl : windowMs };
  }

  async peek(key: string): Promise<WindowCount> {
    const full = `${this.prefix}${key}`;
    const replies = await this.redis.multi().get(full).pttl(full).exec();
    const count = Number(replies?.[0]?.[1] ?? 0);
    const ttl = Number(replies?.[1]?.[1] ?? 0);
    return ttl > 0 ? { count, resetMs: ttl } : { count: 0, resetMs: 0 };
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
