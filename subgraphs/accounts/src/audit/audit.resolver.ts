import { Args, Ctx, Query, Resolver } from 'type-graphql';
import { type Connection, ConnectionType, type PageBounds } from '@lic/shared';
import { type Context } from '../context.js';
import { AuditEntry } from './audit-entry.entity.js';
import { AuditLogArgs, AuditLogCsvArgs } from './audit.inputs.js';
import { AuditService } from './audit.service.js';

export const AuditEntryConnection = ConnectionType(AuditEntry, 'AuditEntry', 'audit log entry');

@Resolver()
export class AuditResolver {
  constructor(
    private readonly service: AuditService,
    /** Page sizes of connections (config `pagination`); the defaults when absent. */
    private readonly pageBounds: PageBounds | undefined,
  ) {}

  @Query(() => AuditEntryConnection, {
    description:
      "An account's audit log, newest first: every audited mutation, succeeded or refused. " +
      'For CUSTOMER_ADMIN, PARTNER and LICENSING_ADMIN (the licensing team: any account).',
  })
  auditLog(@Args() args: AuditLogArgs, @Ctx() ctx: Context): Promise<Connection<AuditEntry>> {
    return this.service.page(ctx.tenant, args.accountId, args.filter ?? {}, args, this.pageBounds);
  }

  @Query(() => String, {
    description:
      'The same entries as CSV text (RFC 4180, a header row, CRLF line ends; cells a spreadsheet ' +
      "would run as a formula are prefixed with '). At most 5000 rows, newest first.",
  })
  auditLogCsv(@Args() args: AuditLogCsvArgs, @Ctx() ctx: Context): Promise<string> {
    return this.service.csv(ctx.tenant, args.accountId, args.filter ?? {}, args);
  }
}
