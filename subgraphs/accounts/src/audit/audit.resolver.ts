import { Arg, Ctx, Field, ID, InputType, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { PageInfo } from '@lic/shared';
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

@ObjectType()
export class AuditEntryEdge {
  @Field()
  cursor!: string;

  @Field(() => AuditEntry)
  node!: AuditEntry;
}

@ObjectType({ description: 'A page of the audit log, newest first' })
export class AuditEntryConnection {
  @Field(() => [AuditEntryEdge])
  edges!: AuditEntryEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@Resolver()
export class AuditResolver {
  constructor(private readonly service: AuditService) {}

  @Query(() => AuditEntryConnection, {
    description:
      "An account's audit log, newest first: every audited mutation, succeeded or refused. " +
      'For CUSTOMER_ADMIN, PARTNER and LICENSING_ADMIN (the licensing team: any account).',
  })
  auditLog(
    @Arg('accountId', () => ID) accountId: string,
    @Ctx() ctx: Context,
    @Arg('filter', () => AuditLogFilter, { nullable: true }) filter?: AuditLogFilter | null,
    @Arg('first', () => Int, { nullable: true, description: '1 to 200; 50 when absent' })
    first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<AuditEntryConnection> {
    return this.service.page(ctx.scope, accountId, filter ?? {}, { first, after });
  }

  @Query(() => String, {
    description:
      'The same entries as CSV text (RFC 4180, a header row, CRLF line ends; cells a spreadsheet ' +
      "would run as a formula are prefixed with '). At most 5000 rows, newest first.",
  })
  auditLogCsv(
    @Arg('accountId', () => ID) accountId: string,
    @Ctx() ctx: Context,
    @Arg('filter', () => AuditLogFilter, { nullable: true }) filter?: AuditLogFilter | null,
    @Arg('first', () => Int, { nullable: true, description: '1 to 5000; 5000 when absent' })
    first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<string> {
    return this.service.csv(ctx.scope, accountId, filter ?? {}, { first, after });
  }
}
