import { createHash, randomUUID } from 'node:crypto';
import { Between, In } from 'typeorm';
import {
  DAY_MS,
  type Clock,
  type Principal,
  assertNotInFuture,
  badInput,
  type Database,
  chunks,
  num,
  placeholders,
} from '@lic/shared';
import { BillingServer } from '../account/billing-server.entity.js';
import { type BillingPeriod } from '../rules/billing-period.js';
import { type TrackingService } from '../tracking/tracking.service.js';
import { modeAt } from '../tracking/tracking-windows.js';
import { decryptUsageFile, encryptUsageFile } from './usage-file-crypto.js';
import { usageFileName } from './usage-file-name.js';
import { type UsageRecord, decodeRecords, encodeRecords } from './usage-records.js';
import { type UsageDeriver } from '../usage/usage-deriver.js';
import { type UsageIngest, utcDayNumber } from '../usage/usage-ingest.service.js';
import { dayNumberOf, dayText, fileMode, segmentsOfDay } from './file-segments.js';
import { type UploadStatusSummary, uploadStatus } from './upload-status.js';
import { type UploadMode, UsageFileState } from './usage-file-state.entity.js';
import { UsageFileUploadRow } from './usage-file-upload.entity.js';

/** One usage file of a server, as the catalogue derives it from the stored usage. */
export interface UsageFileInfo {
  id: string;
  serverId: string;
  accountId: string;
  fileName: string;
  day: string;
  sequence: number;
  start: number;
  end: number;
  mode: 'AUTOMATED' | 'MANUAL';
  uploadedAt: number | null;
  uploadMode: UploadMode | null;
}

export interface UploadResult {
  id: string;
  serverId: string;
  fileName: string;
  day: string;
  sequence: number;
  fileStart: number;
  records: number;
  ingestedRecords: number;
  duplicate: boolean;
  uploadedAt: number;
}

/** Files older than this are not re-examined by the daily automated upload. */
export const AUTOMATED_UPLOAD_LOOKBACK_DAYS = 62;

export const fileIdOf = (serverId: string, start: number): string => `${serverId}~${start}`;

export function parseFileId(id: string): { serverId: string; start: number } {
  const at = id.lastIndexOf('~');
  const start = Number(id.slice(at + 1));
  if (at <= 0 || !Number.isSafeInteger(start)) throw badInput('not a usage file id', 'id');
  return { serverId: id.slice(0, at), start };
}

type Scope = { serverIds: readonly string[] } | { accountIds: readonly string[] };

/**
 * Usage files: one per server per UTC day plus one more per restart (reference Appendix A),
 * derived from the stored tracked events, sealed with AES-256-GCM when downloaded. Uploads
 * (automated daily, or manual through `uploadUsageFile`) are recorded per file for the
 * deadline of SPEC §3.
 */
export class UsageFileService {
  constructor(
    private readonly database: Database,
    private readonly tracking: TrackingService,
    private readonly deriver: UsageDeriver,
    private readonly ingest: UsageIngest,
    private readonly clock: Clock,
    private readonly keyHex: string,
    /** How far ahead of our clock a record may lie (EVENT_IN_FUTURE beyond), as for a logon reported alone. */
    private readonly futureToleranceSeconds: number,
  ) {}

