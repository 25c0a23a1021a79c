import { Field, ID, InputType } from 'type-graphql';
import { WebhookEventType } from './event-types.js';

@InputType({ description: 'A new webhook endpoint of an account' })
export class CreateWebhookEndpointInput {
  @Field(() => ID, { description: 'The account whose events it receives' })
  accountId!: string;

  @Field({ description: 'https only; no private, loopback or link-local address' })
  url!: string;

  @Field(() => [WebhookEventType], { description: 'The event types to send (at least one)' })
  eventTypes!: WebhookEventType[];

  @Field(() => String, { nullable: true, description: 'A note of the account’s own' })
  description?: string | null;
}

@InputType({ description: 'Changes to a webhook endpoint; absent fields stay as they are' })
export class UpdateWebhookEndpointInput {
  @Field(() => String, {
    nullable: true,
    description: 'https only; no private, loopback or link-local address',
  })
  url?: string | null;

  @Field(() => [WebhookEventType], { nullable: true, description: 'The event types to send (at least one)' })
  eventTypes?: WebhookEventType[] | null;

  @Field(() => String, { nullable: true, description: 'null or empty clears it' })
  description?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'true re-enables a disabled endpoint (its failure count restarts); false disables it',
  })
  enabled?: boolean | null;
}
