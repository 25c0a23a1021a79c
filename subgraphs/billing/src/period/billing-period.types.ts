import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A billing period: the 28th 00:00 UTC through the 27th; `end` is exclusive' })
export class BillingPeriod {
  @Field(() => Date, { description: 'The first instant of the period' })
  start!: Date;

  @Field(() => Date, { description: 'Exclusive: the next period starts here' })
  end!: Date;

  @Field(() => Date, { description: "Usage must be uploaded by this day (the 4th after the period's end)" })
  uploadDeadline!: Date;
}
