import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { PageArguments } from '@lic/shared';

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
