import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMs, jsonText } from '@lic/shared';

/** Where an account wants its events sent; the signing secret never leaves the platform after creation. */
@ObjectType({
  description: 'A webhook endpoint of an account: the URL events are POSTed to, signed (Standard Webhooks)',
})
@Entity({ name: 'webhook_endpoint' })
export class WebhookEndpoint {
  @Field(() => ID, { description: 'The endpoint' })
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Field(() => ID, { description: 'The account whose events it receives' })
  @Index('ix_webhook_endpoint_account')
  @Column({ name: 'account_id', type: 'varchar', length: 36 })
  accountId!: string;

  @Field({ description: 'Where deliveries are POSTed (https)' })
  @Column({ type: 'varchar', length: 2048 })
  url!: string;

  @Field(() => String, { nullable: true, description: 'A note of the account’s own' })
  @Column({ type: 'varchar', length: 200, nullable: true })
  description!: string | null;

  @Field(() => [String], { description: 'The event types sent to this endpoint (see WebhookEventType)' })
  @Column({ name: 'event_types', type: 'text', transformer: jsonText })
  eventTypes!: string[];

  /** `whsec_` + base64 of 32 random bytes; returned once, by create and rotate. */
  @Column({ type: 'varchar', length: 100 })
  secret!: string;

  @Field({ description: 'False when disabled by hand or after repeated failures (see disabledReason)' })
  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  @Field(() => String, { nullable: true, description: 'Why the endpoint is disabled' })
  @Column({ name: 'disabled_reason', type: 'varchar', length: 500, nullable: true })
  disabledReason!: string | null;

  @Field(() => Date, { nullable: true, description: 'When it was disabled; null while enabled' })
  @Column({ name: 'disabled_at', type: 'bigint', nullable: true, transformer: epochMs })
  disabledAt!: Date | null;

  @Field(() => Int, { description: 'Failed attempts since the last successful one' })
  @Column({ name: 'consecutive_failures', type: 'integer', default: 0 })
  consecutiveFailures!: number;

  @Field(() => Date, { description: 'When it was created' })
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: Date;

  @Field(() => Date, { description: 'When it was last changed' })
  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMs })
  updatedAt!: Date;
}

export type WebhookDeliveryStatus = 'PENDING' | 'DELIVERED' | 'FAILED';

/** One event for one endpoint: created durably from the event before any attempt. */
@ObjectType({ description: 'One event sent (or to be sent) to one endpoint, with its attempts' })
@Entity({ name: 'webhook_delivery' })
@Index('uq_webhook_delivery_event', ['endpointId', 'eventId'], { unique: true })
@Index('ix_webhook_delivery_due', ['status', 'nextAttemptAt'])
@Index('ix_webhook_delivery_endpoint', ['endpointId', 'createdAt'])
export class WebhookDelivery {
  @Field(() => ID, { description: 'Also the webhook-id header: a receiver deduplicates on it' })
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Field(() => ID, { description: 'The endpoint it goes to' })
  @Column({ name: 'endpoint_id', type: 'varchar', length: 36 })
  endpointId!: string;

  @Column({ name: 'account_id', type: 'varchar', length: 36 })
  accountId!: string;

  @Field(() => ID, { description: 'The platform event it carries' })
  @Column({ name: 'event_id', type: 'varchar', length: 64 })
  eventId!: string;

  @Field({ description: 'The event type (the `type` of the body)' })
  @Column({ name: 'event_type', type: 'varchar', length: 100 })
  eventType!: string;

  @Field({ description: 'The JSON body sent, exactly as signed' })
  @Column({ type: 'text' })
  payload!: string;

  @Field(() => String, { description: 'PENDING, DELIVERED or FAILED (retries exhausted)' })
  @Column({ type: 'varchar', length: 16 })
  status!: WebhookDeliveryStatus;

  @Field(() => Int, { description: 'Attempts made so far' })
  @Column({ name: 'attempt_count', type: 'integer', default: 0 })
  attemptCount!: number;

  @Field(() => Date, {
    nullable: true,
    description: 'When the next attempt is due; null once delivered or failed',
  })
  @Column({ name: 'next_attempt_at', type: 'bigint', nullable: true, transformer: epochMs })
  nextAttemptAt!: Date | null;

  /** Claimed by a worker until then (a lease: a worker that dies leaves it to the next). */
  @Column({ name: 'lease_until', type: 'bigint', nullable: true, transformer: epochMs })
  leaseUntil!: Date | null;

  @Column({ name: 'lease_owner', type: 'varchar', length: 64, nullable: true })
  leaseOwner!: string | null;

  @Field(() => Date, { description: 'When the delivery was queued' })
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When an attempt succeeded; null until then' })
  @Column({ name: 'delivered_at', type: 'bigint', nullable: true, transformer: epochMs })
  deliveredAt!: Date | null;
}

/** One HTTP attempt of a delivery: the delivery log. */
@ObjectType({ description: 'One attempt to deliver: status, latency and the start of the answer' })
@Entity({ name: 'webhook_attempt' })
@Index('ix_webhook_attempt_delivery', ['deliveryId', 'attemptedAt'])
export class WebhookAttempt {
  @Field(() => ID, { description: 'The attempt' })
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'delivery_id', type: 'varchar', length: 40 })
  deliveryId!: string;

  @Field(() => Date, { description: 'When the attempt was made' })
  @Column({ name: 'attempted_at', type: 'bigint', transformer: epochMs })
  attemptedAt!: Date;

  @Field(() => Int, { nullable: true, description: 'The HTTP status; null when no answer came' })
  @Column({ name: 'status_code', type: 'integer', nullable: true })
  statusCode!: number | null;

  @Field({ description: 'Whether the receiver answered 2xx in time' })
  @Column({ type: 'boolean' })
  success!: boolean;

  @Field(() => Int, { description: 'How long the attempt took, in milliseconds' })
  @Column({ name: 'latency_ms', type: 'integer' })
  latencyMs!: number;

  @Field(() => String, { nullable: true, description: 'The first 1 KB of the answer' })
  @Column({ name: 'response_excerpt', type: 'text', nullable: true })
  responseExcerpt!: string | null;

  @Field(() => String, { nullable: true, description: 'Why no answer counted (timeout, refused address...)' })
  @Column({ type: 'varchar', length: 500, nullable: true })
  error!: string | null;
}
