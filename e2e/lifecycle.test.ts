import { randomBytes, randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { createClient } from 'graphql-ws';
import { Redis } from 'ioredis';
import { createConnection } from 'mysql2/promise';
import WebSocket from 'ws';
import { dropMariadbDatabases, gatewaySigner, loadConfig } from '@lic/shared';
import {
  PrivateRedisServer,
  TEST_MARIADB_URL,
  eventually,
  graphqlRequest,
  testEnvironment,
  tokenFor,
} from '@lic/testing';
import { freePort, startProcess, type RunningProcess } from './helpers.js';
import { TcpProxy } from './tcp-proxy.js';

const NAMES = ['accounts', 'allocation', 'billing', 'enforcement'] as const;
type Name = (typeof NAMES)[number];
const mariadb = new URL(TEST_MARIADB_URL);
const ACCOUNTS_QUERY = '{ accounts { id } }';

interface Readyz {
  code: number;
  body: {
    status: string;
    service?: string;
    checks: Record<string, { ok: boolean; error?: string; status?: string; pending?: number }>;
    affected?: string[];
  };
}

async function readyz(url: string): Promise<Readyz> {
  const res = await fetch(new URL('/readyz', url), { signal: AbortSignal.timeout(5000) });
  return { code: res.status, body: (await res.json()) as Readyz['body'] };
}

/** Polls `/readyz` until it answers `status` (reports are reused for a second). */
function readyzUntil(url: string, status: string, timeoutMs = 15_000): Promise<Readyz> {
  return eventually(async () => {
    const answer = await readyz(url);
    return answer.body.status === status ? answer : undefined;
  }, timeoutMs);
}

/** A POST over node:http, to see the response's own headers (Connection among them). */
function post(
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; connection: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body: text }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

function exitOf(process: RunningProcess): Promise<{ code: number | null; at: number }> {
  const { child } = process;
  if (child.exitCode !== null) return Promise.resolve({ code: child.exitCode, at: Date.now() });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, at: Date.now() })));
}

/** Resolves with the close code once a graphql-ws connection (acknowledged first) closes. */
async function openSocket(
  url: string,
  connectionParams: Record<string, unknown>,
): Promise<{ closed: Promise<number> }> {
  let closedWith: (code: number) => void = () => undefined;
  const closed = new Promise<number>((resolve) => (closedWith = resolve));
  const client = createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams,
    lazy: false,
    retryAttempts: 0,
    onNonLazyError: () => undefined,
  });
  await new Promise<void>((resolve, reject) => {
    client.on('connected', () => resolve());
    client.on('error', reject);
  });
  client.on('closed', (event) => closedWith((event as { code: number }).code));
  return { closed };
}

/**
 * Readiness and graceful shutdown of the real processes (distributed mode): dependencies are taken
 * away through proxies in front of the shared MariaDB, and a private redis-server.
 */
