import { randomUUID } from 'node:crypto';
import {
  type Clock,
  type Logger,
  type UsageUploadOverduePayload,
  Topics,
  recordEvent,
  type Database,
  chunks,
  placeholders,
} from '@lic/shared';
import { utcDayNumber } from '../usage/usage-ingest.service.js';
import { UsageUploadAlert } from './upload-alert.entity.js';
import { overdueServers, periodsPastDeadline } from './upload-overdue.js';
import { type UsageFileService } from './usage-file.service.js';

/**
 * Late or missing usage uploads, announced: for each period whose upload deadline has passed
 * (within the lookback), every server whose files are not all uploaded on time gets one
 * `billing.usage-upload-overdue` event, written to the outbox in the same transaction as its
 * `usage_upload_alert` row, which keeps it from being announced again (by this process or
 * another). Run with the hourly upload pass, after the automated uploads were marked.
 */
export class UploadOverdueAlerts {
  constructor(
    private readonly database: Database,
    private readonly files: UsageFileService,
    private readonly clock: Clock,
    private readonly logger?: Logger,
  ) {}

  /** One pass at the clock's now; returns how many episodes it announced. */
  async check(): Promise<number> {
    const now = this.clock.now();
    const nowMs = now.getTime();
    const accounts = (
      (await this.database.dataSource.query('SELECT DISTINCT account_id FROM billing_server')) as Array<{
        account_id: string;
      }>
    ).map((a) => a.account_id);
    let announced = 0;
    for (const period of periodsPastDeadline(nowMs)) {
      const periodStart = period.start.getTime();
      for (const chunk of chunks(accounts, 50)) {
        const files = await this.files.catalog(
          { accountIds: chunk },
          utcDayNumber(periodStart),
          utcDayNumber(period.end.getTime()),
        );
        const overdue = overdueServers(period, files, nowMs);
        if (overdue.length === 0) continue;
        const known = new Set(
          (
            (await this.database.dataSource.query(
              `SELECT server_id FROM usage_upload_alert WHERE period_start = ? AND server_id IN (${placeholders(overdue.length)})`,
              [periodStart, ...overdue.map((o) => o.serverId)],
            )) as Array<{ server_id: string }>
          ).map((r) => r.server_id),
        );
        for (const server of overdue.filter((o) => !known.has(o.serverId))) {
          const eventId = randomUUID();
          const won = await this.database.transaction(async (manager) => {
            await manager
              .createQueryBuilder()
              .insert()
              .into(UsageUploadAlert)
              .values({
                serverId: server.serverId,
                periodStart,
                accountId: server.accountId,
                state: server.state,
                eventId,
                detectedAt: nowMs,
              })
              .orIgnore()
              .execute();
            // Another process may have announced it first: only the row's own event is written.
            const row = await manager.findOneBy(UsageUploadAlert, { serverId: server.serverId, periodStart });
            if (row?.eventId !== eventId) return false;
            const payload: UsageUploadOverduePayload = {
              accountId: server.accountId,
              serverId: server.serverId,
              state: server.state,
              periodStart: period.start.toISOString(),
              periodEnd: period.end.toISOString(),
              uploadDeadline: period.uploadDeadline.toISOString(),
              files: server.status.files,
              missingFiles: server.status.missingFiles,
              lateFiles: server.status.lateFiles,
              detectedAt: now.toISOString(),
            };
            await recordEvent(manager, this.clock, Topics.UsageUploadOverdue, payload, now, eventId);
            return true;
          });
          if (won) announced += 1;
        }
      }
    }
    if (announced > 0) {
      this.logger?.info({ announced }, 'late or missing usage uploads announced');
    }
    return announced;
  }
}
