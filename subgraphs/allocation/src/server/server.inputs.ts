import { Field, ID, InputType } from 'type-graphql';
import { ServerEnvironment } from './server.entity.js';

@InputType({ description: 'A CIC server to register' })
export class RegisterServerInput {
  @Field(() => ID, { description: 'The account the server belongs to' })
  accountId!: string;

  @Field(() => ID, { description: 'The install site the server runs at' })
  installSiteId!: string;

  @Field({
    description:
      'The CIC machine name (the name licence files are issued for); unique within the account, ignoring case and surrounding spaces',
  })
  name!: string;

  @Field(() => ID, {
    description: 'The already registered server this one forms a switchover pair with',
    nullable: true,
  })
  switchoverPartnerId?: string;

  @Field(() => ServerEnvironment, {
    nullable: true,
    description: 'PRODUCTION when not given; a development activation file loads only on DEVELOPMENT or TEST',
  })
  environment?: ServerEnvironment;
}