describe('process lifecycle: honest readiness, graceful shutdown', () => {
  const prefix = `licl_${randomBytes(4).toString('hex')}`;
  const secret = randomBytes(32).toString('hex');
  const signer = gatewaySigner(loadConfig({ NODE_ENV: 'test', SUBGRAPH_SECRET: secret }));
  const processes = new Map<Name | 'gateway', RunningProcess>();
  let database: TcpProxy;
  let redis: PrivateRedisServer;
  let ports: Record<Name | 'gateway', number>;
  let env: Record<string, string>;
  let admin: string;
  const base = (name: Name | 'gateway') => `http://127.0.0.1:${ports[name]}`;
  const graphqlUrl = (name: Name | 'gateway') => `${base(name)}/graphql`;
  const start = async (name: Name | 'gateway', extra: Record<string, string> = {}) => {
    const started = await startProcess(
      ['scripts/dist/service.js', name],
      { ...env, ...extra },
      /"msg":"ready"/,
      60_000,
    );
    processes.set(name, started);
    return started;
  };

  beforeAll(async () => {
    database = await TcpProxy.start({ host: mariadb.hostname, port: Number(mariadb.port || 3306) });
    redis = await PrivateRedisServer.start();
    ports = Object.fromEntries(
      await Promise.all([...NAMES, 'gateway' as const].map(async (n) => [n, await freePort()] as const)),
    ) as typeof ports;
    env = {
      DATABASE_URL: `mysql://root@127.0.0.1:${database.port}`,
      DATABASE_PREFIX: prefix,
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: `${prefix}:`,
      LOG_LEVEL: 'info',
      SUBGRAPH_SECRET: secret,
      SHUTDOWN_GRACE_MS: '5000',
      GATEWAY_PORT: String(ports.gateway),
      ...Object.fromEntries(NAMES.map((n) => [`${n.toUpperCase()}_PORT`, String(ports[n])])),
      ...Object.fromEntries(NAMES.map((n) => [`${n.toUpperCase()}_URL`, graphqlUrl(n)])),
    };
    // One at a time: each creates its database through the proxy.
    for (const name of NAMES) await start(name);
    await start('gateway');
    admin = await tokenFor(testEnvironment().config, { roles: ['LICENSING_ADMIN'], certified: true });
  }, 240_000);

  afterAll(async () => {
    await Promise.all([...processes.values()].map((p) => p.stop()));
    await database?.stop();
    await redis?.stop();
    await dropMariadbDatabases(TEST_MARIADB_URL, prefix);
  });

  const queryAccounts = () =>
    graphqlRequest(graphqlUrl('gateway'), ACCOUNTS_QUERY, {}, admin, signer).then((r) => r.errors);

  it('every process ready: each dependency checked and named', async () => {
    const gateway = await readyzUntil(base('gateway'), 'ready');
    expect(gateway.code).toBe(200);
    expect(Object.keys(gateway.body.checks).sort()).toEqual(
      ['accounts', 'allocation', 'billing', 'enforcement', 'redis', 'supergraph'].sort(),
    );
    for (const name of NAMES) {
      expect(gateway.body.checks[name]).toMatchObject({ ok: true, status: 'ready' });
      const own = await readyz(base(name));
      expect(own).toMatchObject({
        code: 200,
        body: {
          status: 'ready',
          service: name,
          checks: { database: { ok: true }, redis: { ok: true }, outbox: { ok: true } },
        },
      });
      expect(typeof own.body.checks['outbox']?.pending).toBe('number');
    }
  });

  it('a subgraph stopped: the gateway stays in rotation (200 degraded, naming it), the others still answer', async () => {
    await processes.get('billing')!.stop();
    expect(processes.get('billing')!.child.exitCode).toBe(0);
    const degraded = await readyzUntil(base('gateway'), 'degraded');
    expect(degraded.code).toBe(200);
    expect(degraded.body.checks['billing']).toMatchObject({ ok: false, error: expect.any(String) });
    expect(degraded.body.checks['accounts']).toMatchObject({ ok: true });
    expect(degraded.body.affected).toEqual([expect.stringMatching(/^billing: usage tracking/)]);
    expect(await queryAccounts()).toBeUndefined();
    await start('billing');
    expect((await readyzUntil(base('gateway'), 'ready')).code).toBe(200);
  });

  it('Redis down: every process degraded (200) naming Redis, requests still served; back by itself', async () => {
    await redis.stop();
    try {
      for (const name of ['accounts', 'gateway'] as const) {
        const answer = await readyzUntil(base(name), 'degraded');
        expect(answer.code).toBe(200);
        expect(answer.body.checks['redis']).toMatchObject({ ok: false, error: expect.any(String) });
      }
      // Rate limits fail open at once: no wait for a reconnect on the request path.
      const timings: number[] = [];
      for (let i = 0; i < 3; i += 1) {
        const started = performance.now();
        expect(await queryAccounts()).toBeUndefined();
        timings.push(performance.now() - started);
      }
      expect(Math.min(...timings)).toBeLessThan(500);
    } finally {
      await redis.restartEmpty();
    }
    for (const name of [...NAMES, 'gateway'] as const) await readyzUntil(base(name), 'ready', 20_000);
  });

  it('the database down: its subgraphs not ready (503, naming it), alive; the gateway 503 when no subgraph can serve', async () => {
    await database.stop();
    try {
      const accounts = await readyzUntil(base('accounts'), 'not ready');
      expect(accounts.code).toBe(503);
      expect(accounts.body.checks['database']).toMatchObject({ ok: false, error: expect.any(String) });
      expect(accounts.body.checks['redis']).toMatchObject({ ok: true });
      expect((await fetch(`${base('accounts')}/healthz`)).status).toBe(200);
      const gateway = await readyzUntil(base('gateway'), 'not ready');
      expect(gateway.code).toBe(503);
      for (const name of NAMES) expect(gateway.body.checks[name]).toMatchObject({ ok: false });
      expect(gateway.body.checks['supergraph']).toMatchObject({ ok: true });
    } finally {
      await database.start();
    }
    expect((await readyzUntil(base('gateway'), 'ready', 30_000)).code).toBe(200);
  });

  it('SIGTERM on a subgraph: in-flight request answered (Connection: close), sockets told 1001, committed events published, then new connections refused and exit 0 within the grace', async () => {
    // Restarted so that its relay polls rarely: only the shutdown's flush publishes what follows.
    await processes.get('accounts')!.stop();
    const accounts = await start('accounts', { OUTBOX_POLL_MS: '600000', SHUTDOWN_DELAY_MS: '1000' });
    await readyzUntil(base('accounts'), 'ready');
    const eventId = randomUUID();
    const db = await createConnection({
      host: mariadb.hostname,
      port: Number(mariadb.port || 3306),
      user: decodeURIComponent(mariadb.username || 'root'),
      database: `${prefix}_accounts`,
    });
    const streams = new Redis(redis.url);
    try {
      // A commit just before SIGTERM whose relay run has not come yet.
      await db.query(
        'INSERT INTO outbox_event (event_id, topic, payload, occurred_at, created_at) VALUES (?, ?, ?, ?, ?)',
        [eventId, 'accounts.account-created', JSON.stringify({ accountId: eventId }), Date.now(), Date.now()],
      );
      const socket = await openSocket(
        graphqlUrl('accounts'),
        signer.connectionParams(graphqlUrl('accounts'), `Bearer ${admin}`),
      );
      database.pause();
      const body = JSON.stringify({ query: ACCOUNTS_QUERY });
      const inFlight = post(graphqlUrl('accounts'), body, {
        'content-type': 'application/json',
        authorization: `Bearer ${admin}`,
        ...signer.headers({ method: 'POST', path: '/graphql', authorization: `Bearer ${admin}`, body }),
      });
      await new Promise((r) => setTimeout(r, 300));
      const exited = exitOf(accounts);
      const signalled = Date.now();
      accounts.child.kill('SIGTERM');
      // Stopping at once, while still accepting for SHUTDOWN_DELAY_MS.
      expect(await readyzUntil(base('accounts'), 'stopping', 900)).toMatchObject({ code: 503 });
      expect(await socket.closed).toBe(1001);
      await eventually(() =>
        fetch(`${base('accounts')}/healthz`).then(
          () => false,
          () => true,
        ),
      );
      database.resume();
      const answered = await inFlight;
      expect(answered.status).toBe(200);
      expect(answered.connection).toBe('close');
      expect(JSON.parse(answered.body)).toMatchObject({ data: { accounts: expect.any(Array) } });
      const { code, at } = await exited;
      expect(code).toBe(0);
      // Within the grace (5 s) after the delay (1 s).
      expect(at - signalled).toBeLessThan(6000);
      const entries = await streams.xrange(`${prefix}:events:accounts.account-created`, '-', '+');
      expect(entries.some(([, fields]) => fields[1]?.includes(eventId))).toBe(true);
      expect(accounts.output()).toMatch(/shutdown: requests in flight finished/);
    } finally {
      database.resume();
      streams.disconnect();
      await db.end();
    }
    await start('accounts');
  });

  it('SIGTERM on the gateway: a slow request through it completes, its clients told 1001, exit 0', async () => {
    const gateway = processes.get('gateway')!;
    await readyzUntil(base('gateway'), 'ready');
    const socket = await openSocket(graphqlUrl('gateway'), { authorization: `Bearer ${admin}` });
    database.pause();
    try {
      const inFlight = post(graphqlUrl('gateway'), JSON.stringify({ query: ACCOUNTS_QUERY }), {
        'content-type': 'application/json',
        authorization: `Bearer ${admin}`,
      });
      await new Promise((r) => setTimeout(r, 300));
      const exited = exitOf(gateway);
      const signalled = Date.now();
      gateway.child.kill('SIGTERM');
      expect(await socket.closed).toBe(1001);
      database.resume();
      const answered = await inFlight;
      expect(answered.status).toBe(200);
      expect(answered.connection).toBe('close');
      expect(JSON.parse(answered.body)).toMatchObject({ data: { accounts: expect.any(Array) } });
      const { code, at } = await exited;
      expect(code).toBe(0);
      expect(at - signalled).toBeLessThan(5000);
      await expect(fetch(`${base('gateway')}/healthz`)).rejects.toThrow();
    } finally {
      database.resume();
    }
  });
});
