import { Field, ID, InputType } from 'type-graphql';
import { StationKind } from './station.entity.js';

@InputType({ description: 'A new station on a CIC server' })
export class CreateStationInput {
  @Field(() => ID, { description: 'The server to create the station on' })
  serverId!: string;

  @Field({ description: "The station's name, unique on the server" })
  name!: string;

  @Field(() => StationKind, { description: 'What kind of station' })
  kind!: StationKind;

  @Field(() => [String], { description: 'The licence keys to give the station' })
  licenses!: string[];

  @Field(() => Boolean, {
    nullable: true,
    description: 'Default true; an enabled station without Basic Station is saved with a warning',
  })
  enabled?: boolean;
}
