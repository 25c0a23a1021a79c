import { Field, ID, InputType } from 'type-graphql';
import { z } from 'zod';
import { inputClassMatches, optionalTextSchema } from '@lic/shared';
import { WebhookEventType } from './event-types.js';

/** The event types to send: at least one, each a known one, each once. */
const eventTypesSchema = z
  .array(z.enum(WebhookEventType, { error: (issue) => `Unknown event type ${String(issue.input)}` }))
  .transform((types) => [...new Set(types)])
  .refine((types) => types.length > 0, { error: 'Choose at least one event type' });
const descriptionSchema = optionalTextSchema('The description', 200);

/**
 * Every rule of a new endpoint that needs no database. The URL is checked by the URL policy
 * (url-policy.ts: https, no credentials, public addresses only), which resolves the host.
 */
export const createWebhookEndpointSchema = z.object({
  accountId: z.string(),
  url: z.string(),
  eventTypes: eventTypesSchema,
  description: descriptionSchema,
});
export type CreateWebhookEndpoint = z.input<typeof createWebhookEndpointSchema>;

/** A change: absent (or null) url, event types and enabled stay; an absent description stays, null or empty clears it. */
export const updateWebhookEndpointSchema = z.object({
  url: z.string().nullish(),
  eventTypes: eventTypesSchema.nullish(),
  description: descriptionSchema.optional(),
  /** true re-enables (and clears the failure count); false disables by hand. */
  enabled: z.boolean().nullish(),
});
export type UpdateWebhookEndpoint = z.input<typeof updateWebhookEndpointSchema>;

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

inputClassMatches<CreateWebhookEndpointInput, typeof createWebhookEndpointSchema>(true);
inputClassMatches<UpdateWebhookEndpointInput, typeof updateWebhookEndpointSchema>(true);
