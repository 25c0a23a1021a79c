import { Field, ObjectType } from 'type-graphql';
import { WebhookEndpoint } from './webhook.entity.js';

@ObjectType({ description: 'An endpoint with its signing secret, shown this once' })
export class WebhookEndpointWithSecret {
  @Field(() => WebhookEndpoint, { description: 'The endpoint created or changed' })
  endpoint!: WebhookEndpoint;

  @Field({ description: 'whsec_… (Standard Webhooks): verify every delivery with it; not shown again' })
  secret!: string;
}
