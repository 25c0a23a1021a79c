import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMs } from '@lic/shared';

/** A refused acquisition, for the denial report: which licence, who, when and why. */
@ObjectType({ description: 'A refused licence acquisition (denial report)' })
@Entity({ name: 'license_denial' })
@Index('ix_license_denial_server', ['serverId', 'occurredAt'])
export class LicenseDenial {
  @Field(() => ID, { description: "The denial's identifier" })
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Field(() => ID, { description: 'The server that refused the licence' })
  @Column({ name: 'server_id', type: 'varchar', length: 36 })
  serverId!: string;

  @Field({ description: 'The pool key that could not be had (e.g. I3_ACCESS_CLIENT_CONCURRENT)' })
  @Column({ name: 'pool_key', type: 'varchar', length: 120 })
  key!: string;

  @Field(() => ID, { description: 'The user refused, if a user', nullable: true })
  @Column({ name: 'user_id', type: 'varchar', length: 36, nullable: true })
  userId!: string | null;

  @Field(() => ID, { description: 'The station refused, if a station', nullable: true })
  @Column({ name: 'station_id', type: 'varchar', length: 36, nullable: true })
  stationId!: string | null;

  @Field(() => String, { description: 'The application whose logon was refused, if known', nullable: true })
  @Column({ type: 'varchar', length: 100, nullable: true })
  application!: string | null;

  @Field({
    description:
      'EXHAUSTED, SUPERVISOR_DISABLED, UNLICENSED (enforcement stage 6), LICENSE_EXPIRED, CALL_PORTS_LIMITED, CLIENT_ACCESS_UNAVAILABLE or SERVER_STANDBY (a logon on the standby member of a switchover pair)',
  })
  @Column({ type: 'varchar', length: 30 })
  reason!: string;

  @Field(() => Date, { description: 'When the licence was refused' })
  @Column({ name: 'occurred_at', type: 'bigint', transformer: epochMs })
  occurredAt!: Date;
}
