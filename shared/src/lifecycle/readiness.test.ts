import { Readiness, readinessHttpStatus } from './readiness.js';

const never = () => new Promise<void>(() => undefined);

describe('readiness', () => {
  it('a required dependency down is not ready (503), an optional one degraded (200), an info one neither', async () => {
    let database = true;
    let redis = true;
    const readiness = new Readiness({
      service: 'probe',
      cacheMs: 0,
      checks: [
        {
          name: 'database',
          severity: 'required',
          probe: async () => {
            if (!database) throw new Error('connect ECONNREFUSED');
          },
        },
        {
          name: 'redis',
          severity: 'optional',
          capability: 'live updates',
          probe: async () => {
            if (!redis) throw new Error('connect ECONNREFUSED');
          },
        },
        {
          name: 'outbox',
          severity: 'info',
          probe: async () => {
            throw new Error('not counted');
          },
        },
      ],
    });
    const ready = await readiness.report();
    expect(ready).toMatchObject({ status: 'ready', service: 'probe', checks: { database: { ok: true } } });
    expect(ready.checks['outbox']).toMatchObject({ ok: false, error: 'not counted' });
    expect(readinessHttpStatus(ready.status)).toBe(200);
    redis = false;
    const degraded = await readiness.report();
    expect(degraded).toMatchObject({
      status: 'degraded',
      checks: { redis: { ok: false, error: 'connect ECONNREFUSED', capability: 'live updates' } },
      affected: ['redis: live updates'],
    });
    expect(readinessHttpStatus(degraded.status)).toBe(200);
    database = false;
    const notReady = await readiness.report();
    expect(notReady.status).toBe('not ready');
    expect(readinessHttpStatus(notReady.status)).toBe(503);
  });

  it('a check that hangs fails after its bound, and concurrent probes share one run for cacheMs', async () => {
    let runs = 0;
    const readiness = new Readiness({
      service: 'probe',
      timeoutMs: 50,
      cacheMs: 300,
      checks: [
        {
          name: 'database',
          severity: 'required',
          probe: () => {
            runs += 1;
            return never();
          },
        },
      ],
    });
    const started = performance.now();
    const reports = await Promise.all(Array.from({ length: 20 }, () => readiness.report()));
    expect(performance.now() - started).toBeLessThan(250);
    expect(runs).toBe(1);
    expect(reports[0]).toMatchObject({
      status: 'not ready',
      checks: { database: { ok: false, error: 'no answer within 50 ms' } },
    });
    await readiness.report();
    expect(runs).toBe(1);
    await new Promise((r) => setTimeout(r, 320));
    await readiness.report();
    expect(runs).toBe(2);
  });

  it('a dependency reporting itself degraded degrades the process; a custom rule can make it not ready', async () => {
    const readiness = new Readiness({
      service: 'gateway',
      cacheMs: 0,
      notReady: (checks) => checks['a']?.ok === false && checks['b']?.ok === false,
      checks: [
        { name: 'a', severity: 'optional', probe: async () => ({ status: 'degraded', degraded: true }) },
        { name: 'b', severity: 'optional', probe: async () => ({ ok: false, error: 'down' }) },
      ],
    });
    const report = await readiness.report();
    expect(report).toMatchObject({ status: 'degraded', checks: { a: { ok: true, status: 'degraded' } } });
    expect(report.checks['a']).not.toHaveProperty('degraded');
    const both = new Readiness({
      service: 'gateway',
      cacheMs: 0,
      notReady: (checks) => checks['a']?.ok === false && checks['b']?.ok === false,
      checks: [
        { name: 'a', severity: 'optional', probe: async () => ({ ok: false }) },
        { name: 'b', severity: 'optional', probe: async () => ({ ok: false }) },
      ],
    });
    expect((await both.report()).status).toBe('not ready');
  });

  it('stopping answers at once (503) without running a check, with the last checks seen', async () => {
    let hang = false;
    const readiness = new Readiness({
      service: 'probe',
      cacheMs: 0,
      timeoutMs: 10_000,
      checks: [{ name: 'database', severity: 'required', probe: () => (hang ? never() : Promise.resolve()) }],
    });
    await readiness.report();
    hang = true;
    readiness.markStopping();
    const started = performance.now();
    const report = await readiness.report();
    expect(performance.now() - started).toBeLessThan(50);
    expect(report).toMatchObject({ status: 'stopping', checks: { database: { ok: true } } });
    expect(readinessHttpStatus(report.status)).toBe(503);
  });
});
