import { Field, Int, ObjectType } from 'type-graphql';

// Named apart from allocation's own key/quantity type: value types of one name in two subgraphs must be
// declared @shareable in both, and these evolve separately.
@ObjectType('GrantedKey', { description: 'A licence key and how many of it are granted' })
export class LicenseKeyQuantity {
  @Field({ description: 'The licence key' })
  key!: string;

  @Field(() => Int, { description: 'How many of the key are granted' })
  quantity!: number;
}
