import type DataLoader from 'dataloader';
import { loaderByGroup, loaderById } from '../loader-helpers.js';
import { type InstallSite } from './install-site.entity.js';
import { type InstallSiteService } from './install-site.service.js';

export interface InstallSiteLoaders {
  site: DataLoader<string, InstallSite | null>;
  sitesByAccount: DataLoader<string, InstallSite[]>;
}

export function createInstallSiteLoaders(service: InstallSiteService): InstallSiteLoaders {
  return {
    site: loaderById(
      (ids) => service.byIds(ids),
      (s) => s.id,
    ),
    sitesByAccount: loaderByGroup(
      (ids) => service.byAccountIds(ids),
      (s) => [s.accountId],
    ),
  };
}
