import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { z } from 'zod';
import { PageArguments, inputClassMatches } from '@lic/shared';

/**
 * The filter's one rule: a range that does not end before it starts. (`first`/`after` of the
 * Args classes are checked by the shared pagination, pageFromQuery, with the list's bounds.)
 */
export const auditLogFilterSchema = z
  .object({
    from: z.date().nullish(),
    to: z.date().nullish(),
    /** The mutation field or the client's operation name. */
    operation: z.string().nullish(),
    subject: z.string().nullish(),
    targetId: z.string().nullish(),
  })
  .refine((filter) => !(filter.from && filter.to && filter.from > filter.to), {
    error: 'from must not be after to',
  });
export type AuditFilter = z.input<typeof auditLogFilterSchema>;

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

inputClassMatches<AuditLogFilter, typeof auditLogFilterSchema>(true);
