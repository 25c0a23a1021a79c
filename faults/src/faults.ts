import { graphqlData, isStableCode } from '@lic/shared';
import { type OwnedServer, sleep } from './infra.js';
import { type Check, type Store } from './invariants.js';
import { type Outcome } from './load.js';
import { CLIENT_KEY, type Platform } from './platform.js';

export interface FaultContext {
  platform: Platform;
  redis: OwnedServer;
  mariadb: OwnedServer;
  store: Store;
  quick: boolean;
  progress(message: string): void;
  /** What the clients were told from `since` on. */
  outcomesSince(since: number): Outcome[];
}

/** What injecting a fault did: when the dependency was down, and checks only this fault has. */
export interface Injected {
  /** The dependency taken away, as /readyz should name it; undefined when none should show. */
  dependency?: { name: string; pattern: RegExp; from: number; to: number };
  /** When the fault ended (the restart done, the delay lifted). */
  endedAt: number;
  recovery: Record<string, number>;
  checks: Check[];
  /** Stage transitions due during the fault (checked in the history). */
  stageServer?: {
    serverId: string;
    expected: Array<{ from: number; to: number }>;
    dueAt: number;
    /** A server whose change fell due before the kill. */
    control: { serverId: string; dueAt: number };
  };
  notes?: string[];
}

export interface Fault {
  name: string;
  title: string;
  during: string;
  inject(context: FaultContext): Promise<Injected>;
}

/** Not answered, or answered with something other than a refusal of the domain (no licence left…). */
export const dropped = (o: Outcome): boolean =>
  o.told === 'no answer' ||
  (o.told === 'failed' && (!isStableCode(o.code) || o.code === 'INTERNAL_SERVER_ERROR'));

const down = (quick: boolean, fullMs: number, quickMs: number) => (quick ? quickMs : fullMs);

