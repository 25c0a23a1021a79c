import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { Agent } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { generateSigningKeyPair, graphqlData, signToken } from '@lic/shared';
import { type SeedApi, freePort, seed } from '@lic/testing';
import { until } from './infra.js';
import { type Check } from './invariants.js';
import { type Outcome, post } from './load.js';
import { CLIENT_KEY, REPO_ROOT, STATION_KEY } from './platform.js';
import { type FaultResult } from './suite.js';

const LOGON = 'mutation($input: LogonInput!) { logon(input: $input) { acquired } }';
const LOGOFF = 'mutation($input: LogoffInput!) { logoff(input: $input) { ended } }';
/** Error codes a client may act on; INTERNAL_SERVER_ERROR says nothing about what to do. */
const STABLE_REFUSALS = new Set(['STORAGE_UNAVAILABLE']);

/**
 * The embedded mode (`node scripts/dist/start.js`: one process, SQLite files under DATA_DIR) with
 * DATA_DIR on a small tmpfs: logons while the disk fills up, then while it is read-only. Every
 * refusal must carry a stable code, nothing told failed may be half-written, and logons must
 * succeed again once the disk is writable, without a restart.
 */
export async function runEmbeddedDiskFault(options: {
  dir: string;
  quick: boolean;
  progress(message: string): void;
}): Promise<FaultResult> {
  const started = Date.now();
  const mount = join(options.dir, 'embedded-disk');
  mkdirSync(mount, { recursive: true });
  const result = (
    checks: Check[],
    recovery: FaultResult['recovery'],
    outcomes: Outcome[],
    notes: string[],
  ) => ({
    name: 'sqlite-disk',
    title: "the embedded mode's SQLite disk full, then read-only",
    during: 'logons in embedded mode',
    ok: checks.length > 0 && checks.every((c) => c.ok),
    checks,
    recovery,
    requests: {
      total: outcomes.length,
      ok: outcomes.filter((o) => o.told === 'ok').length,
      failed: outcomes.filter((o) => o.told === 'failed').length,
      noAnswer: outcomes.filter((o) => o.told === 'no answer').length,
    },
    notes,
    durationMs: Date.now() - started,
  });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=48m', 'tmpfs', mount]);
  } catch (error) {
    return result(
      [],
      {},
      [],
      [`cannot mount a tmpfs (${(error as Error).message.split('\n')[0]}): fault not run`],
    );
  }
  let child: ChildProcess | undefined;
  const agent = new Agent({ keepAlive: true });
  const outcomes: Outcome[] = [];
  const checks: Check[] = [];
  const recovery: FaultResult['recovery'] = {};
  try {
    const gatewayPort = await freePort();
    const keys = generateSigningKeyPair();
    const jwtSecret = `faults-embedded-${randomUUID()}-secret`;
    const dataDir = join(mount, 'data');
    const env: Record<string, string> = {
      PATH: process.env['PATH'] ?? '',
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATA_DIR: dataDir,
      SEED_DEMO_DATA: 'false',
      JWT_SECRET: jwtSecret,
      SUBGRAPH_SECRET: `faults-subgraph-${randomUUID()}-secret`,
      METRICS_TOKEN: `faults-metrics-${randomUUID()}`,
      USAGE_FILE_KEY: randomBytes(32).toString('hex'),
      LICENSE_SIGNING_PRIVATE_KEY: keys.privateKeyPem,
      LICENSE_SIGNING_PUBLIC_KEY: keys.publicKeyPem,
      GATEWAY_PORT: String(gatewayPort),
      ACCOUNTS_PORT: '0',
      ALLOCATION_PORT: '0',
      BILLING_PORT: '0',
      ENFORCEMENT_PORT: '0',
      RATE_LIMIT_PRINCIPAL_REQUESTS: '0',
      RATE_LIMIT_ADDRESS_REQUESTS: '0',
    };
    let out = '';
    /** Starts the embedded platform; resolves once it serves, or with its exit code when it gave up. */
    const launch = async (): Promise<{ up: boolean; code: number | null; lastLines: string }> => {
      out = '';
      const started = spawn(process.execPath, [join(REPO_ROOT, 'scripts', 'dist', 'start.js')], {
        cwd: REPO_ROOT,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = started;
      started.stdout?.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-20_000)));
      started.stderr?.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-20_000)));
      await until(
        async () => /Licensing platform is running/.test(out) || started.exitCode !== null,
        60_000,
        100,
      );
      const lastLines = out.trim().split('\n').slice(-3).join(' | ').slice(0, 400);
      return {
        up: /Licensing platform is running/.test(out) && started.exitCode === null,
        code: started.exitCode,
        lastLines,
      };
    };
    const stopChild = async () => {
      const running = child;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      const exited = new Promise((r) => running.once('exit', r));
      running.kill('SIGTERM');
      const timer = setTimeout(() => running.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    };
    const first = await launch();
    if (!first.up) throw new Error(`the embedded platform did not start: ${first.lastLines}`);
    const gatewayUrl = `http://127.0.0.1:${gatewayPort}/graphql`;
    const jwt = { secret: jwtSecret, issuer: 'licensing-platform', audience: 'licensing-platform' };
    const admin = await signToken(
      { jwt },
      { sub: 'faults-admin', roles: ['LICENSING_ADMIN'], certified: true },
    );
    options.progress('embedded: an account, a licensed server, users');
    const api: SeedApi = (query, variables) => graphqlData(gatewayUrl, query, variables, admin);
    const { accountId, serverId, seats } = await seed(api, { privateKeyPem: keys.privateKeyPem })
      .account({
        name: 'Embedded Faults Ltd',
        garn: `GARN-${randomBytes(3).toString('hex')}`,
        siteless: true,
      })
      .server({ name: 'embedded-cic-1' })
      .file({
        hostId: '00-15-5D-00-0B-02',
        keys: { [`${CLIENT_KEY}_CONCURRENT`]: 10, [STATION_KEY]: 10 },
      })
      .seats(4, {
        userName: (i) => `embedded-agent-${i}`,
        stationName: (i) => `embedded-ws-${i}`,
        licenses: [CLIENT_KEY],
        stationLicenses: [STATION_KEY],
      });
    const serverToken = await signToken(
      { jwt },
      { sub: 'faults-server', roles: ['SERVER'], serverId, accountId },
    );
    const lastAt = new Map<string, number>();
    const send = async (op: 'logon' | 'logoff', seat: { userId: string; stationId: string }) => {
      const at = Math.max(Date.now(), (lastAt.get(seat.userId) ?? 0) + 1);
      lastAt.set(seat.userId, at);
      const input = {
        serverId,
        userId: seat.userId,
        application: 'Interaction Connect',
        occurredAt: new Date(at).toISOString(),
        ...(op === 'logon' ? { stationId: seat.stationId } : {}),
      };
      const sentAt = Date.now();
      const answer = await post(
        agent,
        gatewayUrl,
        op === 'logon' ? LOGON : LOGOFF,
        { input },
        serverToken,
        10_000,
      );
      const outcome: Outcome = {
        op,
        userId: seat.userId,
        at,
        told: answer.told,
        sentAt,
        answeredAt: Date.now(),
      };
      if (answer.code) outcome.code = answer.code;
      if (op === 'logoff' && answer.told === 'ok')
        outcome.ended = (answer.data?.['logoff'] as { ended?: boolean } | undefined)?.ended === true;
      outcomes.push(outcome);
      return outcome;
    };
    /** Every seat logs on and off once; true when all four cycles were answered ok. */
    const cycle = async () => {
      const results = await Promise.all(
        seats.map(async (seat) => {
          const on = await send('logon', seat);
          const off = await send('logoff', seat);
          return on.told === 'ok' && off.told === 'ok';
        }),
      );
      return results.every(Boolean);
    };
    const settle = async () => {
      // Until every seat is logged off (a logoff refused during the fault is sent again).
      return until(
        async () => (await Promise.all(seats.map((s) => send('logoff', s)))).every((o) => o.told === 'ok'),
        30_000,
        200,
      );
    };
    await cycle();
    const phase = async (label: string, inject: () => void, lift: () => void) => {
      const first = outcomes.length;
      phases.push({ from: Date.now(), name: label });
      inject();
      const until2 = Date.now() + (options.quick ? 2000 : 8000);
      while (Date.now() < until2) await cycle();
      const during = outcomes.slice(first);
      lift();
      const liftedAt = Date.now();
      phases.push({ from: liftedAt, name: `after ${label}` });
      const back = await until(cycle, 30_000, 200);
      recovery[`${label}: logons succeed again (ms)`] = back === undefined ? null : Date.now() - liftedAt;
      await settle();
      const refused = during.filter((o) => o.told !== 'ok');
      const unclear = refused.filter((o) => !STABLE_REFUSALS.has(o.code ?? ''));
      const codes = new Map<string, number>();
      for (const o of refused) codes.set(o.code ?? '?', (codes.get(o.code ?? '?') ?? 0) + 1);
      checks.push({
        name: `${label}: refused with a stable code`,
        ok: refused.length > 0 && unclear.length === 0,
        figures: `${during.length} requests, ${refused.length} refused (${[...codes].map(([c, n]) => `${c}×${n}`).join(', ') || 'none'}), ${unclear.length} without a stable storage code`,
      });
      checks.push({
        name: `${label}: recovered without a restart`,
        ok: back !== undefined && child?.exitCode === null,
        figures:
          back !== undefined
            ? `logons ok ${Date.now() - liftedAt} ms after the disk was writable`
            : 'not within 30 s',
      });
    };
    const phases: Array<{ from: number; name: string }> = [{ from: 0, name: 'before the fault' }];
    const phaseOf = (at: number) => phases.filter((p) => p.from <= at).at(-1)!.name;
    const filler = join(mount, 'filler');
    options.progress('embedded: disk full');
    await phase(
      'disk full',
      () => {
        const fd = openSync(filler, 'w');
        const chunk = Buffer.alloc(1 << 20);
        try {
          for (;;) writeSync(fd, chunk);
        } catch {
          // ENOSPC: the disk is full
        } finally {
          closeSync(fd);
        }
      },
      () => rmSync(filler, { force: true }),
    );
    // Read-only: Linux will not remount a filesystem read-only under files open for writing
    // (EBUSY), so the platform is stopped, the disk made read-only, and the platform started on
    // it (a disk that went read-only while it was down); then writable again, and started.
    options.progress('embedded: start on a read-only disk');
    await stopChild();
    execFileSync('mount', ['-o', 'remount,ro', mount]);
    phases.push({ from: Date.now(), name: 'read-only' });
    const onReadOnly = await launch();
    const readOnlyFirst = outcomes.length;
    if (onReadOnly.up) {
      const until3 = Date.now() + (options.quick ? 2000 : 8000);
      while (Date.now() < until3) await cycle();
    }
    const readOnlyOutcomes = outcomes.slice(readOnlyFirst);
    const wrote = readOnlyOutcomes.filter((o) => o.told === 'ok').length;
    const unclearRo = readOnlyOutcomes.filter(
      (o) => o.told !== 'ok' && !STABLE_REFUSALS.has(o.code ?? ''),
    ).length;
    checks.push({
      name: 'read-only: refused clearly',
      ok: onReadOnly.up
        ? wrote === 0 && unclearRo === 0
        : onReadOnly.code !== 0 && /read-?only|SQLITE_READONLY|EROFS/i.test(onReadOnly.lastLines),
      figures: onReadOnly.up
        ? `started on the read-only disk; ${readOnlyOutcomes.length} requests, ${wrote} told ok, ${unclearRo} refused without a stable storage code`
        : `refused to start (exit ${String(onReadOnly.code)}): ${onReadOnly.lastLines}`,
    });
    await stopChild();
    execFileSync('mount', ['-o', 'remount,rw', mount]);
    const againAt = Date.now();
    phases.push({ from: againAt, name: 'after read-only' });
    const again = await launch();
    const back = again.up ? await until(cycle, 30_000, 200) : undefined;
    recovery['read-only: started and serving again once writable (ms)'] =
      back === undefined ? null : Date.now() - againAt;
    await settle();
    checks.push({
      name: 'read-only: starts and serves again once writable',
      ok: back !== undefined,
      figures:
        back !== undefined
          ? `logons ok ${Date.now() - againAt} ms after start`
          : `not serving: ${again.lastLines}`,
    });
    // Nothing half-written: what each client was told against the SQLite file itself.
    await stopChild();
    const db = new Database(join(dataDir, 'allocation.sqlite'), { readonly: true });
    const sessions = db
      .prepare('SELECT user_id, started_at, ended_at FROM logon_session WHERE server_id = ?')
      .all(serverId) as Array<{ user_id: string; started_at: number; ended_at: number | null }>;
    const pools = db
      .prepare('SELECT pool_key, in_use, configured, withheld FROM license_pool WHERE server_id = ?')
      .all(serverId) as Array<{ pool_key: string; in_use: number; configured: number; withheld: number }>;
    db.close();
    const startedKeys = new Set(sessions.map((s) => `${s.user_id}@${Number(s.started_at)}`));
    const endedKeys = new Set(
      sessions.filter((s) => s.ended_at !== null).map((s) => `${s.user_id}@${Number(s.ended_at)}`),
    );
    let missing = 0;
    let halfWritten = 0;
    const missingByPhase = new Map<string, number>();
    for (const o of outcomes) {
      const present = (o.op === 'logon' ? startedKeys : endedKeys).has(`${o.userId}@${o.at}`);
      if (o.told === 'ok' && (o.op === 'logon' || o.ended) && !present) {
        missing += 1;
        const phase = `${o.op} in ${phaseOf(o.sentAt)}`;
        missingByPhase.set(phase, (missingByPhase.get(phase) ?? 0) + 1);
      }
      if (o.told !== 'ok' && present) halfWritten += 1;
    }
    const open = sessions.filter((s) => s.ended_at === null).length;
    checks.push({
      name: 'told succeeded ⇒ written; told failed ⇒ nothing written',
      ok: missing === 0 && halfWritten === 0,
      figures: `${outcomes.length} requests: ${missing} told ok but missing${missing ? ` (${[...missingByPhase].map(([k, n]) => `${k}: ${n}`).join(', ')})` : ''}, ${halfWritten} told failed but written; ${sessions.length} sessions in the file`,
    });
    // Quiet, every client logged off: a concurrent pool holds nothing, an assignable one (the
    // stations' Basic Station licences) its assignments.
    const off = pools
      .map((p) => {
        const expected = p.pool_key.endsWith('_CONCURRENT') ? 0 : Number(p.configured) - Number(p.withheld);
        return { key: p.pool_key, inUse: Number(p.in_use), expected };
      })
      .filter((p) => p.inUse !== p.expected);
    checks.push({
      name: 'pools = live sessions + assignments once quiet',
      ok: open === 0 && off.length === 0,
      figures: `${open} open sessions (0 expected), ${pools.length} pools, ${off.length} off${off.length ? `: ${off.map((p) => `${p.key} ${p.inUse} in use, ${p.expected} expected`).join('; ')}` : ''}`,
    });
    return result(checks, recovery, outcomes, []);
  } catch (error) {
    return result(
      [
        ...checks,
        { name: 'the fault ran through', ok: false, figures: (error as Error).message.slice(0, 300) },
      ],
      recovery,
      outcomes,
      [],
    );
  } finally {
    agent.destroy();
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    }
    try {
      execFileSync('umount', ['-l', mount]);
    } catch {
      // not mounted
    }
  }
}
