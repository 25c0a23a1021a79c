import { Field, ID, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A machine credential: a token with role SERVER for one server, shown once' })
export class ServerCredential {
  @Field(() => ID, { description: 'The server the credential is for' })
  serverId!: string;

  @Field({
    description: 'Bearer token for the server; only its hash is stored, and a new credential revokes it',
  })
  token!: string;

  @Field(() => Date, { description: 'When the credential was issued' })
  issuedAt!: Date;

  @Field(() => Date, { description: 'When the credential stops working' })
  expiresAt!: Date;
}

@ObjectType({ description: 'A licence key and how many of it the loaded file grants' })
export class LicenseKeyQuantity {
  @Field({ description: 'The licence key' })
  key!: string;

  @Field(() => Int, { description: 'How many of the key the file grants' })
  quantity!: number;
}

@ObjectType({ description: 'The licence file a server runs on' })
export class ServerLicense {
  @Field(() => ID, { description: 'The activation file loaded' })
  fileId!: string;

  @Field(() => Int, {
    description: 'The revision of the file the server runs (1 for files signed before revisions existed)',
  })
  revision!: number;

  @Field({ description: 'PERPETUAL or SUBSCRIPTION' })
  licenseModel!: string;

  @Field({ description: 'Production, development, trial or evaluation' })
  licenseType!: string;

  @Field(() => Date, { description: 'When the file was loaded' })
  loadedAt!: Date;

  @Field(() => Date, { description: 'When the file expires (null: never)', nullable: true })
  expiresAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the file was deactivated and its pools withdrawn' })
  withdrawnAt!: Date | null;

  @Field(() => [LicenseKeyQuantity], { description: 'The licence keys the file grants, with quantities' })
  keys!: LicenseKeyQuantity[];
}
