import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMs } from '@lic/shared';

/** A CIC server registered to an account and install site. */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'A CIC server, registered to an account and install site' })
@Entity({ name: 'server' })
export class Server {
  @Field(() => ID)
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Field(() => ID)
  @Index('ix_server_account')
  @Column({ name: 'account_id', type: 'varchar', length: 36 })
  accountId!: string;

  @Field(() => ID)
  @Column({ name: 'install_site_id', type: 'varchar', length: 36 })
  installSiteId!: string;

  @Field()
  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Field(() => ID, { nullable: true, description: 'The switchover partner, if any' })
  @Column({ name: 'switchover_partner_id', type: 'varchar', length: 36, nullable: true })
  switchoverPartnerId!: string | null;

  @Field(() => Date)
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: Date;
}
