import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn, type ValueTransformer } from 'typeorm';
import { epochMs, jsonText } from '@lic/shared';

export enum StationKind {
  WORKSTATION = 'WORKSTATION',
  MANAGED_WORKSTATION = 'MANAGED_WORKSTATION',
  STAND_ALONE_FAX = 'STAND_ALONE_FAX',
  STAND_ALONE_PHONE = 'STAND_ALONE_PHONE',
  REMOTE = 'REMOTE',
  DYNAMIC_REMOTE = 'DYNAMIC_REMOTE',
}
registerEnumType(StationKind, {
  name: 'StationKind',
  description: 'The station kinds of Interaction Administrator',
});

const flag: ValueTransformer = {
  to: (value: boolean | undefined) => (value === undefined ? undefined : value ? 1 : 0),
  from: (value: unknown) => Number(value) === 1,
};

/** A station configured on a server; its licences are always ASSIGNED. */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'A station configured on a server (its licences are always assigned)' })
@Entity({ name: 'station' })
@Index('uq_station_name', ['serverId', 'name'], { unique: true })
export class Station {
  @Field(() => ID)
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Field(() => ID)
  @Column({ name: 'server_id', type: 'varchar', length: 36 })
  serverId!: string;

  @Column({ name: 'account_id', type: 'varchar', length: 36 })
  accountId!: string;

  @Field()
  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Field(() => StationKind)
  @Column({ type: 'varchar', length: 30 })
  kind!: StationKind;

  @Field()
  @Column({ type: 'integer', default: 1, transformer: flag })
  enabled!: boolean;

  @Field(() => [String], { description: 'Assigned licences (canonical base keys)' })
  @Column({ type: 'text', transformer: jsonText })
  licenses!: string[];

  @Field(() => Date)
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: Date;
}
