/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** A direct customer, or a partner that resells */
export type AccountKind =
  /** An end user of the software */
  | 'CUSTOMER'
  /** A partner that resells to end users (sold-to account of their orders) */
  | 'PARTNER';

/** The filters of the Activation File Activity tab; all optional and combined */
export type ActivationFileFilter = {
  /** YES active only, NO inactive only, ALL both */
  active?: ActiveFilter | null | undefined;
  /** Who generated it (token subject) */
  generatedBy?: string | null | undefined;
  /** Generated at or after */
  generatedFrom?: string | null | undefined;
  /** Generated at or before */
  generatedTo?: string | null | undefined;
  /** One install site (default: all) */
  installSiteId?: string | number | null | undefined;
  /** Only files of this licence type */
  licenseType?: LicenseType | null | undefined;
  /** The machine (or switchover machine) name, case-insensitive */
  machineName?: string | null | undefined;
  /** The product line (case-insensitive) */
  productLine?: string | null | undefined;
};

/** YES: active only; NO: inactive only; ALL: both */
export type ActiveFilter =
  /** Active and inactive */
  | 'ALL'
  /** Inactive only */
  | 'NO'
  /** Active only */
  | 'YES';

/** Narrows the audit log; every given condition must hold */
export type AuditLogFilter = {
  /** At or after this instant */
  from?: string | null | undefined;
  /** The mutation field, or the client's operation name */
  operation?: string | null | undefined;
  /** The caller's subject */
  subject?: string | null | undefined;
  /** Entries that name this id among their targets */
  targetId?: string | number | null | undefined;
  /** At or before this instant */
  to?: string | null | undefined;
};

/** SUCCEEDED, or REFUSED (denied or invalid: errorCode says why) */
export type AuditOutcome =
  /** The mutation was refused (denied or invalid); nothing changed */
  | 'REFUSED'
  /** The mutation ran and its change was made */
  | 'SUCCEEDED';

/** What an account is billed for: named users, or billable concurrent users */
export type BillingBasis =
  /** Billed for billable concurrent users */
  | 'CONCURRENT'
  /** Billed for named users (distinct users active in the period) */
  | 'NAMED';

/** The twelve-hourly check-in, the check a server makes at start-up or switchover, or a licensing administrator's manual override */
export type CheckInKind =
  /** Good standing granted by a licensing administrator */
  | 'OVERRIDE'
  /** The server's regular check-in */
  | 'PERIODIC'
  /** The check-in a server makes when it starts */
  | 'STARTUP'
  /** The check-in after a switchover to the other server of a pair */
  | 'SWITCHOVER';

/** Why a stage changed: a grace period ran out, a good check-in, a newly loaded licence, or a licensing administrator's manual override */
export type EnforcementChangeCause =
  /** A check-in in good standing */
  | 'CHECK_IN'
  /** The grace period without a good check-in ran out */
  | 'GRACE_PERIOD_ELAPSED'
  /** A licence file was loaded */
  | 'LICENSE_LOADED'
  /** A licensing administrator granted good standing */
  | 'OVERRIDE';

/** The six stages of virtual-cloud enforcement, 1 to 6 */
export type EnforcementStageName =
  /** Stage 5: call ports are limited */
  | 'CALL_PORTS_LIMITED'
  /** Stage 1: everything works */
  | 'FULLY_FUNCTIONAL'
  /** Stage 3: an obtrusive warning */
  | 'OBTRUSIVE_WARNING'
  /** Stage 4: the supervisor is disabled */
  | 'SUPERVISOR_DISABLED'
  /** Stage 6: the server is unlicensed */
  | 'UNLICENSED'
  /** Stage 2: a warning in the status bar */
  | 'WARNING';

/** What users of the server see: nothing, a status-bar warning (stage 2) or an obtrusive one (3 and beyond) */
export type EnforcementWarning =
  /** No warning */
  | 'NONE'
  /** An obtrusive warning */
  | 'OBTRUSIVE'
  /** A warning in the status bar */
  | 'STATUS_BAR';

/** How close the server's licence file is to its expiry (warned 30, 7 and 1 days before) */
export type LicenseExpiryWarning =
  /** Expires within 7 days */
  | 'DAYS_7'
  /** Expires within 30 days */
  | 'DAYS_30'
  /** Expires within a day */
  | 'DAY_1'
  /** Expired: the server is unlicensed until a new file is loaded */
  | 'EXPIRED';

/** PERPETUAL (paid once, capped by the file) or SUBSCRIPTION (usage billed monthly) */
export type LicenseModel =
  /** Paid once, capped by the file */
  | 'PERPETUAL'
  /** Usage billed monthly */
  | 'SUBSCRIPTION';

