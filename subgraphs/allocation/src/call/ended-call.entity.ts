import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMs } from '@lic/shared';

/** Why the platform ended a call (the server ends its own calls with closeCall). */
export enum CallEndCause {
  /** The reference: with development licences, interactions disconnect hourly. */
  DEVELOPMENT_HOURLY_DISCONNECT = 'DEVELOPMENT_HOURLY_DISCONNECT',
}
registerEnumType(CallEndCause, {
  name: 'CallEndCause',
  description: 'Why the platform ended a call',
  valuesConfig: {
    DEVELOPMENT_HOURLY_DISCONNECT: {
      description: "A development server's call was ended at its hourly limit",
    },
  },
});

/** A call the platform ended, with its cause: its call port was released at `endedAt`. */
@ObjectType({ description: 'A call the platform ended (its call port released), with the cause' })
@Entity({ name: 'ended_call' })
@Index('ix_ended_call_server', ['serverId', 'endedAt'])
@Index('ix_ended_call_call', ['serverId', 'callId'])
export class EndedCall {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Field(() => ID, { description: 'The server the call was on' })
  @Column({ name: 'server_id', type: 'varchar', length: 36 })
  serverId!: string;

  @Field(() => ID, { description: 'The call, as the server identifies it' })
  @Column({ name: 'call_id', type: 'varchar', length: 100 })
  callId!: string;

  @Field(() => Date, { description: 'When the call was opened' })
  @Column({ name: 'opened_at', type: 'bigint', transformer: epochMs })
  openedAt!: Date;

  @Field(() => Date, { description: 'When the platform ended the call' })
  @Column({ name: 'ended_at', type: 'bigint', transformer: epochMs })
  endedAt!: Date;

  @Field(() => CallEndCause, { description: 'Why the platform ended the call' })
  @Column({ type: 'varchar', length: 40 })
  cause!: CallEndCause;
}
