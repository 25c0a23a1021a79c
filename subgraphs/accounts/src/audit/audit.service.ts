import { type DataSource, type EntityManager } from 'typeorm';
import {
  type AuditRecordedPayload,
  type Connection,
  type PageArgs,
  badInput,
  decodeCursor,
  encodeCursor,
  pageSize,
  toConnection,
} from '@lic/shared';
import { type TenantScope } from '../access/tenant-scope.js';
import { AuditEntry, type AuditOutcome } from './audit-entry.entity.js';
import { auditCsv } from './audit-csv.js';

export interface AuditFilter {
  from?: Date | null | undefined;
  to?: Date | null | undefined;
  /** The mutation field or the client's operation name. */
  operation?: string | null | undefined;
  subject?: string | null | undefined;
  targetId?: string | null | undefined;
}

/** Who may read an account's audit log (their own account; the licensing team any). */
const READERS = ['CUSTOMER_ADMIN', 'PARTNER', 'LICENSING_ADMIN'] as const;
export const PAGE_DEFAULT = 50;
export const PAGE_MAX = 200;
export const CSV_MAX = 5000;

function escapeLike(value: string): string {
  return value.replace(/[!%_]/g, (c) => `!${c}`);
}

export function auditCursor(entry: AuditEntry): string {
  return encodeCursor(entry.occurredAt.getTime(), entry.id);
}

/** The audit log: entries arrive from every subgraph's outbox; read per account, newest first. */
export class AuditService {
  constructor(private readonly dataSource: DataSource) {}

  /** Stores one entry (inside the event consumer's transaction, with its inbox record). */
  async record(manager: EntityManager, payload: AuditRecordedPayload): Promise<void> {
    await manager.insert(AuditEntry, {
      id: payload.entryId,
      accountId: payload.accountId,
      occurredAt: new Date(payload.occurredAt),
      subject: payload.subject,
      roles: payload.roles,
      credentialKind: payload.credentialKind,
      credentialId: payload.credentialId,
      operation: payload.operation,
      field: payload.field,
      service: payload.service,
      targetIds: payload.targetIds,
      change: payload.change,
      outcome: payload.outcome as AuditOutcome,
      errorCode: payload.errorCode,
      requestId: payload.requestId,
      clientAddress: payload.clientAddress,
    });
  }

  private async checkAccess(scope: TenantScope, accountId: string): Promise<void> {
    scope.requireRole(...READERS);
    await scope.assertAccess(accountId);
  }

  private async fetch(accountId: string, filter: AuditFilter, limit: number, after?: string | null) {
    if (filter.from && filter.to && filter.from > filter.to)
      throw badInput('from must not be after to', 'filter');
    const query = this.dataSource
      .getRepository(AuditEntry)
      .createQueryBuilder('e')
      .where('e.account_id = :accountId', { accountId });
    if (filter.from) query.andWhere('e.occurred_at >= :from', { from: filter.from.getTime() });
    if (filter.to) query.andWhere('e.occurred_at <= :to', { to: filter.to.getTime() });
    if (filter.operation)
      query.andWhere('(e.field = :operation OR e.operation = :operation)', { operation: filter.operation });
    if (filter.subject) query.andWhere('e.subject = :subject', { subject: filter.subject });
    if (filter.targetId) {
      // `!` escapes LIKE's wildcards: a backslash means different things to the two engines.
      query.andWhere("e.target_ids LIKE :target ESCAPE '!'", {
        target: `%${escapeLike(JSON.stringify(filter.targetId))}%`,
      });
    }
    if (after) {
      const { key, id } = decodeCursor(after);
      if (typeof key !== 'number') throw badInput('The cursor is not one this list gave out', 'after');
      query.andWhere('(e.occurred_at < :t OR (e.occurred_at = :t AND e.id < :id))', { t: key, id });
    }
    return query.orderBy('e.occurred_at', 'DESC').addOrderBy('e.id', 'DESC').limit(limit).getMany();
  }

  /** A page of an account's entries, newest first (stable while entries arrive: cursors are (time, id)). */
  async page(
    scope: TenantScope,
    accountId: string,
    filter: AuditFilter,
    args: PageArgs,
  ): Promise<Connection<AuditEntry>> {
    await this.checkAccess(scope, accountId);
    const size = pageSize(args.first, PAGE_DEFAULT, PAGE_MAX);
    const rows = await this.fetch(accountId, filter, size + 1, args.after);
    return toConnection(rows, size, auditCursor);
  }

  /** The same entries as CSV (at most CSV_MAX rows, newest first; `after` continues). */
  async csv(scope: TenantScope, accountId: string, filter: AuditFilter, args: PageArgs): Promise<string> {
    await this.checkAccess(scope, accountId);
    const size = pageSize(args.first, CSV_MAX, CSV_MAX);
    return auditCsv(await this.fetch(accountId, filter, size, args.after));
  }
}
