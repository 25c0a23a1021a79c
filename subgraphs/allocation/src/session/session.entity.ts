import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMs, jsonText } from '@lic/shared';

export enum SessionEndCause {
  LOGOFF = 'LOGOFF',
  LEASE_EXPIRED = 'LEASE_EXPIRED',
  REPLACED = 'REPLACED',
  USER_DELETED = 'USER_DELETED',
  SERVER_RESTARTED = 'SERVER_RESTARTED',
  /** Virtual cloud enforcement stage 6: the server reverted to unlicensed. */
  UNLICENSED = 'UNLICENSED',
  /** The server's licence file expired (the expiry scheduler ended it). */
  LICENSE_EXPIRED = 'LICENSE_EXPIRED',
  /** The other member of a switchover pair took over. */
  SWITCHOVER = 'SWITCHOVER',
}
registerEnumType(SessionEndCause, {
  name: 'SessionEndCause',
  description:
    'Why a session ended: logoff, a silent server (lease), logon elsewhere, user deleted, server (re)started, ' +
    'server unlicensed (enforcement stage 6), licence file expired, switchover (the other member of the pair took over)',
  valuesConfig: {
    LOGOFF: { description: 'The user logged off' },
    LEASE_EXPIRED: { description: "The server stopped renewing the session's lease (no heartbeat)" },
    REPLACED: { description: 'A new logon of the same user and application replaced it' },
    USER_DELETED: { description: 'The user was deleted' },
    SERVER_RESTARTED: { description: 'The server restarted' },
    UNLICENSED: { description: 'The server became unlicensed' },
    LICENSE_EXPIRED: { description: "The server's licence file expired" },
    SWITCHOVER: { description: 'The switchover partner took over' },
  },
});

/** One application session of a user on a server: its logon is the idempotency key. */
@ObjectType('Session', { description: 'One application session of a user on a server' })
@Entity({ name: 'logon_session' })
@Index('uq_logon_session_event', ['serverId', 'userId', 'application', 'startedAt'], { unique: true })
@Index('ix_logon_session_server', ['serverId', 'startedAt'])
@Index('ix_logon_session_end', ['userId', 'application', 'endedAt'])
export class LogonSession {
  @Field(() => ID, { description: "The session's identifier" })
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Field(() => ID, { description: 'The server the session runs on' })
  @Column({ name: 'server_id', type: 'varchar', length: 36 })
  serverId!: string;

  @Column({ name: 'account_id', type: 'varchar', length: 36 })
  accountId!: string;

  @Field(() => ID, { description: 'The user logged on' })
  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId!: string;

  @Field(() => ID, { description: 'The station the user logged on at, if any', nullable: true })
  @Column({ name: 'station_id', type: 'varchar', length: 36, nullable: true })
  stationId!: string | null;

  @Field(() => String, {
    description: 'The telephone number of a dynamic remote station, if used',
    nullable: true,
  })
  @Column({ name: 'dynamic_phone', type: 'varchar', length: 40, nullable: true })
  dynamicRemotePhone!: string | null;

  @Field({ description: 'The application the user logged on with' })
  @Column({ type: 'varchar', length: 100 })
  application!: string;

  @Field(() => [String], { description: 'The licences applied to the user when the session started' })
  @Column({ type: 'text', transformer: jsonText })
  licenses!: string[];

  @Field(() => Date, { description: "The logon's occurredAt" })
  @Column({ name: 'started_at', type: 'bigint', transformer: epochMs })
  startedAt!: Date;

  @Column({ name: 'logon_result', type: 'text' })
  logonResult!: string;

  @Field(() => Date, { description: 'When the session ended (null while it runs)', nullable: true })
  @Column({ name: 'ended_at', type: 'bigint', nullable: true, transformer: epochMs })
  endedAt!: Date | null;

  @Field(() => SessionEndCause, { description: 'Why the session ended (null while it runs)', nullable: true })
  @Column({ name: 'end_cause', type: 'varchar', length: 30, nullable: true })
  endCause!: SessionEndCause | null;

  @Column({ name: 'end_result', type: 'text', nullable: true })
  endResult!: string | null;
}
