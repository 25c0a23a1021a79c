import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'What a logon got: licences taken, reused, left out, and warnings' })
export class LogonResult {
  sessionId!: string;

  @Field(() => [String], { description: 'Pool licences taken by this logon (counts rose)' })
  acquired!: string[];

  @Field(() => [String], { description: 'Pool licences the user already held and reuses (counts unchanged)' })
  reused!: string[];

  @Field(() => [String], { description: 'Pool licences given back (e.g. withheld by enforcement)' })
  released!: string[];

  @Field(() => [String], { description: 'Licences that could not be had and are left out of the session' })
  denied!: string[];

  @Field(() => [String], { description: "The session's licences: the union of user and station" })
  licenses!: string[];

  @Field(() => [String], { description: 'Warnings for the user (for example a licence about to expire)' })
  warnings!: string[];

  @Field(() => [String], {
    nullable: true,
    description: 'Interaction types the user will be queued (ACD media level)',
  })
  queuedTypes!: string[] | null;

  @Field({ description: 'The application was already logged on at this station: same session' })
  alreadyLoggedOn!: boolean;

  @Field({ description: 'A replayed logon event: nothing changed, the first answer is returned' })
  replayed!: boolean;
}

@ObjectType({ description: 'What a logoff did' })
export class LogoffResult {
  sessionId!: string | null;

  @Field({ description: 'False when no running session of the application matched (nothing changed)' })
  ended!: boolean;

  @Field(() => [String], { description: 'Pool licences given back (at the last session of the user)' })
  released!: string[];

  @Field(() => Int, { description: "The user's sessions still running" })
  remainingSessions!: number;

  @Field({ description: 'True when the same logoff had been reported before: nothing changed' })
  replayed!: boolean;
}
