import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { ConnectionType, type Role, epochMs, jsonText } from '@lic/shared';
import { Account } from '../account/account.entity.js';

/** The roles a key may carry: a person's roles (SERVER is a machine credential, issued elsewhere). */
export const ApiKeyRole = {
  LICENSING_ADMIN: 'LICENSING_ADMIN',
  PARTNER: 'PARTNER',
  CUSTOMER_ADMIN: 'CUSTOMER_ADMIN',
  SUPERVISOR: 'SUPERVISOR',
} as const;
export type ApiKeyRole = (typeof ApiKeyRole)[keyof typeof ApiKeyRole] & Role;
registerEnumType(ApiKeyRole, {
  name: 'ApiKeyRole',
  description: 'A role an API key acts with',
  valuesConfig: {
    LICENSING_ADMIN: { description: 'The licensing team: every account' },
    PARTNER: { description: 'A partner: its own account and the accounts it sold to' },
    CUSTOMER_ADMIN: { description: "A customer's administrator: its own account" },
    SUPERVISOR: { description: "A customer's supervisor: reads its own account" },
  },
});

/**
 * A partner's or customer's credential for back-office jobs. Only the SHA-256 of the secret is
 * kept: the secret is 256 random bits, so a slow password hash would add nothing but latency.
 */
@ObjectType({ description: 'An API key of an account (the secret itself is shown only when created)' })
@Entity({ name: 'api_key' })
@Index('ix_api_key_account_created', ['accountId', 'createdAt', 'id'])
export class ApiKey {
  @Field(() => ID, { description: 'The key' })
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Field(() => ID, { description: 'The account the key acts for' })
  @ForeignKey(() => Account)
  @Column({ name: 'account_id', type: 'varchar', length: 36 })
  accountId!: string;

  @Field({ description: 'What the key is for, as its creator named it' })
  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Field({ description: 'The first characters of the secret, to recognise a key (lic_ and 8 more)' })
  @Column({ type: 'varchar', length: 20 })
  prefix!: string;

  /** Hex SHA-256 of the secret. */
  @Index('ux_api_key_secret_hash', { unique: true })
  @Column({ name: 'secret_hash', type: 'varchar', length: 64 })
  secretHash!: string;

  @Field(() => [ApiKeyRole], { description: 'The roles the key acts with' })
  @Column({ type: 'varchar', length: 200, transformer: jsonText })
  roles!: ApiKeyRole[];

  /** Carried over from the creator's token: a key is never more certified than whoever made it. */
  @Column({ type: 'boolean', default: false })
  certified!: boolean;

  @Field({ description: 'The subject of whoever created it' })
  @Column({ name: 'created_by', type: 'varchar', length: 200 })
  createdBy!: string;

  @Field(() => Date, { description: 'When the key was created' })
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'After this instant the key is refused' })
  @Column({ name: 'expires_at', type: 'bigint', nullable: true, transformer: epochMs })
  expiresAt!: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: 'When the key last authenticated a request (recorded at most once a minute)',
  })
  @Column({ name: 'last_used_at', type: 'bigint', nullable: true, transformer: epochMs })
  lastUsedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the key was revoked; null while in force' })
  @Column({ name: 'revoked_at', type: 'bigint', nullable: true, transformer: epochMs })
  revokedAt!: Date | null;
}

@ObjectType({ description: 'A key just created: the secret is shown this once and never again' })
export class CreatedApiKey {
  @Field(() => ApiKey, { description: 'The key, as apiKeys lists it' })
  apiKey!: ApiKey;

  @Field({ description: 'Send as Authorization: Bearer <secret>; store it now, it cannot be shown again' })
  secret!: string;
}

export const ApiKeyConnection = ConnectionType(ApiKey, 'ApiKey', 'API key');
