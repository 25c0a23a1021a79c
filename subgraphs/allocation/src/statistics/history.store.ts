import {
  BackgroundTask,
  type Clock,
  type Config,
  type Logger,
  type Principal,
  badInput,
  execute,
} from '@lic/shared';
import { type Db } from '../db/db.js';
import { concurrentTwin, licenseOf } from '../rules/licenses.js';
import { type ServerService } from '../server/server.service.js';
import {
  HistoryFold,
  type HistoryCell,
  type HistoryPoint,
  type HistorySample,
  MAX_HISTORY_POINTS,
  RESOLUTIONS,
  RESOLUTION_MS,
  type Resolution,
  type StoredBucket,
  bucketOf,
  historyPoints,
} from './history.js';

const TABLE = 'license_usage_history';
/** Rows per INSERT (7 parameters each: well under SQLite's and MariaDB's placeholder limits). */
const CHUNK = 500;
const PRUNE_EVERY_MS = 3_600_000;

export type HistorySettings = Config['usageHistory'];

/** Writes the folded cells: one upsert per chunk, newest read's in-use wins, peaks kept (GREATEST). */
export function upsertSql(kind: Db['kind'], rows: number): string {
  const values = Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?, ?)').join(', ');
  const insert = `INSERT INTO ${TABLE} (server_id, license_key, resolution, bucket_at, in_use, version, peak) VALUES ${values}`;
  // MariaDB assigns left to right (later expressions see the new values): in_use before version.
  return kind === 'mariadb'
    ? `${insert} ON DUPLICATE KEY UPDATE ` +
        'in_use = CASE WHEN VALUES(version) >= version THEN VALUES(in_use) ELSE in_use END, ' +
        'version = GREATEST(version, VALUES(version)), peak = GREATEST(peak, VALUES(peak))'
    : `${insert} ON CONFLICT (server_id, license_key, resolution, bucket_at) DO UPDATE SET ` +
        `in_use = CASE WHEN excluded.version >= ${TABLE}.version THEN excluded.in_use ELSE ${TABLE}.in_use END, ` +
        `version = MAX(${TABLE}.version, excluded.version), peak = MAX(${TABLE}.peak, excluded.peak)`;
}

/**
 * Licence usage history kept by the platform. Samples come from the statistics publisher (its
 * coalesced reads after changes, so the logon path gains no statement); they are folded in memory
 * and written every `flushSeconds` in one statement covering the minute, hour and day buckets, so
 * the roll-up is written as the minutes are. Several processes on one database merge: the newest
 * read's in-use wins by statistics version, peaks by GREATEST. Old buckets are pruned per
 * resolution.
 */
