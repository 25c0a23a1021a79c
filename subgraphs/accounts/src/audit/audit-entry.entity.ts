import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMs, jsonText } from '@lic/shared';

export enum AuditOutcome {
  SUCCEEDED = 'SUCCEEDED',
  REFUSED = 'REFUSED',
}
registerEnumType(AuditOutcome, {
  name: 'AuditOutcome',
  description: 'SUCCEEDED, or REFUSED (denied or invalid: errorCode says why)',
  valuesConfig: {
    SUCCEEDED: { description: 'The mutation ran and its change was made' },
    REFUSED: { description: 'The mutation was refused (denied or invalid); nothing changed' },
  },
});

/**
 * One audited mutation, from any subgraph (event `audit.recorded`). Append-only: the code has no
 * path that updates or deletes one, and triggers on both engines refuse UPDATE and DELETE.
 */
@ObjectType({ description: 'One audited mutation: who, what, when, from where, and how it ended' })
@Entity({ name: 'audit_entry' })
@Index('ix_audit_entry_account_time', ['accountId', 'occurredAt', 'id'])
export class AuditEntry {
  @Field(() => ID, { description: "The entry's id (a UUID)" })
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Field(() => ID, { nullable: true, description: 'The account the change concerns' })
  @Column({ name: 'account_id', type: 'varchar', length: 64, nullable: true })
  accountId!: string | null;

  @Field(() => Date, { description: 'When the mutation ran (or was refused)' })
  @Column({ name: 'occurred_at', type: 'bigint', transformer: epochMs })
  occurredAt!: Date;

  @Field(() => String, { nullable: true, description: "The caller's subject (null: not signed in)" })
  @Column({ type: 'varchar', length: 200, nullable: true })
  subject!: string | null;

  @Field(() => [String], { description: "The caller's roles at the time" })
  @Column({ type: 'varchar', length: 400, transformer: jsonText })
  roles!: string[];

  @Field(() => String, { nullable: true, description: 'token or api-key' })
  @Column({ name: 'credential_kind', type: 'varchar', length: 20, nullable: true })
  credentialKind!: string | null;

  @Field(() => String, { nullable: true, description: "The token's id (or subject), or the API key's id" })
  @Column({ name: 'credential_id', type: 'varchar', length: 200, nullable: true })
  credentialId!: string | null;

  @Field(() => String, { nullable: true, description: "The client's operation name, when it gave one" })
  @Column({ type: 'varchar', length: 200, nullable: true })
  operation!: string | null;

  @Field({ description: 'The mutation field, e.g. generateActivationFile' })
  @Column({ type: 'varchar', length: 100 })
  field!: string;

  @Field({ description: 'The subgraph that ran it' })
  @Column({ type: 'varchar', length: 40 })
  service!: string;

  @Field(() => [String], { description: 'Ids named in the arguments and the id of what it returned' })
  @Column({ name: 'target_ids', type: 'text', transformer: jsonText })
  targetIds!: string[];

  @Field({ description: 'The arguments as JSON; secrets redacted, long text replaced by its length' })
  @Column({ name: 'change_json', type: 'text' })
  change!: string;

  @Field(() => AuditOutcome, { description: 'Whether it succeeded or was refused' })
  @Column({ type: 'varchar', length: 20 })
  outcome!: AuditOutcome;

  @Field(() => String, { nullable: true, description: 'Why it was refused (a stable error code)' })
  @Column({ name: 'error_code', type: 'varchar', length: 60, nullable: true })
  errorCode!: string | null;

  @Field(() => String, { nullable: true, description: "The request's id (the X-Request-Id header)" })
  @Column({ name: 'request_id', type: 'varchar', length: 128, nullable: true })
  requestId!: string | null;

  @Field(() => String, { nullable: true, description: "The client's address as the gateway saw it" })
  @Column({ name: 'client_address', type: 'varchar', length: 64, nullable: true })
  clientAddress!: string | null;
}
