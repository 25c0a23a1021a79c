import { Field, ID, InputType } from 'type-graphql';
import { z } from 'zod';
import { inputClassMatches, textSchema } from '@lic/shared';
import { ServerEnvironment } from './server.entity.js';

/** Every rule of a registration that needs no database: the name's text rules, a known environment. */
export const registerServerSchema = z.object({
  accountId: z.string(),
  installSiteId: z.string(),
  name: textSchema('name'),
  switchoverPartnerId: z.string().nullish(),
  environment: z
    .enum(ServerEnvironment, { error: 'environment must be PRODUCTION, DEVELOPMENT or TEST' })
    .nullish()
    .transform((environment) => environment ?? ServerEnvironment.PRODUCTION),
});
/** A registration as the service takes it (before parsing) ... */
export type RegisterServer = z.input<typeof registerServerSchema>;
/** ... and as it uses it: name trimmed, environment PRODUCTION when not given. */
export type ParsedRegisterServer = z.output<typeof registerServerSchema>;

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
  switchoverPartnerId?: string | null;

  @Field(() => ServerEnvironment, {
    nullable: true,
    description: 'PRODUCTION when not given; a development activation file loads only on DEVELOPMENT or TEST',
  })
  environment?: ServerEnvironment | null;
}

inputClassMatches<RegisterServerInput, typeof registerServerSchema>(true);
