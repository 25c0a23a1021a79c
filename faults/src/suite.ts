import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FAULTS, type Fault, type FaultContext, type Injected } from './faults.js';
import { graphqlData } from '@lic/shared';
import { ownMariadb, ownRedis, sleep } from './infra.js';
import {
  type Check,
  checkBilling,
  checkOutcomes,
  checkPools,
  checkStages,
  checkSubscribers,
  type Store,
} from './invariants.js';
import { Load, Subscribers } from './load.js';
import { startPlatform, type Platform } from './platform.js';
import { namesDown, ReadinessMonitor } from './readiness.js';
import { runEmbeddedDiskFault } from './embedded.js';
import { runSoak, type SoakResult } from './soak.js';
import { Work } from './work.js';

export interface SuiteOptions {
  quick: boolean;
  /** Only these faults (names from the table); all when empty. */
  only: string[];
  /** Soak for this long instead of the fault table (ms). */
  soakMs?: number;
  clients?: number;
  subscribers?: number;
  progress(message: string): void;
}

export interface FaultResult {
  name: string;
  title: string;
  during: string;
  ok: boolean;
  checks: Check[];
  recovery: Record<string, number | null>;
  requests: { total: number; ok: number; failed: number; noAnswer: number };
  notes: string[];
  durationMs: number;
}

export interface SuiteResult {
  startedAt: string;
  mode: 'quick' | 'full' | 'soak';
  load: { clients: number; subscribers: number };
  setupMs: number;
  faults: FaultResult[];
  soak?: SoakResult;
  ok: boolean;
  durationMs: number;
}

export const EMBEDDED_FAULT = {
  name: 'sqlite-disk',
  title: "the embedded mode's SQLite disk full, then read-only",
  during: 'logons in embedded mode',
};

export const FAULT_NAMES = [...FAULTS.map((f) => f.name), EMBEDDED_FAULT.name];

export async function runSuite(options: SuiteOptions): Promise<SuiteResult> {
  const started = Date.now();
  const { quick, progress } = options;
  const clients = options.clients ?? (quick ? 8 : 50);
  const subscriberCount = options.subscribers ?? (quick ? 40 : 1000);
  const wanted = (name: string) => options.only.length === 0 || options.only.includes(name);
  const selected = FAULTS.filter((f) => wanted(f.name));
  const results: FaultResult[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'lic-faults-'));
  let soak: SoakResult | undefined;
  let setupMs = 0;
  try {
    if (selected.length > 0 || options.soakMs !== undefined) {
      progress('starting Redis and MariaDB on scratch ports');
      const redis = await ownRedis();
      const mariadb = await ownMariadb(dir);
      let platform: Platform | undefined;
      let load: Load | undefined;
      let subscribers: Subscribers | undefined;
      let work: Work | undefined;
      try {
        platform = await startPlatform({
          dataDir: join(dir, 'data'),
          redisUrl: redis.url,
          databaseUrl: mariadb.url,
          seats: clients,
          // Fewer licences than clients: the pool is contended throughout, and the cap must hold.
          total: Math.max(1, Math.floor(clients * 0.6)),
          progress,
        });
        const store: Store = { url: mariadb.url, prefix: platform.databasePrefix };
        load = new Load(platform, clients);
        progress(
          'an install site and a sales order to generate activation files from, a server to upload usage files for',
        );
        work = await Work.prepare(platform);
        progress(`connecting ${subscriberCount} subscribers through the gateway`);
        subscribers = new Subscribers(platform, subscriberCount, platform.fixture.accountId);
        await subscribers.start();
        setupMs = Date.now() - started;
        if (options.soakMs !== undefined) {
          soak = await runSoak({
            platform,
            redis,
            mariadb,
            load,
            work: work!,
            durationMs: options.soakMs,
            progress,
          });
        } else {
          for (const fault of selected) {
            progress(`fault ${fault.name}: ${fault.title}`);
            results.push(
              await runFault(fault, {
                platform,
                redis,
                mariadb,
                store,
                quick,
                progress,
                load,
                subscribers,
                work: work!,
              }),
            );
            const last = results.at(-1)!;
            progress(`fault ${fault.name}: ${last.ok ? 'every invariant holds' : 'INVARIANT FAILED'}`);
          }
        }
      } finally {
        await subscribers?.close().catch(() => undefined);
        load?.close();
        work?.close();
        await platform?.close().catch(() => undefined);
        await redis.stop().catch(() => undefined);
        await mariadb.stop().catch(() => undefined);
      }
    }
    if (options.soakMs === undefined && wanted(EMBEDDED_FAULT.name)) {
      progress(`fault ${EMBEDDED_FAULT.name}: ${EMBEDDED_FAULT.title}`);
      results.push(await runEmbeddedDiskFault({ dir, quick, progress }));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    startedAt: new Date(started).toISOString(),
    mode: options.soakMs !== undefined ? 'soak' : quick ? 'quick' : 'full',
    load: { clients, subscribers: subscriberCount },
    setupMs,
    faults: results,
    ...(soak ? { soak } : {}),
    ok: results.every((r) => r.ok) && (soak?.ok ?? true),
    durationMs: Date.now() - started,
  };
}

