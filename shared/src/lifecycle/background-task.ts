import { type Logger } from '../logging/logger.js';

/** setTimeout's ceiling: a longer delay would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface BackgroundTaskOptions<T> {
  /** One run of the loop's work. Its result goes to `runNow` callers; a background run's failure is logged. */
  run: () => Promise<T>;
  /** Once started, a poll every this often (a kick; unset: the first poll only). */
  pollMs?: number;
  /** The first poll after `start` (default 0: at once, inside `start`). */
  firstPollMs?: number;
  /** A kick waits this long before its run, and kicks meanwhile join it (a burst settles into one run). */
  delayMs?: number;
  /** A run asked for while one was in flight starts this long after that one ended (default 0: at once). */
  minIntervalMs?: number;
  /**
   * What a kick (or a poll) does while a run is in flight: `again` (default) asks for exactly one
   * more run after it; `skip` nothing (the run in flight does the work).
   */
  whileRunning?: 'again' | 'skip';
  /** The clock of `kickAt`'s instants, in ms (default Date.now). */
  now?: () => number;
  /** `kickAt` sets its timer at most this far ahead (default setTimeout's ceiling); the run then re-arms. */
  maxDelayMs?: number;
  /** `kickAt` for an instant already past runs after this long (default 0). */
  overdueDelayMs?: number;
  logger?: Pick<Logger, 'warn' | 'error'>;
  /** The log line of a failed background run (default 'background task failed'). */
  failureMessage?: string;
  /** Its level (default warn). */
  failureLevel?: 'warn' | 'error';
}

const ignore = (): void => undefined;

/**
 * One background loop: its runs, their coalescing and spacing, its unref'd timers and its stop.
 *
 * Runs are one at a time: a kick when idle runs at once (after `delayMs` when set), a kick while
 * a run is in flight asks for one more (however many kicks came), which starts `minIntervalMs`
 * after the run ended. `start` polls (a kick every `pollMs`, the first after `firstPollMs`);
 * `kickAt` arms a run for an instant. A background run that fails is logged and the loop goes
 * on. `runNow` runs on the caller's behalf, after the run in flight, and hands it the result.
 * `stop` clears the timers, lets no background run start any more (a run asked for is dropped)
 * and resolves once the runs in flight have finished. Kicks before `start` run (a loop may be
 * kicked and never started); a stopped task can be started again.
 */
export class BackgroundTask<T = unknown> {
  private state: 'new' | 'started' | 'stopped' = 'new';
  private poll: NodeJS.Timeout | undefined;
  /** A run asked for, waiting for its delay or for the interval after the previous one. */
  private scheduled: NodeJS.Timeout | undefined;
  private armed: NodeJS.Timeout | undefined;
  private armedFor: number | undefined;
  private again = false;
  /** The last run queued or in flight, with its bookkeeping (never rejects). */
  private tail: Promise<void> | undefined;
  /** The same run's own promise (what a joining caller gets). */
  private last: Promise<T> | undefined;

  constructor(private readonly options: BackgroundTaskOptions<T>) {}

  /** True between `start` and `stop`. */
  get started(): boolean {
    return this.state === 'started';
  }

  /** True while a run is queued or in flight. */
  get running(): boolean {
    return this.tail !== undefined;
  }

  /** The instant `kickAt` armed a run for (undefined: none armed). */
  get armedAt(): number | undefined {
    return this.armedFor;
  }

  /** Starts polling; `poll` overrides the options' interval and first poll (a loop told them at start). */
  start(poll: { pollMs?: number; firstPollMs?: number } = {}): void {
    this.state = 'started';
    clearTimeout(this.poll);
    const pollMs = poll.pollMs ?? this.options.pollMs;
    const tick = () => {
      if (this.state !== 'started') return;
      this.kick();
      if (pollMs !== undefined) this.poll = unref(setTimeout(tick, pollMs));
    };
    const first = poll.firstPollMs ?? this.options.firstPollMs ?? 0;
    if (first > 0) this.poll = unref(setTimeout(tick, first));
    else tick();
  }

