import { BackgroundTask, type BackgroundTaskOptions } from './background-task.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** Timers fire no sooner than asked, but performance.now() and the timer clock round differently. */
const SLACK = 2;

/**
 * A run function that records when each run started and ended. Held, each run waits for a
 * `release()`; `fails(n)` makes run n (from 1) reject.
 */
function probe(options: { hold?: boolean; fails?: (n: number) => boolean } = {}) {
  const starts: number[] = [];
  const ends: number[] = [];
  const releases: Array<() => void> = [];
  const waiting: Array<{ count: number; resolve: () => void }> = [];
  const run = async (): Promise<number> => {
    const n = starts.push(performance.now());
    for (const w of waiting.filter((w) => starts.length >= w.count)) w.resolve();
    if (options.hold) await new Promise<void>((resolve) => releases.push(resolve));
    ends.push(performance.now());
    if (options.fails?.(n)) throw new Error(`run ${n} failed`);
    return n;
  };
  return {
    run,
    starts,
    ends,
    /** Lets the oldest held run finish. */
    release: async () => {
      while (releases.length === 0) await sleep(1);
      releases.shift()!();
    },
    /** Resolves once `count` runs have started. */
    started: (count: number) =>
      starts.length >= count
        ? Promise.resolve()
        : new Promise<void>((resolve) => waiting.push({ count, resolve })),
  };
}

function logger() {
  return { warn: jest.fn(), error: jest.fn() };
}

let tasks: Array<BackgroundTask<unknown>> = [];
function task<T>(options: BackgroundTaskOptions<T>): BackgroundTask<T> {
  const created = new BackgroundTask(options);
  tasks.push(created as BackgroundTask<unknown>);
  return created;
}

afterEach(async () => {
  await Promise.all(tasks.map((t) => t.stop()));
  tasks = [];
});

