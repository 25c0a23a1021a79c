import { registerEnumType } from 'type-graphql';
import { AddOnCategory, BaseCategory } from './rules/categories.js';
import { UploadState } from './usage-file/upload-status.js';
import { TrackingMode } from './tracking/tracking-mode.js';

export const BillingBasisEnum = { NAMED: 'NAMED', CONCURRENT: 'CONCURRENT' } as const;
registerEnumType(BillingBasisEnum, {
  name: 'BillingBasis',
  description: 'What an account is billed for: named users, or billable concurrent users',
  valuesConfig: {
    NAMED: { description: 'Billed for named users (distinct users active in the period)' },
    CONCURRENT: { description: 'Billed for billable concurrent users' },
  },
});

export const UsageCategoryEnum = { ...BaseCategory, ...AddOnCategory } as const;
registerEnumType(UsageCategoryEnum, {
  name: 'UsageCategory',
  description: 'A billing category: AGENT or BUSINESS_USER (exclusive), plus add-ons for agents',
  valuesConfig: {
    AGENT: {
      description:
        'A user holding an ACD media licence (I3_ACCESS_ACD_MEDIA_1 or _2) or any add-on; exclusive with BUSINESS_USER',
    },
    BUSINESS_USER: { description: 'A user with client access and no agent licence; exclusive with AGENT' },
    ANALYZER: { description: 'Add-on: Interaction Analyzer (I3_ACCESS_ANALYZER)' },
    CX_INSIGHTS: { description: 'Add-on: analytics core (I3_ACCESS_ANALYTICS_CORE)' },
    DIALER: { description: 'Add-on: outbound dialer (I3_ACCESS_DIALER_ADDON)' },
    FEEDBACK: { description: 'Add-on: surveys and feedback (I3_ACCESS_FEEDBACK)' },
    MULTI_CHANNEL: { description: 'Add-on: three or more queued media types (I3_ACCESS_ACD_MEDIA_3_PLUS)' },
    QUALITY_MANAGER: { description: 'Add-on: recorder quality monitoring' },
    RECORDER: { description: 'Add-on: interaction recorder (I3_ACCESS_RECORDER)' },
    SALESFORCE_AGENT: { description: 'Add-on: the Salesforce integration' },
    SOCIAL_MEDIA_ACD: { description: 'Add-on: social media routed to agents (I3_ACCESS_ACD_SOCIAL_MEDIA)' },
    SUPERVISOR: { description: 'Add-on: supervisor plug-ins' },
    WEB_PORTAL_AGENT: { description: 'Add-on: the interaction web portal for agents' },
    WEB_PORTAL_SUPERVISOR: { description: 'Add-on: the interaction web portal for supervisors' },
  },
});

export const UploadModeEnum = { AUTOMATED: 'AUTOMATED', MANUAL: 'MANUAL' } as const;
registerEnumType(UploadModeEnum, {
  name: 'UsageUploadMode',
  description: 'How a usage file reached billing',
  valuesConfig: {
    AUTOMATED: { description: 'Uploaded by the server itself' },
    MANUAL: { description: 'Uploaded by hand' },
  },
});

registerEnumType(UploadState, {
  name: 'UsageUploadState',
  description: "Where a period's usage uploads stand; LATE and MISSING are flagged after the deadline",
  valuesConfig: {
    NO_USAGE: { description: 'No usage files are expected for the period' },
    ON_TIME: { description: 'Every file was uploaded before the deadline' },
    PENDING: { description: 'Files are still to come, and the deadline has not passed' },
    LATE: { description: 'Every file arrived, some after the deadline (flagged)' },
    MISSING: { description: 'Files are missing after the deadline (flagged)' },
  },
});

registerEnumType(TrackingMode, {
  name: 'UsageTrackingMode',
  description: "How a server's usage is collected, from its licence keys (NONE: not collected)",
  valuesConfig: {
    AUTOMATED: { description: 'The server uploads its usage itself' },
    MANUAL: { description: 'Usage files are uploaded by hand' },
    NONE: { description: 'Usage is not collected' },
  },
});