async function runFault(
  fault: Fault,
  context: Omit<FaultContext, 'outcomesSince'> & { load: Load; subscribers: Subscribers; work: Work },
): Promise<FaultResult> {
  const { platform, store, quick, load, subscribers, work } = context;
  const firstGenerated = work.generated.length;
  const firstUploaded = work.uploaded.length;
  const started = Date.now();
  const firstOutcome = load.outcomes.length;
  const firstSample = load.samples.length;
  subscribers.resetWindow();
  const monitor = new ReadinessMonitor(platform);
  monitor.start();
  load.start();
  work.start();
  // The load runs a while before the fault, and on after it.
  await sleep(quick ? 2000 : 5000);
  let injected: Injected;
  try {
    injected = await fault.inject({
      ...context,
      outcomesSince: (since) => load.outcomes.slice(firstOutcome).filter((o) => o.sentAt >= since),
    });
  } catch (error) {
    // The fault could not be carried out as planned (a restart that failed…): record it, and bring
    // back whatever is down so that the next fault starts from a whole platform.
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    context.progress(`fault ${fault.name} did not run through: ${message}`);
    platform.proxy.setDelay(0);
    if (context.redis.pid() === undefined) await context.redis.start().catch(() => undefined);
    if (context.mariadb.pid() === undefined) await context.mariadb.start().catch(() => undefined);
    for (const service of platform.services.values())
      if (service.pid === undefined) await service.start().catch(() => undefined);
    injected = {
      endedAt: Date.now(),
      recovery: {},
      checks: [{ name: 'the fault ran through', ok: false, figures: message.slice(0, 300) }],
    };
  }
  const readyBoundMs = quick ? 30_000 : 60_000;
  const readyAt = await monitor.allReady(readyBoundMs);
  await sleep(quick ? 2000 : 5000);
  await Promise.all([load.stop(), work.stop()]);
  await monitor.stop();
  const outcomes = load.outcomes.slice(firstOutcome);
  const samples = load.samples.slice(firstSample);
  const { serverId, total } = platform.fixture;
  const checks: Check[] = [];
  checks.push(...(await checkOutcomes(store, serverId, outcomes)));
  checks.push(...(await checkPools(store, serverId, samples, total)));
  checks.push(await checkBilling(store, serverId, quick ? 30_000 : 60_000));
  checks.push(...(await work.check(store, firstGenerated, firstUploaded)));
  if (injected.stageServer) {
    const { serverId: vc, expected, dueAt, control } = injected.stageServer;
    checks.push(await checkStages(store, vc, expected, quick ? 10_000 : 20_000));
    checks.push({
      ...(await checkStages(store, control.serverId, expected, 5000)),
      name: 'control server (due before the kill): stage history',
    });
    const watching = subscribers.states.filter((_, i) => i % 10 === 0);
    const told = (at: number) => {
      const iso = new Date(at).toISOString();
      const got = watching.map((s) => s.stageEvents.filter((e) => e.to === 2 && e.at === iso).length);
      return {
        ok: got.length > 0 && got.every((n) => n === 1),
        figures: `${got.filter((n) => n === 1).length} of ${watching.length} told once, ${got.filter((n) => n === 0).length} never, ${got.filter((n) => n > 1).length} more than once`,
      };
    };
    // Told over the gateway's re-subscription, once enforcement is back: given as long as the
    // stage history is (10 s, full 20 s) before it is judged.
    const givenUntil = Date.now() + (quick ? 10_000 : 20_000);
    while (Date.now() < givenUntil && !(told(dueAt).ok && told(control.dueAt).ok)) await sleep(250);
    checks.push({
      name: 'control server: stage subscribers told of the change once',
      ...told(control.dueAt),
    });
    // A change that fell due while enforcement was down is recorded as it comes back, possibly
    // before the gateway has its upstream subscription again: the gateway resumes from the cursor
    // of the last event it had, and enforcement replays what was recorded since. Each subscriber
    // must be told exactly once (the first event after the gap marked `extensions.resumed`), and
    // the stage read back through the gateway must be the new one.
    const missed = told(dueAt);
    const reread = await graphqlData<{ enforcementStatus: { stage: number } }>(
      platform.gatewayUrl,
      'query($id: ID!) { enforcementStatus(serverId: $id) { stage } }',
      { id: vc },
      platform.tokens.admin,
    ).then(
      (d) => d.enforcementStatus.stage,
      (error: unknown) => (error instanceof Error ? error.message.slice(0, 80) : String(error)),
    );
    checks.push({
      name: 'stage subscribers: the change due while enforcement was down told once, read back after',
      ok: missed.ok && reread === 2,
      figures: `${missed.figures}; ${watching.reduce((n, s) => n + s.resumed, 0)} resumed signals; re-read through the gateway: stage ${reread}`,
    });
  }
  // Subscribers converge on the quiet state (every client logged off: 0 in use).
  const deadline = Date.now() + 10_000;
  while (
    Date.now() < deadline &&
    subscribers.states.some((s) => s.lastInUse !== 0 || s.lastClosedAt !== undefined)
  )
    await sleep(250);
  checks.push(
    ...checkSubscribers(
      subscribers.states,
      0,
      2000,
      fault.name === 'gateway-kill' ? injected.endedAt : undefined,
    ),
  );
  checks.push({
    name: `every service ready again within ${readyBoundMs / 1000} s`,
    ok: readyAt !== undefined,
    figures:
      readyAt !== undefined
        ? `${Math.max(0, readyAt - injected.endedAt)} ms after the fault ended`
        : 'not ready in time',
  });
  if (injected.dependency) {
    const { name, pattern, from, to } = injected.dependency;
    const window = monitor.samples.filter((s) => s.at >= from && s.at <= to);
    const gateway = window.filter((s) => s.service === 'gateway');
    const gatewayNamed = gateway.filter((s) => namesDown(s.body, pattern)).length;
    const anyNamed = window.filter((s) => s.service !== 'gateway' && namesDown(s.body, pattern)).length;
    const statuses = [...new Set(gateway.map((s) => s.status))].join('/');
    const direct = name === 'redis' || name === 'mariadb';
    checks.push({
      name: `/readyz honest while ${name} is down`,
      ok: direct ? anyNamed > 0 || gatewayNamed > 0 : gatewayNamed > 0,
      figures: `gateway answered ${statuses || 'nothing'} in ${gateway.length} samples, naming ${name} in ${gatewayNamed}; subgraphs named it in ${anyNamed}`,
    });
  }
  checks.push(...injected.checks);
  const recovery: Record<string, number | null> = { ...injected.recovery };
  recovery['all ready after the fault (ms)'] =
    readyAt === undefined ? null : Math.max(0, readyAt - injected.endedAt);
  const unexpected = [...platform.services.values()].flatMap((s) => s.unexpectedExits.splice(0));
  return {
    name: fault.name,
    title: fault.title,
    during: fault.during,
    ok: checks.every((c) => c.ok) && unexpected.length === 0,
    checks,
    recovery,
    requests: {
      total: outcomes.length,
      ok: outcomes.filter((o) => o.told === 'ok').length,
      failed: outcomes.filter((o) => o.told === 'failed').length,
      noAnswer: outcomes.filter((o) => o.told === 'no answer').length,
    },
    notes: [...(injected.notes ?? []), ...unexpected],
    durationMs: Date.now() - started,
  };
}
