import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkSubscribers } from './invariants.js';
import { type SubscriberState } from './load.js';
import { namesDown } from './readiness.js';
import { writeReport } from './report.js';
import { parseArgs, parseDuration } from './run.js';
import { slopePerHour } from './soak.js';
import { runSuite } from './suite.js';

/**
 * Invariants that fail on this branch because their fix is being made separately. They are
 * reported with their figures in every run; here they do not fail the quick form. Delete an entry
 * when its fix has landed: from then on it fails the test like any other invariant.
 */
export const PENDING_ELSEWHERE: ReadonlyArray<{ fault: string; check: string; owner: string }> = [
  // Empty: every invariant the suite checks holds, or fails `npm test`. An entry here names a
  // finding whose fix is being made separately (the quick form reports it and does not fail on it).
];

const pending = (fault: string, text: string) =>
  PENDING_ELSEWHERE.some((p) => p.fault === fault && text.startsWith(p.check));

const subscriber = (over: Partial<SubscriberState>): SubscriberState => ({
  connects: 1,
  closes: 0,
  lastClosedAt: undefined,
  reconnects: [],
  eventsSinceConnect: 1,
  statsEvents: 1,
  stageEvents: [],
  resumed: 0,
  errors: [],
  completes: 0,
  lastInUse: 0,
  ...over,
});

describe('the fault suite', () => {
  it('the subscriber invariants fail on a slow reconnect, a stale state, an ended subscription or an error', () => {
    const healthy = checkSubscribers([subscriber({})], 0, 2000, undefined);
    expect(healthy.every((c) => c.ok)).toBe(true);
    const slow = checkSubscribers(
      [subscriber({ reconnects: [{ closedAt: 0, connectedAt: 2500 }] })],
      0,
      2000,
      undefined,
    );
    expect(slow.find((c) => c.name.startsWith('subscribers reconnected'))?.ok).toBe(false);
    const never = checkSubscribers([subscriber({ lastClosedAt: 1 })], 0, 2000, undefined);
    expect(never.find((c) => c.name.startsWith('subscribers reconnected'))?.ok).toBe(false);
    const stale = checkSubscribers([subscriber({ lastInUse: 3 })], 0, 2000, undefined);
    expect(stale.find((c) => c.name === 'subscribers hold the current state')?.ok).toBe(false);
    const ended = checkSubscribers([subscriber({ completes: 1 })], 0, 2000, undefined);
    expect(ended.find((c) => c.name === 'subscribers hold the current state')?.ok).toBe(false);
    const errored = checkSubscribers([subscriber({ errors: ['SUBGRAPH_UNAVAILABLE'] })], 0, 2000, undefined);
    expect(errored.find((c) => c.name === 'no error payloads')?.ok).toBe(false);
  });

  it('reads the readiness contract: a dependency is named down by checks.<name>.ok false', () => {
    const body = {
      status: 'degraded',
      checks: { redis: { ok: false, error: 'ECONNREFUSED' }, database: { ok: true } },
    };
    expect(namesDown(body, /^redis$/)).toBe(true);
    expect(namesDown(body, /^database$/)).toBe(false);
    expect(namesDown({ subgraphs: { billing: false } }, /^billing$/)).toBe(false);
    expect(namesDown('not json', /^redis$/)).toBe(false);
  });

  it('reads its flags and soak durations, and the soak slope is per hour', () => {
    expect(parseArgs(['--quick', '--only', 'billing-kill,gateway-kill'])).toMatchObject({
      quick: true,
      only: ['billing-kill', 'gateway-kill'],
    });
    expect(() => parseArgs(['--only', 'nonsense'])).toThrow(/unknown fault "nonsense"/);
    expect(parseDuration('60m')).toBe(3_600_000);
    expect(parseDuration('90s')).toBe(90_000);
    expect(() => parseDuration('soon')).toThrow(/duration/);
    // 1 MB a minute is 60 MB an hour.
    expect(slopePerHour([0, 1, 2, 3].map((m) => ({ minute: m, value: 100 + m })))).toBeCloseTo(60);
    // One odd sample (a dip while sockets reconnect) does not tilt a flat line.
    const flat = [...Array(30).keys()].map((m) => ({ minute: m, value: m === 29 ? 0 : 1132 }));
    expect(slopePerHour(flat)).toBe(0);
  });

  /**
   * The quick form: the platform in distributed mode on its own MariaDB and Redis, every fault of
   * the table injected under load, and every invariant checked from what the clients were told.
   * Needs the built services (`npm run build`) and root (the embedded fault mounts a tmpfs).
   */
  it('quick: every fault of the table, every invariant holds', async () => {
    const lines: string[] = [];
    const started = Date.now();
    const result = await runSuite({
      quick: true,
      only: [],
      // On stderr as it goes: a run that times out still says how far it got.
      progress: (m) => {
        lines.push(m);
        process.stderr.write(`[faults ${Math.round((Date.now() - started) / 1000)} s] ${m}\n`);
      },
    });
    const out = mkdtempSync(join(tmpdir(), 'lic-faults-report-'));
    try {
      writeReport(out, result, 'npm run faults -- --quick');
      const failed = result.faults.flatMap((f) => [
        ...f.checks
          .filter((c) => !c.ok && !pending(f.name, c.name))
          .map((c) => `${f.name}: ${c.name}: ${c.figures}`),
        ...f.notes.filter((n) => !pending(f.name, `note: ${n}`)).map((n) => `${f.name}: ${n}`),
      ]);
      // The report names what failed, with its figures.
      expect(failed).toEqual([]);
      expect(result.faults.map((f) => f.name)).toEqual([
        'allocation-kill',
        'billing-kill',
        'enforcement-kill',
        'gateway-kill',
        'redis-restart',
        'mariadb-restart',
        'slow-subgraph',
        'rolling-restart',
        'sqlite-disk',
      ]);
      expect(readFileSync(join(out, 'latest.md'), 'utf8')).toContain('| allocation-kill |');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 600_000);
});
