import type DataLoader from 'dataloader';
import { loaderByGroup, loaderById } from '../loader-helpers.js';
import { type ActivationFile, type ActivationFileItem } from './activation-file.entity.js';
import { type ActivationFileService } from './activation-file.service.js';

export interface ActivationFileLoaders {
  file: DataLoader<string, ActivationFile | null>;
  filesByAccount: DataLoader<string, ActivationFile[]>;
  filesBySite: DataLoader<string, ActivationFile[]>;
  itemsByFile: DataLoader<string, ActivationFileItem[]>;
}

export function createActivationFileLoaders(service: ActivationFileService): ActivationFileLoaders {
  return {
    file: loaderById(
      (ids) => service.byIds(ids),
      (f) => f.id,
    ),
    filesByAccount: loaderByGroup(
      (ids) => service.byAccountIds(ids),
      (f) => [f.accountId],
    ),
    filesBySite: loaderByGroup(
      (ids) => service.bySiteIds(ids),
      (f) => [f.installSiteId],
    ),
    itemsByFile: loaderByGroup(
      (ids) => service.itemsByFileIds(ids),
      (i) => [i.fileId],
    ),
  };
}