/** What an activation file may be used for, which decides its validity dates */
export type LicenseType =
  /** A large development server granted by a production server, not ordered */
  | 'DEVELOPMENT_NON_ORDERED_LARGE'
  /** A small development server granted by a production server, not ordered */
  | 'DEVELOPMENT_NON_ORDERED_SMALL'
  /** A large development server, ordered */
  | 'DEVELOPMENT_ORDERED_LARGE'
  /** A small development server, ordered */
  | 'DEVELOPMENT_ORDERED_SMALL'
  /** An evaluation */
  | 'EVALUATION'
  /** A production server */
  | 'PRODUCTION'
  /** A trial */
  | 'TRIAL';

/** A billing category: AGENT or BUSINESS_USER (exclusive), plus add-ons for agents */
export type UsageCategory =
  /** A user holding an ACD media licence (I3_ACCESS_ACD_MEDIA_1 or _2) or any add-on; exclusive with BUSINESS_USER */
  | 'AGENT'
  /** Add-on: Interaction Analyzer (I3_ACCESS_ANALYZER) */
  | 'ANALYZER'
  /** A user with client access and no agent licence; exclusive with AGENT */
  | 'BUSINESS_USER'
  /** Add-on: analytics core (I3_ACCESS_ANALYTICS_CORE) */
  | 'CX_INSIGHTS'
  /** Add-on: outbound dialer (I3_ACCESS_DIALER_ADDON) */
  | 'DIALER'
  /** Add-on: surveys and feedback (I3_ACCESS_FEEDBACK) */
  | 'FEEDBACK'
  /** Add-on: three or more queued media types (I3_ACCESS_ACD_MEDIA_3_PLUS) */
  | 'MULTI_CHANNEL'
  /** Add-on: recorder quality monitoring */
  | 'QUALITY_MANAGER'
  /** Add-on: interaction recorder (I3_ACCESS_RECORDER) */
  | 'RECORDER'
  /** Add-on: the Salesforce integration */
  | 'SALESFORCE_AGENT'
  /** Add-on: social media routed to agents (I3_ACCESS_ACD_SOCIAL_MEDIA) */
  | 'SOCIAL_MEDIA_ACD'
  /** Add-on: supervisor plug-ins */
  | 'SUPERVISOR'
  /** Add-on: the interaction web portal for agents */
  | 'WEB_PORTAL_AGENT'
  /** Add-on: the interaction web portal for supervisors */
  | 'WEB_PORTAL_SUPERVISOR';

/** The bucket size of licence usage history (UTC minutes, hours or days) */
export type UsageResolution =
  /** One point per UTC day */
  | 'DAY'
  /** One point per UTC hour */
  | 'HOUR'
  /** One point per UTC minute */
  | 'MINUTE';

export type AccountDetailsQueryVariables = Exact<{
  id: string | number;
}>;


export type AccountDetailsQuery = { account: { id: string, name: string, garn: string, kind: AccountKind, installSites: Array<{ id: string, name: string, address: string | null, active: boolean }>, salesOrders: Array<{ id: string, orderNumber: string, licenseModel: LicenseModel, lines: Array<{ partNumber: string, description: string, assignedQuantity: number, pooledQuantity: number }> }>, summary: Array<{ partNumber: string, description: string, licenseModel: LicenseModel, ordered: number, used: number, remaining: number }> } | null };

export type ActivationFilesQueryVariables = Exact<{
  accountId: string | number;
  filter?: ActivationFileFilter | null | undefined;
}>;


export type ActivationFilesQuery = { activationFiles: Array<{ id: string, fileName: string, licenseType: LicenseType, active: boolean, generatedAt: string, expiresAt: string, downloadCount: number, keys: Array<{ key: string, quantity: number }>, installSite: { id: string, name: string } | null }> };

export type DownloadActivationFileMutationVariables = Exact<{
  id: string | number;
}>;


export type DownloadActivationFileMutation = { downloadActivationFile: { id: string, fileName: string, contentType: string, content: string, downloadCount: number } };

