import { Ctx, Query, Resolver } from 'type-graphql';
import { type Context } from '../context.js';
import { Part } from './part.entity.js';
import { PartService } from './part.service.js';

@Resolver(() => Part)
export class PartResolver {
  constructor(private readonly service: PartService) {}

  @Query(() => [Part], { description: 'Every orderable part number and the licence keys it grants' })
  partCatalog(@Ctx() ctx: Context): Part[] {
    void ctx.tenant.caller;
    return this.service.list();
  }
}
