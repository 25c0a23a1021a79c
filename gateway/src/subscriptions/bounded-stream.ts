/**
 * One client subscription's outbox: an async iterator that graphql-ws drains at the pace of the
 * client's socket. Producers never wait: when the buffer holds `capacity` undelivered values, the
 * oldest is dropped (a subscriber that cannot keep up sees the latest state, never an unbounded
 * backlog, and never holds up other subscribers).
 */
export class BoundedStream<T> implements AsyncIterableIterator<T> {
  private readonly buffer: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | undefined;
  private ending = false;
  private closed = false;

  constructor(
    private readonly capacity: number,
    private readonly hooks: { onDrop?(): void; onClose?(): void } = {},
  ) {}

  get buffered(): number {
    return this.buffer.length;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  push(value: T): void {
    if (this.closed || this.ending) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value, done: false });
      return;
    }
    this.buffer.push(value);
    if (this.buffer.length > this.capacity) {
      this.buffer.shift();
      this.hooks.onDrop?.();
    }
  }

  /** Completes once what is buffered has been delivered. */
  end(): void {
    if (this.closed) return;
    this.ending = true;
    if (this.buffer.length === 0) this.close();
  }

  next(): Promise<IteratorResult<T>> {
    if (this.buffer.length > 0) {
      const value = this.buffer.shift() as T;
      if (this.ending && this.buffer.length === 0) this.close(false);
      return Promise.resolve({ value, done: false });
    }
    if (this.closed || this.ending) {
      this.close();
      return Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  /** The consumer went away (client completed or disconnected). */
  return(): Promise<IteratorResult<T>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(): Promise<IteratorResult<T>> {
    return this.return();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private close(releaseWaiter = true): void {
    if (this.closed) return;
    this.closed = true;
    this.buffer.length = 0;
    if (releaseWaiter && this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: undefined, done: true });
    }
    this.hooks.onClose?.();
  }
}