export type AuditLogQueryVariables = Exact<{
  accountId: string | number;
  filter?: AuditLogFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type AuditLogQuery = { auditLog: { edges: Array<{ cursor: string, node: { id: string, occurredAt: string, outcome: AuditOutcome, errorCode: string | null, field: string, operation: string | null, service: string, subject: string | null, roles: Array<string>, credentialKind: string | null, credentialId: string | null, targetIds: Array<string>, change: string, requestId: string | null, clientAddress: string | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type AuditLogCsvQueryVariables = Exact<{
  accountId: string | number;
  filter?: AuditLogFilter | null | undefined;
}>;


export type AuditLogCsvQuery = { auditLogCsv: string };

export type EnforcementStatusFieldsFragment = { applicable: boolean, stage: number, stageName: EnforcementStageName, since: string | null, nextStageAt: string | null, warning: EnforcementWarning, supervisorEnabled: boolean, callPortLimit: number | null, lastGoodCheckIn: string | null, asOf: string };

export type EnforcementOverviewQueryVariables = Exact<{
  accountId: string | number;
}>;


export type EnforcementOverviewQuery = { account: { id: string, name: string, servers: Array<{ id: string, name: string, enforcementStatus: { applicable: boolean, stage: number, stageName: EnforcementStageName, since: string | null, nextStageAt: string | null, warning: EnforcementWarning, supervisorEnabled: boolean, callPortLimit: number | null, lastGoodCheckIn: string | null, asOf: string } | null }> | null } | null };

export type ServerEnforcementStatusQueryVariables = Exact<{
  serverId: string | number;
}>;


export type ServerEnforcementStatusQuery = { enforcementStatus: { applicable: boolean, stage: number, stageName: EnforcementStageName, since: string | null, nextStageAt: string | null, warning: EnforcementWarning, supervisorEnabled: boolean, callPortLimit: number | null, lastGoodCheckIn: string | null, asOf: string } };

export type EnforcementStageChangedSubscriptionVariables = Exact<{
  accountId?: string | number | null | undefined;
}>;


export type EnforcementStageChangedSubscription = { enforcementStageChanged: { from: number, to: number, fromName: EnforcementStageName, toName: EnforcementStageName, at: string, cause: EnforcementChangeCause | null, server: { id: string, name: string } } };

export type LastCheckInQueryVariables = Exact<{
  serverId: string | number;
}>;


export type LastCheckInQuery = { enforcementCheckIns: Array<{ id: string, kind: CheckInKind, success: boolean | null, occurredAt: string }> };

export type FleetServersQueryVariables = Exact<{ [key: string]: never; }>;


export type FleetServersQuery = { accounts: Array<{ id: string, name: string, kind: AccountKind, installSites: Array<{ id: string, name: string }>, servers: Array<{ id: string, name: string, standby: boolean, installSiteId: string, licenseExpiresAt: string | null, licenseDaysLeft: number | null, licenseExpiryWarning: LicenseExpiryWarning | null, licenseExpired: boolean, unlicensed: boolean, enforcementStatus: { applicable: boolean, stage: number, nextStageAt: string | null } | null }> | null }> };

export type FleetOwnServersQueryVariables = Exact<{
  id: string | number;
}>;


export type FleetOwnServersQuery = { account: { id: string, name: string, kind: AccountKind, installSites: Array<{ id: string, name: string }>, servers: Array<{ id: string, name: string, standby: boolean, installSiteId: string, licenseExpiresAt: string | null, licenseDaysLeft: number | null, licenseExpiryWarning: LicenseExpiryWarning | null, licenseExpired: boolean, unlicensed: boolean, enforcementStatus: { applicable: boolean, stage: number, nextStageAt: string | null } | null }> | null } | null };

export type FleetRecentDenialsQueryVariables = Exact<{
  serverId: string | number;
}>;


export type FleetRecentDenialsQuery = { licenseRecentDenials: Array<{ key: string, lastHour: number, lastDay: number }> };

export type VisibleAccountsQueryVariables = Exact<{ [key: string]: never; }>;


export type VisibleAccountsQuery = { accounts: Array<{ id: string, name: string, kind: AccountKind, servers: Array<{ id: string, name: string, standby: boolean }> | null }> };

export type OwnAccountQueryVariables = Exact<{
  id: string | number;
}>;


export type OwnAccountQuery = { account: { id: string, name: string, kind: AccountKind, servers: Array<{ id: string, name: string, standby: boolean }> | null } | null };

export type LicenseStatisticFieldsFragment = { key: string, assignableAllowed: number | null, assignableConfigured: number, assignableInUse: number, concurrentAllowed: number | null, concurrentConfigured: number, concurrentInUse: number, available: number | null, capped: boolean, peakInUse: number, peakAt: string | null, denials: number, note: string | null };

export type ServerLicenseStatusFragment = { licenseExpiresAt: string | null, licenseDaysLeft: number | null, licenseExpiryWarning: LicenseExpiryWarning | null, licenseExpired: boolean, unlicensed: boolean };

export type LicenseStatisticsQueryVariables = Exact<{
  serverId: string | number;
}>;


export type LicenseStatisticsQuery = { server: { id: string, name: string, licenseExpiresAt: string | null, licenseDaysLeft: number | null, licenseExpiryWarning: LicenseExpiryWarning | null, licenseExpired: boolean, unlicensed: boolean, account: { id: string, name: string } } | null, licenseStatistics: Array<{ key: string, assignableAllowed: number | null, assignableConfigured: number, assignableInUse: number, concurrentAllowed: number | null, concurrentConfigured: number, concurrentInUse: number, available: number | null, capped: boolean, peakInUse: number, peakAt: string | null, denials: number, note: string | null }> };

export type LicenseStatisticsChangedSubscriptionVariables = Exact<{
  serverId: string | number;
}>;


export type LicenseStatisticsChangedSubscription = { licenseStatisticsChanged: { at: string, server: { id: string, name: string, licenseExpiresAt: string | null, licenseDaysLeft: number | null, licenseExpiryWarning: LicenseExpiryWarning | null, licenseExpired: boolean, unlicensed: boolean, account: { id: string, name: string } }, statistics: Array<{ key: string, assignableAllowed: number | null, assignableConfigured: number, assignableInUse: number, concurrentAllowed: number | null, concurrentConfigured: number, concurrentInUse: number, available: number | null, capped: boolean, peakInUse: number, peakAt: string | null, denials: number, note: string | null }> } };

export type LicenseDenialsQueryVariables = Exact<{
  serverId: string | number;
  limit?: number | null | undefined;
}>;


export type LicenseDenialsQuery = { licenseDenials: Array<{ id: string, key: string, userId: string | null, stationId: string | null, application: string | null, reason: string, occurredAt: string }> };

export type ServerUsersQueryVariables = Exact<{
  serverId: string | number;
}>;


export type ServerUsersQuery = { cicUsers: Array<{ id: string, name: string }> };

export type LicenseUsageHistoryQueryVariables = Exact<{
  serverId: string | number;
  key: string;
  from: string;
  to: string;
  resolution: UsageResolution;
}>;


export type LicenseUsageHistoryQuery = { licenseUsageHistory: Array<{ at: string, inUse: number, peak: number, denials: number }> };

export type EnforcementStageHistoryQueryVariables = Exact<{
  serverId: string | number;
}>;


export type EnforcementStageHistoryQuery = { enforcementHistory: Array<{ from: number, to: number, at: string, cause: EnforcementChangeCause | null, by: string | null, reason: string | null }> };

export type CurrentBillingPeriodQueryVariables = Exact<{ [key: string]: never; }>;


export type CurrentBillingPeriodQuery = { billingPeriod: { start: string, end: string, uploadDeadline: string } };

export type UsageReportQueryVariables = Exact<{
  accountId: string | number;
  periodStart: string;
}>;


export type UsageReportQuery = { usageReport: { basis: BillingBasis, categoryVersion: string, billableConcurrentMinutes: number, asOf: string, final: boolean, period: { start: string, end: string, uploadDeadline: string }, lines: Array<{ category: UsageCategory, namedUsers: number, peakConcurrent: number, peakAt: string | null, billableConcurrent: number, activeHours: number, billableQuantity: number }> } };

export type UsageTrendSessionsQueryVariables = Exact<{
  serverId: string | number;
  from: string;
  to: string;
}>;


export type UsageTrendSessionsQuery = { usageSessions: Array<{ start: string, end: string | null, categories: Array<UsageCategory>, user: { id: string } }> };

export const EnforcementStatusFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EnforcementStatusFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"EnforcementStatus"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"applicable"}},{"kind":"Field","name":{"kind":"Name","value":"stage"}},{"kind":"Field","name":{"kind":"Name","value":"stageName"}},{"kind":"Field","name":{"kind":"Name","value":"since"}},{"kind":"Field","name":{"kind":"Name","value":"nextStageAt"}},{"kind":"Field","name":{"kind":"Name","value":"warning"}},{"kind":"Field","name":{"kind":"Name","value":"supervisorEnabled"}},{"kind":"Field","name":{"kind":"Name","value":"callPortLimit"}},{"kind":"Field","name":{"kind":"Name","value":"lastGoodCheckIn"}},{"kind":"Field","name":{"kind":"Name","value":"asOf"}}]}}]} as unknown as DocumentNode<EnforcementStatusFieldsFragment, unknown>;
export const LicenseStatisticFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"LicenseStatisticFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"LicenseStatistic"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"assignableAllowed"}},{"kind":"Field","name":{"kind":"Name","value":"assignableConfigured"}},{"kind":"Field","name":{"kind":"Name","value":"assignableInUse"}},{"kind":"Field","name":{"kind":"Name","value":"concurrentAllowed"}},{"kind":"Field","name":{"kind":"Name","value":"concurrentConfigured"}},{"kind":"Field","name":{"kind":"Name","value":"concurrentInUse"}},{"kind":"Field","name":{"kind":"Name","value":"available"}},{"kind":"Field","name":{"kind":"Name","value":"capped"}},{"kind":"Field","name":{"kind":"Name","value":"peakInUse"}},{"kind":"Field","name":{"kind":"Name","value":"peakAt"}},{"kind":"Field","name":{"kind":"Name","value":"denials"}},{"kind":"Field","name":{"kind":"Name","value":"note"}}]}}]} as unknown as DocumentNode<LicenseStatisticFieldsFragment, unknown>;
export const ServerLicenseStatusFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ServerLicenseStatus"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Server"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"licenseExpiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"licenseDaysLeft"}},{"kind":"Field","name":{"kind":"Name","value":"licenseExpiryWarning"}},{"kind":"Field","name":{"kind":"Name","value":"licenseExpired"}},{"kind":"Field","name":{"kind":"Name","value":"unlicensed"}}]}}]} as unknown as DocumentNode<ServerLicenseStatusFragment, unknown>;
export const AccountDetailsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AccountDetails"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"account"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"garn"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"installSites"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"address"}},{"kind":"Field","name":{"kind":"Name","value":"active"}}]}},{"kind":"Field","name":{"kind":"Name","value":"salesOrders"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"orderNumber"}},{"kind":"Field","name":{"kind":"Name","value":"licenseModel"}},{"kind":"Field","name":{"kind":"Name","value":"lines"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"partNumber"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"assignedQuantity"}},{"kind":"Field","name":{"kind":"Name","value":"pooledQuantity"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"summary"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"partNumber"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"licenseModel"}},{"kind":"Field","name":{"kind":"Name","value":"ordered"}},{"kind":"Field","name":{"kind":"Name","value":"used"}},{"kind":"Field","name":{"kind":"Name","value":"remaining"}}]}}]}}]}}]} as unknown as DocumentNode<AccountDetailsQuery, AccountDetailsQueryVariables>;
export const ActivationFilesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ActivationFiles"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ActivationFileFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"activationFiles"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"accountId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"fileName"}},{"kind":"Field","name":{"kind":"Name","value":"licenseType"}},{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"generatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"downloadCount"}},{"kind":"Field","name":{"kind":"Name","value":"keys"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"quantity"}}]}},{"kind":"Field","name":{"kind":"Name","value":"installSite"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]} as unknown as DocumentNode<ActivationFilesQuery, ActivationFilesQueryVariables>;
export const DownloadActivationFileDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DownloadActivationFile"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"downloadActivationFile"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"fileName"}},{"kind":"Field","name":{"kind":"Name","value":"contentType"}},{"kind":"Field","name":{"kind":"Name","value":"content"}},{"kind":"Field","name":{"kind":"Name","value":"downloadCount"}}]}}]}}]} as unknown as DocumentNode<DownloadActivationFileMutation, DownloadActivationFileMutationVariables>;
export const AuditLogDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AuditLog"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"AuditLogFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"auditLog"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"accountId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}},{"kind":"Field","name":{"kind":"Name","value":"outcome"}},{"kind":"Field","name":{"kind":"Name","value":"errorCode"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"operation"}},{"kind":"Field","name":{"kind":"Name","value":"service"}},{"kind":"Field","name":{"kind":"Name","value":"subject"}},{"kind":"Field","name":{"kind":"Name","value":"roles"}},{"kind":"Field","name":{"kind":"Name","value":"credentialKind"}},{"kind":"Field","name":{"kind":"Name","value":"credentialId"}},{"kind":"Field","name":{"kind":"Name","value":"targetIds"}},{"kind":"Field","name":{"kind":"Name","value":"change"}},{"kind":"Field","name":{"kind":"Name","value":"requestId"}},{"kind":"Field","name":{"kind":"Name","value":"clientAddress"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<AuditLogQuery, AuditLogQueryVariables>;
export const AuditLogCsvDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AuditLogCsv"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"AuditLogFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"auditLogCsv"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"accountId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}}]}]}}]} as unknown as DocumentNode<AuditLogCsvQuery, AuditLogCsvQueryVariables>;
export const EnforcementOverviewDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"EnforcementOverview"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"account"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"servers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"enforcementStatus"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EnforcementStatusFields"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EnforcementStatusFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"EnforcementStatus"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"applicable"}},{"kind":"Field","name":{"kind":"Name","value":"stage"}},{"kind":"Field","name":{"kind":"Name","value":"stageName"}},{"kind":"Field","name":{"kind":"Name","value":"since"}},{"kind":"Field","name":{"kind":"Name","value":"nextStageAt"}},{"kind":"Field","name":{"kind":"Name","value":"warning"}},{"kind":"Field","name":{"kind":"Name","value":"supervisorEnabled"}},{"kind":"Field","name":{"kind":"Name","value":"callPortLimit"}},{"kind":"Field","name":{"kind":"Name","value":"lastGoodCheckIn"}},{"kind":"Field","name":{"kind":"Name","value":"asOf"}}]}}]} as unknown as DocumentNode<EnforcementOverviewQuery, EnforcementOverviewQueryVariables>;
export const ServerEnforcementStatusDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ServerEnforcementStatus"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"serverId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"enforcementStatus"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"serverId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"serverId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EnforcementStatusFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EnforcementStatusFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"EnforcementStatus"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"applicable"}},{"kind":"Field","name":{"kind":"Name","value":"stage"}},{"kind":"Field","name":{"kind":"Name","value":"stageName"}},{"kind":"Field","name":{"kind":"Name","value":"since"}},{"kind":"Field","name":{"kind":"Name","value":"nextStageAt"}},{"kind":"Field","name":{"kind":"Name","value":"warning"}},{"kind":"Field","name":{"kind":"Name","value":"supervisorEnabled"}},{"kind":"Field","name":{"kind":"Name","value":"callPortLimit"}},{"kind":"Field","name":{"kind":"Name","value":"lastGoodCheckIn"}},{"kind":"Field","name":{"kind":"Name","value":"asOf"}}]}}]} as unknown as DocumentNode<ServerEnforcementStatusQuery, ServerEnforcementStatusQueryVariables>;
export const EnforcementStageChangedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"EnforcementStageChanged"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"enforcementStageChanged"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"accountId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"server"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"from"}},{"kind":"Field","name":{"kind":"Name","value":"to"}},{"kind":"Field","name":{"kind":"Name","value":"fromName"}},{"kind":"Field","name":{"kind":"Name","value":"toName"}},{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"cause"}}]}}]}}]} as unknown as DocumentNode<EnforcementStageChangedSubscription, EnforcementStageChangedSubscriptionVariables>;
export const LastCheckInDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"LastCheckIn"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"serverId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"enforcementCheckIns"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"serverId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"serverId"}}},{"kind":"Argument","name":{"kind":"Name","value":"limit"},"value":{"kind":"IntValue","value":"1"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"success"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}}]}}]}}]} as unknown as DocumentNode<LastCheckInQuery, LastCheckInQueryVariables>;
export const FleetServersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"FleetServers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"accounts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"installSites"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"servers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"standby"}},{"kind":"Field","name":{"kind":"Name","value":"installSiteId"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"ServerLicenseStatus"}},{"kind":"Field","name":{"kind":"Name","value":"enforcementStatus"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"applicable"}},{"kind":"Field","name":{"kind":"Name","value":"stage"}},{"kind":"Field","name":{"kind":"Name","value":"nextStageAt"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ServerLicenseStatus"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Server"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"licenseExpiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"licenseDaysLeft"}},{"kind":"Field","name":{"kind":"Name","value":"licenseExpiryWarning"}},{"kind":"Field","name":{"kind":"Name","value":"licenseExpired"}},{"kind":"Field","name":{"kind":"Name","value":"unlicensed"}}]}}]} as unknown as DocumentNode<FleetServersQuery, FleetServersQueryVariables>;
export const FleetOwnServersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"FleetOwnServers"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"account"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"installSites"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"servers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"standby"}},{"kind":"Field","name":{"kind":"Name","value":"installSiteId"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"ServerLicenseStatus"}},{"kind":"Field","name":{"kind":"Name","value":"enforcementStatus"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"applicable"}},{"kind":"Field","name":{"kind":"Name","value":"stage"}},{"kind":"Field","name":{"kind":"Name","value":"nextStageAt"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ServerLicenseStatus"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Server"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"licenseExpiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"licenseDaysLeft"}},{"kind":"Field","name":{"kind":"Name","value":"licenseExpiryWarning"}},{"kind":"Field","name":{"kind":"Name","value":"licenseExpired"}},{"kind":"Field","name":{"kind":"Name","value":"unlicensed"}}]}}]} as unknown as DocumentNode<FleetOwnServersQuery, FleetOwnServersQueryVariables>;
export const FleetRecentDenialsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"FleetRecentDenials"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"serverId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"licenseRecentDenials"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"serverId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"serverId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"lastHour"}},{"kind":"Field","name":{"kind":"Name","value":"lastDay"}}]}}]}}]} as unknown as DocumentNode<FleetRecentDenialsQuery, FleetRecentDenialsQueryVariables>;
export const VisibleAccountsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"VisibleAccounts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"accounts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"servers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"standby"}}]}}]}}]}}]} as unknown as DocumentNode<VisibleAccountsQuery, VisibleAccountsQueryVariables>;
export const OwnAccountDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"OwnAccount"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"account"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"servers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"standby"}}]}}]}}]}}]} as unknown as DocumentNode<OwnAccountQuery, OwnAccountQueryVariables>;
export const LicenseStatisticsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"LicenseStatistics"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"serverId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"server"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"serverId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"account"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"ServerLicenseStatus"}}]}},{"kind":"Field","name":{"kind":"Name","value":"licenseStatistics"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"serverId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"serverId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"LicenseStatisticFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ServerLicenseStatus"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Server"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"licenseExpiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"licenseDaysLeft"}},{"kind":"Field","name":{"kind":"Name","value":"licenseExpiryWarning"}},{"kind":"Field","name":{"kind":"Name","value":"licenseExpired"}},{"kind":"Field","name":{"kind":"Name","value":"unlicensed"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"LicenseStatisticFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"LicenseStatistic"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"assignableAllowed"}},{"kind":"Field","name":{"kind":"Name","value":"assignableConfigured"}},{"kind":"Field","name":{"kind":"Name","value":"assignableInUse"}},{"kind":"Field","name":{"kind":"Name","value":"concurrentAllowed"}},{"kind":"Field","name":{"kind":"Name","value":"concurrentConfigured"}},{"kind":"Field","name":{"kind":"Name","value":"concurrentInUse"}},{"kind":"Field","name":{"kind":"Name","value":"available"}},{"kind":"Field","name":{"kind":"Name","value":"capped"}},{"kind":"Field","name":{"kind":"Name","value":"peakInUse"}},{"kind":"Field","name":{"kind":"Name","value":"peakAt"}},{"kind":"Field","name":{"kind":"Name","value":"denials"}},{"kind":"Field","name":{"kind":"Name","value":"note"}}]}}]} as unknown as DocumentNode<LicenseStatisticsQuery, LicenseStatisticsQueryVariables>;
export const LicenseStatisticsChangedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"LicenseStatisticsChanged"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"serverId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"licenseStatisticsChanged"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"serverId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"serverId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"server"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"account"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"ServerLicenseStatus"}}]}},{"kind":"Field","name":{"kind":"Name","value":"statistics"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"LicenseStatisticFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"at"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ServerLicenseStatus"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Server"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"licenseExpiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"licenseDaysLeft"}},{"kind":"Field","name":{"kind":"Name","value":"licenseExpiryWarning"}},{"kind":"Field","name":{"kind":"Name","value":"licenseExpired"}},{"kind":"Field","name":{"kind":"Name","value":"unlicensed"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"LicenseStatisticFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"LicenseStatistic"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"assignableAllowed"}},{"kind":"Field","name":{"kind":"Name","value":"assignableConfigured"}},{"kind":"Field","name":{"kind":"Name","value":"assignableInUse"}},{"kind":"Field","name":{"kind":"Name","value":"concurrentAllowed"}},{"kind":"Field","name":{"kind":"Name","value":"concurrentConfigured"}},{"kind":"Field","name":{"kind":"Name","value":"concurrentInUse"}},{"kind":"Field","name":{"kind":"Name","value":"available"}},{"kind":"Field","name":{"kind":"Name","value":"capped"}},{"kind":"Field","name":{"kind":"Name","value":"peakInUse"}},{"kind":"Field","name":{"kind":"Name","value":"peakAt"}},{"kind":"Field","name":{"kind":"Name","value":"denials"}},{"kind":"Field","name":{"kind":"Name","value":"note"}}]}}]} as unknown as DocumentNode<LicenseStatisticsChangedSubscription, LicenseStatisticsChangedSubscriptionVariables>;
export const LicenseDenialsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"LicenseDenials"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"serverId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"limit"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"licenseDenials"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"serverId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"serverId"}}},{"kind":"Argument","name":{"kind":"Name","value":"limit"},"value":{"kind":"Variable","name":{"kind":"Name","value":"limit"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"stationId"}},{"kind":"Field","name":{"kind":"Name","value":"application"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}}]}}]}}]} as unknown as DocumentNode<LicenseDenialsQuery, LicenseDenialsQueryVariables>;
export const ServerUsersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ServerUsers"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"serverId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cicUsers"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"serverId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"serverId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<ServerUsersQuery, ServerUsersQueryVariables>;
export const LicenseUsageHistoryDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"LicenseUsageHistory"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"serverId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"key"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"from"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"to"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"resolution"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UsageResolution"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"licenseUsageHistory"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"serverId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"serverId"}}},{"kind":"Argument","name":{"kind":"Name","value":"key"},"value":{"kind":"Variable","name":{"kind":"Name","value":"key"}}},{"kind":"Argument","name":{"kind":"Name","value":"from"},"value":{"kind":"Variable","name":{"kind":"Name","value":"from"}}},{"kind":"Argument","name":{"kind":"Name","value":"to"},"value":{"kind":"Variable","name":{"kind":"Name","value":"to"}}},{"kind":"Argument","name":{"kind":"Name","value":"resolution"},"value":{"kind":"Variable","name":{"kind":"Name","value":"resolution"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"inUse"}},{"kind":"Field","name":{"kind":"Name","value":"peak"}},{"kind":"Field","name":{"kind":"Name","value":"denials"}}]}}]}}]} as unknown as DocumentNode<LicenseUsageHistoryQuery, LicenseUsageHistoryQueryVariables>;
export const EnforcementStageHistoryDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"EnforcementStageHistory"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"serverId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"enforcementHistory"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"serverId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"serverId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"from"}},{"kind":"Field","name":{"kind":"Name","value":"to"}},{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"cause"}},{"kind":"Field","name":{"kind":"Name","value":"by"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}}]}}]}}]} as unknown as DocumentNode<EnforcementStageHistoryQuery, EnforcementStageHistoryQueryVariables>;
export const CurrentBillingPeriodDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CurrentBillingPeriod"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"billingPeriod"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"start"}},{"kind":"Field","name":{"kind":"Name","value":"end"}},{"kind":"Field","name":{"kind":"Name","value":"uploadDeadline"}}]}}]}}]} as unknown as DocumentNode<CurrentBillingPeriodQuery, CurrentBillingPeriodQueryVariables>;
export const UsageReportDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"UsageReport"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"periodStart"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"usageReport"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"accountId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"accountId"}}},{"kind":"Argument","name":{"kind":"Name","value":"periodStart"},"value":{"kind":"Variable","name":{"kind":"Name","value":"periodStart"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"period"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"start"}},{"kind":"Field","name":{"kind":"Name","value":"end"}},{"kind":"Field","name":{"kind":"Name","value":"uploadDeadline"}}]}},{"kind":"Field","name":{"kind":"Name","value":"basis"}},{"kind":"Field","name":{"kind":"Name","value":"categoryVersion"}},{"kind":"Field","name":{"kind":"Name","value":"billableConcurrentMinutes"}},{"kind":"Field","name":{"kind":"Name","value":"asOf"}},{"kind":"Field","name":{"kind":"Name","value":"final"}},{"kind":"Field","name":{"kind":"Name","value":"lines"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"category"}},{"kind":"Field","name":{"kind":"Name","value":"namedUsers"}},{"kind":"Field","name":{"kind":"Name","value":"peakConcurrent"}},{"kind":"Field","name":{"kind":"Name","value":"peakAt"}},{"kind":"Field","name":{"kind":"Name","value":"billableConcurrent"}},{"kind":"Field","name":{"kind":"Name","value":"activeHours"}},{"kind":"Field","name":{"kind":"Name","value":"billableQuantity"}}]}}]}}]}}]} as unknown as DocumentNode<UsageReportQuery, UsageReportQueryVariables>;
export const UsageTrendSessionsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"UsageTrendSessions"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"serverId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"from"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"to"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"usageSessions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"serverId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"serverId"}}},{"kind":"Argument","name":{"kind":"Name","value":"from"},"value":{"kind":"Variable","name":{"kind":"Name","value":"from"}}},{"kind":"Argument","name":{"kind":"Name","value":"to"},"value":{"kind":"Variable","name":{"kind":"Name","value":"to"}}},{"kind":"Argument","name":{"kind":"Name","value":"limit"},"value":{"kind":"IntValue","value":"2000"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"user"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"start"}},{"kind":"Field","name":{"kind":"Name","value":"end"}},{"kind":"Field","name":{"kind":"Name","value":"categories"}}]}}]}}]} as unknown as DocumentNode<UsageTrendSessionsQuery, UsageTrendSessionsQueryVariables>;