  /** The files of the servers (or accounts) in scope whose day lies in [fromDay, toDay). */
  async catalog(scope: Scope, fromDay: number, toDay: number): Promise<UsageFileInfo[]> {
    const servers =
      'serverIds' in scope
        ? scope.serverIds.length === 0
          ? []
          : await this.database.dataSource
              .getRepository(BillingServer)
              .findBy({ serverId: In([...scope.serverIds]) })
        : scope.accountIds.length === 0
          ? []
          : await this.database.dataSource
              .getRepository(BillingServer)
              .findBy({ accountId: In([...scope.accountIds]) });
    if (servers.length === 0 || toDay <= fromDay) return [];
    const ids = servers.map((s) => s.serverId);
    await this.deriver.catchUp({ serverIds: ids });
    const from = fromDay * DAY_MS;
    const to = toDay * DAY_MS;
    const days = (await this.database.dataSource.query(
      `SELECT server_id, day, MIN(occurred_at) AS first_at FROM usage_event
       WHERE server_id IN (${placeholders(ids.length)}) AND day >= ? AND day < ? AND tracked = 1
       GROUP BY server_id, day`,
      [...ids, fromDay, toDay],
    )) as Array<{ server_id: string; day: unknown; first_at: unknown }>;
    const restarts = (await this.database.dataSource.query(
      `SELECT server_id, occurred_at FROM billing_server_start
       WHERE server_id IN (${placeholders(ids.length)}) AND occurred_at >= ? AND occurred_at < ?`,
      [...ids, from, to],
    )) as Array<{ server_id: string; occurred_at: unknown }>;
    const states = await this.database.dataSource.getRepository(UsageFileState).find({
      where: { serverId: In(ids), fileStart: Between(from, to - 1) },
    });
    const windows = await this.tracking.windowsOf(ids);

    const perDay = new Map<
      string,
      { serverId: string; day: number; firstAt: number | null; restarts: number[] }
    >();
    const entry = (serverId: string, day: number) => {
      const key = `${serverId}|${day}`;
      let e = perDay.get(key);
      if (!e) {
        e = { serverId, day, firstAt: null, restarts: [] };
        perDay.set(key, e);
      }
      return e;
    };
    for (const row of days) entry(row.server_id, num(row.day)).firstAt = num(row.first_at);
    for (const row of restarts) {
      const at = num(row.occurred_at);
      if (modeAt(windows.get(row.server_id) ?? [], at) !== 'NONE')
        entry(row.server_id, utcDayNumber(at)).restarts.push(at);
    }
    const stateOf = new Map(states.map((s) => [fileIdOf(s.serverId, s.fileStart), s]));
    const serverOf = new Map(servers.map((s) => [s.serverId, s]));

    const files: UsageFileInfo[] = [];
    for (const { serverId, day, firstAt, restarts: cuts } of perDay.values()) {
      const server = serverOf.get(serverId)!;
      for (const segment of segmentsOfDay(day, firstAt, cuts)) {
        const mode = fileMode(windows.get(serverId) ?? [], segment.start, segment.end);
        if (mode === 'NONE') continue;
        const id = fileIdOf(serverId, segment.start);
        const state = stateOf.get(id);
        files.push({
          id,
          serverId,
          accountId: server.accountId,
          fileName: usageFileName(server.name ?? serverId, dayText(day), segment.sequence),
          day: dayText(day),
          sequence: segment.sequence,
          start: segment.start,
          end: segment.end,
          mode,
          uploadedAt: state?.uploadedAt ?? null,
          uploadMode: state?.uploadMode ?? null,
        });
      }
    }
    return files.sort((a, b) => a.serverId.localeCompare(b.serverId) || a.start - b.start);
  }

