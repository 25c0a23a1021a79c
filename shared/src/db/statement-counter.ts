import { AsyncLocalStorage } from 'node:async_hooks';
import { type Logger as TypeOrmLogger } from 'typeorm';
import { type Logger } from '../logging/logger.js';

const background = new AsyncLocalStorage<true>();

/**
 * Runs background work (outbox relay, event consumers, schedulers) so that its statements are
 * not counted: the counter measures what a request costs, not what happened to run beside it.
 */
export function uncounted<T>(fn: () => Promise<T>): Promise<T> {
  return background.run(true, fn);
}

/**
 * Counts the SQL statements a data source sends, so tests can assert that an operation's
 * statement count does not grow with the rows it returns (the N+1 guard).
 */
export class StatementCounter implements TypeOrmLogger {
  count = 0;
  readonly statements: string[] = [];
  recording = false;

  constructor(private readonly logger?: Logger) {}

  logQuery(query: string): void {
    if (background.getStore()) return;
    this.count += 1;
    if (this.recording) this.statements.push(query);
  }

  logQueryError(error: string | Error, query: string): void {
    this.logger?.warn({ err: error, query }, 'query failed');
  }

  logQuerySlow(time: number, query: string): void {
    this.logger?.warn({ ms: time, query }, 'slow query');
  }

  logSchemaBuild(message: string): void {
    this.logger?.debug({ message }, 'schema build');
  }

  logMigration(message: string): void {
    this.logger?.info({ message }, 'migration');
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger?.warn({ message }, 'typeorm');
    else this.logger?.debug({ message }, 'typeorm');
  }

  /** Runs `fn` and returns how many statements it sent (not safe with concurrent work). */
  async measure<T>(fn: () => Promise<T>): Promise<{ result: T; statements: number; sql: string[] }> {
    const before = this.count;
    const recordedBefore = this.statements.length;
    this.recording = true;
    try {
      const result = await fn();
      return { result, statements: this.count - before, sql: this.statements.slice(recordedBefore) };
    } finally {
      this.recording = false;
      this.statements.length = 0;
    }
  }
}