describe('BackgroundTask', () => {
  it('a kick when idle starts the run at once, in the caller’s turn', () => {
    const p = probe();
    task({ run: p.run }).kick();
    expect(p.starts).toHaveLength(1);
  });

  it.each([
    { kicks: 1, whileRunning: 'again' as const, runs: 2 },
    { kicks: 10, whileRunning: 'again' as const, runs: 2 },
    { kicks: 1, whileRunning: 'skip' as const, runs: 1 },
    { kicks: 10, whileRunning: 'skip' as const, runs: 1 },
  ])('$kicks kick(s) during a run, whileRunning $whileRunning: $runs run(s) in all', async (row) => {
    const p = probe({ hold: true });
    const t = task({ run: p.run, whileRunning: row.whileRunning });
    t.kick();
    for (let i = 0; i < row.kicks; i += 1) t.kick();
    await p.release();
    if (row.runs > 1) {
      await p.started(2);
      await p.release();
    }
    await t.idle();
    await sleep(20);
    expect(p.starts).toHaveLength(row.runs);
  });

  it.each([{ minIntervalMs: 0 }, { minIntervalMs: 40 }])(
    'a run asked for during a run starts minIntervalMs ($minIntervalMs) after that run ended',
    async ({ minIntervalMs }) => {
      const p = probe({ hold: true });
      const t = task({ run: p.run, minIntervalMs });
      t.kick();
      t.kick();
      await p.release();
      await p.started(2);
      expect(p.starts[1]! - p.ends[0]!).toBeGreaterThanOrEqual(minIntervalMs - SLACK);
      // Kicks while the next run waits its interval join it.
      await p.release();
      await t.idle();
      // Idle again: a kick runs at once, however recently the last run ended.
      t.kick();
      expect(p.starts).toHaveLength(3);
      await p.release();
      await t.idle();
    },
  );

  it('kicks while the interval runs join the run waiting for it', async () => {
    const p = probe({ hold: true });
    const t = task({ run: p.run, minIntervalMs: 30 });
    t.kick();
    t.kick();
    await p.release();
    t.kick();
    t.kick();
    await p.started(2);
    await p.release();
    await t.idle();
    await sleep(50);
    expect(p.starts).toHaveLength(2);
  });

  it.each([{ delayMs: 20 }, { delayMs: 50 }])(
    'with delayMs ($delayMs) a kick waits, and the kicks of a burst make one run',
    async ({ delayMs }) => {
      const p = probe();
      const t = task({ run: p.run, delayMs });
      const kickedAt = performance.now();
      for (let i = 0; i < 5; i += 1) t.kick();
      expect(p.starts).toHaveLength(0);
      await p.started(1);
      expect(p.starts[0]! - kickedAt).toBeGreaterThanOrEqual(delayMs - SLACK);
      await t.idle();
      await sleep(delayMs + 20);
      expect(p.starts).toHaveLength(1);
    },
  );

  it('with delayMs, a kick during a run waits its delay, then one more run follows the run in flight', async () => {
    const p = probe({ hold: true });
    const t = task({ run: p.run, delayMs: 10, minIntervalMs: 10 });
    t.kick();
    await p.started(1);
    t.kick();
    await sleep(30); // the kick's delay ran out during the run: one more is asked for
    await p.release();
    await p.started(2);
    expect(p.starts[1]! - p.ends[0]!).toBeGreaterThanOrEqual(10 - SLACK);
    await p.release();
    await t.idle();
    expect(p.starts).toHaveLength(2);
  });

  it.each([
    { firstPollMs: undefined, pollMs: 25, atOnce: true },
    { firstPollMs: 30, pollMs: 25, atOnce: false },
  ])('start polls: first at once or after firstPollMs ($firstPollMs), then every pollMs', async (row) => {
    const p = probe();
    const t = task({
      run: p.run,
      pollMs: row.pollMs,
      ...(row.firstPollMs ? { firstPollMs: row.firstPollMs } : {}),
    });
    const startedAt = performance.now();
    t.start();
    expect(t.started).toBe(true);
    expect(p.starts).toHaveLength(row.atOnce ? 1 : 0);
    await p.started(3);
    if (row.firstPollMs) expect(p.starts[0]! - startedAt).toBeGreaterThanOrEqual(row.firstPollMs - SLACK);
    expect(p.starts[2]! - p.starts[1]!).toBeGreaterThanOrEqual(row.pollMs - SLACK);
    await t.stop();
    const count = p.starts.length;
    await sleep(row.pollMs * 2);
    expect(p.starts).toHaveLength(count);
  });

  it('start takes the interval from its caller when given', async () => {
    const p = probe();
    const t = task({ run: p.run, pollMs: 60_000 });
    t.start({ pollMs: 10, firstPollMs: 10 });
    expect(p.starts).toHaveLength(0);
    await p.started(2);
  });

  it('its timers never keep the process alive', async () => {
    const spy = jest.spyOn(global, 'setTimeout');
    try {
      const p = probe({ hold: true });
      const t = task({ run: p.run, pollMs: 1000, firstPollMs: 1000, minIntervalMs: 1000, delayMs: 1000 });
      t.start();
      t.kickAt(Date.now() + 1000);
      t.kick();
      const timers = spy.mock.results.map((r) => r.value as NodeJS.Timeout);
      expect(timers.length).toBeGreaterThanOrEqual(3);
      for (const timer of timers) expect(timer.hasRef()).toBe(false);
    } finally {
      spy.mockRestore();
    }
  });

  it('stop waits for the run in flight, drops the run asked for, and no run starts after it', async () => {
    const p = probe({ hold: true });
    const t = task({ run: p.run, pollMs: 10 });
    t.start();
    t.kick(); // one more asked for
    let stopped = false;
    const stopping = t.stop().then(() => (stopped = true));
    await sleep(20);
    expect(stopped).toBe(false);
    await p.release();
    await stopping;
    expect(t.started).toBe(false);
    t.kick();
    t.kickAt(Date.now());
    await sleep(30);
    expect(p.starts).toHaveLength(1);
  });

  it.each([{ delayMs: 20 }, { minIntervalMs: 20 }])(
    'stop drops a run waiting for its delay or interval (%o)',
    async (spacing) => {
      const p = probe();
      const t = task({ run: p.run, ...spacing });
      t.kick();
      t.kick();
      await t.stop();
      const count = p.starts.length;
      await sleep(40);
      expect(p.starts).toHaveLength(count);
    },
  );

  it('a stopped task starts again', async () => {
    const p = probe();
    const t = task({ run: p.run, pollMs: 10 });
    t.start();
    await t.stop();
    t.start();
    await p.started(3);
  });

  it('kicks before start run (a loop may be kicked and never started)', async () => {
    const p = probe();
    const t = task({ run: p.run });
    t.kick();
    await t.idle();
    expect(p.starts).toHaveLength(1);
  });

  it.each([
    { failureLevel: undefined, level: 'warn' as const },
    { failureLevel: 'error' as const, level: 'error' as const },
  ])('a failed run is logged ($level) and the loop goes on', async ({ failureLevel, level }) => {
    const log = logger();
    const unhandled = jest.fn();
    process.on('unhandledRejection', unhandled);
    try {
      const p = probe({ fails: (n) => n === 1 });
      const t = task({
        run: p.run,
        pollMs: 10,
        logger: log,
        failureMessage: 'probe failed',
        ...(failureLevel ? { failureLevel } : {}),
      });
      t.start();
      await p.started(3);
      await t.stop();
      await sleep(10);
      expect(log[level]).toHaveBeenCalledTimes(1);
      expect(log[level]).toHaveBeenCalledWith({ err: expect.any(Error) }, 'probe failed');
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });

  it('runNow runs after the run in flight, hands its caller the result or the error, and logs neither', async () => {
    const log = logger();
    const p = probe({ hold: true, fails: (n) => n === 3 });
    const t = task({ run: p.run, logger: log });
    t.kick();
    const second = t.runNow();
    const third = t.runNow();
    expect(p.starts).toHaveLength(1);
    await p.release();
    await p.started(2);
    expect(p.ends).toHaveLength(1);
    await p.release();
    await expect(second).resolves.toBe(2);
    await p.release();
    await expect(third).rejects.toThrow('run 3 failed');
    expect(log.warn).not.toHaveBeenCalled();
  });

  it('runNow({ join }) shares the run queued or in flight; runNow works after stop', async () => {
    const p = probe({ hold: true });
    const t = task({ run: p.run });
    const first = t.runNow({ join: true });
    const joined = t.runNow({ join: true });
    await p.release();
    await expect(first).resolves.toBe(1);
    await expect(joined).resolves.toBe(1);
    await t.stop();
    const after = t.runNow();
    await p.release();
    await expect(after).resolves.toBe(2);
  });

  it('once runNow resolves the task is idle: the next join runs again', async () => {
    const p = probe();
    const t = task({ run: p.run });
    await expect(t.runNow({ join: true })).resolves.toBe(1);
    expect(t.running).toBe(false);
    await expect(t.runNow({ join: true })).resolves.toBe(2);
  });

  it('a kick during runNow asks for one more background run after it', async () => {
    const p = probe({ hold: true });
    const t = task({ run: p.run });
    const now = t.runNow();
    t.kick();
    t.kick();
    await p.release();
    await now;
    await p.started(2);
    await p.release();
    await t.idle();
    expect(p.starts).toHaveLength(2);
  });

  it('idle resolves once nothing is queued or in flight', async () => {
    const p = probe({ hold: true });
    const t = task({ run: p.run });
    t.kick();
    void t.runNow();
    let idle = false;
    const waiting = t.idle().then(() => (idle = true));
    await p.release();
    await p.started(2);
    expect(idle).toBe(false);
    await p.release();
    await waiting;
    expect(t.running).toBe(false);
  });

  describe('kickAt', () => {
    it.each([
      { name: 'a future instant runs when it comes', inMs: 40, options: {}, atLeast: 40, atMost: 1000 },
      {
        name: 'a past instant runs after overdueDelayMs',
        inMs: -1000,
        options: { overdueDelayMs: 30 },
        atLeast: 30,
        atMost: 1000,
      },
      {
        name: 'maxDelayMs caps how far ahead the timer is set',
        inMs: 60_000,
        options: { maxDelayMs: 20 },
        atLeast: 20,
        atMost: 1000,
      },
    ])('$name', async ({ inMs, options, atLeast, atMost }) => {
      const p = probe();
      const t = task({ run: p.run, ...options });
      const from = performance.now();
      t.kickAt(Date.now() + inMs);
      expect(t.armedAt).toBeDefined();
      await p.started(1);
      const after = p.starts[0]! - from;
      expect(after).toBeGreaterThanOrEqual(atLeast - SLACK);
      expect(after).toBeLessThan(atMost);
      expect(t.armedAt).toBeUndefined();
    });

    it('an earlier instant replaces the armed one, a later one leaves it', () => {
      const t = task({ run: probe().run, now: () => 1_000 });
      t.kickAt(61_000);
      t.kickAt(71_000);
      expect(t.armedAt).toBe(61_000);
      t.kickAt(31_000);
      expect(t.armedAt).toBe(31_000);
      t.disarm();
      expect(t.armedAt).toBeUndefined();
      t.kickAt(71_000);
      expect(t.armedAt).toBe(71_000);
    });

    it('disarm and stop drop the armed run', async () => {
      const p = probe();
      const t = task({ run: p.run });
      t.kickAt(Date.now() + 10);
      t.disarm();
      const other = task({ run: p.run });
      other.kickAt(Date.now() + 10);
      await other.stop();
      other.kickAt(Date.now() + 10);
      expect(other.armedAt).toBeUndefined();
      await sleep(30);
      expect(p.starts).toHaveLength(0);
    });

    it('when it fires during a run, one more run follows', async () => {
      const p = probe({ hold: true });
      const t = task({ run: p.run });
      t.kick();
      t.kickAt(Date.now() + 5);
      await sleep(20);
      await p.release();
      await p.started(2);
      await p.release();
      await t.idle();
      expect(p.starts).toHaveLength(2);
    });
  });
});
