import { type ExecutionResult, type GraphQLError } from 'graphql';
import { type BoundedStream } from './bounded-stream.js';
import { type UpstreamEvent } from './event-executor.js';

export type DropReason = 'client_buffer' | 'pipeline';

type Delivery = { kind: 'next'; result: ExecutionResult; resumed?: boolean } | { kind: 'end' };

function withoutResumed(result: ExecutionResult): ExecutionResult {
  const { resumed: _resumed, ...extensions } = result.extensions ?? {};
  const { extensions: _extensions, ...rest } = result;
  return Object.keys(extensions).length > 0 ? { ...rest, extensions } : rest;
}

/**
 * The subscribers of one upstream subscription who asked for the same thing (same document and
 * variables): each event is resolved once for all of them (one entity fetch per event, not one
 * per subscriber) and the one result is pushed to every subscriber's bounded stream. Events are
 * resolved concurrently but delivered in the order the subgraph sent them.
 */
export class FanoutGroup {
  readonly streams = new Set<BoundedStream<ExecutionResult>>();
  private readonly queue: Promise<Delivery>[] = [];
  private draining = false;
  private finished = false;
  /** The last result with data, kept for late joiners of a state subscription. */
  private latest: ExecutionResult | undefined;

  constructor(
    private readonly resolve: (event: UpstreamEvent) => Promise<ExecutionResult>,
    private readonly maxPending: number,
    private readonly onDrop: (reason: DropReason) => void,
    private readonly keepLatest: boolean,
  ) {}

  /** Adds a subscriber; of a state subscription, it gets the latest state at once. */
  add(stream: BoundedStream<ExecutionResult>): void {
    this.streams.add(stream);
    if (this.latest) stream.push(this.latest);
  }

  get pending(): number {
    return this.queue.length;
  }

  /**
   * `resumed`: the first event after the upstream connection was lost and made again (events may
   * have been missed in between); its result carries `extensions.resumed: true`.
   */
  push(event: UpstreamEvent, resumed = false): void {
    if (this.finished) return;
    if (this.queue.length >= this.maxPending) {
      // Entity fetches slower than the event rate: the oldest unresolved event goes first.
      // Dropped unawaited: resolve() answers a failure as a result, it never rejects.
      void this.queue.shift();
      this.onDrop('pipeline');
    }
    this.queue.push(
      this.resolve(event).then((result) => ({
        kind: 'next',
        result: resumed ? { ...result, extensions: { ...result.extensions, resumed: true } } : result,
        resumed,
      })),
    );
    void this.drain();
  }

  /** No more events: deliver `errors` (if any) after what is pending, then complete every stream. */
  finish(errors?: readonly GraphQLError[]): void {
    if (this.finished) return;
    this.finished = true;
    if (errors && errors.length > 0) {
      this.queue.push(Promise.resolve({ kind: 'next', result: { errors } }));
    }
    this.queue.push(Promise.resolve({ kind: 'end' }));
    void this.drain();
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        const head = this.queue[0]!;
        const delivery = await head;
        if (this.queue[0] !== head) continue; // dropped while it was being resolved
        void this.queue.shift();
        if (delivery.kind === 'end') {
          for (const stream of [...this.streams]) stream.end();
          return;
        }
        if (this.keepLatest && delivery.result.data) {
          // A late joiner gets the state without the resumption mark: it saw no gap.
          this.latest = delivery.resumed ? withoutResumed(delivery.result) : delivery.result;
        }
        for (const stream of this.streams) stream.push(delivery.result);
      }
    } finally {
      this.draining = false;
    }
  }
}