export const FAULTS: Fault[] = [
  {
    name: 'allocation-kill',
    title: 'kill -9 of an allocation process (one of two replicas)',
    during: 'group commits in flight',
    async inject({ platform, quick }) {
      const replica = platform.services.get('allocation-1')!;
      await replica.kill();
      await sleep(down(quick, 10_000, 3000));
      const restart = await replica.start();
      return { endedAt: Date.now(), recovery: { 'restart (ms)': restart }, checks: [] };
    },
  },
  {
    name: 'billing-kill',
    title: 'kill -9 of billing, restart after 30 s (quick: 5 s)',
    during: 'session events flowing',
    async inject({ platform, quick }) {
      const billing = platform.services.get('billing')!;
      const from = Date.now();
      await billing.kill();
      await sleep(down(quick, 30_000, 5000));
      const to = Date.now();
      const restart = await billing.start();
      return {
        dependency: { name: 'billing', pattern: /^billing$/, from: from + 1500, to },
        endedAt: Date.now(),
        recovery: { 'restart (ms)': restart },
        checks: [],
      };
    },
  },
  {
    name: 'enforcement-kill',
    title: 'kill -9 of enforcement',
    during: 'a stage change due',
    async inject({ platform, quick }) {
      const enforcement = platform.services.get('enforcement')!;
      // A virtual-cloud server whose grace period (1 day from the ramp date) ends a few seconds from now.
      // A control server's change falls due while enforcement is still up: it shows the stage
      // subscriptions work at all.
      const vcServer = (due: number, tag: string) =>
        platform.addServer(`faults-vc-${tag}-${Date.now()}`, {
          keys: [
            { key: `${CLIENT_KEY}_CONCURRENT`, quantity: 5 },
            { key: 'I3_FEATURE_VIRTUAL_CLOUD', quantity: 1 },
          ],
          rampDate: new Date(due - 86_400_000),
        });
      const dueAt = Date.now() + 7000;
      const controlDueAt = dueAt - 3500;
      const controlId = await vcServer(controlDueAt, 'control');
      const serverId = await vcServer(dueAt, 'due');
      // Enforcement knows the server (allocation's event) before it is killed.
      let known = false;
      for (let i = 0; i < 20 && !known; i += 1) {
        const { enforcementStatus } = await graphqlData<{ enforcementStatus: { applicable: boolean } }>(
          platform.gatewayUrl,
          'query($id: ID!) { enforcementStatus(serverId: $id) { applicable } }',
          { id: serverId },
          platform.tokens.admin,
        ).catch(() => ({ enforcementStatus: { applicable: false } }));
        known = enforcementStatus.applicable;
        if (!known) await sleep(250);
      }
      const wait = dueAt - 1000 - Date.now();
      if (wait > 0) await sleep(wait);
      const from = Date.now();
      await enforcement.kill();
      await sleep(Math.max(0, dueAt - Date.now()) + down(quick, 10_000, 3000));
      const to = Date.now();
      const restart = await enforcement.start();
      return {
        dependency: { name: 'enforcement', pattern: /^enforcement$/, from: from + 1500, to },
        endedAt: Date.now(),
        recovery: { 'restart (ms)': restart },
        checks: [],
        stageServer: {
          serverId,
          expected: [{ from: 1, to: 2 }],
          dueAt,
          control: { serverId: controlId, dueAt: controlDueAt },
        },
        notes: known ? [] : ['enforcement had not marked the server applicable before the kill'],
      };
    },
  },
  {
    name: 'gateway-kill',
    title: 'kill -9 of the gateway, restart',
    during: 'every subscriber connected',
    async inject({ platform }) {
      const gateway = platform.services.get('gateway')!;
      await gateway.kill();
      const restart = await gateway.start();
      return { endedAt: Date.now(), recovery: { 'restart (ms)': restart }, checks: [] };
    },
  },
  {
    name: 'redis-restart',
    title: 'Redis restart, empty (no persistence)',
    during: 'relay and pub/sub busy',
    async inject({ redis, quick }) {
      const from = Date.now();
      await redis.kill();
      await sleep(down(quick, 5000, 2500));
      const to = Date.now();
      const started = Date.now();
      await redis.start();
      return {
        dependency: { name: 'redis', pattern: /^redis$/, from: from + 1500, to },
        endedAt: Date.now(),
        recovery: { 'redis up again (ms)': Date.now() - started },
        checks: [],
      };
    },
  },
  {
    name: 'mariadb-restart',
    title: 'MariaDB restart (kill -9 of mariadbd, started again)',
    during: 'logons in flight',
    async inject({ mariadb, quick }) {
      const from = Date.now();
      await mariadb.kill();
      await sleep(down(quick, 5000, 2500));
      const to = Date.now();
      const started = Date.now();
      await mariadb.start();
      return {
        dependency: { name: 'mariadb', pattern: /^database$/, from: from + 1500, to },
        endedAt: Date.now(),
        recovery: { 'mariadb up again (ms)': Date.now() - started },
        checks: [],
      };
    },
  },
  {
    name: 'slow-subgraph',
    title: 'a subgraph answering slowly (the proxy adds 2 s)',
    during: 'queries through the gateway',
    async inject({ platform, quick, outcomesSince }) {
      const from = Date.now();
      platform.proxy.setDelay(2000);
      await sleep(down(quick, 20_000, 8000));
      platform.proxy.setDelay(0);
      const during = outcomesSince(from).filter((o) => o.sentAt < Date.now());
      const failed = during.filter(dropped).length;
      return {
        endedAt: Date.now(),
        recovery: {},
        checks: [
          {
            name: 'slow, not failed',
            ok: failed === 0 && during.length > 0,
            figures: `${during.length} requests while slow, ${failed} dropped (no answer or an internal error); slowest answer ${Math.max(0, ...during.map((o) => o.answeredAt - o.sentAt))} ms`,
          },
        ],
      };
    },
  },
  {
    name: 'rolling-restart',
    title: 'rolling restart: SIGTERM one allocation replica, start it, then the other',
    during: 'logons and logoffs in flight',
    async inject({ platform, outcomesSince }) {
      const from = Date.now();
      const recovery: Record<string, number> = {};
      const notes: string[] = [];
      for (const name of ['allocation-1', 'allocation-2'] as const) {
        const replica = platform.services.get(name)!;
        const stopped = await replica.terminate();
        recovery[`${name} stop (ms)`] = stopped.ms;
        if (stopped.code !== 0) notes.push(`${name} exited with ${String(stopped.code)} on SIGTERM`);
        recovery[`${name} start (ms)`] = await replica.start();
        await sleep(1000);
      }
      const during = outcomesSince(from);
      // A refusal of the domain (no licence left) is an answer; an internal error or none is a drop.
      const failed = during.filter(dropped);
      const codes = new Map<string, number>();
      for (const o of failed) codes.set(o.code ?? '?', (codes.get(o.code ?? '?') ?? 0) + 1);
      return {
        endedAt: Date.now(),
        recovery,
        notes,
        checks: [
          {
            name: 'no request dropped',
            ok: failed.length === 0,
            figures: `${during.length} requests, ${failed.length} dropped (no answer or an internal error)${failed.length ? ` (${[...codes].map(([c, n]) => `${c}×${n}`).join(', ')})` : ''}`,
          },
          {
            name: 'each replica exited 0 on SIGTERM',
            ok: notes.length === 0,
            figures: notes.join('; ') || 'both exited 0',
          },
        ],
      };
    },
  },
];
