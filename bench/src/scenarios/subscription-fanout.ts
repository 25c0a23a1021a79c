import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Agent } from 'node:http';
import { join } from 'node:path';
import { REPO_ROOT } from '../machine.js';
import { percentile } from '../stats.js';
import { type Figure, type Scenario, type ScenarioContext, type ScenarioResult } from '../types.js';
import { type ChildMessage, type ParentMessage, epochNow } from './fanout-clients.js';
import {
  BENCH_SUBGRAPH_SECRET,
  type GatewayPlatform,
  post,
  processMemoryMb,
  startGatewayPlatform,
  waitUntilQuiet,
} from './gateway-platform.js';

type TargetName = 'ours' | 'hive' | 'direct';

/**
 * What one level of one target may take, all included (connecting, every event, tearing down):
 * past it the subscriber process is killed and the level reported as failed, so that a target
 * that stops keeping up cannot stall the whole benchmark.
 */
const LEVEL_BUDGET_MS = { quick: 60_000, full: 240_000 };
const TARGET_LABEL: Record<TargetName, string> = {
  ours: 'our gateway',
  hive: 'Hive Gateway',
  direct: 'direct subgraph',
};

/** `account.name` is owned by the accounts subgraph: every event needs an entity fetch. */
const THROUGH_GATEWAY = `subscription($id: ID!) {
  licenseStatisticsChanged(serverId: $id) { server { id name account { id name } } statistics { key concurrentInUse } at }
}`;
/** Straight to allocation nothing can resolve `account.name`: the floor, without the entity fetch. */
const DIRECT = `subscription($id: ID!) {
  licenseStatisticsChanged(serverId: $id) { server { id name account { id } } statistics { key concurrentInUse } at }
}`;
const LOGON = 'mutation($input: LogonInput!) { logon(input: $input) { acquired } }';
const LOGOFF = 'mutation($input: LogoffInput!) { logoff(input: $input) { ended } }';

const CLIENTS_SCRIPT = [
  join(__dirname, 'fanout-clients.js'),
  join(REPO_ROOT, 'bench', 'dist', 'scenarios', 'fanout-clients.js'),
].find((path) => existsSync(path));

interface Clients {
  child: ChildProcess;
  send(message: ParentMessage): void;
  next<T extends ChildMessage['type']>(
    type: T,
    timeoutMs: number,
  ): Promise<Extract<ChildMessage, { type: T }>>;
  stop(): Promise<void>;
}

function startClients(): Clients {
  if (!CLIENTS_SCRIPT)
    throw new Error('bench/dist/scenarios/fanout-clients.js is missing: run `npm run build` first');
  const child = fork(CLIENTS_SCRIPT, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const queue: ChildMessage[] = [];
  const waiters: Array<() => void> = [];
  child.on('message', (message: ChildMessage) => {
    queue.push(message);
    waiters.splice(0).forEach((w) => w());
  });
  child.on('exit', () => waiters.splice(0).forEach((w) => w()));
  return {
    child,
    send: (message) => child.send(message),
    next: async (type, timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const index = queue.findIndex((m) => m.type === type);
        if (index >= 0) return queue.splice(index, 1)[0] as Extract<ChildMessage, { type: typeof type }>;
        if (child.exitCode !== null)
          throw new Error(`the subscriber process exited (${child.exitCode}): ${stderr}`);
        const left = deadline - Date.now();
        if (left <= 0)
          throw new Error(`no "${type}" from the subscriber process within ${timeoutMs} ms ${stderr}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.send({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function withTimeout<T>(work: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took more than ${timeoutMs} ms`)), timeoutMs);
    }),
  ]).finally(() => clearTimeout(timer));
}

async function openSubscriptions(platform: GatewayPlatform): Promise<number> {
  const text = await (
    await fetch(new URL('/metrics', platform.gateway.url), {
      headers: { authorization: platform.metricsAuthorization },
    })
  ).text();
  return Number(/^gateway_subscriptions_open (\d+)/m.exec(text)?.[1] ?? 'NaN');
}

interface LevelResult {
  latencies: number[];
  memoryMb: number | undefined;
  notes: string[];
}