  /** Asks for a run: now when idle (after `delayMs` when set), else one more after the run in flight. */
  kick(): void {
    if (this.state === 'stopped' || this.scheduled) return;
    const delayMs = this.options.delayMs ?? 0;
    if (delayMs > 0) this.schedule(delayMs);
    else this.trigger();
  }

  /**
   * Arms a run for the instant `at` (on the `now` clock), unless one is armed for no later;
   * when it fires it is a kick.
   */
  kickAt(at: number): void {
    if (this.state === 'stopped') return;
    if (this.armedFor !== undefined && this.armedFor <= at) return;
    clearTimeout(this.armed);
    const untilDue = at - (this.options.now ?? Date.now)();
    const delay =
      untilDue > 0
        ? Math.min(untilDue, this.options.maxDelayMs ?? MAX_TIMER_MS, MAX_TIMER_MS)
        : (this.options.overdueDelayMs ?? 0);
    this.armedFor = at;
    this.armed = unref(
      setTimeout(() => {
        this.armed = undefined;
        this.armedFor = undefined;
        this.kick();
      }, delay),
    );
  }

  /** Drops the run `kickAt` armed. */
  disarm(): void {
    clearTimeout(this.armed);
    this.armed = undefined;
    this.armedFor = undefined;
  }

  /**
   * Runs now for the caller, after whatever is queued or in flight, and resolves (or rejects) with
   * the run's result; not logged, and not stopped by `stop`. `join`: when a run is queued or in
   * flight, its result instead of another run.
   */
  runNow(options: { join?: boolean } = {}): Promise<T> {
    if (options.join && this.last) return this.last;
    return this.enqueue(false);
  }

  /** Resolves once no run is queued or in flight. */
  async idle(): Promise<void> {
    while (this.tail) await this.tail;
  }

  /** Clears the timers, drops the run asked for, and resolves once the runs in flight have finished. */
  async stop(): Promise<void> {
    this.state = 'stopped';
    clearTimeout(this.poll);
    clearTimeout(this.scheduled);
    this.poll = undefined;
    this.scheduled = undefined;
    this.disarm();
    this.again = false;
    await this.idle();
  }

  private schedule(delayMs: number): void {
    this.scheduled ??= unref(
      setTimeout(() => {
        this.scheduled = undefined;
        this.trigger();
      }, delayMs),
    );
  }

  private trigger(): void {
    if (this.state === 'stopped') return;
    if (this.tail) {
      if (this.options.whileRunning !== 'skip') this.again = true;
      return;
    }
    void this.enqueue(true);
  }

  private enqueue(background: boolean): Promise<T> {
    const previous = this.tail;
    // Nothing in flight: the run starts at once, in the caller's turn.
    const run = previous ? previous.then(() => this.options.run()) : invoke(this.options.run);
    const done: Promise<void> = run
      .then(ignore, (error: unknown) => {
        if (!background) return;
        const { logger, failureLevel = 'warn', failureMessage = 'background task failed' } = this.options;
        logger?.[failureLevel]({ err: error }, failureMessage);
      })
      .then(() => this.finished(done));
    this.tail = done;
    // Settles like the run, once the task knows it ended: a caller then finds it idle.
    const result = done.then(() => run);
    // A background run's failure is logged above; its result only goes to callers who join it.
    if (background) result.catch(ignore);
    this.last = result;
    return result;
  }

  private finished(done: Promise<void>): void {
    // A later run is queued: its end decides what follows.
    if (this.tail !== done) return;
    this.tail = undefined;
    this.last = undefined;
    if (!this.again || this.state === 'stopped') return;
    this.again = false;
    const minIntervalMs = this.options.minIntervalMs ?? 0;
    if (minIntervalMs > 0) this.schedule(minIntervalMs);
    else this.trigger();
  }
}

function invoke<T>(run: () => Promise<T>): Promise<T> {
  try {
    return run();
  } catch (error) {
    return Promise.reject(error as Error);
  }
}

function unref(timer: NodeJS.Timeout): NodeJS.Timeout {
  timer.unref();
  return timer;
}
