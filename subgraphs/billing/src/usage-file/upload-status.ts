import { type BillingPeriod, uploadCutoff } from '../rules/billing-period.js';

export const UploadState = {
  NO_USAGE: 'NO_USAGE',
  ON_TIME: 'ON_TIME',
  PENDING: 'PENDING',
  LATE: 'LATE',
  MISSING: 'MISSING',
} as const;
export type UploadState = (typeof UploadState)[keyof typeof UploadState];

export interface UploadStatusSummary {
  state: UploadState;
  /** Late or missing uploads, once the deadline has passed (SPEC §3). */
  flagged: boolean;
  files: number;
  uploadedFiles: number;
  lateFiles: number;
  missingFiles: number;
  pendingFiles: number;
}

/**
 * Where a period's uploads stand at `now`: each of its usage files is on time (uploaded before
 * the deadline day ended), late (uploaded after), missing (not uploaded, deadline passed) or
 * pending (not uploaded, still time). The account's state is the worst of its files.
 */
export function uploadStatus(
  period: BillingPeriod,
  files: ReadonlyArray<{ uploadedAt: number | null }>,
  now: number,
): UploadStatusSummary {
  const cutoff = uploadCutoff(period).getTime();
  let uploaded = 0;
  let late = 0;
  let missing = 0;
  let pending = 0;
  for (const file of files) {
    if (file.uploadedAt !== null) {
      uploaded += 1;
      if (file.uploadedAt >= cutoff) late += 1;
    } else if (now >= cutoff) {
      missing += 1;
    } else {
      pending += 1;
    }
  }
  let state: UploadState = UploadState.ON_TIME;
  if (files.length === 0) state = UploadState.NO_USAGE;
  else if (missing > 0) state = UploadState.MISSING;
  else if (late > 0) state = UploadState.LATE;
  else if (pending > 0) state = UploadState.PENDING;
  return {
    state,
    flagged: missing > 0 || late > 0,
    files: files.length,
    uploadedFiles: uploaded,
    lateFiles: late,
    missingFiles: missing,
    pendingFiles: pending,
  };
}
