import { z } from 'zod';
import { Topics } from './types.js';

/**
 * The payload of every domain event, as a schema: producers build these types and consumers
 * parse with them, so a malformed or foreign event is rejected at the boundary, never half-applied.
 */
const id = z.string().min(1).max(64);
const instant = z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'must be an ISO-8601 instant');
/** Licence keys as activation files spell them (I3_ACCESS_CLIENT, ..._CONCURRENT). */
const licenseKeys = z.array(z.string().regex(/^[A-Za-z0-9_]{1,100}$/, 'must be a licence key')).max(500);

export const LicenseFileLoadedPayload = z.object({
  serverId: id,
  accountId: id,
  /** The activation file's id (from the file content). */
  fileId: id,
  licenseModel: z.enum(['PERPETUAL', 'SUBSCRIPTION']),
  licenseType: z.string().min(1),
  /** Every key of the file with its quantity (features have quantity 1 or more). */
  keys: z.record(z.string(), z.number().int().nonnegative()),
  /** Virtual-cloud terms; null when the file has no I3_FEATURE_VIRTUAL_CLOUD. */
  rampDate: instant.nullable(),
  graceDays: z.number().int().positive().nullable(),
  callPorts: z.number().int().nonnegative(),
  loadedAt: instant,
  /** The file's revision as signed in its content (absent from older producers). */
  revision: z.number().int().min(1).optional(),
  /** When the file expires (absent from older producers). */
  expiresAt: instant.optional(),
});
export type LicenseFileLoadedPayload = z.infer<typeof LicenseFileLoadedPayload>;

export const SessionStartedPayload = z.object({
  sessionId: id,
  serverId: id,
  accountId: id,
  userId: id,
  stationId: id.nullable(),
  application: z.string().min(1).max(100),
  /** The licences applied to the user at that moment (base keys and _CONCURRENT twins as held). */
  licenses: z.array(z.string().min(1)),
  occurredAt: instant,
  /**
   * The part of `licenses` that comes from the user's own licences, not the station's: billing
   * categories follow the user's licences. Absent from older producers (billing then uses `licenses`).
   */
  userLicenses: licenseKeys.optional(),
  /** A logon from the telephone without a client application (a phone-only ACD agent): billed as AGENT. */
  telephoneOnly: z.boolean().optional(),
});
export type SessionStartedPayload = z.infer<typeof SessionStartedPayload>;

export const SessionEndedPayload = z.object({
  sessionId: id,
  serverId: id,
  accountId: id,
  userId: id,
  application: z.string().min(1).max(100),
  licenses: z.array(z.string().min(1)),
  occurredAt: instant,
  /** As in SessionStartedPayload: the user's own part of `licenses`, absent from older producers. */
  userLicenses: licenseKeys.optional(),
  cause: z.enum([
    'LOGOFF',
    'LEASE_EXPIRED',
    'REPLACED',
    'USER_DELETED',
    'SERVER_RESTARTED',
    'UNLICENSED',
    'LICENSE_EXPIRED',
    'SWITCHOVER',
  ]),
});
export type SessionEndedPayload = z.infer<typeof SessionEndedPayload>;

export const ServerRegisteredPayload = z.object({
  serverId: id,
  accountId: id,
  installSiteId: id,
  name: z.string().min(1),
});
export type ServerRegisteredPayload = z.infer<typeof ServerRegisteredPayload>;

export const ServerStartedPayload = z.object({
  serverId: id,
  accountId: id,
  /** True when the start is a switchover to this server. */
  switchover: z.boolean(),
  occurredAt: instant,
  /**
   * The outcome of the start-up (or switchover) check with the cloud, when the server reported
   * one: true counts as a good check-in for enforcement; absent or false is only recorded.
   */
  checkInSucceeded: z.boolean().optional(),
});
export type ServerStartedPayload = z.infer<typeof ServerStartedPayload>;

/**
 * A server's machine credential was issued: `credentialId` is the one in force (its token's subject
 * is `server-credential:<credentialId>`); every earlier credential of the server stops working.
 */
export const ServerCredentialIssuedPayload = z.object({
  serverId: id,
  accountId: id,
  credentialId: id,
  issuedAt: instant,
});
export type ServerCredentialIssuedPayload = z.infer<typeof ServerCredentialIssuedPayload>;

export const StageChangedPayload = z.object({
  serverId: id,
  accountId: id,
  from: z.number().int().min(1).max(6),
  to: z.number().int().min(1).max(6),
  at: instant,
  supervisorEnabled: z.boolean(),
  /**
   * Null at stages 1-4 (enforcement sets no bound); at 5 and 6 the bound, never above the licensed
   * number: the server may use min(licensed, callPortLimit) call ports.
   */
  callPortLimit: z.number().int().nonnegative().nullable(),
  /** Why the stage changed (absent from older producers); `from` equals `to` when only the limit changed. */
  cause: z.enum(['GRACE_PERIOD_ELAPSED', 'CHECK_IN', 'LICENSE_LOADED', 'OVERRIDE']).optional(),
  /** A manual override: who made it (the administrator's subject) and why. */
  by: z.string().min(1).max(200).optional(),
  reason: z.string().min(1).max(500).optional(),
  /** The change's number in the server's recorded history (absent from older producers). */
  seq: z.number().int().positive().optional(),
});
export type StageChangedPayload = z.infer<typeof StageChangedPayload>;

