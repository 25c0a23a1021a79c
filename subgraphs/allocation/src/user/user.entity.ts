import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMs, jsonText } from '@lic/shared';
import { AllocationMethod } from '../rules/model.js';

export { AllocationMethod };
registerEnumType(AllocationMethod, {
  name: 'AllocationMethod',
  description:
    'ASSIGNED: licences taken when configured; CONCURRENT: taken at logon, given back at the last logoff',
  valuesConfig: {
    ASSIGNED: { description: 'The user holds assigned licences of its own' },
    CONCURRENT: { description: 'The user takes licences from the pool while logged on' },
  },
});

/** One application session of a logged-on user, as kept on the user row. */
export interface ActiveSession {
  id: string;
  application: string;
  /** The logon's occurredAt, epoch ms. */
  startedAt: number;
  /** The member of the switchover unit the session runs on (absent: the user's own server). */
  serverId?: string;
}

/**
 * A CIC user configured on a server (Interaction Administrator's user), and where it is logged on.
 * `serverId` names the switchover unit (see Server.unitId): a pair's members share their users.
 */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'A CIC user configured on a server' })
@Entity({ name: 'cic_user' })
@Index('uq_cic_user_name', ['serverId', 'name'], { unique: true })
@Index('ix_cic_user_station', ['stationId'])
@Index('ix_cic_user_logged_on', ['loggedOnAt'])
export class CicUser {
  @Field(() => ID, { description: "The user's identifier" })
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Field(() => ID, { description: 'The server the user is configured on' })
  @Column({ name: 'server_id', type: 'varchar', length: 36 })
  serverId!: string;

  @Column({ name: 'account_id', type: 'varchar', length: 36 })
  accountId!: string;

  @Field({ description: "The user's name on the CIC server" })
  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Field(() => AllocationMethod, { description: 'ASSIGNED licences of its own, or CONCURRENT from the pool' })
  @Column({ name: 'allocation_method', type: 'varchar', length: 20 })
  allocationMethod!: AllocationMethod;

  @Field(() => [String], { description: 'Configured licences (canonical base keys)' })
  @Column({ type: 'text', transformer: jsonText })
  licenses!: string[];

  @Field(() => [String], { description: "Interaction types the user's workgroup queues carry" })
  @Column({ name: 'queued_media_types', type: 'text', transformer: jsonText })
  queuedMediaTypes!: string[];

  @Field(() => [String], {
    nullable: true,
    description: 'Types an administrator chose for an ACD media 1/2 user',
  })
  @Column({ name: 'chosen_media_types', type: 'text', nullable: true, transformer: jsonText })
  chosenMediaTypes!: string[] | null;

  @Field(() => Date, { description: 'When the user was created' })
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: Date;

  @Field(() => ID, { nullable: true, description: 'The station the user is logged on at' })
  @Column({ name: 'station_id', type: 'varchar', length: 36, nullable: true })
  stationId!: string | null;

  @Field(() => String, { nullable: true, description: 'The phone number of a dynamic remote logon' })
  @Column({ name: 'dynamic_phone', type: 'varchar', length: 40, nullable: true })
  dynamicPhone!: string | null;

  @Field(() => [String], {
    description: 'Pool licences the user holds for its sessions (concurrent twins, a dynamic Basic Station)',
  })
  @Column({ type: 'text', transformer: jsonText })
  held!: string[];

  @Field(() => [String], { description: "The logged-on user's licences: the union of user and station" })
  @Column({ type: 'text', transformer: jsonText })
  capabilities!: string[];

  @Column({ type: 'text', transformer: jsonText })
  sessions!: ActiveSession[];

  @Field(() => Date, {
    description: "When the user's current sessions began (null while logged off)",
    nullable: true,
  })
  @Column({ name: 'logged_on_at', type: 'bigint', nullable: true, transformer: epochMs })
  loggedOnAt!: Date | null;

  @Column({ name: 'last_seen_at', type: 'bigint', nullable: true, transformer: epochMs })
  lastSeenAt!: Date | null;

  /** Bumped by every write of the row (optimistic concurrency for logons). */
  @Column({ name: 'row_version', type: 'integer', default: 0 })
  rowVersion!: number;
}
