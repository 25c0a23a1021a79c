import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum UsageResolution {
  MINUTE = 'MINUTE',
  HOUR = 'HOUR',
  DAY = 'DAY',
}

registerEnumType(UsageResolution, {
  name: 'UsageResolution',
  description: 'The bucket size of licence usage history (UTC minutes, hours or days)',
  valuesConfig: {
    MINUTE: { description: 'One point per UTC minute' },
    HOUR: { description: 'One point per UTC hour' },
    DAY: { description: 'One point per UTC day' },
  },
});

@ObjectType({ description: "One bucket of a licence's usage history on a server" })
export class LicenseUsagePoint {
  @Field(() => Date, { description: 'Start of the bucket' })
  at!: Date;

  @Field(() => Int, {
    description:
      'In use at the end of the bucket (of the concurrent pool when the licence has one, else of the assignable pool)',
  })
  inUse!: number;

  @Field(() => Int, { description: 'Most in use at once during the bucket' })
  peak!: number;

  @Field(() => Int, { description: 'Acquisitions of the licence refused during the bucket' })
  denials!: number;
}

@ObjectType({
  description:
    "A licence's refused acquisitions on a server over the last hour and day (the platform's clock)",
})
export class LicenseRecentDenials {
  @Field({ description: 'The licence (canonical base key; its _CONCURRENT pool counted with it)' })
  key!: string;

  @Field(() => Int, { description: 'Refused in the last hour' })
  lastHour!: number;

  @Field(() => Int, { description: 'Refused in the last 24 hours' })
  lastDay!: number;
}
