import { type EntityManager } from 'typeorm';
import {
  type AuditRecordedPayload,
  type Connection,
  DEFAULT_PAGE_BOUNDS,
  type PageArgs,
  type PageBounds,
  type SqlOrder,
  pageFromQuery,
  parseInput,
  type Database,
} from '@lic/shared';
import { type TenantScope } from '../access/tenant-scope.js';
import { AuditEntry, type AuditOutcome } from './audit-entry.entity.js';
import { auditCsv } from './audit-csv.js';
import { type AuditFilter, auditLogFilterSchema } from './audit.inputs.js';

/** Who may read an account's audit log (their own account; the licensing team any). */
const READERS = ['CUSTOMER_ADMIN', 'PARTNER', 'LICENSING_ADMIN'] as const;
/** The CSV export's own size: up to this many rows at once (its default too). */
export const CSV_MAX = 5000;
const CSV_BOUNDS: PageBounds = { defaultSize: CSV_MAX, maxSize: CSV_MAX };

/** Newest first; the cursor holds the entry's time (ms) and id, so pages stay put while entries arrive. */
export const AUDIT_ORDER: SqlOrder<AuditEntry> = {
  list: 'auditLog',
  direction: 'DESC',
  key: (entry) => entry.occurredAt.getTime(),
  id: (entry) => entry.id,
  keyColumn: 'e.occurred_at',
  idColumn: 'e.id',
};

function escapeLike(value: string): string {
  return value.replace(/[!%_]/g, (c) => `!${c}`);
}

/** The audit log: entries arrive from every subgraph's outbox; read per account, newest first. */
export class AuditService {
  constructor(private readonly database: Database) {}

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

  private query(accountId: string, input: AuditFilter) {
    const filter = parseInput(auditLogFilterSchema, input, 'filter');
    const query = this.database.dataSource
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
    return query;
  }

  /** A page of an account's entries, newest first (stable while entries arrive: cursors are (time, id)). */
  async page(
    scope: TenantScope,
    accountId: string,
    filter: AuditFilter,
    args: PageArgs,
    bounds: PageBounds = DEFAULT_PAGE_BOUNDS,
  ): Promise<Connection<AuditEntry>> {
    await this.checkAccess(scope, accountId);
    return pageFromQuery(this.query(accountId, filter), args, AUDIT_ORDER, bounds);
  }

  /** The same entries as CSV (at most CSV_MAX rows, newest first; `after` continues). */
  async csv(scope: TenantScope, accountId: string, filter: AuditFilter, args: PageArgs): Promise<string> {
    await this.checkAccess(scope, accountId);
    const page = await pageFromQuery(this.query(accountId, filter), args, AUDIT_ORDER, CSV_BOUNDS);
    return auditCsv(page.edges.map((edge) => edge.node));
  }
}
