import { registerEnumType } from 'type-graphql';
import { AddOnCategory, BaseCategory } from './rules/categories.js';
import { UploadState } from './files/upload-status.js';
import { TrackingMode } from './tracking/tracking-mode.js';

export const BillingBasisEnum = { NAMED: 'NAMED', CONCURRENT: 'CONCURRENT' } as const;
registerEnumType(BillingBasisEnum, {
  name: 'BillingBasis',
  description: 'What an account is billed for: named users, or billable concurrent users',
});

export const UsageCategoryEnum = { ...BaseCategory, ...AddOnCategory } as const;
registerEnumType(UsageCategoryEnum, {
  name: 'UsageCategory',
  description: 'A billing category: AGENT or BUSINESS_USER (exclusive), plus add-ons for agents',
});

export const UploadModeEnum = { AUTOMATED: 'AUTOMATED', MANUAL: 'MANUAL' } as const;
registerEnumType(UploadModeEnum, {
  name: 'UsageUploadMode',
  description: 'How a usage file reached billing',
});

registerEnumType(UploadState, {
  name: 'UsageUploadState',
  description: "Where a period's usage uploads stand; LATE and MISSING are flagged after the deadline",
});

registerEnumType(TrackingMode, {
  name: 'UsageTrackingMode',
  description: "How a server's usage is collected, from its licence keys (NONE: not collected)",
});
