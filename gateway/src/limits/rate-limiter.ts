import { type Redis } from 'ioredis';

interface Waiter {
  resolve: (count: WindowCount) => void;
  reject: (error: unknown) => void;
}

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
 * Distributed mode: INCRBY, then PEXPIRE … NX (only the first hit of a window sets its end) and
 * PTTL; a peek is GET and PTTL. Every gateway replica counts into the same keys. Hits and peeks
 * arriving in the same turn of the event loop go to Redis together: one INCRBY per key hit, one
 * GET per key peeked and one round trip for all of them (a busy gateway counts every request of a
 * CIC server's credential and of its address, and peeks at that address's failed sign-ins), and
 * each hit is told the count it brought the window to, as if it had been sent alone. Every hit is
 * counted before it is answered.
 */
export class RedisCounterStore implements CounterStore {
  private pending = new Map<string, { hits: number; windowMs: number; waiters: Array<Waiter> }>();
  private peeks = new Map<string, Array<Waiter>>();
  private scheduled = false;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  hit(key: string, windowMs: number): Promise<WindowCount> {
    return new Promise<WindowCount>((resolve, reject) => {
      let entry = this.pending.get(key);
      if (!entry) {
        entry = { hits: 0, windowMs, waiters: [] };
        this.pending.set(key, entry);
      }
      entry.hits += 1;
      entry.waiters.push({ resolve, reject });
      this.schedule();
    });
  }

  peek(key: string): Promise<WindowCount> {
    return new Promise<WindowCount>((resolve, reject) => {
      let waiters = this.peeks.get(key);
      if (!waiters) {
        waiters = [];
        this.peeks.set(key, waiters);
      }
      waiters.push({ resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    const peeks = this.peeks;
    this.pending = new Map();
    this.peeks = new Map();
    this.scheduled = false;
    const keys = [...batch.keys()];
    const peeked = [...peeks.keys()];
    const pipeline = this.redis.pipeline();
    for (const key of keys) {
      const full = `${this.prefix}${key}`;
      const entry = batch.get(key)!;
      pipeline.incrby(full, entry.hits).pexpire(full, entry.windowMs, 'NX').pttl(full);
    }
    for (const key of peeked) {
      const full = `${this.prefix}${key}`;
      pipeline.get(full).pttl(full);
    }
    try {
      const replies = (await pipeline.exec()) ?? [];
      keys.forEach((key, index) => {
        const entry = batch.get(key)!;
        const [incr, , ttl] = replies.slice(index * 3, index * 3 + 3);
        const error = incr?.[0] ?? ttl?.[0];
        if (error) {
          for (const waiter of entry.waiters) waiter.reject(error);
          return;
        }
        const total = Number(incr?.[1] ?? entry.hits);
        const left = Number(ttl?.[1] ?? entry.windowMs);
        const resetMs = left > 0 ? left : entry.windowMs;
        // The i-th hit of the batch brought the window to total − hits + i + 1.
        entry.waiters.forEach((waiter, i) => waiter.resolve({ count: total - entry.hits + i + 1, resetMs }));
      });
      const offset = keys.length * 3;
      peeked.forEach((key, index) => {
        const waiters = peeks.get(key)!;
        const [get, ttl] = replies.slice(offset + index * 2, offset + index * 2 + 2);
        const error = get?.[0] ?? ttl?.[0];
        if (error) {
          for (const waiter of waiters) waiter.reject(error);
          return;
        }
        const count = Number(get?.[1] ?? 0);
        const left = Number(ttl?.[1] ?? 0);
        // A key that expired between the two reads (or never existed) is an empty window.
        const window = left > 0 ? { count, resetMs: left } : { count: 0, resetMs: 0 };
        for (const waiter of waiters) waiter.resolve(window);
      });
    } catch (error) {
      for (const entry of batch.values()) for (const waiter of entry.waiters) waiter.reject(error);
      for (const waiters of peeks.values()) for (const waiter of waiters) waiter.reject(error);
    }
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
