import { Field, ID, InputType } from 'type-graphql';
import { z } from 'zod';
import { inputClassMatches, textSchema } from '@lic/shared';
import { StationKind } from './station.entity.js';

/** Every rule of a new station that needs no database (the licences follow the pure licence rules). */
export const createStationSchema = z.object({
  serverId: z.string(),
  name: textSchema('name'),
  kind: z.enum(StationKind),
  licenses: z.array(z.string()),
  /** Enabled unless told otherwise. */
  enabled: z
    .boolean()
    .nullish()
    .transform((enabled) => enabled ?? true),
});
export type CreateStation = z.input<typeof createStationSchema>;

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
  enabled?: boolean | null;
}

inputClassMatches<CreateStationInput, typeof createStationSchema>(true);