  /** How many records each file holds (one grouped query per server). */
  async recordCounts(files: readonly UsageFileInfo[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>(files.map((f) => [f.id, 0]));
    const byServer = new Map<string, UsageFileInfo[]>();
    for (const f of files) byServer.set(f.serverId, [...(byServer.get(f.serverId) ?? []), f]);
    for (const [serverId, list] of byServer) {
      const starts = [...new Set(list.map((f) => f.start))].sort((a, b) => b - a);
      // Each event belongs to the latest file start of its day at or before it.
      const whens = starts
        .filter((s) => s % DAY_MS !== 0)
        .map((s) => `WHEN occurred_at >= ${s} AND day = ${utcDayNumber(s)} THEN ${s}`)
        .join(' ');
      const fileStart = whens ? `CASE ${whens} ELSE day * ${DAY_MS} END` : `day * ${DAY_MS}`;
      const days = list.map((f) => utcDayNumber(f.start));
      const rows = (await this.database.dataSource.query(
        `SELECT ${fileStart} AS file_start, COUNT(*) AS n FROM usage_event
         WHERE server_id = ? AND tracked = 1 AND day >= ? AND day <= ? GROUP BY ${fileStart}`,
        [serverId, Math.min(...days), Math.max(...days)],
      )) as Array<{ file_start: unknown; n: unknown }>;
      for (const row of rows) {
        const id = fileIdOf(serverId, num(row.file_start));
        if (counts.has(id)) counts.set(id, num(row.n));
      }
    }
    return counts;
  }

  /** The sealed content of each file (one query for all of them). */
  async contents(files: readonly UsageFileInfo[]): Promise<Map<string, string>> {
    const records = new Map<string, UsageRecord[]>(files.map((f) => [f.id, []]));
    for (const chunk of chunks(files, 50)) {
      const where = chunk
        .map(() => '(server_id = ? AND day = ? AND occurred_at >= ? AND occurred_at < ?)')
        .join(' OR ');
      const rows = (await this.database.dataSource.query(
        `SELECT event_id, server_id, user_id, type, occurred_at, application, licenses, telephone_only FROM usage_event
         WHERE tracked = 1 AND (${where}) ORDER BY occurred_at, event_id`,
        chunk.flatMap((f) => [f.serverId, utcDayNumber(f.start), f.start, f.end]),
      )) as Array<Record<string, unknown>>;
      for (const row of rows) {
        const at = num(row['occurred_at']);
        const file = chunk.find((f) => f.serverId === row['server_id'] && f.start <= at && at < f.end);
        if (!file) continue;
        const application = row['application'];
        records.get(file.id)!.push({
          type: row['type'] as 'logon' | 'logoff',
          userId: String(row['user_id']),
          licenses: JSON.parse(String(row['licenses'])) as string[],
          occurredAt: new Date(at),
          eventId: String(row['event_id']),
          ...(typeof application === 'string' ? { application } : {}),
          ...(num(row['telephone_only']) === 1 ? { telephoneOnly: true } : {}),
        });
      }
    }
    return new Map(
      files.map((f) => [
        f.id,
        encryptUsageFile(encodeRecords(records.get(f.id) ?? []), this.keyHex, {
          serverId: f.serverId,
          day: f.day,
          sequence: f.sequence,
          fileName: f.fileName,
        }),
      ]),
    );
  }

  /**
   * Ingests a usage file uploaded by hand. The file must open with this installation's key and
   * name this server; otherwise it is refused (BAD_USER_INPUT) and nothing is stored. The same
   * content uploaded again changes nothing and says so.
   */
  async upload(principal: Principal, server: BillingServer, content: string): Promise<UploadResult> {
    const { plaintext, meta } = decryptUsageFile(content, this.keyHex, { serverId: server.serverId });
    const records = decodeRecords(plaintext);
    const dayStart = dayNumberOf(meta.day) * DAY_MS;
    const outside = records.findIndex(
      (r) => r.occurredAt.getTime() < dayStart || r.occurredAt.getTime() >= dayStart + DAY_MS,
    );
    if (outside >= 0) {
      throw badInput(
        `Usage file ${meta.fileName} is inconsistent: record ${outside + 1} is not from ${meta.day}`,
        'content',
      );
    }
    // A logon or logoff not yet happened would bill time nobody used: the whole file is refused.
    const received = this.clock.now();
    for (const r of records) assertNotInFuture(r.occurredAt, received, this.futureToleranceSeconds);
    const digest = createHash('sha256').update(plaintext).digest('hex');
    const now = received.getTime();
    const windows = (await this.tracking.windowsOf([server.serverId])).get(server.serverId) ?? [];
    const result = await this.database.transaction(async (manager) => {
      const previous = await manager.findOneBy(UsageFileUploadRow, { serverId: server.serverId, digest });
      if (previous) return { ...this.resultOf(previous), ingestedRecords: 0, duplicate: true };
      const restarts = (await manager.query(
        'SELECT occurred_at FROM billing_server_start WHERE server_id = ? AND occurred_at >= ? AND occurred_at < ? ORDER BY occurred_at',
        [server.serverId, dayStart, dayStart + DAY_MS],
      )) as Array<{ occurred_at: unknown }>;
      const fileStart = fileStartFor(
        dayStart,
        meta.sequence,
        restarts.map((r) => num(r.occurred_at)).filter((at) => modeAt(windows, at) !== 'NONE'),
        records,
      );
      const ingested = await this.ingest.store(
        manager,
        records.map((r) => ({
          eventId: r.eventId,
          serverId: server.serverId,
          accountId: server.accountId,
          userId: r.userId,
          type: r.type,
          occurredAt: r.occurredAt.getTime(),
          application: r.application ?? null,
          licenses: r.licenses,
          ...(r.telephoneOnly === true ? { telephoneOnly: true } : {}),
        })),
        'FILE',
      );
      await manager
        .createQueryBuilder()
        .insert()
        .into(UsageFileState)
        .values({ serverId: server.serverId, fileStart, uploadedAt: now, uploadMode: 'MANUAL' })
        .orIgnore()
        .execute();
      const row: UsageFileUploadRow = {
        id: randomUUID(),
        serverId: server.serverId,
        fileStart,
        fileName: meta.fileName,
        day: meta.day,
        sequence: meta.sequence,
        digest,
        records: records.length,
        ingestedRecords: ingested,
        uploadedBy: principal.sub.slice(0, 200),
        uploadedAt: now,
      };
      await manager.insert(UsageFileUploadRow, row);
      return { ...this.resultOf(row), duplicate: false };
    });
    if (result.ingestedRecords > 0) this.deriver.kick();
    return result;
  }

  private resultOf(row: UsageFileUploadRow): Omit<UploadResult, 'duplicate'> {
    return {
      id: row.id,
      serverId: row.serverId,
      fileName: row.fileName,
      day: row.day,
      sequence: row.sequence,
      fileStart: row.fileStart,
      records: row.records,
      ingestedRecords: row.ingestedRecords,
      uploadedAt: row.uploadedAt,
    };
  }

  /**
   * The daily automated upload: every complete file of a server whose licence uploads
   * automatically is marked uploaded at `now`. Run by the scheduler; safe to run any number of
   * times (a file is marked once).
   */
  async markAutomatedUploads(now: Date): Promise<number> {
    const nowMs = now.getTime();
    const today = utcDayNumber(nowMs);
    const accounts = (await this.database.dataSource.query(
      'SELECT DISTINCT account_id FROM billing_server',
    )) as Array<{
      account_id: string;
    }>;
    let marked = 0;
    for (const chunk of chunks(
      accounts.map((a) => a.account_id),
      50,
    )) {
      const files = await this.catalog(
        { accountIds: chunk },
        today - AUTOMATED_UPLOAD_LOOKBACK_DAYS,
        today + 1,
      );
      const due = files.filter((f) => f.mode === 'AUTOMATED' && f.end <= nowMs && f.uploadedAt === null);
      await this.database.transaction(async (manager) => {
        for (const part of chunks(due, 200)) {
          await manager
            .createQueryBuilder()
            .insert()
            .into(UsageFileState)
            .values(
              part.map((f) => ({
                serverId: f.serverId,
                fileStart: f.start,
                uploadedAt: nowMs,
                uploadMode: 'AUTOMATED' as const,
              })),
            )
            .orIgnore()
            .execute();
        }
      });
      marked += due.length;
    }
    return marked;
  }

  /** Upload status of each account for a period, at `now`. */
  async uploadStatuses(
    accountIds: readonly string[],
    period: BillingPeriod,
    now: Date,
  ): Promise<Map<string, UploadStatusSummary>> {
    const files = await this.catalog(
      { accountIds },
      utcDayNumber(period.start.getTime()),
      utcDayNumber(period.end.getTime()),
    );
    return new Map(
      accountIds.map((id) => [
        id,
        uploadStatus(
          period,
          files.filter((f) => f.accountId === id),
          now.getTime(),
        ),
      ]),
    );
  }
}

/**
 * Which of our files an uploaded one is: its sequence names the day's n-th file when we know
 * the restarts that cut the day; otherwise the file holding its first record.
 */
export function fileStartFor(
  dayStart: number,
  sequence: number,
  restarts: readonly number[],
  records: readonly UsageRecord[],
): number {
  const boundaries = [dayStart, ...restarts.filter((r) => r > dayStart)];
  const known = boundaries[sequence - 1];
  if (known !== undefined) return known;
  const first = Math.min(...records.map((r) => r.occurredAt.getTime()));
  if (!Number.isFinite(first)) return dayStart;
  return boundaries.filter((b) => b <= first).at(-1) ?? dayStart;
}
