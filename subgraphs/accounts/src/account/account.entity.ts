import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs } from '@lic/shared';
import { UniqueColumn } from '../unique-column.js';

export enum AccountKind {
  CUSTOMER = 'CUSTOMER',
  PARTNER = 'PARTNER',
}
registerEnumType(AccountKind, {
  name: 'AccountKind',
  description: 'A direct customer, or a partner that resells',
});

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A customer or partner account (GARN: Genesys Account Reference Number)' })
@Entity({ name: 'account' })
@UniqueColumn('account', 'garn', 'garn')
export class Account {
  @Field(() => ID)
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Field()
  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Field({ description: 'Genesys Account Reference Number, unique' })
  @Column({ type: 'varchar', length: 40 })
  garn!: string;

  @Field(() => AccountKind)
  @Column({ type: 'varchar', length: 20 })
  kind!: AccountKind;

  @Field(() => Date)
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: Date;
}
