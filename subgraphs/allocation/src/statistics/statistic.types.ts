import { Field, Float, Int, ObjectType } from 'type-graphql';
import { Server } from '../server/server.entity.js';

/** One licence's line of Interaction Administrator's licence statistics, and more. */
@ObjectType({
  description: "One licence's statistics on a server (assignable and concurrent pools together)",
})
export class LicenseStatistic {
  @Field({ description: 'The licence (canonical base key, e.g. I3_ACCESS_CLIENT)' })
  key!: string;

  @Field(() => Int, {
    nullable: true,
    description: 'Assignable licences allowed now; null when uncapped (subscription)',
  })
  assignableAllowed!: number | null;

  @Field(() => Int, { description: 'Users and stations the licence is assigned to' })
  assignableConfigured!: number;

  @Field(() => Int, {
    description: 'Assignable licences held (assignments, plus dynamic remote logons for Basic Station)',
  })
  assignableInUse!: number;

  @Field(() => Int, {
    description:
      'Assigned licences withheld by virtual cloud enforcement or an expired file: not in use, still configured, counted again when lifted',
  })
  assignableWithheld!: number;

  @Field(() => Int, { description: 'The quantity of the key in the loaded licence file' })
  assignableLicensed!: number;

  @Field(() => Int, {
    nullable: true,
    description: 'Concurrent licences allowed now; null when uncapped (subscription)',
  })
  concurrentAllowed!: number | null;

  @Field(() => Int, { description: 'CONCURRENT users configured with the licence' })
  concurrentConfigured!: number;

  @Field(() => Int, { description: 'Concurrent licences held by logged-on users' })
  concurrentInUse!: number;

  @Field(() => Int, { description: 'The quantity of the _CONCURRENT key in the loaded licence file' })
  concurrentLicensed!: number;

  @Field(() => Int, {
    nullable: true,
    description: 'Licences that can still be acquired; null when uncapped',
  })
  available!: number | null;

  @Field({
    description: 'False when a pool of the licence is uncapped (subscription without an account cap)',
  })
  capped!: boolean;

  @Field(() => Int, {
    description:
      'Most held at once: of the concurrent pool when the licence has one, else of the assignable pool',
  })
  peakInUse!: number;

  @Field(() => Date, { nullable: true, description: 'When the peak was reached' })
  peakAt!: Date | null;

  @Field(() => Int, { description: 'Refused acquisitions (see licenseDenials for who and when)' })
  denials!: number;

  @Field(() => String, {
    nullable: true,
    description: 'Why a count exceeds the licences, or why the licence is withheld',
  })
  note!: string | null;
}

@ObjectType({ description: "A server's licence statistics after a change" })
export class LicenseStatisticsUpdate {
  @Field(() => Server, { description: 'The server whose statistics changed' })
  server!: Server;

  @Field(() => [LicenseStatistic], {
    description: "The server's licence statistics after the change, one line per licence",
  })
  statistics!: LicenseStatistic[];

  @Field(() => Date, { description: 'When the change happened' })
  at!: Date;

  @Field(() => Float, { description: 'Grows with every change: an update with a lower version is older' })
  version!: number;
}
