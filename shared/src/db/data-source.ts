import { mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { DataSource, type EntitySchema, type MigrationInterface } from 'typeorm';
import { type Config, ConfigError } from '../config/config.js';
import { type Logger } from '../logging/logger.js';
import { applyLongTextColumns } from './long-text.js';
import { Database } from './database.js';
import { serializeSqliteTransactions } from './sqlite-transactions.js';
import { StatementCounter } from './statement-counter.js';

type EntityTarget = string | (abstract new (...args: never[]) => unknown) | EntitySchema;
type MigrationClass = new () => MigrationInterface;

export interface DatabaseOptions {
  config: Config;
  /** The subgraph that owns the database: one SQLite file or one MariaDB database each. */
  name: string;
  entities: EntityTarget[];
  migrations: MigrationClass[];
  logger?: Logger;
  /**
   * MariaDB: let one query carry several statements (allocation sends a logon's writes and its
   * commit as one batch). Parameters are still escaped by the driver, statement by statement.
   */
  multipleStatements?: boolean;
}

export function mariadbDatabaseName(prefix: string, name: string): string {
  return `${prefix}_${name}`;
}

/**
 * How to reach MariaDB/MySQL from DATABASE_URL: `mysql://user:password@host:port`, or, for a
 * server on the same machine, its Unix socket: `mysql://user@localhost/?socket=/run/mysqld/mysqld.sock`
 * (a round trip costs both sides about half the CPU of one over loopback TCP).
 */
export function mariadbConnectionOptions(databaseUrl: string): {
  host: string;
  port: number;
  socketPath?: string;
  user: string;
  password: string;
} {
  const url = new URL(databaseUrl);
  const socketPath = url.searchParams.get('socket') ?? undefined;
  return {
    host: url.hostname || 'localhost',
    port: Number(url.port || 3306),
    ...(socketPath ? { socketPath } : {}),
    user: decodeURIComponent(url.username || 'root'),
    password: decodeURIComponent(url.password),
  };
}

/**
 * The embedded mode writes its SQLite files under DATA_DIR: a directory it cannot write (a
 * read-only mount, no permission) is said plainly at start, instead of SQLite's SQLITE_CANTOPEN.
 */
export function assertWritableDataDir(dir: string): void {
  const probe = join(dir, `.write-probe-${process.pid}`);
  try {
    writeFileSync(probe, '');
    unlinkSync(probe);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown';
    if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') {
      throw new ConfigError([
        `DATA_DIR ${dir} is not writable (${code === 'EROFS' ? 'read-only file system, EROFS' : code}): the embedded mode keeps its SQLite databases there and must be able to write them`,
      ]);
    }
    // A full disk (ENOSPC) still starts: reads are served and writes are refused with
    // STORAGE_UNAVAILABLE until there is room again.
  }
}

/** Opens the subgraph's database and brings its schema up to date through its migrations. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const { config, name, entities, migrations, logger, multipleStatements = false } = options;
  const statements = new StatementCounter(logger);
  if (config.database.kind === 'sqlite') {
    const dir = resolve(config.dataDir);
    mkdirSync(dir, { recursive: true });
    assertWritableDataDir(dir);
    const dataSource = new DataSource({
      type: 'better-sqlite3',
      database: join(dir, `${name}.sqlite`),
      enableWAL: true,
      prepareDatabase: (db: { pragma(sql: string): unknown }) => {
        db.pragma('busy_timeout = 5000');
        db.pragma('foreign_keys = ON');
        db.pragma('synchronous = NORMAL');
      },
      entities,
      migrations,
      synchronize: false,
      migrationsRun: true,
      migrationsTransactionMode: 'each',
      logger: statements,
      logging: ['query', 'error', 'warn', 'migration'],
    });
    await dataSource.initialize();
    serializeSqliteTransactions(dataSource);
    return new Database(dataSource, statements);
  }

  const database = mariadbDatabaseName(config.database.prefix, name);
  const connection = mariadbConnectionOptions(config.database.url);
  // Replicas start together: one runs the migrations while the others wait on a named lock.
  const admin = await createConnection(connection);
  try {
    await admin.query(
      `CREATE DATABASE IF NOT EXISTS \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`,
    );
    await admin.query('SELECT GET_LOCK(?, 120)', [`migrate:${database}`]);
    const dataSource = new DataSource({
      type: 'mariadb',
      ...connection,
      username: connection.user,
      database,
      timezone: 'Z',
      charset: 'utf8mb4_bin',
      supportBigNumbers: true,
      bigNumberStrings: true,
      // No stack captured per query (mysql2's `trace`): a few per cent of a busy subgraph's CPU.
      extra: { connectionLimit: 20, trace: false, multipleStatements },
      entities,
      migrations,
      synchronize: false,
      migrationsRun: false,
      migrationsTransactionMode: 'each',
      logger: statements,
      logging: ['query', 'error', 'warn', 'migration'],
    });
    await dataSource.initialize();
    applyLongTextColumns(dataSource);
    try {
      await dataSource.runMigrations({ transaction: 'each' });
    } catch (error) {
      await dataSource.destroy();
      throw error;
    }
    return new Database(dataSource, statements);
  } finally {
    await admin.query('SELECT RELEASE_LOCK(?)', [`migrate:${database}`]).catch(() => undefined);
    await admin.end();
  }
}

/** Drops the MariaDB databases a test run created (the test helpers use a unique prefix). */
export async function dropMariadbDatabases(databaseUrl: string, prefix: string): Promise<void> {
  const admin = await createConnection(mariadbConnectionOptions(databaseUrl));
  try {
    const [rows] = await admin.query('SHOW DATABASES');
    for (const row of rows as Array<Record<string, string>>) {
      const db = Object.values(row)[0];
      if (db && db.startsWith(`${prefix}_`)) await admin.query(`DROP DATABASE \`${db}\``);
    }
  } finally {
    await admin.end();
  }
}
