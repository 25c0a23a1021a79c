import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { createConnection } from 'mysql2/promise';
import { TEST_MARIADB_URL, TEST_REDIS_URL } from '@lic/testing';

const run = promisify(execFile);

/** The repository root (bench/src or bench/dist are two levels below it). */
export const REPO_ROOT = resolve(__dirname, '..', '..');

/** The packages whose versions decide the figures; read from node_modules, never from the registry. */
const PACKAGES = [
  'graphql',
  '@apollo/gateway',
  '@apollo/server',
  '@apollo/subgraph',
  '@graphql-hive/gateway',
  'type-graphql',
  'typeorm',
  'mysql2',
  'ioredis',
  'graphql-ws',
] as const;

export interface MachineInfo {
  hostname: string;
  platform: string;
  cpuModel: string;
  /** Logical cores Node may use (availableParallelism). */
  cores: number;
  memoryBytes: number;
  /** The cgroup memory limit when the process runs in a container with one. */
  memoryLimitBytes?: number;
  /** Load average over 1, 5 and 15 minutes when the run started (other work competes for the cores). */
  loadAverage: [number, number, number];
  /** `cpuGauge()` when the run started: how fast one core of this host was then. */
  cpuGaugeMs: number;
  node: string;
  mariadb: string;
  redis: string;
  git: { commit: string; dirty: boolean };
  packages: Record<string, string>;
}

/** Describes the machine and versions a report was measured on; an unreachable part reads "unavailable: …". */
export async function describeMachine(): Promise<MachineInfo> {
  const [mariadb, redis, git] = await Promise.all([mariadbVersion(), redisVersion(), gitCommit()]);
  const limit = cgroupMemoryLimit();
  return {
    hostname: os.hostname(),
    platform: `${os.type()} ${os.release()} (${os.arch()})`,
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    memoryBytes: os.totalmem(),
    ...(limit !== undefined ? { memoryLimitBytes: limit } : {}),
    loadAverage: currentLoad(),
    cpuGaugeMs: cpuGauge(),
    node: process.version,
    mariadb,
    redis,
    git,
    packages: packageVersions(),
  };
}

/**
 * Milliseconds one core takes for a fixed piece of work shaped like the services' own (building,
 * serialising and parsing GraphQL-sized JSON, string keys in maps): the median of five runs. Hosts
 * differ, and a shared virtual host's speed drifts by tens of per cent within minutes and by more
 * between days; figures from runs with different gauges are not comparable as they stand.
 */
export function cpuGauge(): number {
  const runs: number[] = [];
  for (let run = 0; run < 5; run += 1) {
    const started = performance.now();
    const seen = new Map<string, number>();
    let checksum = 0;
    for (let i = 0; i < 4000; i += 1) {
      const response = {
        data: {
          logon: {
            session: { id: `session-${i}` },
            acquired: ['I3_ACCESS_CLIENT', 'I3_ACCESS_TRACKER', `I3_POOL_${i % 7}`],
            denied: [],
            statistics: Array.from({ length: 8 }, (_, k) => ({ key: `POOL_${k}`, inUse: (i * k) % 30 })),
          },
        },
      };
      const text = JSON.stringify(response);
      const parsed = JSON.parse(text) as typeof response;
      seen.set(parsed.data.logon.session.id.slice(0, 10), i);
      checksum += text.length + parsed.data.logon.statistics.length;
    }
    if (checksum === 0 || seen.size === 0) throw new Error('cpu gauge did no work');
    runs.push(performance.now() - started);
  }
  runs.sort((a, b) => a - b);
  return runs[2]!;
}

/** The load average now: a run whose load rose while it ran shared the cores with other work. */
export function currentLoad(): [number, number, number] {
  const [l1, l5, l15] = os.loadavg();
  return [l1 ?? 0, l5 ?? 0, l15 ?? 0];
}

async function mariadbVersion(): Promise<string> {
  try {
    const url = new URL(TEST_MARIADB_URL);
    const connection = await createConnection({
      host: url.hostname,
      port: Number(url.port || 3306),
      user: decodeURIComponent(url.username || 'root'),
      password: decodeURIComponent(url.password),
      connectTimeout: 3000,
    });
    try {
      const [rows] = await connection.query('SELECT VERSION() AS version');
      return String((rows as Array<{ version: string }>)[0]?.version ?? 'unknown');
    } finally {
      await connection.end();
    }
  } catch (error) {
    return `unavailable: ${(error as Error).message}`;
  }
}

async function redisVersion(): Promise<string> {
  const redis = new Redis(TEST_REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    connectTimeout: 3000,
  });
  try {
    await redis.connect();
    const info = await redis.info('server');
    return /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
  } catch (error) {
    return `unavailable: ${(error as Error).message}`;
  } finally {
    redis.disconnect();
  }
}

async function gitCommit(): Promise<{ commit: string; dirty: boolean }> {
  try {
    const { stdout } = await run('git', ['rev-parse', 'HEAD'], { cwd: REPO_ROOT });
    // --no-optional-locks: reading the status must not rewrite the index other people are using.
    const status = await run(
      'git',
      ['--no-optional-locks', 'status', '--porcelain', '--untracked-files=no'],
      {
        cwd: REPO_ROOT,
      },
    );
    return { commit: stdout.trim(), dirty: status.stdout.trim().length > 0 };
  } catch {
    return { commit: 'unknown', dirty: false };
  }
}

function cgroupMemoryLimit(): number | undefined {
  for (const file of ['/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/memory/memory.limit_in_bytes']) {
    try {
      const text = readFileSync(file, 'utf8').trim();
      const bytes = Number(text);
      // cgroup v1 reports "no limit" as a huge number; anything above the RAM is no limit either.
      if (Number.isFinite(bytes) && bytes > 0 && bytes < os.totalmem()) return bytes;
      return undefined;
    } catch {
      // try the next layout
    }
  }
  return undefined;
}

function packageVersions(): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const name of PACKAGES) {
    try {
      const text = readFileSync(join(REPO_ROOT, 'node_modules', name, 'package.json'), 'utf8');
      versions[name] = String((JSON.parse(text) as { version?: unknown }).version ?? 'unknown');
    } catch {
      versions[name] = 'not installed';
    }
  }
  return versions;
}
