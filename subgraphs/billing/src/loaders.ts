import DataLoader from 'dataloader';
import { type BillingBasis } from './account/billing-account.entity.js';
import { type BillingServer } from './account/billing-server.entity.js';
import { type Services } from './context.js';
import { type UploadStatusSummary } from './usage-file/upload-status.js';
import { type UsageFileInfo } from './usage-file/usage-file.service.js';
import { billingPeriodStarting } from './rules/billing-period.js';
import { type TrackingMode } from './tracking/tracking-mode.js';
import { modeAt } from './tracking/tracking-windows.js';

/** Per-request batching: one query per kind of thing, however many rows a response holds. */
export interface Loaders {
  server: DataLoader<string, BillingServer | null>;
  basis: DataLoader<string, BillingBasis>;
  trackingMode: DataLoader<string, TrackingMode>;
  /** Keyed `accountId|periodStartMs`. */
  uploadStatus: DataLoader<string, UploadStatusSummary>;
  fileRecords: DataLoader<UsageFileInfo, number, string>;
  fileContent: DataLoader<UsageFileInfo, string, string>;
}

export function createLoaders(services: Services): Loaders {
  const byFileId = { cacheKeyFn: (file: UsageFileInfo) => file.id };
  return {
    server: new DataLoader(async (ids) => {
      const rows = await services.accounts.servers(ids);
      const byId = new Map(rows.map((r) => [r.serverId, r]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    basis: new DataLoader(async (ids) => {
      const bases = await services.accounts.basisOf(ids);
      return ids.map((id) => bases.get(id)!);
    }),
    trackingMode: new DataLoader(async (ids) => {
      const windows = await services.tracking.windowsOf(ids);
      const now = services.clock.now().getTime();
      return ids.map((id) => modeAt(windows.get(id) ?? [], now));
    }),
    uploadStatus: new DataLoader(async (keys) => {
      const byPeriod = new Map<number, string[]>();
      for (const key of keys) {
        const [accountId = '', start = ''] = key.split('|');
        byPeriod.set(Number(start), [...(byPeriod.get(Number(start)) ?? []), accountId]);
      }
      const results = new Map<string, UploadStatusSummary>();
      for (const [start, accountIds] of byPeriod) {
        const statuses = await services.files.uploadStatuses(
          accountIds,
          billingPeriodStarting(new Date(start)),
          services.clock.now(),
        );
        for (const [accountId, status] of statuses) results.set(`${accountId}|${start}`, status);
      }
      return keys.map((key) => results.get(key)!);
    }),
    fileRecords: new DataLoader(async (files) => {
      const counts = await services.files.recordCounts(files);
      return files.map((f) => counts.get(f.id) ?? 0);
    }, byFileId),
    fileContent: new DataLoader(async (files) => {
      const contents = await services.files.contents(files);
      return files.map((f) => contents.get(f.id)!);
    }, byFileId),
  };
}
