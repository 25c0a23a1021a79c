/** What travels between subgraphs. `id` is the idempotency key; `occurredAt` the business time. */
export interface DomainEvent<T = unknown> {
  id: string;
  topic: string;
  source: string;
  occurredAt: string;
  payload: T;
  /** The W3C trace context of the request that wrote it (only while tracing is on). */
  traceparent?: string;
}

export type EventHandler = (event: DomainEvent) => Promise<void>;
/** Applies several events of one topic together (all or none: it throws to refuse the batch). */
export type BatchEventHandler = (events: DomainEvent[]) => Promise<void>;

export interface EventSubscription {
  close(): Promise<void>;
}

/** The bus underneath the outbox: in-process, or Redis Streams with consumer groups. */
export interface EventTransport {
  readonly kind: 'in-process' | 'redis-streams';
  publish(event: DomainEvent): Promise<void>;
  /** Publishes several events in order, in as few round trips as the transport allows. */
  publishAll(events: readonly DomainEvent[]): Promise<void>;
  /** Every group receives every event of the topic at least once; one member of a group gets each. */
  subscribe(topic: string, group: string, handler: EventHandler): Promise<EventSubscription>;
  /**
   * Like subscribe, with the events that are waiting handed over together (up to a read's
   * worth). A batch the handler refuses is retried one event at a time, so one bad event holds up
   * only itself and those after it.
   */
  subscribeBatch(topic: string, group: string, handler: BatchEventHandler): Promise<EventSubscription>;
  close(): Promise<void>;
  /**
   * A transport that can lose what it holds (Redis restarted without its data) keeps a
   * generation marker per producing service, stored beside its streams so that it vanishes with
   * them. `readGeneration` returns it (null once it is gone); `markGeneration` creates it unless
   * present and returns the current one. A transport without these never loses events.
   */
  readGeneration?(source: string): Promise<string | null>;
  markGeneration?(source: string): Promise<string>;
}

/** The event topics of docs/architecture.md. */
export const Topics = {
  LicenseFileLoaded: 'allocation.license-file-loaded',
  SessionStarted: 'allocation.session-started',
  SessionEnded: 'allocation.session-ended',
  ServerStarted: 'allocation.server-started',
  ServerRegistered: 'allocation.server-registered',
  ServerCredentialIssued: 'allocation.server-credential-issued',
  StageChanged: 'enforcement.stage-changed',
  ActivationFileDeactivated: 'accounts.activation-file-deactivated',
  ActivationFileUpdated: 'accounts.activation-file-updated',
  AccountCreated: 'accounts.account-created',
  /** An install site was created, or activated or deactivated: allocation registers servers only at active sites of their account. */
  InstallSiteChanged: 'accounts.install-site-changed',
  /**
   * The accounts a partner sold to, all of them, as of `asOf`: published when a sales order adds
   * one and, for every partner, when accounts starts (a consumer that starts empty converges).
   */
  PartnerCustomersChanged: 'accounts.partner-customers-changed',
  // webhooks (issue 17)
  /** An activation file was generated (revision 1): webhooks tell the account. */
  ActivationFileGenerated: 'accounts.activation-file-generated',
  /** A webhook endpoint was disabled after repeated failed deliveries (the notice). */
  WebhookEndpointDisabled: 'webhooks.endpoint-disabled',
  /** An active activation file comes within 30, 7 or 1 days of its expiry (once per threshold). */
  LicenseExpiring: 'accounts.license-expiring',
  /** An API key was revoked (its sockets are closed through the revocation channel; this is the record). */
  ApiKeyRevoked: 'accounts.api-key-revoked',
  /** One audit log entry (a mutation, succeeded or refused), from any subgraph's outbox to accounts. */
  AuditRecorded: 'audit.recorded',
  /** A licence pool of a server ran out: a logon or assignment was refused for it (once per episode). */
  PoolExhausted: 'allocation.pool-exhausted',
  /** Denials for a licence of a server reached the burst threshold within its window (once per burst). */
  DenialBurst: 'allocation.denial-burst',
  /** A server's usage for a billing period was not uploaded (or was uploaded late) by its deadline. */
  UsageUploadOverdue: 'billing.usage-upload-overdue',
} as const;
export type Topic = (typeof Topics)[keyof typeof Topics];

export function isDomainEvent(value: unknown): value is DomainEvent {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v['id'] === 'string' &&
    typeof v['topic'] === 'string' &&
    typeof v['source'] === 'string' &&
    typeof v['occurredAt'] === 'string' &&
    !Number.isNaN(Date.parse(v['occurredAt'] as string)) &&
    'payload' in v
  );
}
