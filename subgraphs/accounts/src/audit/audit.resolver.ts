import { Args, ArgsType, Ctx, Field, ID, InputType, Int, Query, Resolver } from 'type-graphql';
import { type Connection, ConnectionType, PageArguments } from '@lic/shared';
import { type Context } from '../context.js';
import { AuditEntry } from './audit-entry.entity.js';
import { AuditService } from './audit.service.js';

@InputType({ description: 'Narrows the audit log; every given condition must hold' })
export class AuditLogFilter {
  @Field(() => Date, { nullable: true, description: 'At or after this instant' })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'At or before this instant' })
  to?: Date | null;

  @Field(() => String, { nullable: true, description: "The mutation field, or the client's operation name" })
  operation?: string | null;

  @Field(() => String, { nullable: true, description: "The caller's subject" })
  subject?: string | null;

  @Field(() => ID, { nullable: true, description: 'Entries that name this id among their targets' })
  targetId?: string | null;
}

export const AuditEntryConnection = ConnectionType(AuditEntry, 'AuditEntry', 'audit log entry');

/** `first`/`after` as on every connection, plus the account and the filter. */
@ArgsType()
export class AuditLogArgs extends PageArguments {
  @Field(() => ID, { description: 'The account whose entries are listed' })
  accountId!: string;

  @Field(() => AuditLogFilter, { nullable: true, description: 'Only the entries that match it' })
  filter?: AuditLogFilter | null;
}

/** The CSV export's arguments: its own page size (up to 5000 rows). */
@ArgsType()
export class AuditLogCsvArgs {
  @Field(() => ID, { description: 'The account whose entries are exported' })
  accountId!: string;

  @Field(() => AuditLogFilter, { nullable: true, description: 'Only the entries that match it' })
  filter?: AuditLogFilter | null;

  @Field(() => Int, { nullable: true, description: '1 to 5000; 5000 when absent' })
  first?: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'Only entries after this cursor (an endCursor of auditLog)',
  })
  after?: string | null;
}

@Resolver()
export class AuditResolver {
  constructor(private readonly service: AuditService) {}

  @Query(() => AuditEntryConnection, {
    description:
      "An account's audit log, newest first: every audited mutation, succeeded or refused. " +
      'For CUSTOMER_ADMIN, PARTNER and LICENSING_ADMIN (the licensing team: any account).',
  })
  auditLog(@Args() args: AuditLogArgs, @Ctx() ctx: Context): Promise<Connection<AuditEntry>> {
    return this.service.page(ctx.scope, args.accountId, args.filter ?? {}, args, ctx.services.pageBounds);
  }

  @Query(() => String, {
    description:
      'The same entries as CSV text (RFC 4180, a header row, CRLF line ends; cells a spreadsheet ' +
      "would run as a formula are prefixed with '). At most 5000 rows, newest first.",
  })
  auditLogCsv(@Args() args: AuditLogCsvArgs, @Ctx() ctx: Context): Promise<string> {
    return this.service.csv(ctx.scope, args.accountId, args.filter ?? {}, args);
  }
}
