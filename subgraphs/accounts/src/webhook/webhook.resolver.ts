import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { type Connection, ConnectionType, PageArguments, type PageBounds } from '@lic/shared';
import { type Context } from '../context.js';
import { WebhookAttempt, WebhookDelivery, WebhookEndpoint } from './webhook.entity.js';
import { CreateWebhookEndpointInput, UpdateWebhookEndpointInput } from './webhook.inputs.js';
import { WebhookService } from './webhook.service.js';
import { WebhookEndpointWithSecret } from './webhook.types.js';

export const WebhookDeliveryConnection = ConnectionType(
  WebhookDelivery,
  'WebhookDelivery',
  'webhook delivery',
);

@Resolver(() => WebhookEndpoint)
export class WebhookEndpointResolver {
  constructor(
    private readonly service: WebhookService,
    /** Page sizes of connections (config `pagination`); the defaults when absent. */
    private readonly pageBounds: PageBounds | undefined,
  ) {}

  @Query(() => [WebhookEndpoint], { description: "The account's webhook endpoints" })
  webhookEndpoints(
    @Arg('accountId', () => ID, { description: 'The account' }) accountId: string,
    @Ctx() ctx: Context,
  ): Promise<WebhookEndpoint[]> {
    return this.service.endpoints(ctx.tenant, accountId);
  }

  @Query(() => WebhookEndpoint, { description: 'A webhook endpoint' })
  webhookEndpoint(
    @Arg('id', () => ID, { description: 'The endpoint' }) id: string,
    @Ctx() ctx: Context,
  ): Promise<WebhookEndpoint> {
    return this.service.endpoint(ctx.tenant, id);
  }

  @Query(() => WebhookDeliveryConnection, { description: 'The delivery log of an endpoint, newest first' })
  webhookDeliveries(
    @Arg('endpointId', () => ID, { description: 'The endpoint' }) endpointId: string,
    @Args(() => PageArguments) page: PageArguments,
    @Ctx() ctx: Context,
  ): Promise<Connection<WebhookDelivery>> {
    return this.service.deliveries(ctx.tenant, endpointId, page, this.pageBounds);
  }

  @Mutation(() => WebhookEndpointWithSecret, {
    description: 'Registers an endpoint; its signing secret is in the answer, this once',
  })
  createWebhookEndpoint(
    @Arg('input', { description: 'The endpoint' }) input: CreateWebhookEndpointInput,
    @Ctx() ctx: Context,
  ): Promise<WebhookEndpointWithSecret> {
    return this.service.create(ctx.tenant, input);
  }

  @Mutation(() => WebhookEndpoint, { description: 'Changes an endpoint' })
  updateWebhookEndpoint(
    @Arg('id', () => ID, { description: 'The endpoint' }) id: string,
    @Arg('input', { description: 'What changes' }) input: UpdateWebhookEndpointInput,
    @Ctx() ctx: Context,
  ): Promise<WebhookEndpoint> {
    return this.service.update(ctx.tenant, id, input);
  }

  @Mutation(() => Boolean, { description: 'Deletes the endpoint and its delivery log' })
  deleteWebhookEndpoint(
    @Arg('id', () => ID, { description: 'The endpoint' }) id: string,
    @Ctx() ctx: Context,
  ): Promise<boolean> {
    return this.service.delete(ctx.tenant, id);
  }

  @Mutation(() => WebhookEndpointWithSecret, { description: 'A new signing secret, in force at once' })
  rotateWebhookSecret(
    @Arg('id', () => ID, { description: 'The endpoint' }) id: string,
    @Ctx() ctx: Context,
  ): Promise<WebhookEndpointWithSecret> {
    return this.service.rotateSecret(ctx.tenant, id);
  }

  @Mutation(() => WebhookDelivery, { description: 'Queues a webhook.test delivery to the endpoint' })
  sendWebhookTestEvent(
    @Arg('id', () => ID, { description: 'The endpoint' }) id: string,
    @Ctx() ctx: Context,
  ): Promise<WebhookDelivery> {
    return this.service.sendTestEvent(ctx.tenant, id);
  }

  @Mutation(() => WebhookDelivery, { description: 'Sends a delivery again (same webhook-id and body)' })
  redeliverWebhookDelivery(
    @Arg('id', () => ID, { description: 'The delivery' }) id: string,
    @Ctx() ctx: Context,
  ): Promise<WebhookDelivery> {
    return this.service.redeliver(ctx.tenant, id);
  }
}

@Resolver(() => WebhookDelivery)
export class WebhookDeliveryResolver {
  @FieldResolver(() => [WebhookAttempt], { description: 'Every attempt, oldest first' })
  attempts(@Root() delivery: WebhookDelivery, @Ctx() ctx: Context): Promise<WebhookAttempt[]> {
    return ctx.loaders.attemptsByDelivery.load(delivery.id);
  }
}