async function measureLevel(
  platform: GatewayPlatform,
  target: TargetName,
  subscribers: number,
  events: number,
  agent: Agent,
  nextInstant: () => string,
  budgetMs: number,
): Promise<LevelResult> {
  const notes: string[] = [];
  const deadline = Date.now() + budgetMs;
  /** A wait bounded by the level's budget as well as its own limit. */
  const within = (timeoutMs: number) => {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`over the level's budget of ${budgetMs / 1000} s`);
    return Math.min(timeoutMs, left);
  };
  const url =
    target === 'ours'
      ? platform.gateway.url
      : target === 'hive'
        ? platform.hive!.url
        : platform.subgraphUrls.allocation;
  const clients = startClients();
  try {
    clients.send({
      type: 'start',
      url,
      token: platform.tokens.supervisor,
      count: subscribers,
      query: target === 'direct' ? DIRECT : THROUGH_GATEWAY,
      variables: { id: platform.fixture.serverId },
      // Straight to allocation: signed as the gateway signs (subgraphs answer nothing else).
      ...(target === 'direct' ? { subgraphSecret: BENCH_SUBGRAPH_SECRET } : {}),
    });
    const ready = await clients.next('ready', within(300_000));
    if (ready.failed > 0 || ready.subscribed < subscribers) {
      notes.push(
        `${TARGET_LABEL[target]}, ${subscribers}: ${ready.subscribed} subscribed, ${ready.failed} failed (${ready.firstFailure ?? ''})`,
      );
    }
    if (ready.withInitialState < ready.subscribed) {
      notes.push(
        `${TARGET_LABEL[target]}, ${subscribers}: ${ready.subscribed - ready.withInitialState} subscribers got no initial state`,
      );
    }
    const seat = platform.fixture.seats[0]!;
    const application = 'Interaction Connect';
    const latencies: number[] = [];
    let loggedOn = false;
    // Sent straight to allocation for every column, so only the fan-out path differs.
    const toggle = (logon: boolean) =>
      post(
        agent,
        platform.subgraphUrls.allocation,
        logon ? LOGON : LOGOFF,
        {
          input: {
            serverId: platform.fixture.serverId,
            userId: seat.userId,
            application,
            occurredAt: nextInstant(),
            ...(logon ? { stationId: seat.stationId } : {}),
          },
        },
        platform.tokens.server,
      ).then(() => {
        loggedOn = logon;
      });
    try {
      for (let k = 0; k < events; k += 1) {
        const logon = !loggedOn;
        clients.send({ type: 'expect', k, inUse: logon });
        await clients.next('armed', within(10_000));
        await withTimeout(toggle(logon), within(30_000), 'the mutation');
        const answered = epochNow();
        const delivered = await clients.next('delivered', within(70_000));
        if (delivered.count < ready.subscribed) {
          notes.push(
            `${TARGET_LABEL[target]}, ${subscribers}, event ${k + 1}: ${delivered.count} of ${ready.subscribed} delivered within 60 s`,
          );
          // Incomplete deliveries would cost a minute an event: the target is reported as it is.
          break;
        }
        latencies.push(Math.max(0, delivered.last - answered));
        // Past the publisher's coalescing window, so the next event is a fresh one.
        await new Promise((r) => setTimeout(r, 120));
      }
    } finally {
      // The next measurement starts from nobody logged on.
      if (loggedOn) await withTimeout(toggle(false), 30_000, 'the last logoff').catch(() => undefined);
    }
    const pid = target === 'ours' ? platform.gateway.pid : target === 'hive' ? platform.hive!.pid : undefined;
    return { latencies, memoryMb: pid ? processMemoryMb(pid).rss : undefined, notes };
  } finally {
    await clients.stop();
    if (target === 'ours') {
      const drained = Date.now() + 60_000;
      while ((await openSubscriptions(platform)) > 0 && Date.now() < drained)
        await new Promise((r) => setTimeout(r, 200));
    }
    // Hive and direct leave one subscription per subscriber at allocation to tear down: the next
    // measurement starts once the gateways and the allocation subgraph are quiet again.
    await waitUntilQuiet([platform.gateway.pid, platform.hive?.pid, platform.pid('allocation')]);
  }
}

