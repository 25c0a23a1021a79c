import { Field, ID, InputType } from 'type-graphql';

@InputType({ description: 'A logon a CIC server reports' })
export class LogonInput {
  @Field(() => ID, { description: 'The server the user logs on to' })
  serverId!: string;

  @Field(() => ID, { description: 'The user logging on' })
  userId!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'The station logged on at (optional for a dynamic remote logon)',
  })
  stationId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'A dynamic remote logon: the phone number; takes a Basic Station licence',
  })
  dynamicRemotePhone?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description:
      'From the telephone with no client application (a phone-only ACD agent): needs ACD access instead of client access',
  })
  telephoneOnly?: boolean | null;

  @Field({ description: 'The application logging on' })
  application!: string;

  @Field(() => Date, {
    nullable: true,
    description: "The server's event time (default now); with the rest, the replay key",
  })
  occurredAt?: Date | null;
}

@InputType({ description: 'A logoff a CIC server reports' })
export class LogoffInput {
  @Field(() => ID, { description: 'The server the user logs off from' })
  serverId!: string;

  @Field(() => ID, { description: 'The user logging off' })
  userId!: string;

  @Field({ description: 'The application logging off' })
  application!: string;

  @Field(() => Date, { description: 'When the logoff happened at the server (default now)', nullable: true })
  occurredAt?: Date | null;
}