export class UsageHistory {
  private readonly fold = new HistoryFold();
  /** Every flushSeconds (the first after one interval); flushes run one after another. */
  private readonly flusher: BackgroundTask<void>;
  /** At start, then hourly; an hour that finds a prune still running skips it. */
  private readonly pruner: BackgroundTask<number>;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly servers: ServerService,
    private readonly settings: HistorySettings,
    private readonly logger: Logger,
  ) {
    const flushMs = settings.flushSeconds * 1000;
    this.flusher = new BackgroundTask({
      run: () => this.flushFolded(),
      pollMs: flushMs,
      firstPollMs: flushMs,
      logger,
      failureMessage: 'usage history flush failed',
    });
    this.pruner = new BackgroundTask({
      run: () => this.prune(),
      pollMs: PRUNE_EVERY_MS,
      whileRunning: 'skip',
      logger,
      failureMessage: 'usage history prune failed',
    });
  }

  observe(sample: HistorySample): void {
    this.fold.observe(sample);
  }

  start(): void {
    this.flusher.start();
    this.pruner.start();
  }

  /** Writes what was folded since the last flush (kept for the next one if the write fails). */
  flush(): Promise<void> {
    return this.flusher.runNow();
  }

  private async flushFolded(): Promise<void> {
    const cells = this.fold.drain();
    if (cells.length === 0) return;
    try {
      await this.write(cells);
    } catch (error) {
      this.fold.restore(cells);
      this.logger.warn({ err: error, cells: cells.length }, 'usage history flush failed');
    }
  }

  private async write(cells: HistoryCell[]): Promise<void> {
    // One order for every writer, so two processes' upserts never lock rows in opposite orders.
    cells.sort((a, b) =>
      a.serverId !== b.serverId
        ? a.serverId < b.serverId
          ? -1
          : 1
        : a.key !== b.key
          ? a.key < b.key
            ? -1
            : 1
          : a.resolution !== b.resolution
            ? a.resolution < b.resolution
              ? -1
              : 1
            : a.bucketAt - b.bucketAt,
    );
    for (let i = 0; i < cells.length; i += CHUNK) {
      const chunk = cells.slice(i, i + CHUNK);
      const params = chunk.flatMap((c) => [
        c.serverId,
        c.key,
        c.resolution,
        c.bucketAt,
        c.inUse,
        c.version,
        c.peak,
      ]);
      await this.db.tx((m) => m.query(upsertSql(this.db.kind, chunk.length), params));
    }
  }

  /** Deletes buckets older than their resolution's retention; returns how many. */
  async prune(): Promise<number> {
    const now = this.clock.now().getTime();
    const keep: Record<Resolution, number> = {
      MINUTE: this.settings.minuteRetentionHours * 3_600_000,
      HOUR: this.settings.hourRetentionDays * 86_400_000,
      DAY: this.settings.dayRetentionDays * 86_400_000,
    };
    let deleted = 0;
    for (const resolution of RESOLUTIONS) {
      const before = bucketOf(now - keep[resolution], resolution);
      deleted += await this.db.tx((m) =>
        execute(m, `DELETE FROM ${TABLE} WHERE resolution = ? AND bucket_at < ?`, [resolution, before]),
      );
    }
    return deleted;
  }

  /** Stops both loops (waiting for a run in flight), then writes what is left. */
  async stop(): Promise<void> {
    await Promise.all([this.flusher.stop(), this.pruner.stop()]);
    await this.flush();
  }

  /** A licence's usage over [from, to) at a resolution, for a caller who may read the server. */
  async history(
    principal: Principal | undefined,
    serverId: string,
    key: string,
    from: Date,
    to: Date,
    resolution: Resolution,
  ): Promise<HistoryPoint[]> {
    const license = licenseOf(key.trim());
    if (license.length === 0 || license.length > 120) throw badInput('key must be a licence key', 'key');
    if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || from >= to)
      throw badInput('from must be before to', 'from');
    const step = RESOLUTION_MS[resolution];
    const start = bucketOf(from.getTime(), resolution);
    const points = Math.ceil((to.getTime() - start) / step);
    if (points > MAX_HISTORY_POINTS)
      throw badInput(
        `at most ${MAX_HISTORY_POINTS} points per call: ask for a shorter range or a coarser resolution (this asks for ${points})`,
        'to',
      );
    const server = await this.servers.require(principal, serverId, 'read');
    const end = to.getTime();
    const { before, buckets, denials } = await this.db.read(async (m) => {
      const rows = (await m.query(
        `SELECT bucket_at, in_use, peak FROM ${TABLE} WHERE server_id = ? AND license_key = ? AND resolution = ? ` +
          'AND bucket_at >= ? AND bucket_at < ? ORDER BY bucket_at',
        [server.id, license, resolution, start, end],
      )) as Array<Record<string, unknown>>;
      // The in-use carried into the range: the newest read among buckets that ended by its start
      // (at any resolution, so a licence unchanged for longer than minutes are kept still has one).
      let carried: (StoredBucket & { version: number }) | undefined;
      for (const r of RESOLUTIONS) {
        const [row] = (await m.query(
          `SELECT bucket_at, in_use, peak, version FROM ${TABLE} WHERE server_id = ? AND license_key = ? ` +
            'AND resolution = ? AND bucket_at <= ? ORDER BY bucket_at DESC LIMIT 1',
          [server.id, license, r, start - RESOLUTION_MS[r]],
        )) as Array<Record<string, unknown>>;
        if (row && (!carried || Number(row.version) > carried.version))
          carried = { ...toBucket(row), version: Number(row.version) };
      }
      // Denials are the unit's (a switchover pair's, whichever member reported them), of both pools.
      const counted = (await m.query(
        'SELECT occurred_at - (occurred_at % ?) AS bucket_at, COUNT(*) AS n FROM license_denial ' +
          'WHERE server_id = ? AND pool_key IN (?, ?) AND occurred_at >= ? AND occurred_at < ? ' +
          'GROUP BY occurred_at - (occurred_at % ?)',
        [step, server.unitId, license, concurrentTwin(license), start, end, step],
      )) as Array<Record<string, unknown>>;
      return {
        before: carried,
        buckets: rows.map(toBucket),
        denials: new Map(counted.map((c) => [Number(c.bucket_at), Number(c.n)])),
      };
    });
    return historyPoints({
      from: from.getTime(),
      to: end,
      now: this.clock.now().getTime(),
      resolution,
      before,
      buckets,
      denials,
    });
  }
}

function toBucket(row: Record<string, unknown>): StoredBucket {
  return { bucketAt: Number(row.bucket_at), inUse: Number(row.in_use), peak: Number(row.peak) };
}
