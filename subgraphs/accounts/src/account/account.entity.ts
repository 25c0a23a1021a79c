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
  valuesConfig: {
    CUSTOMER: { description: 'An end user of the software' },
    PARTNER: { description: 'A partner that resells to end users (sold-to account of their orders)' },
  },
});

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A customer or partner account (GARN: Genesys Account Reference Number)' })
@Entity({ name: 'account' })
@UniqueColumn('account', 'garn', 'garn')
export class Account {
  @Field(() => ID, { description: "The account's identifier" })
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Field({ description: "The account's name, as the licensing team registered it" })
  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Field({ description: 'Genesys Account Reference Number, unique' })
  @Column({ type: 'varchar', length: 40 })
  garn!: string;

  @Field(() => AccountKind, {
    description: 'CUSTOMER (an end user) or PARTNER (a reseller that sells to end users)',
  })
  @Column({ type: 'varchar', length: 20 })
  kind!: AccountKind;

  @Field(() => Date, { description: 'When the account was created' })
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: Date;
}
