import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { epochMs } from '@lic/shared';
import { Account } from '../account/account.entity.js';

/** Where an account's servers run; licences are allocated to sites. Deactivating keeps the history. */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'An install site of an account: licences are pooled and allocated by site' })
@Entity({ name: 'install_site' })
export class InstallSite {
  @Field(() => ID, { description: "The site's identifier" })
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Field(() => ID, { description: 'The account the site belongs to' })
  @Index('ix_install_site_account')
  @ForeignKey(() => Account)
  @Column({ name: 'account_id', type: 'varchar', length: 36 })
  accountId!: string;

  @Field({ description: "The site's name" })
  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Field(() => String, { description: "The site's postal address", nullable: true })
  @Column({ type: 'varchar', length: 500, nullable: true })
  address!: string | null;

  @Field({ description: 'False once deactivated; its files and history stay' })
  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @Field(() => Date, { description: 'When the site was created' })
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: Date;

  @Field(() => Date, { description: 'When the site last changed' })
  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMs })
  updatedAt!: Date;

  @Field(() => Date, { description: 'When the site was deactivated (null while active)', nullable: true })
  @Column({ name: 'deactivated_at', type: 'bigint', nullable: true, transformer: epochMs })
  deactivatedAt!: Date | null;
}
