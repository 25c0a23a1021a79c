import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Config,
  type GatewaySigner,
  type TokenClaims,
  dropMariadbDatabases,
  gatewaySigner,
  loadConfig,
  signToken,
} from '@lic/shared';

export type TestDatabase = 'sqlite' | 'mariadb';

/** Real servers the tests use (CI starts them; see .ci/run). */
export const TEST_MARIADB_URL = process.env['TEST_DATABASE_URL'] ?? 'mysql://root@127.0.0.1:3306';
export const TEST_REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

export interface TestEnvironment {
  config: Config;
  /** Removes the SQLite directory or drops the MariaDB databases this environment created. */
  cleanup(): Promise<void>;
}

/**
 * A configuration for one test: free ports, a private SQLite directory or MariaDB database
 * prefix (created on first use, dropped by cleanup), Redis when asked for.
 */
export function testEnvironment(
  options: { database?: TestDatabase; redis?: boolean; env?: Record<string, string> } = {},
): TestEnvironment {
  const database = options.database ?? 'sqlite';
  const id = randomBytes(4).toString('hex');
  const dataDir = mkdtempSync(join(tmpdir(), 'lic-test-'));
  const prefix = `lictest_${id}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    GATEWAY_PORT: '0',
    ACCOUNTS_PORT: '0',
    ALLOCATION_PORT: '0',
    BILLING_PORT: '0',
    ENFORCEMENT_PORT: '0',
    OUTBOX_POLL_MS: '100',
    SEED_DEMO_DATA: 'false',
    ...(database === 'mariadb' ? { DATABASE_URL: TEST_MARIADB_URL, DATABASE_PREFIX: prefix } : {}),
    ...(options.redis ? { REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: `lictest:${id}:` } : {}),
    ...options.env,
  });
  return {
    config,
    cleanup: async () => {
      rmSync(dataDir, { recursive: true, force: true });
      if (database === 'mariadb') await dropMariadbDatabases(TEST_MARIADB_URL, prefix);
      if (options.redis) await deleteRedisKeys(TEST_REDIS_URL, `lictest:${id}:*`);
    },
  };
}

/** Runs a suite once per database engine: the same assertions on SQLite and on MariaDB. */
export function describeEachDatabase(name: string, suite: (database: TestDatabase) => void): void {
  for (const database of ['sqlite', 'mariadb'] as const) {
    describe(`${name} [${database}]`, () => suite(database));
  }
}

let defaultSigner: GatewaySigner | undefined;

/**
 * Signs requests as the gateway does, for tests that call a subgraph directly (subgraphs answer
 * nothing else). Without a config: the secret every testEnvironment shares (none sets
 * SUBGRAPH_SECRET or JWT_SECRET unless asked to).
 */
export function testSigner(config?: Config): GatewaySigner {
  if (config) return gatewaySigner(config);
  return (defaultSigner ??= gatewaySigner(loadConfig({ NODE_ENV: 'test' })));
}

export function tokenFor(
  config: Config,
  claims: Partial<TokenClaims> & Pick<TokenClaims, 'roles'>,
): Promise<string> {
  return signToken(config, { sub: claims.sub ?? `test-${claims.roles.join('-').toLowerCase()}`, ...claims });
}

/** Polls until `check` returns a value (not undefined/false) or the time is up; what it threw last is in the error. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
      // Not yet, and no error: an error of an earlier try no longer explains the wait. (A check
      // must return a value: `() => expect(…)` returns undefined even when it passes.)
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`condition not met within ${timeoutMs} ms${lastError ? `: ${String(lastError)}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Deletes the keys matching `pattern` (a test's own prefix) from the Redis at `url`. */
export async function deleteRedisKeys(url: string, pattern: string): Promise<void> {
  const redis = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