export const ActivationFileDeactivatedPayload = z.object({
  fileId: id,
  accountId: id,
  deactivatedAt: instant,
});
export type ActivationFileDeactivatedPayload = z.infer<typeof ActivationFileDeactivatedPayload>;

/**
 * An activation file was updated (or upgraded) and re-signed as a new revision. `content` is the
 * signed text: a consumer verifies it and applies its quantities where an older revision runs.
 */
export const ActivationFileUpdatedPayload = z.object({
  fileId: id,
  accountId: id,
  revision: z.number().int().min(1),
  content: z
    .string()
    .min(1)
    .max(1024 * 1024),
  updatedAt: instant,
});
export type ActivationFileUpdatedPayload = z.infer<typeof ActivationFileUpdatedPayload>;

export const AccountCreatedPayload = z.object({
  accountId: id,
  name: z.string().min(1),
  kind: z.enum(['CUSTOMER', 'PARTNER']),
});
export type AccountCreatedPayload = z.infer<typeof AccountCreatedPayload>;

export const InstallSiteChangedPayload = z.object({
  installSiteId: id,
  accountId: id,
  active: z.boolean(),
});
export type InstallSiteChangedPayload = z.infer<typeof InstallSiteChangedPayload>;

/**
 * Partners and their customers: the whole set of accounts a partner sold to (the end users of the
 * sales orders it was invoiced for), replacing what a consumer held for that partner. `asOf` orders
 * the announcements: a consumer keeps the latest and ignores an older one that arrives late.
 */
export const PartnerCustomersChangedPayload = z.object({
  partnerAccountId: id,
  customerAccountIds: z.array(id).max(100_000),
  asOf: instant,
});
export type PartnerCustomersChangedPayload = z.infer<typeof PartnerCustomersChangedPayload>;
// webhooks (issue 17)
export const ActivationFileGeneratedPayload = z.object({
  fileId: id,
  accountId: id,
  installSiteId: id,
  revision: z.number().int().min(1),
  licenseType: z.string().min(1),
  expiresAt: instant.nullable(),
  generatedAt: instant,
});
export type ActivationFileGeneratedPayload = z.infer<typeof ActivationFileGeneratedPayload>;

export const WebhookEndpointDisabledPayload = z.object({
  endpointId: id,
  accountId: id,
  url: z.string().min(1).max(2048),
  reason: z.string().min(1).max(500),
  consecutiveFailures: z.number().int().nonnegative(),
  disabledAt: instant,
});
export type WebhookEndpointDisabledPayload = z.infer<typeof WebhookEndpointDisabledPayload>;

export const LicenseExpiringPayload = z.object({
  fileId: id,
  accountId: id,
  installSiteId: id,
  revision: z.number().int().min(1),
  expiresAt: instant,
  /** The threshold crossed: the file expires within this many days. */
  withinDays: z.union([z.literal(30), z.literal(7), z.literal(1)]),
  daysLeft: z.number().int().nonnegative(),
});
export type LicenseExpiringPayload = z.infer<typeof LicenseExpiringPayload>;
// end webhooks (issue 17)
/** An API key of an account was revoked: requests with it are refused from then on. */
export const ApiKeyRevokedPayload = z.object({
  apiKeyId: id,
  accountId: id,
  revokedAt: instant,
});
export type ApiKeyRevokedPayload = z.infer<typeof ApiKeyRevokedPayload>;
/** An audit log entry: who did what to which targets, when, from where, and how it ended. */
export const AuditRecordedPayload = z.object({
  entryId: z.string().uuid(),
  /** The account the entry belongs to (whose administrators see it); null when none applies. */
  accountId: id.nullable(),
  subject: z.string().max(200).nullable(),
  roles: z.array(z.string().max(40)).max(10),
  credentialKind: z.enum(['token', 'api-key']).nullable(),
  credentialId: z.string().max(200).nullable(),
  /** The client's operation name, when it gave one. */
  operation: z.string().max(200).nullable(),
  /** The Mutation field: `generateActivationFile`. */
  field: z.string().min(1).max(100),
  service: z.string().min(1).max(40),
  targetIds: z.array(z.string().max(200)).max(50),
  /** The arguments as JSON, secrets redacted and long values shortened. */
  change: z.string().max(20_000),
  outcome: z.enum(['SUCCEEDED', 'REFUSED']),
  /** The refusal's error code (null when it succeeded). */
  errorCode: z.string().max(60).nullable(),
  requestId: z.string().max(128).nullable(),
  clientAddress: z.string().max(64).nullable(),
  occurredAt: instant,
});
export type AuditRecordedPayload = z.infer<typeof AuditRecordedPayload>;

