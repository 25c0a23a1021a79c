import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { type Context } from '../context.js';
import { Server } from '../server/server.entity.js';
import { LicenseService } from './license.service.js';
import { AccountLicenseCapType } from './license.types.js';

@Resolver()
export class LicenseResolver {
  constructor(private readonly service: LicenseService) {}

  @Mutation(() => Server, {
    description:
      'Loads a signed activation file: verified first (INVALID_LICENSE_FILE, LICENSE_FILE_EXPIRED, nothing changed), ' +
      'then the pools take its totals at once; a switchover file applies to both servers of the pair',
  })
  loadLicenseFile(
    @Arg('serverId', () => ID, { description: 'The server that loads the file' }) serverId: string,
    @Arg('content', { description: 'The signed activation file text, as downloaded' }) content: string,
    @Ctx() ctx: Context,
  ): Promise<Server> {
    return this.service.loadLicenseFile(ctx.principal, serverId, content);
  }

  @Mutation(() => AccountLicenseCapType, {
    nullable: true,
    description: 'Sets (or with cap null removes) a subscription account’s own cap on a licence pool',
  })
  setAccountLicenseCap(
    @Arg('accountId', () => ID, { description: 'The subscription account' }) accountId: string,
    @Arg('key', { description: 'The licence key to cap' }) key: string,
    @Arg('cap', () => Int, {
      description: 'The most licences of the key in use at once across the account (null removes the cap)',
      nullable: true,
    })
    cap: number | null,
    @Ctx() ctx: Context,
  ): Promise<AccountLicenseCapType | null> {
    return this.service.setAccountLicenseCap(ctx.principal, accountId, key, cap ?? null);
  }

  @Query(() => [AccountLicenseCapType], { description: 'The licence caps a subscription account has set' })
  accountLicenseCaps(
    @Arg('accountId', () => ID, { description: 'The account' }) accountId: string,
    @Ctx() ctx: Context,
  ): Promise<AccountLicenseCapType[]> {
    return this.service.caps(ctx.principal, accountId);
  }
}
