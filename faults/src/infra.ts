import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createConnection } from 'mysql2/promise';
import { freePort, privateRedisArgs } from '@lic/testing';

const run = promisify(execFile);

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `check` until it returns true or `timeoutMs` passes; the time it took, or undefined. */
export async function until(
  check: () => Promise<boolean>,
  timeoutMs: number,
  everyMs = 200,
): Promise<number | undefined> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await check().catch(() => false)) return Date.now() - started;
    await sleep(everyMs);
  }
  return undefined;
}

/** A program the suite owns (Redis, MariaDB): it may kill and restart it at will. */
export interface OwnedServer {
  port: number;
  url: string;
  pid(): number | undefined;
  /** kill -9, then wait for the exit. */
  kill(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

async function spawnUntil(command: string, args: string[], ready: () => Promise<boolean>, what: string) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-4000)));
  child.stderr?.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-4000)));
  const took = await until(async () => child.exitCode === null && (await ready()), 60_000, 100);
  if (took === undefined) {
    child.kill('SIGKILL');
    throw new Error(`${what} did not start within 60 s:\n${out}`);
  }
  return child;
}

async function killChild(child: ChildProcess | undefined, signal: NodeJS.Signals): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

/** A redis-server on a scratch port with no persistence: a restart comes back empty. */
export async function ownRedis(): Promise<OwnedServer> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const ping = async () => {
    try {
      const { stdout } = await run('redis-cli', ['-p', String(port), 'ping'], { timeout: 2000 });
      return stdout.trim() === 'PONG';
    } catch {
      return false;
    }
  };
  const server: OwnedServer = {
    port,
    url: `redis://127.0.0.1:${port}`,
    pid: () => (child && child.exitCode === null && child.signalCode === null ? child.pid : undefined),
    start: async () => {
      child = await spawnUntil(
        'redis-server',
        privateRedisArgs(port, ['--maxclients', '20000']),
        ping,
        'redis-server',
      );
    },
    kill: () => killChild(child, 'SIGKILL'),
    stop: () => killChild(child, 'SIGTERM'),
  };
  await server.start();
  return server;
}

/** A mariadbd with its own data directory and port (root without a password over TCP). */
export async function ownMariadb(
  dir: string,
): Promise<OwnedServer & { threadsConnected(): Promise<number> }> {
  const port = await freePort();
  const datadir = join(dir, 'mariadb');
  if (!existsSync(join(datadir, 'mysql'))) {
    mkdirSync(datadir, { recursive: true });
    await run('mariadb-install-db', [
      '--no-defaults',
      `--datadir=${datadir}`,
      '--user=root',
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
    ]);
  }
  const url = `mysql://root@127.0.0.1:${port}/`;
  let child: ChildProcess | undefined;
  const query = async <T>(sql: string): Promise<T> => {
    const connection = await createConnection({
      host: '127.0.0.1',
      port,
      user: 'root',
      connectTimeout: 2000,
    });
    try {
      const [rows] = await connection.query(sql);
      return rows as T;
    } finally {
      await connection.end().catch(() => undefined);
    }
  };
  const server = {
    port,
    url,
    pid: () => (child && child.exitCode === null && child.signalCode === null ? child.pid : undefined),
    start: async () => {
      child = await spawnUntil(
        'mariadbd',
        [
          '--no-defaults',
          `--datadir=${datadir}`,
          `--port=${port}`,
          '--bind-address=127.0.0.1',
          `--socket=${join(dir, 'mariadb.sock')}`,
          `--pid-file=${join(dir, 'mariadb.pid')}`,
          '--user=root',
          '--skip-name-resolve',
          '--skip-log-bin',
          '--innodb-buffer-pool-size=128M',
          '--innodb-flush-log-at-trx-commit=2',
          '--max-connections=1000',
        ],
        async () => {
          try {
            await query('SELECT 1');
            return true;
          } catch {
            return false;
          }
        },
        'mariadbd',
      );
    },
    kill: () => killChild(child, 'SIGKILL'),
    stop: () => killChild(child, 'SIGTERM'),
    threadsConnected: async () => {
      const rows = await query<Array<{ Value: string }>>("SHOW STATUS LIKE 'Threads_connected'");
      return Number(rows[0]?.Value ?? NaN);
    },
  };
  await server.start();
  return server;
}
