import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn, type ValueTransformer } from 'typeorm';
import { epochMs, jsonText } from '@lic/shared';
import { StationKind } from '../rules/model.js';

export { StationKind };
registerEnumType(StationKind, {
  name: 'StationKind',
  description: 'The station kinds of Interaction Administrator',
  valuesConfig: {
    WORKSTATION: { description: 'A workstation with a phone' },
    MANAGED_WORKSTATION: { description: 'A managed workstation' },
    STAND_ALONE_FAX: { description: 'A stand-alone fax' },
    STAND_ALONE_PHONE: { description: 'A stand-alone phone' },
    REMOTE: { description: 'A remote station' },
    DYNAMIC_REMOTE: { description: 'A remote station whose phone number is given at logon' },
  },
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
  @Field(() => ID, { description: "The station's identifier" })
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Field(() => ID, { description: 'The server the station is configured on' })
  @Column({ name: 'server_id', type: 'varchar', length: 36 })
  serverId!: string;

  @Column({ name: 'account_id', type: 'varchar', length: 36 })
  accountId!: string;

  @Field({ description: "The station's name on the CIC server" })
  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Field(() => StationKind, { description: 'What kind of station' })
  @Column({ type: 'varchar', length: 30 })
  kind!: StationKind;

  @Field({ description: 'False while the station is disabled' })
  @Column({ type: 'integer', default: 1, transformer: flag })
  enabled!: boolean;

  @Field(() => [String], { description: 'Assigned licences (canonical base keys)' })
  @Column({ type: 'text', transformer: jsonText })
  licenses!: string[];

  @Field(() => Date, { description: 'When the station was created' })
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: Date;
}