async function run(context: ScenarioContext): Promise<ScenarioResult> {
  // BENCH_FANOUT_LEVELS=10000 and BENCH_FANOUT_TARGETS=ours narrow a run (to profile one case).
  const chosenLevels = (process.env['BENCH_FANOUT_LEVELS'] ?? '').split(',').filter(Boolean).map(Number);
  const chosenTargets = (process.env['BENCH_FANOUT_TARGETS'] ?? '').split(',').filter(Boolean);
  const levels = chosenLevels.length > 0 ? chosenLevels : context.quick ? [100] : [100, 1000, 5000, 10_000];
  const events = context.quick ? 4 : 20;
  const figures: Figure[] = [];
  const notes: string[] = [
    `Per level and target: the subscribers connect from a separate process (one socket each, one supervisor token), ` +
      `then ${events} events (a logon, then a logoff, … sent straight to the allocation subgraph); each figure is the ` +
      'time from the mutation\u2019s response to the last subscriber receiving the event, p50 and p99 over the events. ' +
      'Memory: the gateway process\u2019s resident set with the subscribers connected.',
    'Order at every level: our gateway, Hive Gateway, then direct. Hive and direct hold one subscription per ' +
      'subscriber at the allocation subgraph, which leaves it busy for a while at 1,000 and more: after each ' +
      'measurement the next waits until the gateways and allocation are quiet again (under 5% of a core for a ' +
      'second). The subscriber process reads raw frames (no UTF-8 check, no JSON for events): its own cost is ' +
      'part of every column alike.',
    'Direct subgraph: the same subscription sent to allocation itself, without `account.name` (no subgraph alone can ' +
      'resolve it): the floor the gateways add their entity fetch and fan-out to.',
  ];
  const failures: string[] = [];
  context.progress('starting the platform', 0);
  const platform = await startGatewayPlatform({ seats: 2, progress: (m) => context.progress(m, 0.02) });
  if (platform.hiveNote) notes.push(platform.hiveNote);
  const agent = new Agent({ keepAlive: true, maxSockets: 2 });
  let instant = Date.UTC(2024, 0, 1);
  const nextInstant = () => new Date((instant += 1000)).toISOString();
  // Hive Gateway cannot sign the graphql-ws connections it opens to subgraphs (which answer only
  // signed ones), so it has no column here until it can.
  if (platform.hive) {
    notes.push('Hive Gateway column left out: its graphql-ws connections to subgraphs are not signed.');
  }
  const targets = (['ours', 'direct'] as TargetName[]).filter(
    (t) => chosenTargets.length === 0 || chosenTargets.includes(t),
  );
  try {
    let step = 0;
    for (const subscribers of levels) {
      const results = new Map<TargetName, LevelResult>();
      // Ours, Hive, direct at every level: one subscription per subscriber at the allocation subgraph
      // (Hive, direct) leaves it busy for a while at 1,000 and more, which would penalise whoever followed.
      for (const target of targets) {
        context.progress(
          `${subscribers} subscribers through ${TARGET_LABEL[target]}`,
          step++ / (levels.length * targets.length),
        );
        try {
          const result = await measureLevel(
            platform,
            target,
            subscribers,
            events,
            agent,
            nextInstant,
            context.quick ? LEVEL_BUDGET_MS.quick : LEVEL_BUDGET_MS.full,
          );
          results.set(target, result);
          notes.push(...result.notes);
        } catch (error) {
          if (failures.length === 0) {
            notes.push(`allocation's log at the first failure: ${platform.logTail('allocation')}`);
            notes.push(`our gateway's log at the first failure: ${platform.logTail('gateway')}`);
          }
          failures.push(
            `${subscribers} subscribers through ${TARGET_LABEL[target]}: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      }
      for (const target of targets) {
        const result = results.get(target);
        if (!result || result.latencies.length === 0) continue;
        const p50 = percentile(result.latencies, 50);
        const isOursAtTenThousand = target === 'ours' && subscribers === 10_000;
        figures.push(
          {
            name: `fan-out to ${subscribers}, p50, ${TARGET_LABEL[target]}`,
            value: p50,
            unit: 'ms',
            ...(isOursAtTenThousand ? { target: '< 300 ms', met: p50 < 300 } : {}),
          },
          {
            name: `fan-out to ${subscribers}, p99, ${TARGET_LABEL[target]}`,
            value: percentile(result.latencies, 99),
            unit: 'ms',
          },
        );
        if (result.memoryMb !== undefined) {
          figures.push({
            name: `fan-out to ${subscribers}, memory, ${TARGET_LABEL[target]}`,
            value: result.memoryMb,
            unit: 'MB',
            ...(isOursAtTenThousand ? { target: '< 512 MB', met: result.memoryMb < 512 } : {}),
          });
        }
      }
      const ours = results.get('ours');
      const hive = results.get('hive');
      if (ours?.latencies.length && hive?.latencies.length) {
        const targeted = subscribers === 1000 || subscribers === 5000;
        const time = percentile(ours.latencies, 50) / percentile(hive.latencies, 50);
        figures.push({
          name: `fan-out to ${subscribers}, p50, ours ÷ Hive Gateway`,
          value: time,
          unit: '×',
          ...(targeted ? { target: '≤ 0.15×', met: time <= 0.15 } : {}),
        });
        if (ours.memoryMb !== undefined && hive.memoryMb !== undefined) {
          const memory = ours.memoryMb / hive.memoryMb;
          figures.push({
            name: `fan-out to ${subscribers}, memory, ours ÷ Hive Gateway`,
            value: memory,
            unit: '×',
            ...(targeted ? { target: '≤ 0.25×', met: memory <= 0.25 } : {}),
          });
        }
      }
    }
  } finally {
    agent.destroy();
    context.progress('stopping the platform', 0.99);
    await platform.close();
  }
  return {
    scenario: subscriptionFanoutScenario.name,
    figures,
    notes,
    ...(failures.length > 0 ? { failure: failures.join('; ') } : {}),
  };
}

/** Scenario: one event fanned out to 100…10,000 subscribers, with a cross-subgraph field. */
export const subscriptionFanoutScenario: Scenario = {
  name: 'subscription-fanout',
  description:
    'One server\u2019s licence statistics (with `server.account.name` from the accounts subgraph) fanned out to 100, ' +
    '1,000, 5,000 and 10,000 subscribers through our gateway and through Hive Gateway (and, as the floor, straight ' +
    'from the allocation subgraph): time from the mutation\u2019s response to the last subscriber receiving the event ' +
    '(p50, p99) and the gateway\u2019s memory.',
  run,
};