/**
 * A licence pool of a server ran out: a logon or assignment was refused because none was left.
 * Once per episode: the next one follows only after the pool had room again (`docs/domain.md`,
 * "Pool alerts"). Payloads change additively only (new fields optional).
 */
export const PoolExhaustedPayload = z.object({
  accountId: id,
  /** The server (the switchover unit) whose pool it is. */
  serverId: id,
  /** The pool's licence key (`I3_ACCESS_CLIENT_CONCURRENT`, ...). */
  licenseKey: z.string().regex(/^[A-Za-z0-9_]{1,120}$/, 'must be a licence key'),
  /** The most holders the pool admits (null: uncapped, no pool row yet). */
  limit: z.number().int().nonnegative().nullable(),
  inUse: z.number().int().nonnegative(),
  /** The refusals that opened the episode (usually 1). */
  denied: z.number().int().positive(),
  /** Refusals counted on the pool so far (all reasons, since the pool exists). */
  totalDenials: z.number().int().nonnegative(),
  exhaustedAt: instant,
});
export type PoolExhaustedPayload = z.infer<typeof PoolExhaustedPayload>;

/**
 * Denials for a licence of a server reached `threshold` within `windowSeconds`: once per burst;
 * the burst ends when a whole window passes below the threshold.
 */
export const DenialBurstPayload = z.object({
  accountId: id,
  serverId: id,
  licenseKey: z.string().regex(/^[A-Za-z0-9_]{1,120}$/, 'must be a licence key'),
  /** Denials of this licence on this server within the window, this one included. */
  denials: z.number().int().positive(),
  threshold: z.number().int().positive(),
  windowSeconds: z.number().int().positive(),
  /** The first denial counted in the window. */
  since: instant,
  detectedAt: instant,
});
export type DenialBurstPayload = z.infer<typeof DenialBurstPayload>;

/**
 * A server's usage for a billing period was not all uploaded by the deadline: MISSING (files
 * still not uploaded after it) or LATE (all uploaded, some after it). Once per server and period.
 */
export const UsageUploadOverduePayload = z.object({
  accountId: id,
  serverId: id,
  state: z.enum(['LATE', 'MISSING']),
  periodStart: instant,
  /** Exclusive. */
  periodEnd: instant,
  /** The day usage was due (uploads on that day, UTC, are on time). */
  uploadDeadline: instant,
  files: z.number().int().nonnegative(),
  missingFiles: z.number().int().nonnegative(),
  lateFiles: z.number().int().nonnegative(),
  detectedAt: instant,
});
export type UsageUploadOverduePayload = z.infer<typeof UsageUploadOverduePayload>;

export const EventContracts = {
  [Topics.LicenseFileLoaded]: LicenseFileLoadedPayload,
  [Topics.SessionStarted]: SessionStartedPayload,
  [Topics.SessionEnded]: SessionEndedPayload,
  [Topics.ServerRegistered]: ServerRegisteredPayload,
  [Topics.ServerStarted]: ServerStartedPayload,
  [Topics.ServerCredentialIssued]: ServerCredentialIssuedPayload,
  [Topics.StageChanged]: StageChangedPayload,
  [Topics.ActivationFileDeactivated]: ActivationFileDeactivatedPayload,
  [Topics.ActivationFileUpdated]: ActivationFileUpdatedPayload,
  [Topics.AccountCreated]: AccountCreatedPayload,
  [Topics.InstallSiteChanged]: InstallSiteChangedPayload,
  [Topics.PartnerCustomersChanged]: PartnerCustomersChangedPayload,
  // webhooks (issue 17)
  [Topics.ActivationFileGenerated]: ActivationFileGeneratedPayload,
  [Topics.WebhookEndpointDisabled]: WebhookEndpointDisabledPayload,
  [Topics.LicenseExpiring]: LicenseExpiringPayload,
  [Topics.ApiKeyRevoked]: ApiKeyRevokedPayload,
  [Topics.AuditRecorded]: AuditRecordedPayload,
  [Topics.PoolExhausted]: PoolExhaustedPayload,
  [Topics.DenialBurst]: DenialBurstPayload,
  [Topics.UsageUploadOverdue]: UsageUploadOverduePayload,
} as const;

export type EventContractTopic = keyof typeof EventContracts;
export type PayloadOf<T extends EventContractTopic> = z.infer<(typeof EventContracts)[T]>;

/** Parses a payload for its topic; returns undefined (and the reason) for a malformed one. */
export function parsePayload<T extends EventContractTopic>(
  topic: T,
  payload: unknown,
): { ok: true; value: PayloadOf<T> } | { ok: false; reason: string } {
  const result = EventContracts[topic].safeParse(payload);
  if (result.success) return { ok: true, value: result.data as PayloadOf<T> };
  return {
    ok: false,
    reason: result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
  };
}
